import { Type, type Static } from 'typebox';
import { IsoDate, IsoDateTime, LngLatSchema, Uuid } from './common.ts';

const strict = { additionalProperties: false } as const;
const Skill = Type.String({ minLength: 1, maxLength: 50 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SERVICE_TASK_STATUS_VALUES = ['open', 'assigned', 'done', 'cancelled'] as const;
export const ServiceTaskStatus = Type.Union([Type.Literal('open'), Type.Literal('assigned'), Type.Literal('done'), Type.Literal('cancelled')]);
export type ServiceTaskStatus = Static<typeof ServiceTaskStatus>;

/** A service call at an account: where (the account's place), how long, which skills, by when, how urgent. */
export const ServiceTaskDto = Type.Object({
  id: Uuid,
  accountId: Uuid,
  accountName: Type.String(),
  accountCity: Type.String(),
  location: Nullable(LngLatSchema),
  title: Type.String(),
  durationMinutes: Type.Integer(),
  requiredSkills: Type.Array(Type.String()),
  dueDate: Nullable(IsoDate),
  /** 0–100, higher first. */
  priority: Type.Integer(),
  status: ServiceTaskStatus,
  assignedUserId: Nullable(Uuid),
  assignedUserName: Nullable(Type.String()),
  plannedDate: Nullable(IsoDate),
  plannedStartAt: Nullable(IsoDateTime),
  notes: Type.String(),
  /** Open and due before today (organisation's time zone). */
  overdue: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type ServiceTaskDto = Static<typeof ServiceTaskDto>;

export const CreateServiceTaskBody = Type.Object(
  {
    accountId: Uuid,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    durationMinutes: Type.Integer({ minimum: 5, maximum: 720 }),
    requiredSkills: Type.Optional(Type.Array(Skill, { maxItems: 20, uniqueItems: true })),
    dueDate: Type.Optional(Nullable(IsoDate)),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  strict,
);
export type CreateServiceTaskBody = Static<typeof CreateServiceTaskBody>;

/** Changes a task; `status: 'open'` takes an assigned task back (clears technician and date), `'done'` closes it. */
export const UpdateServiceTaskBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 720 })),
    requiredSkills: Type.Optional(Type.Array(Skill, { maxItems: 20, uniqueItems: true })),
    dueDate: Type.Optional(Nullable(IsoDate)),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('done')])),
  },
  strict,
);
export type UpdateServiceTaskBody = Static<typeof UpdateServiceTaskBody>;

export const ServiceTaskListQuery = Type.Object(
  {
    status: Type.Optional(ServiceTaskStatus),
    userId: Type.Optional(Uuid),
    skill: Type.Optional(Skill),
    dueBefore: Type.Optional(IsoDate),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  strict,
);
export type ServiceTaskListQuery = Static<typeof ServiceTaskListQuery>;

export const ServiceTaskList = Type.Object({ items: Type.Array(ServiceTaskDto) });
export type ServiceTaskList = Static<typeof ServiceTaskList>;

export const TechnicianDto = Type.Object({
  userId: Uuid,
  name: Type.String(),
  role: Type.String(),
  skills: Type.Array(Type.String()),
  home: Nullable(LngLatSchema),
  /** #rrggbb, stable per person in the list. */
  colour: Type.String(),
});
export type TechnicianDto = Static<typeof TechnicianDto>;

export const TechnicianList = Type.Object({ items: Type.Array(TechnicianDto), skills: Type.Array(Type.String()) });
export type TechnicianList = Static<typeof TechnicianList>;

// ---- absences ----

export const AbsenceDto = Type.Object({ id: Uuid, userId: Uuid, userName: Type.String(), dateFrom: IsoDate, dateTo: IsoDate, reason: Type.String() });
export type AbsenceDto = Static<typeof AbsenceDto>;

export const CreateAbsenceBody = Type.Object({ userId: Uuid, dateFrom: IsoDate, dateTo: IsoDate, reason: Type.Optional(Type.String({ maxLength: 200 })) }, strict);
export type CreateAbsenceBody = Static<typeof CreateAbsenceBody>;

export const AbsenceListQuery = Type.Object({ userId: Type.Optional(Uuid), from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }, strict);
export type AbsenceListQuery = Static<typeof AbsenceListQuery>;

export const AbsenceList = Type.Object({ items: Type.Array(AbsenceDto) });
export type AbsenceList = Static<typeof AbsenceList>;

// ---- automatic assignment of tasks ----

export const AutoAssignBody = Type.Object(
  {
    /** First day (organisation's time zone); today or later. */
    from: IsoDate,
    days: Type.Integer({ minimum: 1, maximum: 10 }),
    /** Absent: every active technician. */
    userIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true })),
    /** Absent: every open task. */
    taskIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 5000, uniqueItems: true })),
    /** 'cap' (default): each day's work is capped near the team's mean so that work spreads evenly; 'none': travel only. */
    balance: Type.Optional(Type.Union([Type.Literal('cap'), Type.Literal('none')])),
    /** With 'cap': how far above the team's mean daily work a day may go, in % (default 15). Higher: fewer km, less even. */
    balanceTolerancePercent: Type.Optional(Type.Integer({ minimum: 5, maximum: 200 })),
    /** true: a task goes to the technician responsible for its account (its owner, until territories are published) when that person is in the plan. */
    respectTerritory: Type.Optional(Type.Boolean()),
    /** Search time budget (default 10 s). */
    timeLimitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  },
  strict,
);
export type AutoAssignBody = Static<typeof AutoAssignBody>;

