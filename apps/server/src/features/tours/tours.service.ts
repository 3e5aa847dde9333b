import { AppError, lngLat, type LngLat } from '@geocrm/domain';
import { createEstimatedMatrixProvider, toTravelMatrix, type MatrixProvider } from '@geocrm/geo';
import { solveInWorker, type Problem, type Solution, type SolveOptions } from '@geocrm/optimizer';
import type { LngLatRecord, NewTour, PlanningVisitRecord, Repositories, RepProfileRecord, TourRecord, TourSummaryRecord, ToursRepository, Transactor } from '@geocrm/db';
import type { ChangeTourBody, PlanTourBody, TimelineDay, TourDaysBody, TourDto, TourList, TourListQuery, TourPlan, TourTotals } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { assertMayPlan } from './access.ts';
import { totalsOf, tourDaysOf } from './insertion.ts';
import { buildProblem, readSolution, type Unplaced } from './planner.ts';
import { scheduleDays, type DayInput, type DayTimeline, type ScheduleContext, type ScheduleVisit } from './schedule.ts';
import { addDays, todayIn } from './time.ts';
import type { VisitsService } from './visits.service.ts';

export type Solver = (problem: Problem, options: SolveOptions) => Promise<Solution>;

export interface ToursServiceDeps {
  readonly tours: ToursRepository;
  readonly visits: VisitsService;
  readonly transaction: Transactor;
  readonly matrix?: MatrixProvider;
  readonly solve?: Solver;
  /** Optimiser time limit per plan. */
  readonly timeLimitMs?: number;
  readonly now?: () => Date;
}

const iso = (epochSeconds: number): string => new Date(Math.round(epochSeconds) * 1000).toISOString();
const invalid = (message: string, field: string): AppError => new AppError('VALIDATION', message, { details: { field } });

/** What answering a plan needs: the rep's profile, the matrix's points, where days start, the time zone. */
export interface PlanFrame {
  readonly profile: RepProfileRecord;
  readonly points: readonly LngLatRecord[];
  readonly baseKind: 'home' | 'office';
  readonly timeZone: string;
}

interface Prepared extends PlanFrame {
  readonly ctx: ScheduleContext;
  readonly visits: ReadonlyMap<string, ScheduleVisit>;
}

/** A visit as the timeline and the planner see it; `loc` is its account's index in the matrix. */
export const scheduleVisitOf = (v: PlanningVisitRecord, loc: number | undefined): ScheduleVisit => ({
  id: v.id,
  accountId: v.accountId,
  accountName: v.accountName,
  visitTypeName: v.visitTypeName,
  requiredSkills: v.requiredSkills,
  priority: v.priority,
  loc,
  appointmentAt: v.appointmentAt,
  windowFrom: v.windowFrom,
  windowTo: v.windowTo,
  timeFrom: v.timeFrom,
  timeTo: v.timeTo,
  openingHours: v.openingHours,
  serviceSeconds: v.durationMinutes * 60,
});

/** A database refusal that means "already booked": the one-active-stop-per-visit index or the one-tour-per-rep-day constraint. */
export const isBookingConflict = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === '23P01';
};

/**
 * Writes tours as one booking, inside the caller's transaction: advisory locks on every rep and visit
 * first (a concurrent save of the same visit or rep waits, then sees this one), then the checks (a visit
 * already on a planned tour, a rep already booked on one of the dates), then the inserts. The unique
 * index and the exclusion constraint of the database stand behind the checks.
 */
export const bookTours = async (
  repos: Repositories,
  orgId: string,
  tours: readonly NewTour[],
  names: { visit: (id: string) => string; rep: (id: string) => string },
  replacing?: string,
): Promise<string[]> => {
  const visitIds = tours.flatMap((t) => t.days.flatMap((d) => d.stops.map((s) => s.visitId)));
  await repos.tours.lockForBooking(orgId, tours.map((t) => t.userId), visitIds);
  const taken = (await repos.tours.plannedStops(orgId, visitIds)).filter((t) => t.tourId !== replacing);
  if (taken.length) {
    throw new AppError('CONFLICT', `Already on a saved tour: ${taken.map((t) => `${names.visit(t.visitId)} (${t.date})`).join(', ')}`, { details: { visits: taken } });
  }
  const busy = (
    await Promise.all(tours.map(async (t) => (t.days.length ? repos.tours.plannedToursMeeting(orgId, [t.userId], t.dateFrom, t.dateTo, replacing) : [])))
  ).flat();
  if (busy.length) {
    throw new AppError('CONFLICT', `Already booked on these dates: ${busy.map((b) => `${names.rep(b.userId)} (${b.dateFrom} – ${b.dateTo})`).join(', ')}`, { details: { tours: busy } });
  }
  const ids: string[] = [];
  try {
    for (const t of tours) {
      if (replacing !== undefined) await repos.tours.replaceTourDays(orgId, replacing, t);
      ids.push(replacing ?? (await repos.tours.insertTour(orgId, t)));
    }
  } catch (e) {
    if (isBookingConflict(e)) throw new AppError('CONFLICT', 'Another save booked the same visit or rep day at the same moment: reload and plan again');
    throw e;
  }
  return ids;
};

