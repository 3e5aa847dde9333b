import { Type, type Static } from 'typebox';
import { IsoDate, IsoDateTime, LngLatSchema, Uuid } from './common.ts';

const strict = { additionalProperties: false } as const;

/** `/tours/:id/days/:date/…` */
export const TourDayParams = Type.Object({ id: Uuid, date: IsoDate }, strict);
export type TourDayParams = Static<typeof TourDayParams>;

export const DirectionsDto = Type.Object({
  date: IsoDate,
  /** Google Maps directions for the whole day (origin → stops → return). A day with more than 9 waypoints is split in consecutive legs. */
  google: Type.Array(Type.String()),
  /** Waze navigates to one destination at a time: one link per stop, in order. */
  waze: Type.Array(Type.Object({ seq: Type.Integer(), accountName: Type.String(), url: Type.String() })),
  /** Stops without a location (left out of the links). */
  unplaced: Type.Array(Type.String()),
});
export type DirectionsDto = Static<typeof DirectionsDto>;

const SkippedDto = Type.Object({
  accountId: Uuid,
  accountName: Type.String(),
  /** `no_email`, `opted_out`, `already_sent`, `failed` */
  reason: Type.String(),
  message: Type.String(),
});

export const SendAppointmentsBody = Type.Object(
  {
    /** Send again to accounts that already got this day's message (default false: sending twice sends nothing new). */
    resend: Type.Optional(Type.Boolean()),
    /** An account without any e-mail but with a phone gets an SMS (default false). */
    sms: Type.Optional(Type.Boolean()),
    /** Only say who would get what: nothing is sent or logged (`transport` is `preview`). */
    dryRun: Type.Optional(Type.Boolean()),
  },
  strict,
);
export type SendAppointmentsBody = Static<typeof SendAppointmentsBody>;

export const SentMessageDto = Type.Object({ accountId: Uuid, accountName: Type.String(), channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]), recipient: Type.String(), start: Type.Optional(IsoDateTime) });

export const SendResultDto = Type.Object({
  /** `outbox` (files in data/outbox), `smtp`, or the SMS provider. */
  transport: Type.String(),
  sent: Type.Array(SentMessageDto),
  skipped: Type.Array(SkippedDto),
});
export type SendResultDto = Static<typeof SendResultDto>;

