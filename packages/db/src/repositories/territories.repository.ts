import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { accountScopeCondition, type AccountScopeFilter } from './accounts.repository.ts';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string, string>;

export type TerritoryLevel = 'departement' | 'commune';
/** The measure balanced: one name or a weighted mix (name → weight). */
export type TerritoryMeasureRecord = string | Readonly<Record<string, number>>;

interface TerritoryPlansTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  level: TerritoryLevel;
  k: number;
  measure: Json<TerritoryMeasureRecord>;
  tolerance: number;
  options: Json<Record<string, unknown>>;
  metrics: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

interface TerritoriesTable {
  id: Generated<string>;
  org_id: string;
  plan_id: string;
  territory_index: number;
  name: string;
  colour: string;
  rep_user_id: string | null;
}

interface TerritoryPlanAreasTable {
  org_id: string;
  plan_id: string;
  area_code: string;
  territory_index: number;
}

interface TerritoryAreaShapesTable {
  level: TerritoryLevel;
  code: string;
  piece: number;
  geom: ColumnType<never, unknown, never>;
}

/** The tables of this feature, added to the shared Database type where they are used. */
type TerritoryDatabase = Database & {
  territory_plans: TerritoryPlansTable;
  territories: TerritoriesTable;
  territory_plan_areas: TerritoryPlanAreasTable;
  territory_area_shapes: TerritoryAreaShapesTable;
};

/** What the access rule is computed from, for one user. */
export interface AccessFacts {
  /** Whether the organisation has a published territory plan. */
  readonly published: boolean;
  /** Users whose manager is this user (empty unless asked). */
  readonly team: readonly string[];
  /** Published territories whose rep is this user or (when asked) one of their team. */
  readonly territoryIds: readonly string[];
}

/** A territory of the published plan. */
export interface PublishedTerritory {
  readonly id: string;
  readonly planId: string;
  readonly index: number;
  readonly name: string;
  readonly colour: string;
  readonly repUserId: string | null;
  readonly repName: string | null;
  /** Codes of the basic areas it is made of. */
  readonly areaCodes: readonly string[];
  /** Accounts assigned to it. */
  readonly accounts: number;
}

/** What publishing did. */
export interface PublishOutcome {
  readonly perTerritory: readonly { readonly index: number; readonly id: string; readonly accounts: number }[];
  /** Accounts without a location (not assigned). */
  readonly withoutLocation: number;
  /** Located accounts outside every area of the plan (not assigned). */
  readonly outsideAreas: number;
  /** Accounts whose territory changed. */
  readonly changed: number;
  /** Accounts given the territory's rep as owner (only when asked). */
  readonly ownersSet: number;
}

/** An account nobody visited for a while, with the territory of the plan it lies in (-1: none). */
export interface NotVisitedAccount {
  readonly id: string;
  readonly name: string;
  readonly lng: number | null;
  readonly lat: number | null;
  readonly lastVisitAt: Date | null;
  readonly ownerName: string | null;
  readonly territory: number;
}

export interface TerritoryRecord {
  readonly index: number;
  readonly name: string;
  readonly colour: string;
  readonly repUserId: string | null;
  readonly repName: string | null;
}

export interface TerritoryPlanSummary {
  readonly id: string;
  readonly name: string;
  readonly level: TerritoryLevel;
  readonly k: number;
  readonly measure: TerritoryMeasureRecord;
  readonly tolerance: number;
  readonly metrics: Record<string, unknown>;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly publishedAt: Date | null;
}

export interface TerritoryPlanRecord extends TerritoryPlanSummary {
  readonly options: Record<string, unknown>;
  readonly territories: readonly TerritoryRecord[];
  /** area code → territory index. */
  readonly areas: ReadonlyMap<string, number>;
}

export interface NewTerritoryPlan {
  readonly name: string;
  readonly level: TerritoryLevel;
  readonly k: number;
  readonly measure: TerritoryMeasureRecord;
  readonly tolerance: number;
  readonly options: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  readonly createdBy: string;
  readonly territories: readonly { readonly index: number; readonly name: string; readonly colour: string; readonly repUserId: string | null }[];
  readonly areas: ReadonlyMap<string, number>;
}

const json = (value: unknown): string => JSON.stringify(value);