/** The tour to write for a timeline (times as instants, the hotel's place). */
export const newTourOf = (frame: PlanFrame, userId: string, createdBy: string, timeline: readonly DayTimeline[]): NewTour => {
  return {
    userId,
    dateFrom: timeline[0]?.date ?? '',
    dateTo: timeline[timeline.length - 1]?.date ?? '',
    createdBy,
    totals: totalsOf(frame.profile, timeline),
    days: tourDaysOf(timeline, frame.points),
  };
};

export const tourTotalsOf = (profile: RepProfileRecord, timeline: readonly DayTimeline[]): TourTotals => {
  const t = totalsOf(profile, timeline);
  return { ...t, km: Math.round(t.distanceMetres / 100) / 10, drivingHours: Math.round(t.drivingSeconds / 36) / 100 };
};

/** The plan as answered to the client: each day's stops with times, lunch, return leg and night; totals; unplaced visits. */
export const tourPlanOf = (p: PlanFrame, userId: string, from: string, to: string, timeline: readonly DayTimeline[], unplaced: readonly Unplaced[], started: number): TourPlan => {
  const place = (loc: number | undefined) => (loc === undefined ? null : (p.points[loc] ?? null));
  const days: TimelineDay[] = timeline.map((d) => ({
    date: d.date,
    working: d.working,
    startsFrom: { kind: d.startsAt === 'hotel' ? 'hotel' : p.baseKind, location: place(d.startLoc) ?? { lng: 0, lat: 0 } },
    departure: iso(d.departure),
    arrival: iso(d.arrival),
    stops: d.stops.map((s, seq) => ({
      seq,
      visitId: s.visit.id,
      accountId: s.visit.accountId,
      accountName: s.visit.accountName,
      visitType: s.visit.visitTypeName,
      location: place(s.visit.loc),
      appointment: s.visit.appointmentAt !== null,
      arrival: iso(s.arrival),
      start: iso(s.start),
      end: iso(s.end),
      departure: iso(s.departure),
      waitSeconds: Math.round(s.waitSeconds),
      driveSeconds: Math.round(s.driveSeconds),
      driveMetres: Math.round(s.driveMetres),
      flags: [...s.flags],
    })),
    lunch: d.lunch ? { start: iso(d.lunch.start), end: iso(d.lunch.end), afterStop: d.lunch.afterStop } : null,
    returnLeg: { driveSeconds: Math.round(d.returnDriveSeconds), driveMetres: Math.round(d.returnDriveMetres) },
    drivingSeconds: Math.round(d.drivingSeconds),
    distanceMetres: Math.round(d.distanceMetres),
    night: { stay: d.night, location: place(d.nightLoc) },
    flags: [...d.flags],
  }));
  const valid = days.every((d) => d.flags.length === 0 && d.stops.every((s) => s.flags.length === 0));
  return {
    userId,
    from,
    to,
    timeZone: p.timeZone,
    days,
    totals: tourTotalsOf(p.profile, timeline),
    unplaced: unplaced.map((u) => ({ visitId: u.visit.id, accountId: u.visit.accountId, accountName: u.visit.accountName, reason: u.reason, message: u.message })),
    valid,
    computingMs: Math.round(performance.now() - started),
  };
};

/** Plans, re-times and saves tours. */
export class ToursService {
  readonly #tours: ToursRepository;
  readonly #visits: VisitsService;
  readonly #transaction: Transactor;
  readonly #matrix: MatrixProvider;
  readonly #solve: Solver;
  readonly #timeLimitMs: number;
  readonly #now: () => Date;

