import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { OpeningHours } from '@geocrm/domain';
import type { Database } from '../schema.ts';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string | undefined, string>;
type Point = ColumnType<never, unknown, unknown> | null;
/** `date` columns: written as `YYYY-MM-DD`, read back as text (cast in the selects). */
type DateColumn = ColumnType<string, string, string>;

export const VISIT_STATUSES = ['planned', 'done', 'missed', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const TOUR_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type TourStatus = (typeof TOUR_STATUSES)[number];
export type NightStay = 'home' | 'hotel';

/** Working hours per ISO weekday (`"1"` = Monday); a missing day is not worked. */
export type WorkingHours = Partial<Record<string, { from: string; to: string }>>;

interface RepProfilesTable {
  org_id: string;
  user_id: string;
  office_label: Generated<string>;
  office_location: Point;
  start_at: 'home' | 'office';
  working_hours: Json<WorkingHours>;
  lunch_from: string;
  lunch_to: string;
  lunch_minutes: number;
  max_daily_driving_minutes: number | null;
  cost_per_km_cents: number;
  hotel_night_cents: number;
  meal_cents: number;
  currency: string;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface VisitTypesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  duration_minutes: number;
  required_skills: ColumnType<string[], string[] | undefined, string[]>;
  default_priority: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface VisitsTable {
  id: Generated<string>;
  org_id: string;
  account_id: string;
  visit_type_id: string;
  assigned_user_id: string | null;
  status: VisitStatus;
  appointment_at: Date | null;
  window_from: DateColumn | null;
  window_to: DateColumn | null;
  time_from: string | null;
  time_to: string | null;
  priority: number;
  notes: Generated<string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface ToursTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  date_from: DateColumn;
  date_to: DateColumn;
  status: Generated<TourStatus>;
  created_by: string | null;
  planned_distance_m: number;
  planned_driving_s: number;
  planned_visits: number;
  planned_hotel_nights: number;
  planned_meals: number;
  planned_cost_cents: number;
  currency: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface TourDaysTable {
  org_id: string;
  tour_id: string;
  date: DateColumn;
  start_at: Date;
  end_at: Date;
  distance_m: number;
  driving_s: number;
  lunch_start_at: Date | null;
  lunch_end_at: Date | null;
  night: NightStay;
  night_location: Point;
}

interface TourStopsTable {
  org_id: string;
  tour_id: string;
  date: DateColumn;
  seq: number;
  visit_id: string;
  arrival_at: Date;
  start_at: Date;
  end_at: Date;
  departure_at: Date;
  drive_s: number;
  drive_m: number;
  wait_s: number;
  /** false once the tour is cancelled (2026-11-23T16-00_team_planning): one active stop per visit. */
  active: Generated<boolean>;
}

/** The tables of this feature, added to the shared Database type where they are used. */
type TourTables = {
  rep_profiles: RepProfilesTable;
  visit_types: VisitTypesTable;
  visits: VisitsTable;
  tours: ToursTable;
  tour_days: TourDaysTable;
  tour_stops: TourStopsTable;
};
type TourDatabase = Database & TourTables;

export interface LngLatRecord {
  readonly lng: number;
  readonly lat: number;
}

export interface RepProfileRecord {
  readonly userId: string;
  readonly userName: string;
  readonly role: string;
  /** From `users.home_label/home_location`: the one place a person's home is kept. */
  readonly home: { readonly label: string; readonly location: LngLatRecord } | null;
  /** false when the user has no profile row yet (the fields below are then the defaults). */
  readonly saved: boolean;
  readonly office: { readonly label: string; readonly location: LngLatRecord } | null;
  readonly startAt: 'home' | 'office';
  readonly workingHours: WorkingHours;
  readonly lunch: { readonly from: string; readonly to: string; readonly minutes: number };
  readonly maxDailyDrivingMinutes: number | null;
  readonly costPerKmCents: number;
  readonly hotelNightCents: number;
  readonly mealCents: number;
  readonly currency: string;
  readonly skills: string[];
  readonly updatedAt: Date | null;
}

export interface RepProfileWrite {
  readonly home?: { readonly label: string; readonly location: LngLatRecord } | null;
  readonly office?: { readonly label: string; readonly location: LngLatRecord } | null;
  readonly startAt?: 'home' | 'office';
  readonly workingHours?: WorkingHours;
  readonly lunch?: { readonly from: string; readonly to: string; readonly minutes: number };
  readonly maxDailyDrivingMinutes?: number | null;
  readonly costPerKmCents?: number;
  readonly hotelNightCents?: number;
  readonly mealCents?: number;
  readonly currency?: string;
  readonly skills?: readonly string[];
}

/** Used when a user has no profile yet: Monday to Friday 08:30–18:00, lunch 12:00–14:00 for 60 min. */
export const DEFAULT_WORKING_HOURS: WorkingHours = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:30', to: '18:00' }]));

export interface VisitTypeRecord {
  readonly id: string;
  readonly name: string;
  readonly durationMinutes: number;
  readonly requiredSkills: string[];
  readonly defaultPriority: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface VisitTypeWrite {
  readonly name?: string;
  readonly durationMinutes?: number;
  readonly requiredSkills?: readonly string[];
  readonly defaultPriority?: number;
}

export interface VisitRecord {
  readonly id: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly visitTypeId: string;
  readonly visitTypeName: string;
  readonly assignedUserId: string | null;
  readonly status: VisitStatus;
  readonly appointmentAt: Date | null;
  readonly windowFrom: string | null;
  readonly windowTo: string | null;
  readonly timeFrom: string | null;
  readonly timeTo: string | null;
  readonly priority: number;
  readonly notes: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewVisit {
  readonly accountId: string;
  readonly visitTypeId: string;
  readonly assignedUserId: string | null;
  readonly appointmentAt: Date | null;
  readonly windowFrom: string | null;
  readonly windowTo: string | null;
  readonly timeFrom: string | null;
  readonly timeTo: string | null;
  readonly priority: number;
  readonly notes: string;
  readonly createdBy: string;
}

export interface VisitUpdate {
  readonly status?: VisitStatus;
  readonly assignedUserId?: string | null;
  readonly priority?: number;
  readonly notes?: string;
}

export interface VisitFilter {
  readonly userId?: string;
  readonly accountId?: string;
  readonly statuses?: readonly VisitStatus[];
  /** Visits whose window or appointment date meets [from, to] (dates, org time zone). */
  readonly from?: string;
  readonly to?: string;
  readonly timeZone?: string;
  readonly ids?: readonly string[];
  readonly limit?: number;
}

/** What planning needs of a visit: the visit, its type and its account's place and hours. */
export interface PlanningVisitRecord extends VisitRecord {
  readonly durationMinutes: number;
  readonly requiredSkills: string[];
  readonly accountLocation: LngLatRecord | null;
  readonly openingHours: OpeningHours;
}

export interface TourStopRecord {
  readonly seq: number;
  readonly visitId: string;
  readonly arrivalAt: Date;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly departureAt: Date;
  readonly driveSeconds: number;
  readonly driveMetres: number;
  readonly waitSeconds: number;
}

export interface TourDayRecord {
  readonly date: string;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly distanceMetres: number;
  readonly drivingSeconds: number;
  readonly lunch: { readonly startAt: Date; readonly endAt: Date } | null;
  readonly night: NightStay;
  readonly nightLocation: LngLatRecord | null;
  readonly stops: readonly TourStopRecord[];
}

export interface TourTotalsRecord {
  readonly distanceMetres: number;
  readonly drivingSeconds: number;
  readonly visits: number;
  readonly hotelNights: number;
  readonly meals: number;
  readonly costCents: number;
  readonly currency: string;
}

export interface NewTour {
  readonly userId: string;
  readonly dateFrom: string;
  readonly dateTo: string;
  readonly createdBy: string;
  readonly totals: TourTotalsRecord;
  readonly days: readonly TourDayRecord[];
}

export interface TourRecord extends Omit<NewTour, 'createdBy'> {
  readonly id: string;
  readonly status: TourStatus;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

export type TourSummaryRecord = Omit<TourRecord, 'days'>;

const point = (p: LngLatRecord | null) => (p === null ? null : sql`ST_SetSRID(ST_MakePoint(${p.lng}, ${p.lat}), 4326)::geography`);
const lngLatOf = (lng: number | null, lat: number | null): LngLatRecord | null => (lng === null || lat === null ? null : { lng: Number(lng), lat: Number(lat) });

interface VisitRow {
  id: string;
  account_id: string;
  account_name: string;
  visit_type_id: string;
  visit_type_name: string;
  assigned_user_id: string | null;
  status: VisitStatus;
  appointment_at: Date | null;
  window_from: string | null;
  window_to: string | null;
  time_from: string | null;
  time_to: string | null;
  priority: number;
  notes: string;
  created_at: Date;
  updated_at: Date;
}

const toVisit = (r: VisitRow): VisitRecord => ({
  id: r.id,
  accountId: r.account_id,
  accountName: r.account_name,
  visitTypeId: r.visit_type_id,
  visitTypeName: r.visit_type_name,
  assignedUserId: r.assigned_user_id,
  status: r.status,
  appointmentAt: r.appointment_at === null ? null : new Date(r.appointment_at),
  windowFrom: r.window_from,
  windowTo: r.window_to,
  timeFrom: r.time_from,
  timeTo: r.time_to,
  priority: r.priority,
  notes: r.notes,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

interface VisitTypeRow {
  id: string;
  name: string;
  duration_minutes: number;
  required_skills: string[];
  default_priority: number;
  created_at: Date;
  updated_at: Date;
}
const toVisitType = (r: VisitTypeRow): VisitTypeRecord => ({
  id: r.id,
  name: r.name,
  durationMinutes: r.duration_minutes,
  requiredSkills: r.required_skills,
  defaultPriority: r.default_priority,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

interface SummaryRow {
  id: string;
  user_id: string;
  date_from: string;
  date_to: string;
  status: TourStatus;
  created_by: string | null;
  created_at: Date;
  planned_distance_m: number;
  planned_driving_s: number;
  planned_visits: number;
  planned_hotel_nights: number;
  planned_meals: number;
  planned_cost_cents: number;
  currency: string;
}
const toSummary = (r: SummaryRow): TourSummaryRecord => ({
  id: r.id,
  userId: r.user_id,
  dateFrom: r.date_from,
  dateTo: r.date_to,
  status: r.status,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  totals: {
    distanceMetres: r.planned_distance_m,
    drivingSeconds: r.planned_driving_s,
    visits: r.planned_visits,
    hotelNights: r.planned_hotel_nights,
    meals: r.planned_meals,
    costCents: r.planned_cost_cents,
    currency: r.currency.trim(),
  },
});

/**
 * Rep profiles, visit types, visits and saved tours. Every method takes `orgId` and filters on it.
 * Saving a tour writes several tables: call it inside a transaction (`Transactor`).
 */
export class ToursRepository {
  readonly #db: Kysely<TourDatabase>;
  constructor(db: Kysely<Database>) {
    this.#db = db.withTables<TourTables>();
  }

  // ---- rep profiles ----

  async getProfile(orgId: string, userId: string): Promise<RepProfileRecord | undefined> {
    const r = await this.#db
      .selectFrom('users as u')
      .leftJoin('rep_profiles as p', (j) => j.onRef('p.org_id', '=', 'u.org_id').onRef('p.user_id', '=', 'u.id'))
      .select([
        'u.id',
        'u.name',
        'u.role',
        'u.home_label',
        sql<number | null>`ST_X(u.home_location::geometry)`.as('home_lng'),
        sql<number | null>`ST_Y(u.home_location::geometry)`.as('home_lat'),
        'p.user_id as profile_user',
        'p.office_label',
        sql<number | null>`ST_X(p.office_location::geometry)`.as('office_lng'),
        sql<number | null>`ST_Y(p.office_location::geometry)`.as('office_lat'),
        'p.start_at',
        'p.working_hours',
        'p.lunch_from',
        'p.lunch_to',
        'p.lunch_minutes',
        'p.max_daily_driving_minutes',
        'p.cost_per_km_cents',
        'p.hotel_night_cents',
        'p.meal_cents',
        'p.currency',
        'p.skills',
        'p.updated_at',
      ])
      .where('u.org_id', '=', orgId)
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (!r) return undefined;
    const home = lngLatOf(r.home_lng, r.home_lat);
    const office = lngLatOf(r.office_lng, r.office_lat);
    const saved = r.profile_user !== null;
    return {
      userId: r.id,
      userName: r.name,
      role: r.role,
      home: home ? { label: r.home_label, location: home } : null,
      saved,
      office: office ? { label: r.office_label ?? '', location: office } : null,
      startAt: r.start_at ?? 'home',
      workingHours: saved && r.working_hours ? r.working_hours : DEFAULT_WORKING_HOURS,
      lunch: { from: r.lunch_from ?? '12:00', to: r.lunch_to ?? '14:00', minutes: r.lunch_minutes ?? 60 },
      maxDailyDrivingMinutes: r.max_daily_driving_minutes ?? null,
      costPerKmCents: r.cost_per_km_cents ?? 0,
      hotelNightCents: r.hotel_night_cents ?? 0,
      mealCents: r.meal_cents ?? 0,
      currency: (r.currency ?? 'EUR').trim(),
      skills: r.skills ?? [],
      updatedAt: r.updated_at === null ? null : new Date(r.updated_at),
    };
  }

  /** Creates or changes a profile; the home goes to the user row. Call in a transaction. */
  async upsertProfile(orgId: string, userId: string, w: RepProfileWrite): Promise<void> {
    if (w.home !== undefined) {
      await this.#db
        .updateTable('users')
        .set({ home_label: w.home?.label ?? '', home_location: point(w.home?.location ?? null), updated_at: new Date() })
        .where('org_id', '=', orgId)
        .where('id', '=', userId)
        .execute();
    }
    const columns = {
      ...(w.office === undefined ? {} : { office_label: w.office?.label ?? '', office_location: point(w.office?.location ?? null) }),
      ...(w.startAt === undefined ? {} : { start_at: w.startAt }),
      ...(w.workingHours === undefined ? {} : { working_hours: JSON.stringify(w.workingHours) }),
      ...(w.lunch === undefined ? {} : { lunch_from: w.lunch.from, lunch_to: w.lunch.to, lunch_minutes: w.lunch.minutes }),
      ...(w.maxDailyDrivingMinutes === undefined ? {} : { max_daily_driving_minutes: w.maxDailyDrivingMinutes }),
      ...(w.costPerKmCents === undefined ? {} : { cost_per_km_cents: w.costPerKmCents }),
      ...(w.hotelNightCents === undefined ? {} : { hotel_night_cents: w.hotelNightCents }),
      ...(w.mealCents === undefined ? {} : { meal_cents: w.mealCents }),
      ...(w.currency === undefined ? {} : { currency: w.currency }),
      ...(w.skills === undefined ? {} : { skills: [...w.skills] }),
    };
    await this.#db
      .insertInto('rep_profiles')
      .values({
        org_id: orgId,
        user_id: userId,
        start_at: 'home',
        working_hours: JSON.stringify(DEFAULT_WORKING_HOURS),
        lunch_from: '12:00',
        lunch_to: '14:00',
        lunch_minutes: 60,
        max_daily_driving_minutes: null,
        cost_per_km_cents: 0,
        hotel_night_cents: 0,
        meal_cents: 0,
        currency: 'EUR',
        ...columns,
      })
      .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ ...columns, updated_at: new Date() }))
      .execute();
  }

  // ---- visit types ----

  async listVisitTypes(orgId: string): Promise<VisitTypeRecord[]> {
    const rows = await this.#db.selectFrom('visit_types').selectAll().where('org_id', '=', orgId).orderBy('name').orderBy('id').execute();
    return rows.map(toVisitType);
  }

  async getVisitType(orgId: string, id: string): Promise<VisitTypeRecord | undefined> {
    const r = await this.#db.selectFrom('visit_types').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return r ? toVisitType(r) : undefined;
  }

  async visitTypeNameTaken(orgId: string, name: string, exceptId?: string): Promise<boolean> {
    let q = this.#db.selectFrom('visit_types').select('id').where('org_id', '=', orgId).where(sql<boolean>`lower(name) = lower(${name})`);
    if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async insertVisitType(orgId: string, w: Required<VisitTypeWrite>): Promise<VisitTypeRecord> {
    const r = await this.#db
      .insertInto('visit_types')
      .values({ org_id: orgId, name: w.name, duration_minutes: w.durationMinutes, required_skills: [...w.requiredSkills], default_priority: w.defaultPriority })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toVisitType(r);
  }

  async updateVisitType(orgId: string, id: string, w: VisitTypeWrite): Promise<VisitTypeRecord | undefined> {
    const r = await this.#db
      .updateTable('visit_types')
      .set({
        ...(w.name === undefined ? {} : { name: w.name }),
        ...(w.durationMinutes === undefined ? {} : { duration_minutes: w.durationMinutes }),
        ...(w.requiredSkills === undefined ? {} : { required_skills: [...w.requiredSkills] }),
        ...(w.defaultPriority === undefined ? {} : { default_priority: w.defaultPriority }),
        updated_at: new Date(),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return r ? toVisitType(r) : undefined;
  }

  // ---- visits ----

  #visits() {
    return this.#db
      .selectFrom('visits as v')
      .innerJoin('accounts as a', (j) => j.onRef('a.org_id', '=', 'v.org_id').onRef('a.id', '=', 'v.account_id'))
      .innerJoin('visit_types as t', (j) => j.onRef('t.org_id', '=', 'v.org_id').onRef('t.id', '=', 'v.visit_type_id'))
      .select([
        'v.id',
        'v.account_id',
        'a.name as account_name',
        'v.visit_type_id',
        't.name as visit_type_name',
        'v.assigned_user_id',
        'v.status',
        'v.appointment_at',
        sql<string | null>`to_char(v.window_from, 'YYYY-MM-DD')`.as('window_from'),
        sql<string | null>`to_char(v.window_to, 'YYYY-MM-DD')`.as('window_to'),
        'v.time_from',
        'v.time_to',
        'v.priority',
        'v.notes',
        'v.created_at',
        'v.updated_at',
        't.duration_minutes',
        't.required_skills',
        sql<number | null>`ST_X(a.location::geometry)`.as('lng'),
        sql<number | null>`ST_Y(a.location::geometry)`.as('lat'),
        'a.opening_hours',
      ]);
  }

  async insertVisit(orgId: string, v: NewVisit): Promise<string> {
    const r = await this.#db
      .insertInto('visits')
      .values({
        org_id: orgId,
        account_id: v.accountId,
        visit_type_id: v.visitTypeId,
        assigned_user_id: v.assignedUserId,
        status: 'planned',
        appointment_at: v.appointmentAt,
        window_from: v.windowFrom,
        window_to: v.windowTo,
        time_from: v.timeFrom,
        time_to: v.timeTo,
        priority: v.priority,
        notes: v.notes,
        created_by: v.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async updateVisit(orgId: string, id: string, w: VisitUpdate): Promise<boolean> {
    const r = await this.#db
      .updateTable('visits')
      .set({
        ...(w.status === undefined ? {} : { status: w.status }),
        ...(w.assignedUserId === undefined ? {} : { assigned_user_id: w.assignedUserId }),
        ...(w.priority === undefined ? {} : { priority: w.priority }),
        ...(w.notes === undefined ? {} : { notes: w.notes }),
        updated_at: new Date(),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Visits with what planning needs (type duration and skills, account location and hours). */
  async planningVisits(orgId: string, f: VisitFilter): Promise<PlanningVisitRecord[]> {
    let q = this.#visits().where('v.org_id', '=', orgId);
    if (f.ids !== undefined) q = f.ids.length ? q.where('v.id', 'in', [...f.ids]) : q.where(sql<boolean>`false`);
    if (f.userId !== undefined) q = q.where('v.assigned_user_id', '=', f.userId);
    if (f.accountId !== undefined) q = q.where('v.account_id', '=', f.accountId);
    if (f.statuses?.length) q = q.where('v.status', 'in', [...f.statuses]);
    const tz = f.timeZone ?? 'UTC';
    if (f.from !== undefined) {
      const from = f.from;
      q = q.where(sql<boolean>`coalesce(v.window_to, (v.appointment_at at time zone ${tz})::date) >= ${from}::date`);
    }
    if (f.to !== undefined) {
      const to = f.to;
      q = q.where(sql<boolean>`coalesce(v.window_from, (v.appointment_at at time zone ${tz})::date) <= ${to}::date`);
    }
    const rows = await q
      .orderBy(sql`coalesce(v.appointment_at::date, v.window_from)`)
      .orderBy('v.id')
      .limit(f.limit ?? 10_000)
      .execute();
    return rows.map((r) => ({
      ...toVisit(r),
      durationMinutes: r.duration_minutes,
      requiredSkills: r.required_skills,
      accountLocation: lngLatOf(r.lng, r.lat),
      openingHours: r.opening_hours,
    }));
  }

  async getVisit(orgId: string, id: string): Promise<PlanningVisitRecord | undefined> {
    return (await this.planningVisits(orgId, { ids: [id] }))[0];
  }

  /** An account's place and hours (for checking a new visit), or undefined in another organisation. */
  async accountPlace(orgId: string, accountId: string): Promise<{ name: string; location: LngLatRecord | null; openingHours: OpeningHours } | undefined> {
    const r = await this.#db
      .selectFrom('accounts')
      .select(['name', 'opening_hours', sql<number | null>`ST_X(location::geometry)`.as('lng'), sql<number | null>`ST_Y(location::geometry)`.as('lat')])
      .where('org_id', '=', orgId)
      .where('id', '=', accountId)
      .executeTakeFirst();
    return r ? { name: r.name, location: lngLatOf(r.lng, r.lat), openingHours: r.opening_hours } : undefined;
  }

  // ---- tours ----

  /** Writes a tour with its days and stops. Call inside a transaction: all of it lands, or none. */
  async insertTour(orgId: string, t: NewTour): Promise<string> {
    const { id } = await this.#db
      .insertInto('tours')
      .values({
        org_id: orgId,
        user_id: t.userId,
        date_from: t.dateFrom,
        date_to: t.dateTo,
        created_by: t.createdBy,
        planned_distance_m: t.totals.distanceMetres,
        planned_driving_s: t.totals.drivingSeconds,
        planned_visits: t.totals.visits,
        planned_hotel_nights: t.totals.hotelNights,
        planned_meals: t.totals.meals,
        planned_cost_cents: t.totals.costCents,
        currency: t.totals.currency,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.#insertDays(orgId, id, t.days);
    return id;
  }

  async #insertDays(orgId: string, id: string, days: NewTour['days']): Promise<void> {
    if (days.length) {
      await this.#db
        .insertInto('tour_days')
        .values(
          days.map((d) => ({
            org_id: orgId,
            tour_id: id,
            date: d.date,
            start_at: d.startAt,
            end_at: d.endAt,
            distance_m: d.distanceMetres,
            driving_s: d.drivingSeconds,
            lunch_start_at: d.lunch?.startAt ?? null,
            lunch_end_at: d.lunch?.endAt ?? null,
            night: d.night,
            night_location: point(d.nightLocation),
          })),
        )
        .execute();
    }
    const stops = days.flatMap((d) =>
      d.stops.map((s) => ({
        org_id: orgId,
        tour_id: id,
        date: d.date,
        seq: s.seq,
        visit_id: s.visitId,
        arrival_at: s.arrivalAt,
        start_at: s.startAt,
        end_at: s.endAt,
        departure_at: s.departureAt,
        drive_s: s.driveSeconds,
        drive_m: s.driveMetres,
        wait_s: s.waitSeconds,
      })),
    );
    if (stops.length) await this.#db.insertInto('tour_stops').values(stops).execute();
  }

  /** The tour's status and rep, its row locked until the end of the transaction (for a change or a cancel). */
  async lockTour(orgId: string, id: string): Promise<{ userId: string; status: TourStatus } | undefined> {
    const r = await this.#db.selectFrom('tours').select(['user_id', 'status']).where('org_id', '=', orgId).where('id', '=', id).forUpdate().executeTakeFirst();
    return r ? { userId: r.user_id, status: r.status } : undefined;
  }

  /** Replaces a tour's days and stops and its planned totals. Call inside a transaction. */
  async replaceTourDays(orgId: string, id: string, t: Pick<NewTour, 'dateFrom' | 'dateTo' | 'totals' | 'days'>): Promise<void> {
    await this.#db.deleteFrom('tour_stops').where('org_id', '=', orgId).where('tour_id', '=', id).execute();
    await this.#db.deleteFrom('tour_days').where('org_id', '=', orgId).where('tour_id', '=', id).execute();
    await this.#db
      .updateTable('tours')
      .set({
        date_from: t.dateFrom,
        date_to: t.dateTo,
        planned_distance_m: t.totals.distanceMetres,
        planned_driving_s: t.totals.drivingSeconds,
        planned_visits: t.totals.visits,
        planned_hotel_nights: t.totals.hotelNights,
        planned_meals: t.totals.meals,
        planned_cost_cents: t.totals.costCents,
        currency: t.totals.currency,
        updated_at: new Date(),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    await this.#insertDays(orgId, id, t.days);
  }

  /** Cancels a tour: its stops no longer hold their visits (they can be planned again); days and totals are kept. */
  async cancelTour(orgId: string, id: string): Promise<void> {
    await this.#db.updateTable('tours').set({ status: 'cancelled', updated_at: new Date() }).where('org_id', '=', orgId).where('id', '=', id).execute();
    await this.#db.updateTable('tour_stops').set({ active: false }).where('org_id', '=', orgId).where('tour_id', '=', id).execute();
  }

  /**
   * Serialises bookings: transaction-scoped advisory locks on each rep and each visit (sorted, so two
   * callers never wait on each other in a cycle). A second save of the same visit or rep waits here until
   * the first commits, then sees it. Call first thing in the writing transaction.
   */
  async lockForBooking(orgId: string, userIds: readonly string[], visitIds: readonly string[]): Promise<void> {
    const keys = [...new Set([...userIds.map((u) => `rep:${orgId}:${u}`), ...visitIds.map((v) => `visit:${orgId}:${v}`)])].sort();
    for (const key of keys) await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(this.#db);
  }

  /** Planned tours of these reps that meet [from, to] (other than `exceptTourId`). */
  async plannedToursMeeting(orgId: string, userIds: readonly string[], from: string, to: string, exceptTourId?: string): Promise<{ id: string; userId: string; dateFrom: string; dateTo: string }[]> {
    if (userIds.length === 0) return [];
    let q = this.#db
      .selectFrom('tours')
      .select(['id', 'user_id', sql<string>`to_char(date_from, 'YYYY-MM-DD')`.as('date_from'), sql<string>`to_char(date_to, 'YYYY-MM-DD')`.as('date_to')])
      .where('org_id', '=', orgId)
      .where('user_id', 'in', [...userIds])
      .where('status', '=', 'planned')
      .where(sql<boolean>`date_to >= ${from}::date and date_from <= ${to}::date`);
    if (exceptTourId !== undefined) q = q.where('id', '!=', exceptTourId);
    const rows = await q.orderBy('date_from').execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, dateFrom: r.date_from, dateTo: r.date_to }));
  }

  /** Gives these visits to a rep (a team plan placed them on that rep's tour). Returns how many changed. */
  async reassignVisits(orgId: string, visitIds: readonly string[], userId: string): Promise<number> {
    if (visitIds.length === 0) return 0;
    const r = await this.#db
      .updateTable('visits')
      .set({ assigned_user_id: userId, updated_at: new Date() })
      .where('org_id', '=', orgId)
      .where('id', 'in', [...visitIds])
      .where((eb) => eb.or([eb('assigned_user_id', 'is', null), eb('assigned_user_id', '!=', userId)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Which of these visits already stand on a planned tour (one visit, one tour). */
  async plannedStops(orgId: string, visitIds: readonly string[]): Promise<{ visitId: string; tourId: string; date: string }[]> {
    if (visitIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('tour_stops as s')
      .innerJoin('tours as t', (j) => j.onRef('t.org_id', '=', 's.org_id').onRef('t.id', '=', 's.tour_id'))
      .select(['s.visit_id', 's.tour_id', sql<string>`to_char(s.date, 'YYYY-MM-DD')`.as('date')])
      .where('s.org_id', '=', orgId)
      .where('s.visit_id', 'in', [...visitIds])
      .where('t.status', '=', 'planned')
      .execute();
    return rows.map((r) => ({ visitId: r.visit_id, tourId: r.tour_id, date: r.date }));
  }

  #tourSummaries() {
    return this.#db
      .selectFrom('tours')
      .select([
        'id',
        'user_id',
        sql<string>`to_char(date_from, 'YYYY-MM-DD')`.as('date_from'),
        sql<string>`to_char(date_to, 'YYYY-MM-DD')`.as('date_to'),
        'status',
        'created_by',
        'created_at',
        'planned_distance_m',
        'planned_driving_s',
        'planned_visits',
        'planned_hotel_nights',
        'planned_meals',
        'planned_cost_cents',
        'currency',
      ]);
  }

  async listTours(orgId: string, f: { userId?: string; from?: string; to?: string }): Promise<TourSummaryRecord[]> {
    let q = this.#tourSummaries().where('org_id', '=', orgId);
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.from !== undefined) {
      const from = f.from;
      q = q.where(sql<boolean>`date_to >= ${from}::date`);
    }
    if (f.to !== undefined) {
      const to = f.to;
      q = q.where(sql<boolean>`date_from <= ${to}::date`);
    }
    const rows = await q.orderBy('date_from').orderBy('id').limit(500).execute();
    return rows.map(toSummary);
  }

  async getTour(orgId: string, id: string): Promise<TourRecord | undefined> {
    const [summary] = (await this.#tourSummaries().where('org_id', '=', orgId).where('id', '=', id).execute()).map(toSummary);
    if (!summary) return undefined;
    const days = await this.#db
      .selectFrom('tour_days')
      .select([
        sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'),
        'start_at',
        'end_at',
        'distance_m',
        'driving_s',
        'lunch_start_at',
        'lunch_end_at',
        'night',
        sql<number | null>`ST_X(night_location::geometry)`.as('lng'),
        sql<number | null>`ST_Y(night_location::geometry)`.as('lat'),
      ])
      .where('org_id', '=', orgId)
      .where('tour_id', '=', id)
      .orderBy('date')
      .execute();
    const stops = await this.#db
      .selectFrom('tour_stops')
      .selectAll()
      .select(sql<string>`to_char(date, 'YYYY-MM-DD')`.as('day'))
      .where('org_id', '=', orgId)
      .where('tour_id', '=', id)
      .orderBy('date')
      .orderBy('seq')
      .execute();
    return {
      ...summary,
      days: days.map((d) => ({
        date: d.date,
        startAt: new Date(d.start_at),
        endAt: new Date(d.end_at),
        distanceMetres: d.distance_m,
        drivingSeconds: d.driving_s,
        lunch: d.lunch_start_at && d.lunch_end_at ? { startAt: new Date(d.lunch_start_at), endAt: new Date(d.lunch_end_at) } : null,
        night: d.night,
        nightLocation: lngLatOf(d.lng, d.lat),
        stops: stops
          .filter((s) => s.day === d.date)
          .map((s) => ({
            seq: s.seq,
            visitId: s.visit_id,
            arrivalAt: new Date(s.arrival_at),
            startAt: new Date(s.start_at),
            endAt: new Date(s.end_at),
            departureAt: new Date(s.departure_at),
            driveSeconds: s.drive_s,
            driveMetres: s.drive_m,
            waitSeconds: s.wait_s,
          })),
      })),
    };
  }

}
