import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

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

/** The tables of this feature, added to the shared Database type where they are used. */
type TerritoryDatabase = Database & {
  territory_plans: TerritoryPlansTable;
  territories: TerritoriesTable;
  territory_plan_areas: TerritoryPlanAreasTable;
};

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
