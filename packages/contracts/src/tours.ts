import { Type, type Static } from 'typebox';
import { HourMinute, IsoDate, IsoDateTime, LngLatSchema, Uuid } from './common.ts';

const strict = { additionalProperties: false } as const;

export const Place = Type.Object({ label: Type.String({ maxLength: 300 }), location: LngLatSchema }, strict);
export const WorkingDay = Type.Object({ from: HourMinute, to: HourMinute }, strict);
/** Per ISO weekday `"1"` (Monday) … `"7"`; a missing day is not worked. */
export const WorkingHours = Type.Record(Type.String({ pattern: '^[1-7]$' }), WorkingDay);
export const Lunch = Type.Object({ from: HourMinute, to: HourMinute, minutes: Type.Integer({ minimum: 0, maximum: 240 }) }, strict);
const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 });

export const RepProfileDto = Type.Object({
  userId: Uuid,
  userName: Type.String(),
  /** false: no profile saved yet, the defaults are shown. */
  saved: Type.Boolean(),
  home: Type.Union([Place, Type.Null()]),
  office: Type.Union([Place, Type.Null()]),
  startAt: Type.Union([Type.Literal('home'), Type.Literal('office')]),
  workingHours: WorkingHours,
  lunch: Lunch,
  maxDailyDrivingMinutes: Type.Union([Type.Integer(), Type.Null()]),
  costPerKmCents: Type.Integer(),
  hotelNightCents: Type.Integer(),
  mealCents: Type.Integer(),
  currency: Type.String(),
  skills: Type.Array(Type.String()),
});
export type RepProfileDto = Static<typeof RepProfileDto>;

export const UpdateRepProfileBody = Type.Object(
  {
    home: Type.Optional(Type.Union([Place, Type.Null()])),
    office: Type.Optional(Type.Union([Place, Type.Null()])),
    startAt: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('office')])),
    workingHours: Type.Optional(WorkingHours),
    lunch: Type.Optional(Lunch),
    maxDailyDrivingMinutes: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1440 }), Type.Null()])),
    costPerKmCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    hotelNightCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    mealCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    skills: Type.Optional(Skills),
  },
  strict,
);
export type UpdateRepProfileBody = Static<typeof UpdateRepProfileBody>;
export const UserIdParams = Type.Object({ userId: Uuid }, strict);

export const VisitTypeDto = Type.Object({ id: Uuid, name: Type.String(), durationMinutes: Type.Integer(), requiredSkills: Type.Array(Type.String()), defaultPriority: Type.Integer() });
export type VisitTypeDto = Static<typeof VisitTypeDto>;
export const VisitTypeList = Type.Object({ items: Type.Array(VisitTypeDto) });
export type VisitTypeList = Static<typeof VisitTypeList>;
export const CreateVisitTypeBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    durationMinutes: Type.Integer({ minimum: 1, maximum: 720 }),
    requiredSkills: Type.Optional(Skills),
    defaultPriority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  strict,
);
export type CreateVisitTypeBody = Static<typeof CreateVisitTypeBody>;
export const UpdateVisitTypeBody = Type.Partial(CreateVisitTypeBody, strict);
export type UpdateVisitTypeBody = Static<typeof UpdateVisitTypeBody>;

export const VisitStatusSchema = Type.Union([Type.Literal('planned'), Type.Literal('done'), Type.Literal('missed'), Type.Literal('cancelled')]);
const DateWindow = Type.Object({ from: IsoDate, to: IsoDate }, strict);
const TimeWindow = Type.Object({ from: HourMinute, to: HourMinute }, strict);

