import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { corridorBoxes } from './corridor-boxes.ts';

export const MESSAGE_KINDS = ['appointment', 'presence'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export type MessageChannel = 'email' | 'sms';

export interface AnnounceContactRecord {
  readonly name: string;
  readonly title: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly isPrimary: boolean;
  readonly optOut: boolean;
}

export interface AnnounceAccountRecord {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly optOut: boolean;
  readonly location: { readonly lng: number; readonly lat: number } | null;
  readonly notes: string;
  /** Primary first, then by name. */
  readonly contacts: readonly AnnounceContactRecord[];
}

export interface AnnounceStopRecord {
  readonly seq: number;
  readonly visitId: string;
  readonly visitType: string;
  readonly visitNotes: string;
  readonly appointment: boolean;
  readonly arrival: Date;
  readonly start: Date;
  readonly end: Date;
  readonly departure: Date;
  readonly driveMetres: number;
  readonly driveSeconds: number;
  readonly account: AnnounceAccountRecord;
}

/** One saved tour's day with everything needed to prepare and announce it. */
export interface AnnounceTourDayRecord {
  readonly tourId: string;
  readonly tourStatus: string;
  readonly userId: string;
  readonly userName: string;
  readonly userEmail: string;
  readonly home: { readonly label: string; readonly lng: number; readonly lat: number } | null;
  readonly orgName: string;
  readonly timeZone: string;
  readonly locale: 'fr' | 'en';
  /** null when the tour has no such day. */
  readonly day: {
    readonly date: string;
    readonly start: Date;
    readonly end: Date;
    readonly distanceMetres: number;
    readonly drivingSeconds: number;
    readonly lunch: { readonly start: Date; readonly end: Date } | null;
    readonly night: 'home' | 'hotel';
    readonly nightLocation: { readonly lng: number; readonly lat: number } | null;
  } | null;
  readonly stops: readonly AnnounceStopRecord[];
}

export interface CorridorAccountRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly optOut: boolean;
  readonly contactEmail: string | null;
  readonly contactOptOut: boolean;
  readonly distanceMetres: number;
  readonly alongMetres: number;
}

export interface EquipmentRecord {
  readonly id: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly name: string;
  readonly serial: string;
  readonly nextMaintenanceOn: string | null;
  readonly maintenanceMinutes: number;
  readonly location: { readonly lng: number; readonly lat: number } | null;
}

export interface SentMessageWrite {
  readonly kind: MessageKind;
  readonly channel: MessageChannel;
  readonly tourId: string | null;
  readonly date: string | null;
  readonly accountId: string | null;
  readonly recipient: string;
  readonly subject: string;
  readonly messageId: string | null;
  readonly transport: string;
  readonly sentBy: string | null;
}

interface ContactJson {
  name: string;
  title: string;
  email: string | null;
  phone: string | null;
  is_primary: boolean;
  opt_out: boolean;
}

const contactsJson = sql<ContactJson[]>`coalesce((
  select json_agg(json_build_object(
    'name', trim(c.first_name || ' ' || c.last_name), 'title', c.title, 'email', c.email, 'phone', c.phone,
    'is_primary', c.is_primary, 'opt_out', c.notices_opt_out) order by c.is_primary desc, c.last_name, c.id)
  from contacts c where c.org_id = a.org_id and c.account_id = a.id), '[]'::json)`;

/**
 * Reads for preparing and announcing tours (tour sheet, calendar, directions, appointment e-mails,
 * presence notices, maintenance along an urgent trip) and the log of sent messages.
 * Every method takes `orgId` and filters on it.
 */
