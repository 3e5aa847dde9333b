import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { NightStay, TourDayRecord, TourTotalsRecord } from './tours.repository.ts';

/** A saved tour's days and the order of their visits: what the appointment assistant inserts into. */
export interface TourOrderRecord {
  readonly tourId: string;
  readonly userId: string;
  readonly dateFrom: string;
  readonly dateTo: string;
  readonly days: readonly { readonly date: string; readonly night: NightStay; readonly visitIds: readonly string[] }[];
}

export interface SlotsFieldUser {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

/**
 * Reads and rewrites saved tours for the appointment assistant and the opportunities on the way.
 * Every method takes `orgId` and filters on it; `rewriteTour` belongs inside a transaction.
 */
export class SlotsRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The account's owner (a user id), null without one or when the account is not in the organisation. */
  async accountOwner(orgId: string, accountId: string): Promise<string | null> {
    const r = await sql<{ owner_id: string | null }>`select owner_id from accounts where org_id = ${orgId} and id = ${accountId}`.execute(this.#db);
    return r.rows[0]?.owner_id ?? null;
  }

  /** Active field users (reps and technicians), by name. */
  async fieldUsers(orgId: string): Promise<SlotsFieldUser[]> {
    const r = await sql<{ id: string; name: string; role: string }>`
      select id, name, role from users
      where org_id = ${orgId} and active and role in ('rep', 'technician')
      order by name, id`.execute(this.#db);
    return r.rows;
  }

  /**
   * Planned tours meeting [from, to] (optionally of some users) with each day's visits in order.
   * `forUpdate` locks the tours' rows (inside a transaction: a concurrent booking waits, then sees the change).
   */
  async tourOrders(orgId: string, f: { from: string; to: string; userIds?: readonly string[]; tourIds?: readonly string[]; forUpdate?: boolean }): Promise<TourOrderRecord[]> {
    const users = f.userIds === undefined ? sql`true` : f.userIds.length ? sql`user_id in (${sql.join([...f.userIds])})` : sql`false`;
    const ids = f.tourIds === undefined ? sql`true` : f.tourIds.length ? sql`id in (${sql.join([...f.tourIds])})` : sql`false`;
    const tours = await sql<{ id: string; user_id: string; date_from: string; date_to: string }>`
      select id, user_id, to_char(date_from, 'YYYY-MM-DD') as date_from, to_char(date_to, 'YYYY-MM-DD') as date_to
      from tours
      where org_id = ${orgId} and status = 'planned' and date_to >= ${f.from}::date and date_from <= ${f.to}::date and ${users} and ${ids}
      order by user_id, date_from, id
      ${f.forUpdate ? sql`for update` : sql``}`.execute(this.#db);
    if (tours.rows.length === 0) return [];
    const tourIds = tours.rows.map((t) => t.id);
    const days = await sql<{ tour_id: string; date: string; night: NightStay }>`
      select tour_id, to_char(date, 'YYYY-MM-DD') as date, night from tour_days
      where org_id = ${orgId} and tour_id in (${sql.join(tourIds)}) order by tour_id, date`.execute(this.#db);
    const stops = await sql<{ tour_id: string; date: string; visit_id: string }>`
      select tour_id, to_char(date, 'YYYY-MM-DD') as date, visit_id from tour_stops
      where org_id = ${orgId} and tour_id in (${sql.join(tourIds)}) order by tour_id, date, seq`.execute(this.#db);
    const stopsBy = new Map<string, string[]>();
    for (const s of stops.rows) {
      const key = `${s.tour_id}|${s.date}`;
      const list = stopsBy.get(key) ?? [];
      list.push(s.visit_id);
      stopsBy.set(key, list);
    }
    return tours.rows.map((t) => ({
      tourId: t.id,
      userId: t.user_id,
      dateFrom: t.date_from,
      dateTo: t.date_to,
      days: days.rows.filter((d) => d.tour_id === t.id).map((d) => ({ date: d.date, night: d.night, visitIds: stopsBy.get(`${t.id}|${d.date}`) ?? [] })),
    }));
  }

  /** Replaces a saved tour's days, stops and planned totals (call inside a transaction). */
  async rewriteTour(orgId: string, tourId: string, totals: TourTotalsRecord, days: readonly TourDayRecord[]): Promise<void> {
    await sql`delete from tour_stops where org_id = ${orgId} and tour_id = ${tourId}`.execute(this.#db);
    await sql`delete from tour_days where org_id = ${orgId} and tour_id = ${tourId}`.execute(this.#db);
    await sql`
      update tours set planned_distance_m = ${totals.distanceMetres}, planned_driving_s = ${totals.drivingSeconds}, planned_visits = ${totals.visits},
        planned_hotel_nights = ${totals.hotelNights}, planned_meals = ${totals.meals}, planned_cost_cents = ${totals.costCents}, updated_at = now()
      where org_id = ${orgId} and id = ${tourId}`.execute(this.#db);
    for (const d of days) {
      const night = d.nightLocation === null ? sql`null` : sql`ST_SetSRID(ST_MakePoint(${d.nightLocation.lng}, ${d.nightLocation.lat}), 4326)::geography`;
      await sql`
        insert into tour_days (org_id, tour_id, date, start_at, end_at, distance_m, driving_s, lunch_start_at, lunch_end_at, night, night_location)
        values (${orgId}, ${tourId}, ${d.date}::date, ${d.startAt}, ${d.endAt}, ${d.distanceMetres}, ${d.drivingSeconds}, ${d.lunch?.startAt ?? null}, ${d.lunch?.endAt ?? null}, ${d.night}, ${night})`.execute(this.#db);
      if (d.stops.length === 0) continue;
      const rows = d.stops.map(
        (s) =>
          sql`(${orgId}, ${tourId}, ${d.date}::date, ${s.seq}, ${s.visitId}, ${s.arrivalAt}, ${s.startAt}, ${s.endAt}, ${s.departureAt}, ${s.driveSeconds}, ${s.driveMetres}, ${s.waitSeconds})`,
      );
      await sql`
        insert into tour_stops (org_id, tour_id, date, seq, visit_id, arrival_at, start_at, end_at, departure_at, drive_s, drive_m, wait_s)
        values ${sql.join(rows)}`.execute(this.#db);
    }
  }
}