export const VisitDto = Type.Object({
  id: Uuid,
  accountId: Uuid,
  accountName: Type.String(),
  visitTypeId: Uuid,
  visitTypeName: Type.String(),
  assignedUserId: Type.Union([Uuid, Type.Null()]),
  status: VisitStatusSchema,
  /** A booked appointment (fixed start) … */
  appointmentAt: Type.Union([IsoDateTime, Type.Null()]),
  /** … or a window of acceptable dates, with an optional time of day. */
  window: Type.Union([DateWindow, Type.Null()]),
  timeOfDay: Type.Union([TimeWindow, Type.Null()]),
  priority: Type.Integer(),
  notes: Type.String(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type VisitDto = Static<typeof VisitDto>;
export const VisitList = Type.Object({ items: Type.Array(VisitDto) });
export type VisitList = Static<typeof VisitList>;
export const CreateVisitBody = Type.Object(
  {
    accountId: Uuid,
    visitTypeId: Uuid,
    assignedUserId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    appointmentAt: Type.Optional(IsoDateTime),
    window: Type.Optional(DateWindow),
    timeOfDay: Type.Optional(TimeWindow),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  strict,
);
export type CreateVisitBody = Static<typeof CreateVisitBody>;
export const UpdateVisitBody = Type.Object(
  {
    status: Type.Optional(VisitStatusSchema),
    assignedUserId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  strict,
);
export type UpdateVisitBody = Static<typeof UpdateVisitBody>;
export const VisitListQuery = Type.Object(
  {
    userId: Type.Optional(Uuid),
    accountId: Type.Optional(Uuid),
    status: Type.Optional(VisitStatusSchema),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  },
  strict,
);
export type VisitListQuery = Static<typeof VisitListQuery>;

// ---- tours ----

export const TourFlag = Type.Object({ code: Type.String(), message: Type.String() });
const Leg = { driveSeconds: Type.Integer(), driveMetres: Type.Integer() };

export const TimelineStop = Type.Object({
  seq: Type.Integer(),
  visitId: Uuid,
  accountId: Uuid,
  accountName: Type.String(),
  visitType: Type.String(),
  location: Type.Union([LngLatSchema, Type.Null()]),
  appointment: Type.Boolean(),
  arrival: IsoDateTime,
  start: IsoDateTime,
  end: IsoDateTime,
  departure: IsoDateTime,
  waitSeconds: Type.Integer(),
  ...Leg,
  flags: Type.Array(TourFlag),
});

export const TimelineDay = Type.Object({
  date: IsoDate,
  working: Type.Boolean(),
  startsFrom: Type.Object({ kind: Type.Union([Type.Literal('home'), Type.Literal('office'), Type.Literal('hotel')]), location: LngLatSchema }),
  departure: IsoDateTime,
  arrival: IsoDateTime,
  stops: Type.Array(TimelineStop),
  lunch: Type.Union([Type.Object({ start: IsoDateTime, end: IsoDateTime, afterStop: Type.Integer() }), Type.Null()]),
  returnLeg: Type.Object(Leg),
  drivingSeconds: Type.Integer(),
  distanceMetres: Type.Integer(),
  night: Type.Object({ stay: Type.Union([Type.Literal('home'), Type.Literal('hotel')]), location: Type.Union([LngLatSchema, Type.Null()]) }),
  flags: Type.Array(TourFlag),
});
export type TimelineDay = Static<typeof TimelineDay>;

export const TourTotals = Type.Object({
  distanceMetres: Type.Integer(),
  km: Type.Number(),
  drivingSeconds: Type.Integer(),
  drivingHours: Type.Number(),
  visits: Type.Integer(),
  hotelNights: Type.Integer(),
  /** Lunches on the days with visits. */
  meals: Type.Integer(),
  /** km × cost per km + nights × hotel allowance + meals × meal allowance. */
  costCents: Type.Integer(),
  currency: Type.String(),
});
export type TourTotals = Static<typeof TourTotals>;

export const UnplacedVisit = Type.Object({ visitId: Uuid, accountId: Uuid, accountName: Type.String(), reason: Type.String(), message: Type.String() });

export const PlanTourBody = Type.Object(
  {
    userId: Uuid,
    from: IsoDate,
    days: Type.Integer({ minimum: 1, maximum: 5 }),
    /** Default: the rep's planned visits whose dates meet the plan's. */
    visitIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000, uniqueItems: true })),
  },
  strict,
);
export type PlanTourBody = Static<typeof PlanTourBody>;

export const TourPlan = Type.Object({
  userId: Uuid,
  from: IsoDate,
  to: IsoDate,
  timeZone: Type.String(),
  days: Type.Array(TimelineDay),
  totals: TourTotals,
  unplaced: Type.Array(UnplacedVisit),
  /** true when no stop or day carries a flag. */
  valid: Type.Boolean(),
  computingMs: Type.Integer(),
});
export type TourPlan = Static<typeof TourPlan>;

export const TourDaysBody = Type.Object(
  {
    userId: Uuid,
    days: Type.Array(
      Type.Object(
        {
          date: IsoDate,
          visitIds: Type.Array(Uuid, { maxItems: 100 }),
          /** After this day: home (default) or a hotel near the last visit. */
          night: Type.Optional(Type.Union([Type.Literal('home'), Type.Literal('hotel')])),
        },
        strict,
      ),
      { minItems: 1, maxItems: 5 },
    ),
  },
  strict,
);
export type TourDaysBody = Static<typeof TourDaysBody>;

export const TourDto = Type.Object({
  id: Uuid,
  userId: Uuid,
  from: IsoDate,
  to: IsoDate,
  status: Type.String(),
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdAt: IsoDateTime,
  totals: TourTotals,
  days: Type.Array(
    Type.Object({
      date: IsoDate,
      departure: IsoDateTime,
      arrival: IsoDateTime,
      distanceMetres: Type.Integer(),
      drivingSeconds: Type.Integer(),
      lunch: Type.Union([Type.Object({ start: IsoDateTime, end: IsoDateTime }), Type.Null()]),
      night: Type.Object({ stay: Type.Union([Type.Literal('home'), Type.Literal('hotel')]), location: Type.Union([LngLatSchema, Type.Null()]) }),
      stops: Type.Array(
        Type.Object({ seq: Type.Integer(), visitId: Uuid, arrival: IsoDateTime, start: IsoDateTime, end: IsoDateTime, departure: IsoDateTime, waitSeconds: Type.Integer(), ...Leg }),
      ),
    }),
  ),
});
export type TourDto = Static<typeof TourDto>;
export const TourSummaryDto = Type.Omit(TourDto, ['days']);
export const TourList = Type.Object({ items: Type.Array(TourSummaryDto) });
export type TourList = Static<typeof TourList>;
export const TourListQuery = Type.Object({ userId: Type.Optional(Uuid), from: Type.Optional(IsoDate), to: Type.Optional(IsoDate) }, strict);
export type TourListQuery = Static<typeof TourListQuery>;