export class AnnounceRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** A saved tour with one of its days and that day's stops in order; undefined when the tour is not the organisation's. */
  async tourDay(orgId: string, tourId: string, date: string): Promise<AnnounceTourDayRecord | undefined> {
    const head = await sql<{
      id: string;
      status: string;
      user_id: string;
      user_name: string;
      user_email: string;
      home_label: string;
      home_lng: number | null;
      home_lat: number | null;
      org_name: string;
      time_zone: string;
      locale: 'fr' | 'en';
    }>`
      select t.id, t.status, t.user_id, u.name as user_name, u.email as user_email, u.home_label,
             ST_X(u.home_location::geometry) as home_lng, ST_Y(u.home_location::geometry) as home_lat,
             o.name as org_name, o.time_zone, o.locale
      from tours t join users u on u.org_id = t.org_id and u.id = t.user_id join orgs o on o.id = t.org_id
      where t.org_id = ${orgId} and t.id = ${tourId}`.execute(this.#db);
    const tour = head.rows[0];
    if (!tour) return undefined;
    const days = await sql<{
      start_at: Date;
      end_at: Date;
      distance_m: number;
      driving_s: number;
      lunch_start_at: Date | null;
      lunch_end_at: Date | null;
      night: 'home' | 'hotel';
      night_lng: number | null;
      night_lat: number | null;
    }>`
      select start_at, end_at, distance_m, driving_s, lunch_start_at, lunch_end_at, night,
             ST_X(night_location::geometry) as night_lng, ST_Y(night_location::geometry) as night_lat
      from tour_days where org_id = ${orgId} and tour_id = ${tourId} and date = ${date}::date`.execute(this.#db);
    const day = days.rows[0];
    const stops = day
      ? await sql<{
          seq: number;
          visit_id: string;
          visit_type: string;
          visit_notes: string;
          appointment_at: Date | null;
          arrival_at: Date;
          start_at: Date;
          end_at: Date;
          departure_at: Date;
          drive_m: number;
          drive_s: number;
          account_id: string;
          account_name: string;
          address_line1: string;
          address_line2: string;
          postcode: string;
          city: string;
          phone: string | null;
          email: string | null;
          opt_out: boolean;
          account_notes: string;
          lng: number | null;
          lat: number | null;
          contacts: ContactJson[];
        }>`
          select s.seq, s.visit_id, vt.name as visit_type, v.notes as visit_notes, v.appointment_at,
                 s.arrival_at, s.start_at, s.end_at, s.departure_at, s.drive_m, s.drive_s,
                 a.id as account_id, a.name as account_name, a.address_line1, a.address_line2, a.postcode, a.city,
                 a.phone, a.email, a.notices_opt_out as opt_out, a.notes as account_notes,
                 ST_X(a.location::geometry) as lng, ST_Y(a.location::geometry) as lat,
                 ${contactsJson} as contacts
          from tour_stops s
          join visits v on v.org_id = s.org_id and v.id = s.visit_id
          join visit_types vt on vt.org_id = v.org_id and vt.id = v.visit_type_id
          join accounts a on a.org_id = v.org_id and a.id = v.account_id
          where s.org_id = ${orgId} and s.tour_id = ${tourId} and s.date = ${date}::date
          order by s.seq`.execute(this.#db)
      : { rows: [] };
    return {
      tourId: tour.id,
      tourStatus: tour.status,
      userId: tour.user_id,
      userName: tour.user_name,
      userEmail: tour.user_email,
      home: tour.home_lng === null || tour.home_lat === null ? null : { label: tour.home_label, lng: Number(tour.home_lng), lat: Number(tour.home_lat) },
      orgName: tour.org_name,
      timeZone: tour.time_zone,
      locale: tour.locale,
      day: day
        ? {
            date,
            start: day.start_at,
            end: day.end_at,
            distanceMetres: day.distance_m,
            drivingSeconds: day.driving_s,
            lunch: day.lunch_start_at && day.lunch_end_at ? { start: day.lunch_start_at, end: day.lunch_end_at } : null,
            night: day.night,
            nightLocation: day.night_lng === null || day.night_lat === null ? null : { lng: Number(day.night_lng), lat: Number(day.night_lat) },
          }
        : null,
      stops: stops.rows.map((r) => ({
        seq: r.seq,
        visitId: r.visit_id,
        visitType: r.visit_type,
        visitNotes: r.visit_notes,
        appointment: r.appointment_at !== null,
        arrival: r.arrival_at,
        start: r.start_at,
        end: r.end_at,
        departure: r.departure_at,
        driveMetres: r.drive_m,
        driveSeconds: r.drive_s,
        account: {
          id: r.account_id,
          name: r.account_name,
          address: [r.address_line1, r.address_line2, [r.postcode, r.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
          phone: r.phone,
          email: r.email,
          optOut: r.opt_out,
          location: r.lng === null || r.lat === null ? null : { lng: Number(r.lng), lat: Number(r.lat) },
          notes: r.account_notes,
          contacts: r.contacts.map((c) => ({ name: c.name, title: c.title, email: c.email, phone: c.phone, isPrimary: c.is_primary, optOut: c.opt_out })),
        },
      })),
    };
  }

  /**
   * Accounts within `widthMetres` of a GeoJSON LineString, in the order met along it, with what a notice
   * needs: their e-mail, the first contact with an e-mail (primary first), opt-outs. Competitors and
   * archived or lost accounts and equipment (a machine is not told: its site is) are left out, and so are `exclude` (the day's own stops).
   */
  async alongRoute(orgId: string, geojson: string, widthMetres: number, exclude: readonly string[], limit: number): Promise<CorridorAccountRecord[]> {
    const line = sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`;
    const boxes = corridorBoxes(geojson, widthMetres).map(
      ([minLng, minLat, maxLng, maxLat]) => sql`a.location && ST_MakeEnvelope(${minLng}::float8, ${minLat}::float8, ${maxLng}::float8, ${maxLat}::float8, 4326)::geography`,
    );
    const r = await sql<{
      id: string;
      name: string;
      email: string | null;
      opt_out: boolean;
      contact_email: string | null;
      contact_opt_out: boolean | null;
      distance_m: number;
      along_m: number;
    }>`
      select a.id, a.name, a.email, a.notices_opt_out as opt_out, c.email as contact_email, c.notices_opt_out as contact_opt_out,
             ST_Distance(a.location, ${line}::geography, false) as distance_m,
             ST_LineLocatePoint(${line}, a.location::geometry) * ST_Length(${line}::geography, false) as along_m
      from accounts a
      left join lateral (
        select email, notices_opt_out from contacts c
        where c.org_id = a.org_id and c.account_id = a.id and c.email is not null and c.email <> ''
        order by c.is_primary desc, c.last_name, c.id limit 1) c on true
      where a.org_id = ${orgId} and a.location is not null
        and a.kind not in ('competitor', 'equipment') and a.status not in ('archived', 'lost')
        and (${sql.join(boxes, sql` or `)})
        and ST_DWithin(a.location, ${line}::geography, ${widthMetres}::float8, false)
        ${exclude.length > 0 ? sql`and a.id <> all(${[...exclude]}::uuid[])` : sql``}
      order by along_m, a.id
      limit ${limit}`.execute(this.#db);
    return r.rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      optOut: row.opt_out,
      contactEmail: row.contact_email,
      contactOptOut: row.contact_opt_out ?? false,
      distanceMetres: Number(row.distance_m),
      alongMetres: Number(row.along_m),
    }));
  }

  /** Equipment whose preventive maintenance is due on or before `dueBy`, at accounts within `widthMetres` of the line. */
  async equipmentDueAlong(orgId: string, geojson: string, widthMetres: number, dueBy: string): Promise<(EquipmentRecord & { distanceMetres: number })[]> {
    const line = sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`;
    const r = await sql<EquipmentRow & { distance_m: number }>`
      select ${equipmentColumns}, ST_Distance(a.location, ${line}::geography, false) as distance_m
      from equipment e join accounts a on a.org_id = e.org_id and a.id = e.account_id
      where e.org_id = ${orgId} and e.next_maintenance_on <= ${dueBy}::date and a.location is not null
        and a.status not in ('archived', 'lost')
        and ST_DWithin(a.location, ${line}::geography, ${widthMetres}::float8, false)
      order by e.next_maintenance_on, e.id`.execute(this.#db);
    return r.rows.map((row) => ({ ...toEquipment(row), distanceMetres: Number(row.distance_m) }));
  }

  async insertEquipment(orgId: string, e: { accountId: string; name: string; serial?: string; nextMaintenanceOn: string | null; maintenanceMinutes?: number }): Promise<EquipmentRecord> {
    const r = await sql<{ id: string }>`
      insert into equipment (org_id, account_id, name, serial, next_maintenance_on, maintenance_minutes)
      values (${orgId}, ${e.accountId}, ${e.name}, ${e.serial ?? ''}, ${e.nextMaintenanceOn}::date, ${e.maintenanceMinutes ?? 60})
      returning id`.execute(this.#db);
    const id = r.rows[0]?.id;
    const found = id === undefined ? undefined : (await this.listEquipment(orgId, { id }))[0];
    if (!found) throw new Error('equipment not read back');
    return found;
  }

  /** Many at once (the demo seed): one statement. */
  async insertEquipmentMany(orgId: string, rows: readonly { accountId: string; name: string; serial: string; nextMaintenanceOn: string | null; maintenanceMinutes: number }[]): Promise<number> {
    if (rows.length === 0) return 0;
    await sql`
      insert into equipment (org_id, account_id, name, serial, next_maintenance_on, maintenance_minutes)
      select ${orgId}, r.account_id, r.name, r.serial, r.next_on, r.minutes
      from unnest(${rows.map((r) => r.accountId)}::uuid[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.serial)}::text[],
                  ${rows.map((r) => r.nextMaintenanceOn)}::date[], ${rows.map((r) => r.maintenanceMinutes)}::int[])
           as r(account_id, name, serial, next_on, minutes)`.execute(this.#db);
    return rows.length;
  }

  async listEquipment(orgId: string, filter: { id?: string; accountId?: string; dueBy?: string } = {}): Promise<EquipmentRecord[]> {
    const r = await sql<EquipmentRow>`
      select ${equipmentColumns}
      from equipment e join accounts a on a.org_id = e.org_id and a.id = e.account_id
      where e.org_id = ${orgId}
        ${filter.id === undefined ? sql`` : sql`and e.id = ${filter.id}`}
        ${filter.accountId === undefined ? sql`` : sql`and e.account_id = ${filter.accountId}`}
        ${filter.dueBy === undefined ? sql`` : sql`and e.next_maintenance_on <= ${filter.dueBy}::date`}
      order by e.next_maintenance_on nulls last, a.name, e.name, e.id
      limit 1000`.execute(this.#db);
    return r.rows.map(toEquipment);
  }

  /** An account of the organisation: its name and place (undefined when unknown). */
  async account(orgId: string, accountId: string): Promise<{ id: string; name: string; location: { lng: number; lat: number } | null } | undefined> {
    const r = await sql<{ id: string; name: string; lng: number | null; lat: number | null }>`
      select id, name, ST_X(location::geometry) as lng, ST_Y(location::geometry) as lat
      from accounts where org_id = ${orgId} and id = ${accountId}`.execute(this.#db);
    const row = r.rows[0];
    return row ? { id: row.id, name: row.name, location: row.lng === null || row.lat === null ? null : { lng: Number(row.lng), lat: Number(row.lat) } } : undefined;
  }

  /** A user of the organisation with their home (undefined when unknown). */
  async person(orgId: string, userId: string): Promise<{ id: string; name: string; role: string; home: { lng: number; lat: number } | null } | undefined> {
    const r = await sql<{ id: string; name: string; role: string; lng: number | null; lat: number | null }>`
      select id, name, role, ST_X(home_location::geometry) as lng, ST_Y(home_location::geometry) as lat
      from users where org_id = ${orgId} and id = ${userId}`.execute(this.#db);
    const row = r.rows[0];
    return row ? { id: row.id, name: row.name, role: row.role, home: row.lng === null || row.lat === null ? null : { lng: Number(row.lng), lat: Number(row.lat) } } : undefined;
  }

  /** Opt an account in or out of notices; false when the account is not the organisation's. */
  async setAccountOptOut(orgId: string, accountId: string, optOut: boolean): Promise<boolean> {
    const r = await sql`update accounts set notices_opt_out = ${optOut} where org_id = ${orgId} and id = ${accountId}`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  /** Opt one contact in or out of notices; false when the contact is not that account's (or not the organisation's). */
  async setContactOptOut(orgId: string, accountId: string, contactId: string, optOut: boolean): Promise<boolean> {
    const r = await sql`update contacts set notices_opt_out = ${optOut} where org_id = ${orgId} and account_id = ${accountId} and id = ${contactId}`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  async setOrgLocale(orgId: string, locale: 'fr' | 'en'): Promise<void> {
    await sql`update orgs set locale = ${locale} where id = ${orgId}`.execute(this.#db);
  }

  /** Accounts already sent a message of this kind for this tour day. */
  async sentAccounts(orgId: string, tourId: string, date: string, kind: MessageKind): Promise<Set<string>> {
    const r = await sql<{ account_id: string }>`
      select distinct account_id from sent_messages
      where org_id = ${orgId} and tour_id = ${tourId} and date = ${date}::date and kind = ${kind} and account_id is not null`.execute(this.#db);
    return new Set(r.rows.map((row) => row.account_id));
  }

  async logSent(orgId: string, m: SentMessageWrite): Promise<void> {
    await sql`
      insert into sent_messages (org_id, kind, channel, tour_id, date, account_id, recipient, subject, message_id, transport, sent_by)
      values (${orgId}, ${m.kind}, ${m.channel}, ${m.tourId}, ${m.date}::date, ${m.accountId}, ${m.recipient}, ${m.subject}, ${m.messageId}, ${m.transport}, ${m.sentBy})`.execute(
      this.#db,
    );
  }

  async sentLog(orgId: string, tourId: string, date: string): Promise<{ kind: MessageKind; channel: MessageChannel; accountId: string | null; recipient: string; sentAt: Date }[]> {
    const r = await sql<{ kind: MessageKind; channel: MessageChannel; account_id: string | null; recipient: string; sent_at: Date }>`
      select kind, channel, account_id, recipient, sent_at from sent_messages
      where org_id = ${orgId} and tour_id = ${tourId} and date = ${date}::date order by sent_at, id`.execute(this.#db);
    return r.rows.map((row) => ({ kind: row.kind, channel: row.channel, accountId: row.account_id, recipient: row.recipient, sentAt: row.sent_at }));
  }
}

interface EquipmentRow {
  id: string;
  account_id: string;
  account_name: string;
  name: string;
  serial: string;
  next_maintenance_on: string | null;
  maintenance_minutes: number;
  lng: number | null;
  lat: number | null;
}

const equipmentColumns = sql`e.id, e.account_id, a.name as account_name, e.name, e.serial, e.next_maintenance_on::text as next_maintenance_on, e.maintenance_minutes,
  ST_X(a.location::geometry) as lng, ST_Y(a.location::geometry) as lat`;

const toEquipment = (row: EquipmentRow): EquipmentRecord => ({
  id: row.id,
  accountId: row.account_id,
  accountName: row.account_name,
  name: row.name,
  serial: row.serial,
  nextMaintenanceOn: row.next_maintenance_on,
  maintenanceMinutes: row.maintenance_minutes,
  location: row.lng === null || row.lat === null ? null : { lng: Number(row.lng), lat: Number(row.lat) },
});