  constructor(deps: ToursServiceDeps) {
    this.#tours = deps.tours;
    this.#visits = deps.visits;
    this.#transaction = deps.transaction;
    this.#matrix = deps.matrix ?? createEstimatedMatrixProvider();
    this.#solve = deps.solve ?? solveInWorker;
    this.#timeLimitMs = deps.timeLimitMs ?? 1_200;
    this.#now = deps.now ?? (() => new Date());
  }

  /** The rep, the org's time zone and the matrix over the base and the visits' accounts. */
  async #prepare(actor: Actor, userId: string, firstDate: string, visits: readonly PlanningVisitRecord[]): Promise<Prepared> {
    const profile = await this.#tours.getProfile(actor.orgId, userId);
    if (!profile) throw new AppError('NOT_FOUND', 'User not found', { details: { field: 'userId' } });
    assertMayPlan(actor, userId);
    const timeZone = await this.#visits.timeZone(actor.orgId);
    const today = todayIn(timeZone, this.#now());
    if (firstDate < today) throw invalid(`${firstDate} is in the past (today is ${today}): tours are planned from today on`, 'from');
    const baseKind = profile.startAt === 'office' && profile.office ? 'office' : 'home';
    const base = baseKind === 'office' ? profile.office : profile.home;
    if (!base) throw invalid(`${profile.userName} has no home location: set it in the rep profile before planning`, 'userId');
    const points: LngLatRecord[] = [base.location];
    const index = new Map<string, number>();
    const byId = new Map<string, ScheduleVisit>();
    for (const v of visits) {
      let loc: number | undefined;
      if (v.accountLocation) {
        const key = `${v.accountLocation.lng},${v.accountLocation.lat}`;
        loc = index.get(key);
        if (loc === undefined) {
          loc = points.length;
          points.push(v.accountLocation);
          index.set(key, loc);
        }
      }
      byId.set(v.id, scheduleVisitOf(v, loc));
    }
    const matrix = toTravelMatrix(await this.#matrix.matrix(points.map((p): LngLat => lngLat(p.lng, p.lat))));
    const ctx: ScheduleContext = {
      timeZone,
      matrix,
      baseLoc: 0,
      workingHours: profile.workingHours,
      lunch: profile.lunch,
      maxDailyDrivingSeconds: profile.maxDailyDrivingMinutes === null ? null : profile.maxDailyDrivingMinutes * 60,
      skills: profile.skills,
    };
    return { profile, ctx, points, baseKind, visits: byId, timeZone };
  }

  async #visitsById(actor: Actor, userId: string, ids: readonly string[], reassign = false): Promise<PlanningVisitRecord[]> {
    const rows = await this.#tours.planningVisits(actor.orgId, { ids });
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new AppError('NOT_FOUND', `Visit(s) not found: ${missing.join(', ')}`, { details: { visitIds: missing } });
    for (const v of rows) {
      if (v.status !== 'planned') throw invalid(`The visit to ${v.accountName} is ${v.status}: only planned visits go on a tour`, 'visitIds');
      if (!reassign && v.assignedUserId !== null && v.assignedUserId !== userId) throw invalid(`The visit to ${v.accountName} is assigned to another rep`, 'visitIds');
    }
    return rows;
  }

  async plan(actor: Actor, body: PlanTourBody): Promise<TourPlan> {
    const started = performance.now();
    if (body.days < 1 || body.days > 5) throw invalid(`days must be between 1 and 5 (got ${body.days})`, 'days');
    const dates = Array.from({ length: body.days }, (_, i) => addDays(body.from, i));
    const to = dates[dates.length - 1] ?? body.from;
    assertMayPlan(actor, body.userId);
    const timeZone = await this.#visits.timeZone(actor.orgId);
    const rows = body.visitIds
      ? await this.#visitsById(actor, body.userId, body.visitIds)
      : await this.#tours.planningVisits(actor.orgId, { userId: body.userId, statuses: ['planned'], from: body.from, to, timeZone });
    const p = await this.#prepare(actor, body.userId, body.from, rows);
    if (!dates.some((d) => p.profile.workingHours[String(new Date(`${d}T00:00:00Z`).getUTCDay() || 7)] !== undefined)) {
      throw invalid(`${p.profile.userName} does not work between ${body.from} and ${to}`, 'from');
    }
    const built = buildProblem(p.ctx, { skills: p.profile.skills, costPerKmCents: p.profile.costPerKmCents, hotelNightCents: p.profile.hotelNightCents }, dates, [...p.visits.values()]);
    const solution = built.problem.jobs.length ? await this.#solve(built.problem, { timeLimitMs: this.#timeLimitMs, seed: 1 }) : undefined;
    const read = solution ? readSolution(built, solution) : { orders: new Map<string, { visits: ScheduleVisit[]; night: 'home' | 'hotel' }>(), unplaced: built.unplaced };
    const inputs: DayInput[] = dates.map((date) => ({ date, visits: read.orders.get(date)?.visits ?? [], night: read.orders.get(date)?.night ?? 'home' }));
    const timeline = scheduleDays(p.ctx, inputs).filter((d) => d.working || d.stops.length > 0);
    return this.#answer(p, body.userId, body.from, to, timeline, read.unplaced, started);
  }