export const PlannedTask = Type.Object({
  taskId: Uuid,
  title: Type.String(),
  accountName: Type.String(),
  location: LngLatSchema,
  startAt: IsoDateTime,
  endAt: IsoDateTime,
  dueDate: Nullable(IsoDate),
  priority: Type.Integer(),
  /** Planned after its due date (it was already overdue, or could not be fitted earlier). */
  late: Type.Boolean(),
  /** Assigned before this preview (kept where it is; takes room in the day; not in `assignments`). */
  alreadyAssigned: Type.Boolean(),
});
export type PlannedTask = Static<typeof PlannedTask>;

export const TechnicianDay = Type.Object({
  date: IsoDate,
  /** false: not a working day, or away (see `absence`). */
  available: Type.Boolean(),
  absence: Nullable(Type.String()),
  tasks: Type.Array(PlannedTask),
  km: Type.Number(),
  drivingHours: Type.Number(),
  /** Service + driving. */
  workHours: Type.Number(),
  departAt: Nullable(IsoDateTime),
  returnAt: Nullable(IsoDateTime),
});
export type TechnicianDay = Static<typeof TechnicianDay>;

export const TechnicianPlan = Type.Object({
  userId: Uuid,
  name: Type.String(),
  colour: Type.String(),
  home: Nullable(LngLatSchema),
  skills: Type.Array(Type.String()),
  days: Type.Array(TechnicianDay),
  tasks: Type.Integer(),
  km: Type.Number(),
  drivingHours: Type.Number(),
  workHours: Type.Number(),
  /** Why this person got nothing (no home, away all days…), or null. */
  note: Nullable(Type.String()),
});
export type TechnicianPlan = Static<typeof TechnicianPlan>;

export const UnassignedTask = Type.Object({
  taskId: Uuid,
  title: Type.String(),
  accountName: Type.String(),
  location: Nullable(LngLatSchema),
  reason: Type.String(),
  message: Type.String(),
});
export type UnassignedTask = Static<typeof UnassignedTask>;

export const TaskAssignment = Type.Object({ taskId: Uuid, userId: Uuid, date: IsoDate, startAt: IsoDateTime }, strict);
export type TaskAssignment = Static<typeof TaskAssignment>;

export const WorkloadSpread = Type.Object({
  /** Per technician with at least one available day: total work (service + driving) over the horizon. */
  meanHours: Type.Number(),
  minHours: Type.Number(),
  maxHours: Type.Number(),
  stdevHours: Type.Number(),
  /** stdev / mean (0 = perfectly even). */
  cv: Type.Number(),
});
export type WorkloadSpread = Static<typeof WorkloadSpread>;