export const PresenceBody = Type.Object(
  {
    /** Accounts within this distance of the day's route (km). */
    widthKm: Type.Number({ minimum: 0.1, maximum: 50 }),
    /** An optional line added to the message. */
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);
export type PresenceBody = Static<typeof PresenceBody>;

export const PresenceRecipientDto = Type.Object({
  accountId: Uuid,
  accountName: Type.String(),
  email: Type.String(),
  distanceKm: Type.Number(),
  /** Where along the route (km from the start). */
  alongKm: Type.Number(),
});

export const PresencePreviewDto = Type.Object({
  widthKm: Type.Number(),
  recipients: Type.Array(PresenceRecipientDto),
  /** Accounts in the corridor that are not told, with why (opted out, no e-mail, already told for this day). */
  skipped: Type.Array(SkippedDto),
  counts: Type.Object({ inCorridor: Type.Integer(), recipients: Type.Integer(), optedOut: Type.Integer(), withoutEmail: Type.Integer(), alreadySent: Type.Integer() }),
  subject: Type.String(),
  sample: Type.String(),
});
export type PresencePreviewDto = Static<typeof PresencePreviewDto>;

export const PresenceResultDto = Type.Object({ ...SendResultDto.properties, counts: PresencePreviewDto.properties.counts });
export type PresenceResultDto = Static<typeof PresenceResultDto>;

export const EmergencyBody = Type.Object(
  {
    /** The urgent call's account. */
    accountId: Uuid,
    technicianId: Uuid,
    date: IsoDate,
    /** Maintenance due within this many days of `date` (default 30). */
    dueWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    /** Corridor around the trip, km (default 5). */
    widthKm: Type.Optional(Type.Number({ minimum: 0.1, maximum: 50 })),
    /** Where the technician is now (default: their home). */
    from: Type.Optional(LngLatSchema),
  },
  strict,
);
export type EmergencyBody = Static<typeof EmergencyBody>;

export const EmergencyProposalDto = Type.Object({
  equipmentId: Uuid,
  name: Type.String(),
  serial: Type.String(),
  accountId: Uuid,
  accountName: Type.String(),
  nextMaintenanceOn: IsoDate,
  /** Days from the urgent call's date to the due date (negative: overdue). */
  dueInDays: Type.Integer(),
  maintenanceMinutes: Type.Integer(),
  location: LngLatSchema,
  /** Extra driving to stop there on the way (estimated). */
  detourKm: Type.Number(),
  detourMinutes: Type.Number(),
});

export const EmergencyDto = Type.Object({
  from: LngLatSchema,
  to: LngLatSchema,
  directKm: Type.Number(),
  directMinutes: Type.Number(),
  dueBy: IsoDate,
  widthKm: Type.Number(),
  /** Ranked by detour, then by due date. */
  proposals: Type.Array(EmergencyProposalDto),
});
export type EmergencyDto = Static<typeof EmergencyDto>;

export const EquipmentDto = Type.Object({
  id: Uuid,
  accountId: Uuid,
  accountName: Type.String(),
  name: Type.String(),
  serial: Type.String(),
  nextMaintenanceOn: Type.Union([IsoDate, Type.Null()]),
  maintenanceMinutes: Type.Integer(),
});
export type EquipmentDto = Static<typeof EquipmentDto>;
export const EquipmentList = Type.Object({ items: Type.Array(EquipmentDto) });
export type EquipmentList = Static<typeof EquipmentList>;
export const CreateEquipmentBody = Type.Object(
  {
    accountId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    serial: Type.Optional(Type.String({ maxLength: 100 })),
    nextMaintenanceOn: Type.Union([IsoDate, Type.Null()]),
    maintenanceMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 720 })),
  },
  strict,
);
export type CreateEquipmentBody = Static<typeof CreateEquipmentBody>;
export const EquipmentListQuery = Type.Object({ accountId: Type.Optional(Uuid), dueBy: Type.Optional(IsoDate) }, strict);
export type EquipmentListQuery = Static<typeof EquipmentListQuery>;

export const NoticesOptOutBody = Type.Object({ optOut: Type.Boolean() }, strict);
export type NoticesOptOutBody = Static<typeof NoticesOptOutBody>;
export const NoticesOptOutDto = Type.Object({ accountId: Uuid, optOut: Type.Boolean() });
export type NoticesOptOutDto = Static<typeof NoticesOptOutDto>;

export const SentLogDto = Type.Object({
  items: Type.Array(Type.Object({ kind: Type.String(), channel: Type.String(), accountId: Type.Union([Uuid, Type.Null()]), recipient: Type.String(), sentAt: IsoDateTime })),
});
export type SentLogDto = Static<typeof SentLogDto>;

/** A file answer (PDF, iCalendar): the bytes as they are. */
export const FileBody = Type.Unsafe<Uint8Array | string>({ type: 'string', format: 'binary' });

/** The language of the messages to customers and of the tour sheet. */
export const AnnounceSettingsBody = Type.Object({ locale: Type.Union([Type.Literal('fr'), Type.Literal('en')]) }, strict);
export type AnnounceSettingsBody = Static<typeof AnnounceSettingsBody>;
export const ContactOptOutParams = Type.Object({ id: Uuid, contactId: Uuid }, strict);
export type ContactOptOutParams = Static<typeof ContactOptOutParams>;
export const ContactOptOutDto = Type.Object({ accountId: Uuid, contactId: Uuid, optOut: Type.Boolean() });
export type ContactOptOutDto = Static<typeof ContactOptOutDto>;