  /** Times a hand-made order; every broken constraint is flagged. */
  async evaluate(actor: Actor, body: TourDaysBody): Promise<TourPlan> {
    const started = performance.now();
    const { p, timeline } = await this.#timeDays(actor, body);
    return this.#answer(p, body.userId, body.days[0]?.date ?? '', body.days[body.days.length - 1]?.date ?? '', timeline, [], started);
  }

  async #timeDays(actor: Actor, body: TourDaysBody, reassign = false): Promise<{ p: Prepared; timeline: DayTimeline[] }> {
    assertMayPlan(actor, body.userId);
    const dates = body.days.map((d) => d.date);
    for (let i = 1; i < dates.length; i++) {
      if ((dates[i] ?? '') <= (dates[i - 1] ?? '')) throw invalid('days must be in date order, each date once', `days[${i}].date`);
    }
    const first = dates[0] ?? '';
    const last = dates[dates.length - 1] ?? '';
    if (addDays(first, 4) < last) throw invalid(`A tour covers at most 5 days (${first} to ${last} is longer)`, 'days');
    const ids = body.days.flatMap((d) => d.visitIds);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) throw invalid(`Visit ${twice} appears twice`, 'days');
    const rows = await this.#visitsById(actor, body.userId, ids, reassign);
    const p = await this.#prepare(actor, body.userId, first, rows);
    const inputs: DayInput[] = body.days.map((d) => ({
      date: d.date,
      night: d.night ?? 'home',
      visits: d.visitIds.map((id) => p.visits.get(id)).filter((v): v is ScheduleVisit => v !== undefined),
    }));
    return { p, timeline: scheduleDays(p.ctx, inputs) };
  }

  /** Saves an order as a tour, re-timed by the server; refused when any constraint is broken. All or nothing. */
  async save(actor: Actor, body: TourDaysBody): Promise<TourDto> {
    const { p, timeline } = await this.#timeDays(actor, body);
    const flags = timeline.flatMap((d) => [...d.flags, ...d.stops.flatMap((s) => s.flags)]);
    if (flags.length) throw new AppError('INFEASIBLE', `The tour breaks ${flags.length} constraint(s): ${flags.map((f) => f.message).join('; ')}`, { details: { flags } });
    const tour = newTourOf(p, body.userId, actor.userId, timeline);
    const [id] = await this.#transaction((repos) =>
      bookTours(repos, actor.orgId, [tour], { visit: (v) => p.visits.get(v)?.accountName ?? v, rep: () => p.profile.userName }),
    );
    if (id === undefined) throw new Error('tour not written');
    return this.get(actor, id);
  }

  /**
   * A rep's days timed for saving, refused with 422 on any broken constraint, not written (the team save
   * writes every rep's tour in one transaction with `bookTours`). `reassign`: visits assigned to another
   * rep may be taken (a team plan that crossed territories).
   */
  async tourToSave(actor: Actor, body: TourDaysBody, options: { reassign?: boolean } = {}): Promise<{ tour: NewTour; visitName: (id: string) => string; repName: string }> {
    const { p, timeline } = await this.#timeDays(actor, body, options.reassign === true);
    const flags = timeline.flatMap((d) => [...d.flags, ...d.stops.flatMap((s) => s.flags)]);
    if (flags.length) {
      throw new AppError('INFEASIBLE', `${p.profile.userName}'s tour breaks ${flags.length} constraint(s): ${flags.map((f) => f.message).join('; ')}`, { details: { userId: body.userId, flags } });
    }
    return { tour: newTourOf(p, body.userId, actor.userId, timeline), visitName: (id) => p.visits.get(id)?.accountName ?? id, repName: p.profile.userName };
  }

  /**
   * Replaces a saved tour's days (PATCH): re-timed by the server and refused with 422 when a constraint
   * is broken, like a save; visits left out go back to open. Only a planned tour changes.
   */
  async change(actor: Actor, id: string, body: ChangeTourBody): Promise<TourDto> {
    const before = await this.#tours.getTour(actor.orgId, id);
    if (!before) throw new AppError('NOT_FOUND', 'Tour not found');
    assertMayPlan(actor, before.userId);
    if (before.status !== 'planned') throw new AppError('CONFLICT', `This tour is ${before.status}: only a planned tour can be changed`);
    const { p, timeline } = await this.#timeDays(actor, { userId: before.userId, days: body.days });
    const flags = timeline.flatMap((d) => [...d.flags, ...d.stops.flatMap((s) => s.flags)]);
    if (flags.length) throw new AppError('INFEASIBLE', `The tour breaks ${flags.length} constraint(s): ${flags.map((f) => f.message).join('; ')}`, { details: { flags } });
    const tour = newTourOf(p, before.userId, actor.userId, timeline);
    await this.#transaction(async (repos) => {
      const locked = await repos.tours.lockTour(actor.orgId, id);
      if (locked?.status !== 'planned') throw new AppError('CONFLICT', 'This tour was cancelled or completed meanwhile');
      await bookTours(repos, actor.orgId, [tour], { visit: (v) => p.visits.get(v)?.accountName ?? v, rep: () => p.profile.userName }, id);
    });
    return this.get(actor, id);
  }

  /** Cancels a saved tour (DELETE): kept with its planned totals, status cancelled; its visits go back to open. */
  async cancel(actor: Actor, id: string): Promise<TourDto> {
    await this.#transaction(async (repos) => {
      const locked = await repos.tours.lockTour(actor.orgId, id);
      if (!locked) throw new AppError('NOT_FOUND', 'Tour not found');
      assertMayPlan(actor, locked.userId);
      if (locked.status === 'done') throw new AppError('CONFLICT', 'This tour is done: it cannot be cancelled');
      if (locked.status === 'planned') await repos.tours.cancelTour(actor.orgId, id);
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<TourDto> {
    const tour = await this.#tours.getTour(actor.orgId, id);
    if (!tour) throw new AppError('NOT_FOUND', 'Tour not found');
    assertMayPlan(actor, tour.userId, 'read');
    return toTourDto(tour);
  }

  async list(actor: Actor, query: TourListQuery): Promise<TourList> {
    if (query.userId !== undefined) assertMayPlan(actor, query.userId, 'read');
    const userId = query.userId ?? (actor.role === 'rep' || actor.role === 'technician' ? actor.userId : undefined);
    const rows = await this.#tours.listTours(actor.orgId, { ...(userId === undefined ? {} : { userId }), ...(query.from === undefined ? {} : { from: query.from }), ...(query.to === undefined ? {} : { to: query.to }) });
    return { items: rows.map(toTourSummaryDto) };
  }

  #answer(p: Prepared, userId: string, from: string, to: string, timeline: readonly DayTimeline[], unplaced: readonly Unplaced[], started: number): TourPlan {
    return tourPlanOf(p, userId, from, to, timeline, unplaced, started);
  }
}