export const AutoAssignPreview = Type.Object({
  from: IsoDate,
  to: IsoDate,
  dates: Type.Array(IsoDate),
  technicians: Type.Array(TechnicianPlan),
  unassigned: Type.Array(UnassignedTask),
  /** What apply would write. */
  assignments: Type.Array(TaskAssignment),
  stats: Type.Object({
    tasks: Type.Integer(),
    assigned: Type.Integer(),
    unassigned: Type.Integer(),
    late: Type.Integer(),
    km: Type.Number(),
    workHours: Type.Number(),
    spread: WorkloadSpread,
    balance: Type.Union([Type.Literal('cap'), Type.Literal('none')]),
    /** The per-day cap of work used (minutes of service + estimated driving), null without a cap. */
    dailyCapMinutes: Nullable(Type.Integer()),
    solves: Type.Integer(),
    computingMs: Type.Integer(),
  }),
});
export type AutoAssignPreview = Static<typeof AutoAssignPreview>;

export const ApplyTaskAssignmentsBody = Type.Object({ assignments: Type.Array(TaskAssignment, { minItems: 1, maxItems: 5000 }) }, strict);
export type ApplyTaskAssignmentsBody = Static<typeof ApplyTaskAssignmentsBody>;

export const AppliedCount = Type.Object({ applied: Type.Integer() });
export type AppliedCount = Static<typeof AppliedCount>;

// ---- owners for a batch of accounts ----

export const AccountSourceSchema = Type.Union([
  Type.Object({ kind: Type.Literal('import'), jobId: Uuid }, strict),
  Type.Object({ kind: Type.Literal('ids'), ids: Type.Array(Uuid, { minItems: 1, maxItems: 20_000, uniqueItems: true }) }, strict),
  Type.Object({ kind: Type.Literal('unowned') }, strict),
]);
export type AccountSourceDto = Static<typeof AccountSourceSchema>;

export const AccountOwnersBody = Type.Object(
  {
    source: AccountSourceSchema,
    /** 'territory': the rep of the published territory the account lies in; 'nearest': the nearest rep (drive time from home) with spare capacity. */
    method: Type.Union([Type.Literal('territory'), Type.Literal('nearest')]),
    /** Absent: every active rep. */
    userIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true })),
    /** Max accounts a rep may own in all (current + new); absent: no limit. */
    maxAccountsPerRep: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    /** false (default): accounts that already have an owner keep them. */
    reassignOwned: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type AccountOwnersBody = Static<typeof AccountOwnersBody>;

export const AccountOwnerAssignment = Type.Object({ accountId: Uuid, userId: Uuid }, strict);
export type AccountOwnerAssignment = Static<typeof AccountOwnerAssignment>;

export const AccountOwnersPreview = Type.Object({
  method: Type.Union([Type.Literal('territory'), Type.Literal('nearest')]),
  /** How territories were read: 'published' plan, or the 'owner' fallback (owner of the nearest owned account) when no plan is published. */
  territorySource: Nullable(Type.Union([Type.Literal('published'), Type.Literal('owner')])),
  accounts: Type.Integer(),
  assignments: Type.Array(
    Type.Object({ accountId: Uuid, accountName: Type.String(), location: Nullable(LngLatSchema), userId: Uuid, driveMinutes: Nullable(Type.Number()) }),
  ),
  reps: Type.Array(
    Type.Object({
      userId: Uuid,
      name: Type.String(),
      colour: Type.String(),
      home: Nullable(LngLatSchema),
      before: Type.Integer(),
      added: Type.Integer(),
      capacity: Nullable(Type.Integer()),
    }),
  ),
  unassigned: Type.Array(Type.Object({ accountId: Uuid, accountName: Type.String(), location: Nullable(LngLatSchema), reason: Type.String(), message: Type.String() })),
});
export type AccountOwnersPreview = Static<typeof AccountOwnersPreview>;

export const ApplyAccountOwnersBody = Type.Object({ assignments: Type.Array(AccountOwnerAssignment, { minItems: 1, maxItems: 20_000 }) }, strict);
export type ApplyAccountOwnersBody = Static<typeof ApplyAccountOwnersBody>;
