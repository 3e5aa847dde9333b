import { sql, type Expression, type Kysely, type SqlBool, type ExpressionBuilder } from 'kysely';
import type { AccountKind, AccountStatus, GeoPrecision, GeoSource, OpeningHours } from '@geocrm/domain';
import type { Database } from '../schema.ts';
import { corridorBoxes } from './corridor-boxes.ts';

export interface AccountRecord {
  readonly id: string;
  readonly orgId: string;
  readonly kind: AccountKind;
  readonly status: AccountStatus;
  readonly name: string;
  readonly ownerId: string | null;
  readonly ownerName: string | null;
  readonly tags: string[];
  readonly customFields: Record<string, unknown>;
  readonly phone: string | null;
  readonly email: string | null;
  readonly website: string | null;
  readonly address: { line1: string; line2: string; postcode: string; city: string; country: string };
  readonly location: { lng: number; lat: number } | null;
  readonly geo: { precision: GeoPrecision | null; source: GeoSource | null; manual: boolean; score: number | null };
  readonly openingHours: OpeningHours;
  readonly preferredVisitDays: number[];
  readonly notes: string;
  /** Last visit, null = never visited. */
  readonly lastVisitAt: Date | null;
  /** The published territory whose area contains the account (null: none published, no location, outside every area). */
  readonly territoryId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Which accounts a caller may reach (computed per request by the server's access module): those
 * owned by one of `ownerIds` or lying in one of `territoryIds`. Absent = every account of the
 * organisation. Empty lists = none.
 */
export interface AccountScopeFilter {
  readonly ownerIds: readonly string[];
  readonly territoryIds: readonly string[];
}

/** True when an account (its owner and territory) is inside a scope; no scope = everything. */
export const inAccountScope = (scope: AccountScopeFilter | null | undefined, a: { readonly ownerId: string | null; readonly territoryId: string | null }): boolean =>
  !scope || (a.ownerId !== null && scope.ownerIds.includes(a.ownerId)) || (a.territoryId !== null && scope.territoryIds.includes(a.territoryId));

/**
 * The scope as a condition on `accounts as a`. Two indexed equalities joined by `or`: the planner
 * answers it with a BitmapOr of (org_id, owner_id) and (org_id, territory_id) for lists, and as a
 * cheap per-row filter on the (org_id, location) GiST walk for searches by place.
 */
export const accountScopeCondition = (scope: AccountScopeFilter): Expression<SqlBool> => {
  const parts: Expression<SqlBool>[] = [];
  if (scope.ownerIds.length) parts.push(sql<SqlBool>`a.owner_id = any(${sql.val([...scope.ownerIds])}::uuid[])`);
  if (scope.territoryIds.length) parts.push(sql<SqlBool>`a.territory_id = any(${sql.val([...scope.territoryIds])}::uuid[])`);
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
};

export interface AccountFilter {
  /** Only what the caller may reach (see AccountScopeFilter); absent = the whole organisation. */
  readonly scope?: AccountScopeFilter;
  readonly kinds?: readonly AccountKind[];
  readonly statuses?: readonly AccountStatus[];
  /** A user id, or null for accounts without owner. */
  readonly ownerId?: string | null;
  /** The account must carry every one of these tags. */
  readonly tags?: readonly string[];
  readonly q?: string;
  readonly bbox?: readonly [number, number, number, number];
  /** Geocoding precision; `none` = no location. */
  readonly geoPrecisions?: readonly (GeoPrecision | 'none')[];
  /** Automatic placements scored strictly below this (pins placed by hand are excluded). */
  readonly geoScoreBelow?: number;
  /** Only pins placed by hand (true) or only automatic ones (false). */
  readonly geoManual?: boolean;
  /** Not visited for at least this many days (never visited included). */
  readonly notVisitedDays?: number;
  /** Only these accounts (a selection made on the map). */
  readonly ids?: readonly string[];
  /** Within `radiusMeters` (great circle) of a point. */
  readonly near?: { readonly lng: number; readonly lat: number; readonly radiusMeters: number };
}

export interface GeoQuality {
  readonly total: number;
  readonly withoutLocation: number;
  readonly manual: number;
  readonly byPrecision: { precision: GeoPrecision | 'none'; count: number }[];
  readonly bySource: { source: GeoSource | 'none'; count: number }[];
  readonly scoreBuckets: { below: number; count: number }[];
}

/** `relevance` (best text match first) needs a text query. */
export type AccountSortKey = 'name' | 'city' | 'createdAt' | 'updatedAt' | 'relevance';
export interface AccountPage {
  readonly sort: AccountSortKey;
  readonly descending: boolean;
  readonly limit: number;
  /** Keyset position: the sort value and id of the last row already seen. */
  readonly after?: { readonly value: string; readonly id: string };
}

/** Every writable field; `undefined` leaves a field unchanged. */
export interface AccountWrite {
  readonly kind?: AccountKind;
  readonly status?: AccountStatus;
  readonly name?: string;
  readonly ownerId?: string | null;
  readonly tags?: readonly string[];
  readonly customFields?: Record<string, unknown>;
  readonly phone?: string | null;
  readonly email?: string | null;
  readonly website?: string | null;
  readonly address?: { line1: string; line2: string; postcode: string; city: string; country: string };
  readonly location?: { lng: number; lat: number } | null;
  readonly geo?: { precision: GeoPrecision | null; source: GeoSource | null; manual: boolean; score: number | null };
  readonly openingHours?: OpeningHours;
  readonly preferredVisitDays?: readonly number[];
  readonly notes?: string;
  readonly lastVisitAt?: Date | null;
  /** The account's id in another system (imports match on it); unique per organisation. */
  readonly externalId?: string | null;
}

const SORT_COLUMNS = { name: 'a.name', city: 'a.city', createdAt: 'a.created_at', updatedAt: 'a.updated_at' } as const;

interface Row {
  id: string;
  org_id: string;
  kind: AccountKind;
  status: AccountStatus;
  name: string;
  owner_id: string | null;
  owner_name: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  phone: string | null;
  email: string | null;
  website: string | null;
  address_line1: string;
  address_line2: string;
  postcode: string;
  city: string;
  country: string;
  lng: number | null;
  lat: number | null;
  geo_precision: GeoPrecision | null;
  geo_source: GeoSource | null;
  geo_manual: boolean;
  geo_score: number | null;
  opening_hours: OpeningHours;
  preferred_visit_days: number[];
  notes: string;
  last_visit_at: Date | null;
  territory_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (r: Row): AccountRecord => ({
  id: r.id,
  orgId: r.org_id,
  kind: r.kind,
  status: r.status,
  name: r.name,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  tags: r.tags,
  customFields: r.custom_fields,
  phone: r.phone,
  email: r.email,
  website: r.website,
  address: { line1: r.address_line1, line2: r.address_line2, postcode: r.postcode, city: r.city, country: r.country.trim() },
  location: r.lng === null || r.lat === null ? null : { lng: Number(r.lng), lat: Number(r.lat) },
  geo: { precision: r.geo_precision, source: r.geo_source, manual: r.geo_manual, score: r.geo_score === null ? null : Number(r.geo_score) },
  openingHours: r.opening_hours,
  preferredVisitDays: r.preferred_visit_days.map(Number),
  notes: r.notes,
  lastVisitAt: r.last_visit_at === null ? null : new Date(r.last_visit_at),
  territoryId: r.territory_id,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const escapeLike = (s: string): string => s.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_');

type Eb = ExpressionBuilder<{ a: Database['accounts'] }, 'a'>;

const filterExpression = (eb: Eb, orgId: string, f: AccountFilter): Expression<SqlBool> => {
  const conditions: Expression<SqlBool>[] = [eb('a.org_id', '=', orgId)];
  if (f.scope) conditions.push(accountScopeCondition(f.scope));
  if (f.kinds?.length) conditions.push(eb('a.kind', 'in', [...f.kinds]));
  if (f.statuses?.length) conditions.push(eb('a.status', 'in', [...f.statuses]));
  if (f.ownerId === null) conditions.push(eb('a.owner_id', 'is', null));
  else if (f.ownerId !== undefined) conditions.push(eb('a.owner_id', '=', f.ownerId));
  if (f.tags?.length) conditions.push(sql<SqlBool>`a.tags @> ${sql.val([...f.tags])}::text[]`);
  const q = f.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    // The indexed expression on the left of each operator, so that the GIN trigram index serves both.
    conditions.push(sql<SqlBool>`((a.name || ' ' || a.city) ilike ${like} or (a.name || ' ' || a.city) %> ${q})`);
  }
  if (f.geoPrecisions?.length) {
    const precisions = f.geoPrecisions.filter((p) => p !== 'none');
    const parts: Expression<SqlBool>[] = [];
    if (precisions.length) parts.push(eb.and([eb('a.geo_precision', 'in', precisions), eb('a.location', 'is not', null)]));
    if (f.geoPrecisions.includes('none')) parts.push(eb('a.location', 'is', null));
    conditions.push(eb.or(parts));
  }
  if (f.geoScoreBelow !== undefined) {
    conditions.push(eb.and([eb('a.geo_manual', '=', false), eb('a.location', 'is not', null), eb('a.geo_score', '<', f.geoScoreBelow)]));
  }
  if (f.geoManual !== undefined) conditions.push(eb('a.geo_manual', '=', f.geoManual));
  if (f.notVisitedDays !== undefined) {
    conditions.push(sql<SqlBool>`(a.last_visit_at is null or a.last_visit_at < now() - make_interval(days => ${f.notVisitedDays}))`);
  }
  if (f.ids) conditions.push(f.ids.length ? eb('a.id', 'in', [...f.ids]) : sql<SqlBool>`false`);
  if (f.near) {
    const point = sql`ST_SetSRID(ST_MakePoint(${f.near.lng}::float8, ${f.near.lat}::float8), 4326)::geography`;
    conditions.push(sql<SqlBool>`ST_DWithin(a.location, ${point}, ${f.near.radiusMeters}::float8, false)`);
  }
  if (f.bbox) {
    const [minLng, minLat, maxLng, maxLat] = f.bbox;
    conditions.push(sql<SqlBool>`a.location && ST_MakeEnvelope(${minLng}, ${minLat}, ${maxLng}, ${maxLat}, 4326)::geography`);
  }
  return eb.and(conditions);
};

/** How well an account matches a text query, 0–1: a substring match on the name ranks first. */
const relevance = (q: string) => {
  const like = `%${escapeLike(q)}%`;
  return sql<number>`greatest(
    case when a.name ilike ${like} then 1.0 else 0 end,
    case when a.city ilike ${like} then 0.9 else 0 end,
    case when (a.name || ' ' || a.city) ilike ${like} then 0.9 else 0 end,
    word_similarity(${q}, a.name || ' ' || a.city) * 0.85)::float8`;
};

const keyText = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

const locationValue = (loc: { lng: number; lat: number } | null) =>
  loc === null ? null : sql`ST_SetSRID(ST_MakePoint(${loc.lng}, ${loc.lat}), 4326)::geography`;

const writeColumns = (w: AccountWrite) => ({
  ...(w.kind === undefined ? {} : { kind: w.kind }),
  ...(w.status === undefined ? {} : { status: w.status }),
  ...(w.name === undefined ? {} : { name: w.name }),
  ...(w.ownerId === undefined ? {} : { owner_id: w.ownerId }),
  ...(w.tags === undefined ? {} : { tags: [...w.tags] }),
  ...(w.customFields === undefined ? {} : { custom_fields: JSON.stringify(w.customFields) }),
  ...(w.phone === undefined ? {} : { phone: w.phone }),
  ...(w.email === undefined ? {} : { email: w.email }),
  ...(w.website === undefined ? {} : { website: w.website }),
  ...(w.address === undefined
    ? {}
    : {
        address_line1: w.address.line1,
        address_line2: w.address.line2,
        postcode: w.address.postcode,
        city: w.address.city,
        country: w.address.country,
      }),
  ...(w.location === undefined ? {} : { location: locationValue(w.location) }),
  ...(w.geo === undefined
    ? {}
    : { geo_precision: w.geo.precision, geo_source: w.geo.source, geo_manual: w.geo.manual, geo_score: w.geo.score }),
  ...(w.openingHours === undefined ? {} : { opening_hours: JSON.stringify(w.openingHours) }),
  ...(w.preferredVisitDays === undefined ? {} : { preferred_visit_days: [...w.preferredVisitDays] }),
  ...(w.notes === undefined ? {} : { notes: w.notes }),
  ...(w.lastVisitAt === undefined ? {} : { last_visit_at: w.lastVisitAt }),
  ...(w.externalId === undefined ? {} : { external_id: w.externalId }),
});

export class AccountsRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  #select() {
    return this.#selectOn(this.#db);
  }

  #selectOn(db: Kysely<Database>) {
    return db
      .selectFrom('accounts as a')
      .leftJoin('users as u', 'u.id', 'a.owner_id')
      .select([
        'a.id',
        'a.org_id',
        'a.kind',
        'a.status',
        'a.name',
        'a.owner_id',
        'u.name as owner_name',
        'a.tags',
        'a.custom_fields',
        'a.phone',
        'a.email',
        'a.website',
        'a.address_line1',
        'a.address_line2',
        'a.postcode',
        'a.city',
        'a.country',
        sql<number | null>`ST_X(a.location::geometry)`.as('lng'),
        sql<number | null>`ST_Y(a.location::geometry)`.as('lat'),
        'a.geo_precision',
        'a.geo_source',
        'a.geo_manual',
        'a.geo_score',
        'a.opening_hours',
        'a.preferred_visit_days',
        'a.notes',
        'a.last_visit_at',
        'a.territory_id',
        'a.created_at',
        'a.updated_at',
      ]);
  }

  async get(orgId: string, id: string): Promise<AccountRecord | undefined> {
    const row = await this.#select().where('a.org_id', '=', orgId).where('a.id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async list(
    orgId: string,
    filter: AccountFilter,
    page: AccountPage,
  ): Promise<{ items: AccountRecord[]; total: number; hasMore: boolean; lastKey: { value: string; id: string } | null }> {
    const q = filter.q?.trim() ?? '';
    const byRelevance = page.sort === 'relevance' && q !== '';
    // Relevance is best first; ties and the other sorts go by the column, then id.
    const key = byRelevance ? relevance(q) : sql.ref(SORT_COLUMNS[page.sort === 'relevance' ? 'name' : page.sort]);
    const descending = byRelevance ? !page.descending : page.descending;
    const dir = descending ? 'desc' : 'asc';
    let query = this.#select()
      .select(key.as('sort_key'))
      .where((eb) => filterExpression(eb as unknown as Eb, orgId, filter));
    if (page.after) {
      const value =
        page.sort === 'createdAt' || page.sort === 'updatedAt'
          ? sql`${page.after.value}::timestamptz`
          : byRelevance
            ? sql`${page.after.value}::float8`
            : sql`${page.after.value}`;
      const op = descending ? sql`<` : sql`>`;
      query = query.where(sql<SqlBool>`(${key}, a.id) ${op} (${value}, ${page.after.id}::uuid)`);
    }
    const rows = await query.orderBy(key, dir).orderBy('a.id', dir).limit(page.limit + 1).execute();
    const totalRow = await this.#db
      .selectFrom('accounts as a')
      .select(sql<number>`count(*)::int`.as('n'))
      .where((eb) => filterExpression(eb as unknown as Eb, orgId, filter))
      .executeTakeFirstOrThrow();
    const hasMore = rows.length > page.limit;
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => toRecord(r as Row)),
      total: Number(totalRow.n),
      hasMore,
      /** Where the next page starts, for the cursor. */
      lastKey: hasMore && last ? { value: keyText(last.sort_key), id: last.id } : null,
    };
  }

  /**
   * Compact rows for the map, `[id, name, kind, status, lng, lat]`, as a JSON array built by the
   * database (no per-row work in JavaScript: this is the endpoint that carries 100,000 rows).
   * Accounts without location are counted, not returned.
   */
  async mapPointsJson(orgId: string, filter: AccountFilter): Promise<{ json: string; total: number; withLocation: number }> {
    const row = await this.#db
      .selectFrom('accounts as a')
      .select([
        sql<number>`count(*)::int`.as('total'),
        sql<number>`count(a.location)::int`.as('with_location'),
        sql<string>`coalesce(json_agg(json_build_array(a.id, a.name, a.kind, a.status,
          round(ST_X(a.location::geometry)::numeric, 6), round(ST_Y(a.location::geometry)::numeric, 6))
          order by a.id) filter (where a.location is not null), '[]')::text`.as('json'),
      ])
      .where((eb) => filterExpression(eb as unknown as Eb, orgId, filter))
      .executeTakeFirstOrThrow();
    return { json: row.json, total: Number(row.total), withLocation: Number(row.with_location) };
  }

  /**
   * Accounts within `radiusMeters` of a point, nearest first, with their great-circle distance, and
   * how many match (counted up to `countUpTo`; `totalCapped` when there are more).
   * Sphere distances (`false`): the GiST index serves both the radius and the nearest-first order.
   */
  async around(
    orgId: string,
    filter: AccountFilter,
    centre: { lng: number; lat: number },
    radiusMeters: number,
    limit: number,
    countUpTo = 2000,
  ): Promise<{ items: (AccountRecord & { distanceMeters: number })[]; total: number; totalCapped: boolean }> {
    const point = sql`ST_SetSRID(ST_MakePoint(${centre.lng}::float8, ${centre.lat}::float8), 4326)::geography`;
    const near = sql<SqlBool>`ST_DWithin(a.location, ${point}, ${radiusMeters}::float8, false)`;
    return this.#nearestFirst(async (db) => {
      const rows = await this.#selectOn(db)
        .select(sql<number>`ST_Distance(a.location, ${point}, false)`.as('distance_m'))
        .where((eb) => eb.and([filterExpression(eb as unknown as Eb, orgId, filter), near]))
        .orderBy(sql`a.location <-> ${point}`)
        .limit(limit)
        .execute();
      const total = await this.#countUpTo(db, orgId, filter, near, countUpTo);
      return { items: rows.map((r) => ({ ...toRecord(r as Row), distanceMeters: Number(r.distance_m) })), ...total };
    });
  }

  /**
   * Accounts inside a polygon (GeoJSON text, validated by the caller with `checkGeometry`), nearest to its
   * centre first, with the distance to that centre.
   */
  async withinPolygon(
    orgId: string,
    filter: AccountFilter,
    geojson: string,
    limit: number,
    countUpTo = 2000,
  ): Promise<{ items: (AccountRecord & { distanceMeters: number })[]; total: number; totalCapped: boolean }> {
    const area = sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`;
    const inside = sql<SqlBool>`(a.location && ${area}::geography and ST_Intersects(a.location::geometry, ${area}))`;
    const centre = sql`ST_PointOnSurface(${area})::geography`;
    return this.#nearestFirst(async (db) => {
      const rows = await this.#selectOn(db)
        .select(sql<number>`ST_Distance(a.location, ${centre}, false)`.as('distance_m'))
        .where((eb) => eb.and([filterExpression(eb as unknown as Eb, orgId, filter), inside]))
        .orderBy(sql`a.location <-> ${centre}`)
        .limit(limit)
        .execute();
      const total = await this.#countUpTo(db, orgId, filter, inside, countUpTo);
      return { items: rows.map((r) => ({ ...toRecord(r as Row), distanceMeters: Number(r.distance_m) })), ...total };
    });
  }

  /**
   * Accounts within `widthMeters` of a line (a route's corridor), in order along the line, with their
   * distance to the line and how far along it they lie.
   */
  async alongLine(
    orgId: string,
    filter: AccountFilter,
    geojson: string,
    widthMeters: number,
    limit: number,
    countUpTo = 2000,
  ): Promise<{ items: (AccountRecord & { distanceMeters: number; alongMeters: number })[]; total: number; totalCapped: boolean }> {
    const line = sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`;
    // The index is asked for small boxes along the line, not for the line's whole bounding box (a
    // diagonal route's box holds many times the corridor); the exact distance test then decides.
    const boxes = corridorBoxes(geojson, widthMeters).map(
      ([minLng, minLat, maxLng, maxLat]) => sql<SqlBool>`a.location && ST_MakeEnvelope(${minLng}::float8, ${minLat}::float8, ${maxLng}::float8, ${maxLat}::float8, 4326)::geography`,
    );
    const near = sql<SqlBool>`((${sql.join(boxes, sql` or `)}) and ST_DWithin(a.location, ${line}::geography, ${widthMeters}::float8, false))`;
    const rows = await this.#select()
      .select([
        sql<number>`ST_Distance(a.location, ${line}::geography, false)`.as('distance_m'),
        sql<number>`ST_LineLocatePoint(${line}, a.location::geometry) * ST_Length(${line}::geography, false)`.as('along_m'),
      ])
      .where((eb) => eb.and([filterExpression(eb as unknown as Eb, orgId, filter), near]))
      .orderBy('along_m')
      .orderBy('a.id')
      .limit(limit)
      .execute();
    const total = await this.#countUpTo(this.#db, orgId, filter, near, countUpTo);
    return {
      items: rows.map((r) => ({ ...toRecord(r as Row), distanceMeters: Number(r.distance_m), alongMeters: Number(r.along_m) })),
      ...total,
    };
  }

  /**
   * Runs nearest-first queries with bitmap scans off: the planner underestimates how many accounts lie
   * in a radius and would read every one of them to sort them, where walking the GiST index in
   * distance order (KNN) stops after `limit` rows (measured at 1M accounts: 220 ms → 25 ms).
   */
  #nearestFirst<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute(async (trx) => {
      await sql`set local enable_bitmapscan = off`.execute(trx);
      return work(trx);
    });
  }

  /** How many accounts match, counting at most `upTo` of them (a dense area would cost a read of each). */
  async #countUpTo(db: Kysely<Database>, orgId: string, filter: AccountFilter, where: Expression<SqlBool>, upTo: number): Promise<{ total: number; totalCapped: boolean }> {
    const row = await db
      .selectFrom((qb) =>
        qb
          .selectFrom('accounts as a')
          .select(sql`1`.as('one'))
          .where((eb) => eb.and([filterExpression(eb as unknown as Eb, orgId, filter), where]))
          .limit(upTo + 1)
          .as('m'),
      )
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    return { total: Math.min(n, upTo), totalCapped: n > upTo };
  }

  /**
   * Why a GeoJSON geometry is not usable as a search area, or null when it is: PostGIS's own validity
   * check (self-intersection, with the place where it happens).
   */
  async checkGeometry(geojson: string): Promise<{ reason: string; at: { lng: number; lat: number } | null } | null> {
    const result = await sql<{ valid: boolean; reason: string | null; lng: number | null; lat: number | null }>`
      with g as (select ST_IsValidDetail(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)) as d)
      select (d).valid as valid, (d).reason as reason, ST_X((d).location) as lng, ST_Y((d).location) as lat from g`.execute(this.#db);
    const row = result.rows[0];
    if (!row || row.valid) return null;
    return { reason: row.reason ?? 'invalid geometry', at: row.lng === null || row.lat === null ? null : { lng: Number(row.lng), lat: Number(row.lat) } };
  }

  /** Owner and tags of many accounts at once; returns how many rows changed. */
  async bulkUpdate(
    orgId: string,
    ids: readonly string[],
    change: { ownerId?: string | null; addTags?: readonly string[]; removeTags?: readonly string[] },
    /** Only accounts owned by this user, or only those inside this scope. */
    only?: string | AccountScopeFilter,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const add = [...(change.addTags ?? [])];
    const remove = [...(change.removeTags ?? [])];
    let query = this.#db
      .updateTable('accounts')
      .set({
        ...(change.ownerId === undefined ? {} : { owner_id: change.ownerId }),
        ...(add.length || remove.length
          ? {
              // remove first, then append the new tags that are not there yet, keeping the order
              tags: sql`(select coalesce(array_agg(t order by o), '{}') from unnest(array(
                select x from unnest(tags) as x where x <> all(${sql.val(remove)}::text[])
                union all select y from unnest(${sql.val(add)}::text[]) as y where y <> all(tags) and y <> all(${sql.val(remove)}::text[])
              )) with ordinality as u(t, o))`,
            }
          : {}),
        updated_at: new Date(),
      } as never)
      .where('org_id', '=', orgId)
      .where('id', 'in', [...ids]);
    if (typeof only === 'string') query = query.where('owner_id', '=', only);
    else if (only !== undefined) {
      const scope = only;
      query = query.where(sql<SqlBool>`(${sql.join(
        [
          scope.ownerIds.length ? sql`owner_id = any(${sql.val([...scope.ownerIds])}::uuid[])` : sql`false`,
          scope.territoryIds.length ? sql`territory_id = any(${sql.val([...scope.territoryIds])}::uuid[])` : sql`false`,
        ],
        sql` or `,
      )})`);
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** How well the organisation's accounts are placed: counts by precision, source and score. */
  async geoQuality(orgId: string, scope?: AccountScopeFilter): Promise<GeoQuality> {
    const inScope = scope ? sql`and ${accountScopeCondition(scope)}` : sql``;
    const byPrecision = await sql<{ precision: GeoPrecision | 'none'; count: number }>`
      select case when location is null then 'none' else coalesce(geo_precision, 'none') end as precision, count(*)::int as count
      from accounts a where org_id = ${orgId} ${inScope} group by 1 order by 2 desc`.execute(this.#db);
    const bySource = await sql<{ source: GeoSource | 'none'; count: number }>`
      select case when location is null then 'none' else coalesce(geo_source, 'none') end as source, count(*)::int as count
      from accounts a where org_id = ${orgId} ${inScope} group by 1 order by 2 desc`.execute(this.#db);
    const totals = await sql<{ total: number; without: number; manual: number; b50: number; b70: number; b90: number }>`
      select count(*)::int as total, count(*) filter (where location is null)::int as without,
        count(*) filter (where geo_manual)::int as manual,
        count(*) filter (where not geo_manual and location is not null and geo_score < 0.5)::int as b50,
        count(*) filter (where not geo_manual and location is not null and geo_score < 0.7)::int as b70,
        count(*) filter (where not geo_manual and location is not null and geo_score < 0.9)::int as b90
      from accounts a where org_id = ${orgId} ${inScope}`.execute(this.#db);
    const t = totals.rows[0];
    return {
      total: Number(t?.total ?? 0),
      withoutLocation: Number(t?.without ?? 0),
      manual: Number(t?.manual ?? 0),
      byPrecision: byPrecision.rows.map((r) => ({ precision: r.precision, count: Number(r.count) })),
      bySource: bySource.rows.map((r) => ({ source: r.source, count: Number(r.count) })),
      scoreBuckets: [
        { below: 0.5, count: Number(t?.b50 ?? 0) },
        { below: 0.7, count: Number(t?.b70 ?? 0) },
        { below: 0.9, count: Number(t?.b90 ?? 0) },
      ],
    };
  }

  /** Id, address and manual flag of the given accounts of this organisation (for re-geocoding). */
  async addressesOf(orgId: string, ids: readonly string[]): Promise<{ id: string; ownerId: string | null; territoryId: string | null; manual: boolean; address: { line1: string; line2: string; postcode: string; city: string; country: string } }[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .selectFrom('accounts')
      .select(['id', 'owner_id', 'territory_id', 'geo_manual', 'address_line1', 'address_line2', 'postcode', 'city', 'country'])
      .where('org_id', '=', orgId)
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      ownerId: r.owner_id,
      territoryId: r.territory_id,
      manual: r.geo_manual,
      address: { line1: r.address_line1, line2: r.address_line2, postcode: r.postcode, city: r.city, country: r.country.trim() },
    }));
  }

  async tags(orgId: string, scope?: AccountScopeFilter): Promise<{ tag: string; count: number }[]> {
    const result = await sql<{ tag: string; count: number }>`
      select t.tag, count(*)::int as count from accounts a, unnest(a.tags) as t(tag)
      where a.org_id = ${orgId} ${scope ? sql`and ${accountScopeCondition(scope)}` : sql``} group by t.tag order by count desc, t.tag`.execute(this.#db);
    return result.rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }

  async insert(orgId: string, data: AccountWrite & { kind: AccountKind; name: string }): Promise<string> {
    const now = new Date();
    const row = await this.#db
      .insertInto('accounts')
      .values({ org_id: orgId, status: 'active', created_at: now, updated_at: now, ...writeColumns(data) } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Inserts many accounts; returns their ids in input order. */
  async insertMany(orgId: string, rows: readonly (AccountWrite & { kind: AccountKind; name: string })[]): Promise<string[]> {
    const ids: string[] = [];
    const now = new Date();
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500);
      const inserted = await this.#db
        .insertInto('accounts')
        .values(chunk.map((data) => ({ org_id: orgId, status: 'active', created_at: now, updated_at: now, ...writeColumns(data) }) as never))
        .returning('id')
        .execute();
      ids.push(...inserted.map((r) => r.id));
    }
    return ids;
  }

  /** Returns false when no account of this organisation has this id. */
  async update(orgId: string, id: string, data: AccountWrite): Promise<boolean> {
    const result = await this.#db
      .updateTable('accounts')
      .set({ ...writeColumns(data), updated_at: new Date() } as never)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('accounts').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async count(orgId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('accounts')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
