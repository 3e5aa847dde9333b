import { Type, type Static } from 'typebox';
import { IsoDate, IsoDateTime, Uuid } from './common.ts';
import { TourPlan, TourSummaryDto, TourTotals } from './tours.ts';

const strict = { additionalProperties: false } as const;

/** POST /tours/team-plans: plan several reps (default: every active rep and technician) over 1–5 days at once. */
export const TeamPlanBody = Type.Object(
  {
    /** Absent: every active rep and technician of the organisation. */
    userIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true })),
    from: IsoDate,
    days: Type.Integer({ minimum: 1, maximum: 5 }),
    /** false (default): each rep keeps to their own territory; true: any rep may take any visit (appointments stay with their rep). */
    allowCrossTerritory: Type.Optional(Type.Boolean()),
    /** Absent: every planned visit whose dates meet the plan's and that no saved tour holds. */
    visitIds: Type.Optional(Type.Array(Uuid, { maxItems: 5000, uniqueItems: true })),
    /** Only visits of these types. */
    visitTypeIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true })),
    /** Only visits of at least this priority (appointments are always kept). */
    minPriority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    /** Search time budget in seconds (default 40). */
    timeLimitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
  },
  strict,
);
export type TeamPlanBody = Static<typeof TeamPlanBody>;

export const TEAM_PLAN_PHASES = ['queued', 'loading', 'assigning', 'solving', 'timing', 'done'] as const;
export type TeamPlanPhase = (typeof TEAM_PLAN_PHASES)[number];

export const TeamPlanProgress = Type.Object({
  phase: Type.Union([Type.Literal('queued'), Type.Literal('loading'), Type.Literal('assigning'), Type.Literal('solving'), Type.Literal('timing'), Type.Literal('done')]),
  /** 0–100. */
  percent: Type.Integer(),
  reps: Type.Integer(),
  /** Candidate visits. */
  visits: Type.Integer(),
  /** Optimisation problems solved so far / in all (one per rep without crossing, one for the team with it). */
  problemsDone: Type.Integer(),
  problemsTotal: Type.Integer(),
  /** Visits placed by the best answer so far (null before the first answer). */
  visitsPlaced: Type.Union([Type.Integer(), Type.Null()]),
  /** Objective of the best answer so far, in cents (km, driving time, hotel nights), or null. */
  bestCostCents: Type.Union([Type.Integer(), Type.Null()]),
  elapsedMs: Type.Integer(),
  message: Type.String(),
});
export type TeamPlanProgress = Static<typeof TeamPlanProgress>;

export const TeamRepPlan = Type.Object({
  userId: Uuid,
  userName: Type.String(),
  /** #rrggbb, stable per rep within a plan. */
  colour: Type.String(),
  plan: TourPlan,
  /** A planned tour of this rep already meets the dates: saving would be refused for this rep. */
  existingTourIds: Type.Array(Uuid),
});
export type TeamRepPlan = Static<typeof TeamRepPlan>;

export const TeamUnassignedVisit = Type.Object({
  visitId: Uuid,
  accountId: Uuid,
  accountName: Type.String(),
  /** The rep whose territory (or account) it belongs to, when known. */
  userId: Type.Union([Uuid, Type.Null()]),
  reason: Type.String(),
  message: Type.String(),
});

export const TeamTotals = Type.Object({
  ...TourTotals.properties,
  reps: Type.Integer(),
  /** Reps with at least one visit. */
  repsUsed: Type.Integer(),
  candidateVisits: Type.Integer(),
  unassigned: Type.Integer(),
});
export type TeamTotals = Static<typeof TeamTotals>;

export const TeamPlanResult = Type.Object({
  from: IsoDate,
  to: IsoDate,
  timeZone: Type.String(),
  allowCrossTerritory: Type.Boolean(),
  /** How visits were given to reps: 'territory' (a published territory plan), 'account_owner', or 'assigned' (the visit's rep). */
  assignment: Type.String(),
  mode: Type.Union([Type.Literal('per_rep'), Type.Literal('team')]),
  reps: Type.Array(TeamRepPlan),
  totals: TeamTotals,
  unassigned: Type.Array(TeamUnassignedVisit),
  computingMs: Type.Integer(),
});
export type TeamPlanResult = Static<typeof TeamPlanResult>;

export const TeamPlanJobDto = Type.Object({
  id: Uuid,
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed'), Type.Literal('cancelled')]),
  request: TeamPlanBody,
  progress: TeamPlanProgress,
  result: Type.Union([TeamPlanResult, Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdAt: IsoDateTime,
  finishedAt: Type.Union([IsoDateTime, Type.Null()]),
  /** When "save all" stored the tours. */
  savedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type TeamPlanJobDto = Static<typeof TeamPlanJobDto>;

export const TeamPlanJobList = Type.Object({ items: Type.Array(Type.Omit(TeamPlanJobDto, ['result'])) });
export type TeamPlanJobList = Static<typeof TeamPlanJobList>;

export const TeamPlanSaved = Type.Object({ tours: Type.Array(TourSummaryDto) });
export type TeamPlanSaved = Static<typeof TeamPlanSaved>;

/** PATCH /tours/:id: the tour's new days (re-timed by the server; refused with 422 when a constraint is broken). */
export const ChangeTourBody = Type.Object(
  {
    days: Type.Array(
      Type.Object(
        {
          date: IsoDate,
          visitIds: Type.Array(Uuid, { maxItems: 100 }),
          night: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('hotel')])),
        },
        strict,
      ),
      { minItems: 1, maxItems: 5 },
    ),
  },
  strict,
);
export type ChangeTourBody = Static<typeof ChangeTourBody>;
