/**
 * Public types of the GeoCRM vehicle-routing engine.
 *
 * Units: seconds for times and durations, metres for distances; coordinates (when given) are
 * `[lng, lat]`. Locations are indices into the travel matrices given with the problem.
 */

export type Id = string | number;

/** `[start, end]` in seconds; both ends inclusive. */
export type TimeWindow = readonly [start: number, end: number];

export interface Break {
  readonly id: Id;
  /** The break must START inside one of these windows. Empty or absent: any time in the shift. */
  readonly timeWindows?: readonly TimeWindow[];
  /** Duration in seconds. */
  readonly service: number;
}

export interface Shift {
  readonly timeWindow: TimeWindow;
  readonly breaks?: readonly Break[];
}

export interface VehicleCosts {
  /** Cost of using the vehicle (once per used shift). Default 0. */
  readonly fixed?: number;
  /** Cost per hour of travel. Default 3600 (so that cost = travel seconds, as in VROOM). */
  readonly perHour?: number;
  /** Cost per km travelled. Default 0. */
  readonly perKm?: number;
}

export interface Overnight {
  /** Cost of one night away from home (same unit as the route costs). */
  readonly costPerNight: number;
}

export interface Vehicle {
  readonly id: Id;
  /** Key into `Problem.matrices`. Default `'car'`. */
  readonly profile?: string;
  /** Matrix index of the start; absent = the tour starts at its first visit. */
  readonly start?: number;
  /** Matrix index of the end; absent = the tour ends at its last visit. */
  readonly end?: number;
  /** Capacity per dimension; absent = unlimited. */
  readonly capacity?: readonly number[];
  readonly skills?: readonly Id[];
  /** Working window of a single-shift vehicle. Ignored when `shifts` is given. */
  readonly timeWindow?: TimeWindow;
  /** Breaks of a single-shift vehicle. Ignored when `shifts` is given. */
  readonly breaks?: readonly Break[];
  /** Several shifts (typically one per day of a multi-day plan), in chronological order. */
  readonly shifts?: readonly Shift[];
  /** Max number of visits per shift. */
  readonly maxTasks?: number;
  /** Max travel time per shift, seconds. */
  readonly maxTravelTime?: number;
  /** Max distance per shift, metres. */
  readonly maxDistance?: number;
  /** Max driving time per day (one shift = one day), seconds, including the drive from an overnight stay. */
  readonly maxDailyDriving?: number;
  readonly costs?: VehicleCosts;
  /** When present, between two shifts the vehicle may stay overnight near its last visit. */
  readonly overnight?: Overnight;
}

export interface Job {
  readonly id: Id;
  /** Matrix index. */
  readonly location: number;
  /** Service duration, seconds. */
  readonly service?: number;
  /** Setup duration, seconds, paid only when arriving from another location. */
  readonly setup?: number;
  /** Amount unloaded at the job (loaded at the start of the route). */
  readonly delivery?: readonly number[];
  /** Amount loaded at the job (carried to the end of the route). */
  readonly pickup?: readonly number[];
  readonly skills?: readonly Id[];
  /** Higher is more important; 0..100, default 0. Served priority is maximised before cost. */
  readonly priority?: number;
  /** Service must start inside one of these windows; absent = any time. */
  readonly timeWindows?: readonly TimeWindow[];
  /** Only this vehicle may serve the job. */
  readonly pinnedVehicle?: Id;
  /** Booked appointment: service starts exactly at this time. */
  readonly pinnedTime?: number;
}

export interface Matrix {
  /** Square matrix of travel times in seconds. */
  readonly durations: readonly (readonly number[])[];
  /** Square matrix of distances in metres; absent = all distances 0. */
  readonly distances?: readonly (readonly number[])[];
}

export interface Problem {
  readonly vehicles: readonly Vehicle[];
  readonly jobs: readonly Job[];
  readonly matrices: Readonly<Record<string, Matrix>>;
}

export interface SolveOptions {
  /** Hard time limit; the best solution found so far is returned. */
  readonly timeLimitMs?: number;
  /** Seed of the pseudo-random generator; same seed and problem → same solution (if not cut by time). */
  readonly seed?: number;
  /** Stops the search; the best solution found so far is returned. */
  readonly signal?: AbortSignal;
  /** Fewer iterations: a good answer quickly. */
  readonly fast?: boolean;
  /** Override the number of ruin-and-recreate iterations. */
  readonly iterations?: number;
}

export const STEP_TYPES = ['start', 'job', 'break', 'end'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export interface Step {
  readonly type: StepType;
  /** Job or break id (absent for start and end). */
  readonly id?: Id;
  /** Matrix index (absent for breaks and for a missing start/end). */
  readonly location?: number;
  /** Arrival time (for start: departure time). */
  readonly arrival: number;
  /** Cumulated travel time since the start of the route. */
  readonly duration: number;
  /** Cumulated distance since the start of the route. */
  readonly distance: number;
  readonly waitingTime: number;
  readonly setup: number;
  readonly service: number;
  /** Load after the step. */
  readonly load: readonly number[];
}

export interface Route {
  readonly vehicleId: Id;
  /** Index of the vehicle in `Problem.vehicles`. */
  readonly vehicle: number;
  /** Index of the shift (0 for single-shift vehicles). */
  readonly shift: number;
  readonly steps: readonly Step[];
  readonly cost: number;
  /** Travel time, seconds. */
  readonly duration: number;
  readonly distance: number;
  readonly setup: number;
  readonly service: number;
  readonly waitingTime: number;
  readonly priority: number;
}

export const UNASSIGNED_REASONS = [
  'no_vehicle',
  'skills',
  'pinned_vehicle',
  'time_window',
  'capacity',
  'max_travel_time',
  'max_distance',
  'max_tasks',
  'shift_too_short',
  'breaks',
  'no_room',
  'interrupted',
] as const;
export type UnassignedReason = (typeof UNASSIGNED_REASONS)[number];

export interface Unassigned {
  readonly id: Id;
  readonly location: number;
  readonly reason: UnassignedReason;
  /** A sentence for the user. */
  readonly message: string;
}

/** What a vehicle does between shift `afterShift` and the next one. */
export interface Night {
  readonly vehicleId: Id;
  readonly vehicle: number;
  readonly afterShift: number;
  readonly stay: 'home' | 'overnight';
  /** Where the vehicle sleeps when `stay === 'overnight'`. */
  readonly location?: number;
  readonly cost: number;
}

export interface Summary {
  readonly cost: number;
  readonly routes: number;
  readonly unassigned: number;
  readonly setup: number;
  readonly service: number;
  readonly duration: number;
  readonly waitingTime: number;
  readonly priority: number;
  readonly distance: number;
  readonly computingTimeMs: number;
}

export interface Solution {
  readonly summary: Summary;
  readonly routes: readonly Route[];
  readonly unassigned: readonly Unassigned[];
  readonly nights: readonly Night[];
}
