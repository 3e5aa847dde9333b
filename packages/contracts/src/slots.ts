import { Type, type Static } from 'typebox';
import { IsoDate, IsoDateTime, LngLatSchema, Uuid } from './common.ts';
import { TourDaysBody, TourDto, VisitDto } from './tours.ts';

const strict = { additionalProperties: false } as const;

// ---- opportunities on the way (F-TOUR-3) ----

/**
 * The day to fill: either an unsaved plan (`plan` + `dayIndex`, as sent to /tours/evaluate) or a saved
 * tour (`tourId` + `date`). Exactly one of the two.
 */
const DaySelector = {
  plan: Type.Optional(TourDaysBody),
  dayIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })),
  tourId: Type.Optional(Uuid),
  date: Type.Optional(IsoDate),
  /** Default: the organisation's configured opportunity visit type (else its shortest one without skills). */
  visitTypeId: Type.Optional(Uuid),
};

export const OpportunitiesBody = Type.Object(
  {
    ...DaySelector,
    /** Corridor width on each side of the route, km (default 5). */
    widthKm: Type.Optional(Type.Number({ minimum: 0.1, maximum: 50 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  strict,
);
export type OpportunitiesBody = Static<typeof OpportunitiesBody>;

export const Opportunity = Type.Object({
  accountId: Uuid,
  accountName: Type.String(),
  kind: Type.String(),
  city: Type.String(),
  location: LngLatSchema,
  /** Insert before the stop at this index of the day's visits (= number of stops: at the end). */
  position: Type.Integer(),
  /** The visit just before the inserted one (null: first of the day). */
  afterVisitId: Type.Union([Uuid, Type.Null()]),
  start: IsoDateTime,
  end: IsoDateTime,
  detourKm: Type.Number(),
  /** Extra driving minutes (the visit itself not counted). */
  detourMinutes: Type.Number(),
  /** The day ends this many minutes later (driving + visit − waiting absorbed). */
  dayLongerMinutes: Type.Number(),
  worth: Type.Number(),
  worthPerDetourMinute: Type.Number(),
  distanceFromRouteKm: Type.Number(),
  reasons: Type.Array(Type.String()),
});
export type Opportunity = Static<typeof Opportunity>;

export const OpportunitiesResponse = Type.Object({
  userId: Uuid,
  date: IsoDate,
  /** The organisation's time zone (times are shown in it). */
  timeZone: Type.String(),
  widthKm: Type.Number(),
  visitType: Type.Object({ id: Uuid, name: Type.String(), durationMinutes: Type.Integer() }),
  items: Type.Array(Opportunity),
  /** Accounts found in the corridor (not on the tour already). */
  inCorridor: Type.Integer(),
  /** Of those, how many could not be inserted without breaking the day (slack, hours, driving). */
  notFitting: Type.Integer(),
  computingMs: Type.Integer(),
});
export type OpportunitiesResponse = Static<typeof OpportunitiesResponse>;

export const InsertOpportunityBody = Type.Object(
  {
    ...DaySelector,
    accountId: Uuid,
    /** Default: the cheapest position that keeps the day valid. */
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  strict,
);
export type InsertOpportunityBody = Static<typeof InsertOpportunityBody>;

// ---- appointment assistant (F-TOUR-4) ----

export const SlotsBody = Type.Object(
  {
    accountId: Uuid,
    visitTypeId: Uuid,
    from: IsoDate,
    to: IsoDate,
    /** Only this rep (default: every field rep and technician with a home and the skills). */
    userId: Type.Optional(Uuid),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  strict,
);
export type SlotsBody = Static<typeof SlotsBody>;

export const SlotMove = Type.Object({
  visitId: Uuid,
  accountName: Type.String(),
  appointment: Type.Boolean(),
  fromStart: IsoDateTime,
  toStart: IsoDateTime,
  /** Positive: later. */
  shiftMinutes: Type.Integer(),
});
export type SlotMove = Static<typeof SlotMove>;

export const SlotDayStop = Type.Object({
  visitId: Type.Union([Uuid, Type.Null()]),
  accountName: Type.String(),
  location: LngLatSchema,
  start: IsoDateTime,
  end: IsoDateTime,
  /** The proposed appointment. */
  isNew: Type.Boolean(),
  shiftMinutes: Type.Integer(),
});

export const Slot = Type.Object({
  userId: Uuid,
  userName: Type.String(),
  date: IsoDate,
  start: IsoDateTime,
  end: IsoDateTime,
  /** The saved tour it goes into; null: a free day (a new one-day tour is saved on booking). */
  tourId: Type.Union([Uuid, Type.Null()]),
  position: Type.Integer(),
  extraKm: Type.Number(),
  extraMinutes: Type.Number(),
  extraCostCents: Type.Integer(),
  /** What the slots are ranked by: the extra cost + a penalty when the rep does not own the account + per minute another visit shifts. */
  rankCents: Type.Integer(),
  currency: Type.String(),
  /** The account's owner is this rep. */
  ownerFit: Type.Boolean(),
  moves: Type.Array(SlotMove),
  /** The day after booking, for a map and a timeline. */
  day: Type.Object({
    base: LngLatSchema,
    departure: IsoDateTime,
    arrival: IsoDateTime,
    lunch: Type.Union([Type.Object({ start: IsoDateTime, end: IsoDateTime }), Type.Null()]),
    stops: Type.Array(SlotDayStop),
  }),
  reasons: Type.Array(Type.String()),
});
export type Slot = Static<typeof Slot>;

export const SlotsResponse = Type.Object({
  /** The organisation's time zone (times are shown in it). */
  timeZone: Type.String(),
  account: Type.Object({ id: Uuid, name: Type.String(), location: LngLatSchema, ownerId: Type.Union([Uuid, Type.Null()]) }),
  visitType: Type.Object({ id: Uuid, name: Type.String(), durationMinutes: Type.Integer() }),
  items: Type.Array(Slot),
  /** Reps left out, with why (no home, missing skills). */
  skipped: Type.Array(Type.Object({ userId: Uuid, userName: Type.String(), reason: Type.String() })),
  /** Rep-days looked at (saved tour days and free working days). */
  daysSearched: Type.Integer(),
  computingMs: Type.Integer(),
});
export type SlotsResponse = Static<typeof SlotsResponse>;

export const BookSlotBody = Type.Object(
  {
    accountId: Uuid,
    visitTypeId: Uuid,
    userId: Uuid,
    /** The appointment time (a slot's `start`). */
    start: IsoDateTime,
    notes: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  strict,
);
export type BookSlotBody = Static<typeof BookSlotBody>;

export const BookSlotResponse = Type.Object({ visit: VisitDto, tour: TourDto });
export type BookSlotResponse = Static<typeof BookSlotResponse>;