const totalsDto = (t: TourSummaryRecord['totals']): TourTotals => ({
  ...t,
  km: Math.round(t.distanceMetres / 100) / 10,
  drivingHours: Math.round(t.drivingSeconds / 36) / 100,
});

const toTourSummaryDto = (t: TourSummaryRecord): TourList['items'][number] => ({
  id: t.id,
  userId: t.userId,
  from: t.dateFrom,
  to: t.dateTo,
  status: t.status,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  totals: totalsDto(t.totals),
});

const toTourDto = (t: TourRecord): TourDto => ({
  ...toTourSummaryDto(t),
  days: t.days.map((d) => ({
    date: d.date,
    departure: d.startAt.toISOString(),
    arrival: d.endAt.toISOString(),
    distanceMetres: d.distanceMetres,
    drivingSeconds: d.drivingSeconds,
    lunch: d.lunch ? { start: d.lunch.startAt.toISOString(), end: d.lunch.endAt.toISOString() } : null,
    night: { stay: d.night, location: d.nightLocation },
    stops: d.stops.map((s) => ({
      seq: s.seq,
      visitId: s.visitId,
      arrival: s.arrivalAt.toISOString(),
      start: s.startAt.toISOString(),
      end: s.endAt.toISOString(),
      departure: s.departureAt.toISOString(),
      waitSeconds: s.waitSeconds,
      driveSeconds: s.driveSeconds,
      driveMetres: s.driveMetres,
    })),
  })),
});