/** Saved territory plans. Every query is scoped by organisation. Call the writes inside a transaction. */
export class TerritoriesRepository {
  readonly #db: Kysely<TerritoryDatabase>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Positions of the organisation's located accounts (what the areas' account counts are made of). */
  async accountPoints(orgId: string): Promise<{ lng: number; lat: number }[]> {
    return this.#db
      .selectFrom('accounts')
      .where('org_id', '=', orgId)
      .where(sql<boolean>`location is not null`)
      .select([sql<number>`ST_X(location::geometry)`.as('lng'), sql<number>`ST_Y(location::geometry)`.as('lat')])
      .execute();
  }

  async insert(orgId: string, plan: NewTerritoryPlan): Promise<string> {
    const row = await this.#db
      .insertInto('territory_plans')
      .values({
        org_id: orgId,
        name: plan.name,
        level: plan.level,
        k: plan.k,
        measure: json(plan.measure),
        tolerance: plan.tolerance,
        options: json(plan.options),
        metrics: json(plan.metrics),
        created_by: plan.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.#db
      .insertInto('territories')
      .values(plan.territories.map((t) => ({ org_id: orgId, plan_id: row.id, territory_index: t.index, name: t.name, colour: t.colour, rep_user_id: t.repUserId })))
      .execute();
    const areas = [...plan.areas].map(([code, t]) => ({ org_id: orgId, plan_id: row.id, area_code: code, territory_index: t }));
    for (let i = 0; i < areas.length; i += 1000) await this.#db.insertInto('territory_plan_areas').values(areas.slice(i, i + 1000)).execute();
    return row.id;
  }

  async list(orgId: string): Promise<TerritoryPlanSummary[]> {
    const rows = await this.#db.selectFrom('territory_plans').where('org_id', '=', orgId).selectAll().orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
    return rows.map(summary);
  }

  async get(orgId: string, id: string): Promise<TerritoryPlanRecord | undefined> {
    const row = await this.#db.selectFrom('territory_plans').where('org_id', '=', orgId).where('id', '=', id).selectAll().executeTakeFirst();
    if (!row) return undefined;
    const territories = await this.#db
      .selectFrom('territories as t')
      .leftJoin('users as u', (j) => j.onRef('u.org_id', '=', 't.org_id').onRef('u.id', '=', 't.rep_user_id'))
      .where('t.org_id', '=', orgId)
      .where('t.plan_id', '=', id)
      .select(['t.territory_index', 't.name', 't.colour', 't.rep_user_id', 'u.name as rep_name'])
      .orderBy('t.territory_index')
      .execute();
    const areas = await this.#db
      .selectFrom('territory_plan_areas')
      .where('org_id', '=', orgId)
      .where('plan_id', '=', id)
      .select(['area_code', 'territory_index'])
      .orderBy('area_code')
      .execute();
    return {
      ...summary(row),
      options: row.options,
      territories: territories.map((t) => ({ index: t.territory_index, name: t.name, colour: t.colour, repUserId: t.rep_user_id, repName: t.rep_name })),
      areas: new Map(areas.map((a) => [a.area_code, a.territory_index])),
    };
  }

  /** Moves areas to other territories of the plan (the areas must be in it); returns the rows changed. */
  async moveAreas(orgId: string, id: string, moves: readonly { readonly area: string; readonly territory: number }[]): Promise<number> {
    let changed = 0;
    for (const m of moves) {
      const r = await this.#db
        .updateTable('territory_plan_areas')
        .set({ territory_index: m.territory })
        .where('org_id', '=', orgId)
        .where('plan_id', '=', id)
        .where('area_code', '=', m.area)
        .executeTakeFirst();
      changed += Number(r.numUpdatedRows);
    }
    return changed;
  }

  /** Renames the plan and changes its territories' name, colour or rep; returns false when the plan is not there. */
  async update(
    orgId: string,
    id: string,
    patch: { readonly name?: string; readonly territories?: readonly { readonly index: number; readonly name?: string; readonly colour?: string; readonly repUserId?: string | null }[] },
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('territory_plans')
      .set({ ...(patch.name === undefined ? {} : { name: patch.name }), updated_at: sql<Date>`date_trunc('milliseconds', now())` })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) return false;
    for (const t of patch.territories ?? []) {
      const set = {
        ...(t.name === undefined ? {} : { name: t.name }),
        ...(t.colour === undefined ? {} : { colour: t.colour }),
        ...(t.repUserId === undefined ? {} : { rep_user_id: t.repUserId }),
      };
      if (Object.keys(set).length === 0) continue;
      await this.#db.updateTable('territories').set(set).where('org_id', '=', orgId).where('plan_id', '=', id).where('territory_index', '=', t.index).execute();
    }
    return true;
  }

  async setMetrics(orgId: string, id: string, metrics: Record<string, unknown>): Promise<void> {
    await this.#db
      .updateTable('territory_plans')
      .set({ metrics: json(metrics), updated_at: sql<Date>`date_trunc('milliseconds', now())` })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  /** What the access rule needs for one user, in one round trip. */
  async accessFacts(orgId: string, userId: string, withTeam: boolean): Promise<AccessFacts> {
    const result = await sql<{ published: boolean; team: string[] | null; territory_ids: string[] | null }>`
      with team as (select id from users where org_id = ${orgId} and manager_id = ${userId} and ${withTeam})
      select
        exists (select 1 from territory_plans where org_id = ${orgId} and published_at is not null) as published,
        array(select id::text from team order by id) as team,
        array(
          select t.id::text from territories t
          join territory_plans p on p.org_id = t.org_id and p.id = t.plan_id and p.published_at is not null
          where t.org_id = ${orgId} and (t.rep_user_id = ${userId} or t.rep_user_id in (select id from team))
          order by t.territory_index
        ) as territory_ids`.execute(this.#db);
    const row = result.rows[0];
    return { published: row?.published === true, team: row?.team ?? [], territoryIds: row?.territory_ids ?? [] };
  }

  /** The id of the organisation's published plan, if any. */
  async publishedPlanId(orgId: string): Promise<string | undefined> {
    const row = await this.#db.selectFrom('territory_plans').select('id').where('org_id', '=', orgId).where('published_at', 'is not', null).executeTakeFirst();
    return row?.id;
  }

  /** Whether the polygons of a level's areas are stored (`territory_area_shapes`). */
  async hasAreaShapes(level: TerritoryLevel): Promise<boolean> {
    const row = await this.#db.selectFrom('territory_area_shapes').select('code').where('level', '=', level).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Stores the areas' polygons (GeoJSON geometry text per code), made valid and cut into pieces of at
   * most 128 vertices. Idempotent (a second caller's rows are ignored).
   */
  async storeAreaShapes(level: TerritoryLevel, areas: readonly { readonly code: string; readonly geometry: string }[]): Promise<void> {
    for (const a of areas) {
      await sql`
        insert into territory_area_shapes (level, code, piece, geom)
        select ${level}, ${a.code}, row_number() over ()::int, d.geom
        from (select (ST_Dump(ST_Subdivide(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${a.geometry}), 4326)), 3), 128))).geom) d
        on conflict do nothing`.execute(this.#db);
    }
  }

  /**
   * Makes `planId` the organisation's only published plan. Call inside a transaction: the other
   * plans are unpublished, every account gets the territory whose area contains it (point in
   * polygon on the stored shapes; none without a location or outside every area) and, when asked,
   * the territory's rep as owner (territories without a rep leave owners alone).
   * Returns undefined when the plan is not there.
   */
  async publish(orgId: string, planId: string, options: { readonly setOwners: boolean }): Promise<PublishOutcome | undefined> {
    // One publisher per organisation at a time: the plans' rows are locked until the transaction ends.
    await sql`select id from territory_plans where org_id = ${orgId} for update`.execute(this.#db);
    const plan = await this.#db.selectFrom('territory_plans').select(['id', 'level']).where('org_id', '=', orgId).where('id', '=', planId).executeTakeFirst();
    if (!plan) return undefined;
    await this.#db.updateTable('territory_plans').set({ published_at: null }).where('org_id', '=', orgId).where('id', '<>', planId).where('published_at', 'is not', null).execute();
    await this.#db
      .updateTable('territory_plans')
      .set({ published_at: sql<Date>`date_trunc('milliseconds', now())`, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
      .where('org_id', '=', orgId)
      .where('id', '=', planId)
      .execute();
    const changed = await this.assignAccounts(orgId);
    let ownersSet = 0;
    if (options.setOwners) {
      const r = await sql`
        update accounts a set owner_id = t.rep_user_id, updated_at = date_trunc('milliseconds', now())
        from territories t
        where a.org_id = ${orgId} and t.org_id = ${orgId} and t.plan_id = ${planId} and t.id = a.territory_id
          and t.rep_user_id is not null and a.owner_id is distinct from t.rep_user_id`.execute(this.#db);
      ownersSet = Number(r.numAffectedRows ?? 0);
    }
    const counts = await sql<{ index: number; id: string; accounts: number }>`
      select t.territory_index as index, t.id, (select count(*)::int from accounts a where a.org_id = ${orgId} and a.territory_id = t.id) as accounts
      from territories t where t.org_id = ${orgId} and t.plan_id = ${planId} order by t.territory_index`.execute(this.#db);
    const rest = await sql<{ without_location: number; outside: number }>`
      select count(*) filter (where location is null)::int as without_location,
        count(*) filter (where location is not null and territory_id is null)::int as outside
      from accounts where org_id = ${orgId}`.execute(this.#db);
    return {
      perTerritory: counts.rows.map((r) => ({ index: Number(r.index), id: r.id, accounts: Number(r.accounts) })),
      withoutLocation: Number(rest.rows[0]?.without_location ?? 0),
      outsideAreas: Number(rest.rows[0]?.outside ?? 0),
      changed,
      ownersSet,
    };
  }

  /**
   * Gives every account of the organisation its published territory again (after publishing, or
   * when areas of the published plan move); returns how many changed. No published plan: all null.
   */
  async assignAccounts(orgId: string): Promise<number> {
    const r = await sql`
      update accounts a set territory_id = x.territory_id
      from (
        select a2.id, (
          select t.id
          from territory_plans p
          join territory_area_shapes s on s.level = p.level and s.geom && a2.location::geometry and ST_Intersects(s.geom, a2.location::geometry)
          join territory_plan_areas pa on pa.org_id = p.org_id and pa.plan_id = p.id and pa.area_code = s.code
          join territories t on t.org_id = pa.org_id and t.plan_id = pa.plan_id and t.territory_index = pa.territory_index
          where p.org_id = ${orgId} and p.published_at is not null and a2.location is not null
          order by s.code
          limit 1
        ) as territory_id
        from accounts a2 where a2.org_id = ${orgId}
      ) x
      where a.org_id = ${orgId} and a.id = x.id and a.territory_id is distinct from x.territory_id`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0);
  }

  /** Withdraws the plan's publication (accounts lose their territory); false when it was not published. */
  async unpublish(orgId: string, planId: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('territory_plans')
      .set({ published_at: null, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
      .where('org_id', '=', orgId)
      .where('id', '=', planId)
      .where('published_at', 'is not', null)
      .executeTakeFirst();
    if (r.numUpdatedRows === 0n) return false;
    await this.#db.updateTable('accounts').set({ territory_id: null }).where('org_id', '=', orgId).where('territory_id', 'is not', null).execute();
    return true;
  }

  /**
   * The published plan's territories with their rep, areas and number of accounts (for team planning
   * and the access rule's readers); `repUserIds` narrows to the territories of these reps.
   */
  async repTerritories(orgId: string, repUserIds?: readonly string[]): Promise<PublishedTerritory[]> {
    if (repUserIds && repUserIds.length === 0) return [];
    const rows = await sql<{ id: string; plan_id: string; index: number; name: string; colour: string; rep_user_id: string | null; rep_name: string | null; area_codes: string[] | null; accounts: number }>`
      select t.id, t.plan_id, t.territory_index as index, t.name, t.colour, t.rep_user_id, u.name as rep_name,
        array(select pa.area_code from territory_plan_areas pa where pa.org_id = t.org_id and pa.plan_id = t.plan_id and pa.territory_index = t.territory_index order by pa.area_code) as area_codes,
        (select count(*)::int from accounts a where a.org_id = t.org_id and a.territory_id = t.id) as accounts
      from territories t
      join territory_plans p on p.org_id = t.org_id and p.id = t.plan_id and p.published_at is not null
      left join users u on u.org_id = t.org_id and u.id = t.rep_user_id
      where t.org_id = ${orgId} ${repUserIds ? sql`and t.rep_user_id = any(${sql.val([...repUserIds])}::uuid[])` : sql``}
      order by t.territory_index`.execute(this.#db);
    return rows.rows.map((r) => ({
      id: r.id,
      planId: r.plan_id,
      index: Number(r.index),
      name: r.name,
      colour: r.colour,
      repUserId: r.rep_user_id,
      repName: r.rep_name,
      areaCodes: r.area_codes ?? [],
      accounts: Number(r.accounts),
    }));
  }

  /** The published territory (id, name, rep) of each of these accounts; accounts outside every territory are absent. */
  async territoryOfAccounts(orgId: string, accountIds: readonly string[]): Promise<Map<string, { territoryId: string; name: string; repUserId: string | null }>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('accounts as a')
      .innerJoin('territories as t', (j) => j.onRef('t.org_id', '=', 'a.org_id').onRef('t.id', '=', 'a.territory_id'))
      .select(['a.id', 't.id as territory_id', 't.name', 't.rep_user_id'])
      .where('a.org_id', '=', orgId)
      .where('a.id', 'in', [...accountIds])
      .execute();
    return new Map(rows.map((r) => [r.id, { territoryId: r.territory_id, name: r.name, repUserId: r.rep_user_id }]));
  }

  /**
   * Accounts not visited for `days` days (never visited included) within `scope`, oldest visit
   * first, each with the territory of `planId` it lies in (for the published plan, the stored
   * `territory_id`; for another plan, point in polygon on the stored shapes); `total` and
   * `byTerritory` count all of them, `items` the first `limit`.
   */
  async notVisited(
    orgId: string,
    planId: string | null,
    level: TerritoryLevel,
    days: number,
    scope: AccountScopeFilter | null,
    limit: number,
    published = false,
  ): Promise<{ items: NotVisitedAccount[]; total: number; byTerritory: Map<number, number> }> {
    const territoryOf = planId && published
      ? sql`(select t.territory_index from territories t where t.org_id = ${orgId} and t.id = a.territory_id and t.plan_id = ${planId})`
      : planId
      ? sql`(select pa.territory_index from territory_area_shapes s
          join territory_plan_areas pa on pa.org_id = ${orgId} and pa.plan_id = ${planId} and pa.area_code = s.code
          where s.level = ${level} and a.location is not null and s.geom && a.location::geometry and ST_Intersects(s.geom, a.location::geometry)
          order by s.code limit 1)`
      : sql`null::int`;
    const where = sql`a.org_id = ${orgId} and (a.last_visit_at is null or a.last_visit_at < now() - make_interval(days => ${days}))
      ${scope ? sql`and ${accountScopeCondition(scope)}` : sql``}`;
    const items = await sql<{ id: string; name: string; lng: number | null; lat: number | null; last_visit_at: Date | null; owner_name: string | null; territory: number | null }>`
      select a.id, a.name, ST_X(a.location::geometry) as lng, ST_Y(a.location::geometry) as lat, a.last_visit_at, u.name as owner_name, ${territoryOf} as territory
      from accounts a left join users u on u.org_id = a.org_id and u.id = a.owner_id
      where ${where}
      order by a.last_visit_at asc nulls first, a.id
      limit ${limit}`.execute(this.#db);
    const counts = await sql<{ territory: number | null; n: number }>`
      select territory, count(*)::int as n from (select ${territoryOf} as territory from accounts a where ${where}) x group by territory`.execute(this.#db);
    const byTerritory = new Map<number, number>();
    let total = 0;
    for (const c of counts.rows) {
      total += Number(c.n);
      byTerritory.set(c.territory === null ? -1 : Number(c.territory), Number(c.n));
    }
    return {
      items: items.rows.map((r) => ({
        id: r.id,
        name: r.name,
        lng: r.lng === null ? null : Number(r.lng),
        lat: r.lat === null ? null : Number(r.lat),
        lastVisitAt: r.last_visit_at === null ? null : new Date(r.last_visit_at),
        ownerName: r.owner_name,
        territory: r.territory === null ? -1 : Number(r.territory),
      })),
      total,
      byTerritory,
    };
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.#db.deleteFrom('territory_plans').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}

const summary = (row: {
  id: string;
  name: string;
  level: TerritoryLevel;
  k: number;
  measure: TerritoryMeasureRecord;
  tolerance: number;
  metrics: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}): TerritoryPlanSummary => ({
  id: row.id,
  name: row.name,
  level: row.level,
  k: row.k,
  measure: row.measure,
  tolerance: row.tolerance,
  metrics: row.metrics,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  publishedAt: row.published_at,
});
