import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const PLANNING_JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type PlanningJobStatus = (typeof PLANNING_JOB_STATUSES)[number];

interface PlanningJobsTable {
  id: Generated<string>;
  org_id: string;
  kind: Generated<'team'>;
  status: PlanningJobStatus;
  request: Json<Record<string, unknown>>;
  progress: Json<Record<string, unknown>>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_by: string | null;
  runner_id: string | null;
  heartbeat_at: Date | null;
  saved_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
}

/** The tables of this feature, added to the shared Database type where they are used. */
type PlanningDatabase = Database & { planning_jobs: PlanningJobsTable };

/**
 * A planning job as stored. `request`, `progress` and `result` are the service's own JSON documents
 * (written only by it); the repository does not interpret them.
 */
export interface PlanningJobRecord {
  readonly id: string;
  readonly orgId: string;
  readonly status: PlanningJobStatus;
  readonly request: Record<string, unknown>;
  readonly progress: Record<string, unknown>;
  readonly result: unknown;
  readonly error: string | null;
  readonly createdBy: string | null;
  readonly runnerId: string | null;
  readonly heartbeatAt: Date | null;
  readonly savedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface FieldRepRecord {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

const COLUMNS = [
  'id',
  'org_id',
  'status',
  'request',
  'progress',
  'result',
  'error',
  'created_by',
  'runner_id',
  'heartbeat_at',
  'saved_at',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
] as const;

interface JobRow {
  id: string;
  org_id: string;
  status: PlanningJobStatus;
  request: Record<string, unknown>;
  progress: Record<string, unknown>;
  result: unknown;
  error: string | null;
  created_by: string | null;
  runner_id: string | null;
  heartbeat_at: Date | string | null;
  saved_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

const toRecord = (r: JobRow): PlanningJobRecord => ({
  id: r.id,
  orgId: r.org_id,
  status: r.status,
  request: r.request,
  progress: r.progress,
  result: r.result,
  error: r.error,
  createdBy: r.created_by,
  runnerId: r.runner_id,
  heartbeatAt: date(r.heartbeat_at),
  savedAt: date(r.saved_at),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  startedAt: date(r.started_at),
  finishedAt: date(r.finished_at),
});

/** Team planning jobs (persisted, so that a job's fate survives a restart) and the team queries planning needs. */
export class PlanningJobsRepository {
  readonly #db: Kysely<PlanningDatabase>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** A new job, already held by `runnerId` (it starts at once in this process). */
  async insert(orgId: string, job: { createdBy: string; request: Record<string, unknown>; runnerId: string; progress: Record<string, unknown> }): Promise<string> {
    const now = new Date();
    const r = await this.#db
      .insertInto('planning_jobs')
      .values({
        org_id: orgId,
        status: 'running',
        request: JSON.stringify(job.request),
        progress: JSON.stringify(job.progress),
        created_by: job.createdBy,
        runner_id: job.runnerId,
        heartbeat_at: now,
        started_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async get(orgId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<PlanningJobRecord | undefined> {
    let q = this.#db.selectFrom('planning_jobs').select([...COLUMNS]).where('org_id', '=', orgId).where('id', '=', id);
    if (options.forUpdate === true) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r && toRecord(r);
  }

  async list(orgId: string, limit = 20): Promise<PlanningJobRecord[]> {
    const rows = await this.#db.selectFrom('planning_jobs').select([...COLUMNS]).where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((r) => toRecord(r as JobRow));
  }

  /** Stores the progress (and beats the heart). False when the job is no longer running for this runner (cancelled). */
  async progress(id: string, runnerId: string, progress: Record<string, unknown>): Promise<boolean> {
    const now = new Date();
    const r = await this.#db
      .updateTable('planning_jobs')
      .set({ progress: JSON.stringify(progress), heartbeat_at: now, updated_at: now })
      .where('id', '=', id)
      .where('runner_id', '=', runnerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async heartbeat(id: string, runnerId: string): Promise<boolean> {
    const r = await this.#db.updateTable('planning_jobs').set({ heartbeat_at: new Date() }).where('id', '=', id).where('runner_id', '=', runnerId).where('status', '=', 'running').executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Ends a running job held by this runner. False when it was cancelled meanwhile. */
  async finish(
    id: string,
    runnerId: string,
    end: { status: 'done'; result: unknown; progress: Record<string, unknown> } | { status: 'failed'; error: string; progress: Record<string, unknown> },
  ): Promise<boolean> {
    const now = new Date();
    const r = await this.#db
      .updateTable('planning_jobs')
      .set({
        status: end.status,
        progress: JSON.stringify(end.progress),
        result: end.status === 'done' ? JSON.stringify(end.result) : null,
        error: end.status === 'failed' ? end.error : null,
        finished_at: now,
        updated_at: now,
        heartbeat_at: now,
      })
      .where('id', '=', id)
      .where('runner_id', '=', runnerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Cancels a queued or running job. False when it had already ended. */
  async cancel(orgId: string, id: string): Promise<boolean> {
    const now = new Date();
    const r = await this.#db
      .updateTable('planning_jobs')
      .set({ status: 'cancelled', finished_at: now, updated_at: now })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /**
   * Jobs left running by a runner that stopped beating before `staleBefore` (a restart, a crash) are
   * marked failed as interrupted; returns how many. Not resumed: the request is kept, ask it again.
   */
  async failInterrupted(staleBefore: Date, message: string, orgId?: string): Promise<number> {
    const now = new Date();
    let q = this.#db
      .updateTable('planning_jobs')
      .set({ status: 'failed', error: message, finished_at: now, updated_at: now })
      .where('status', 'in', ['queued', 'running'])
      .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]));
    if (orgId !== undefined) q = q.where('org_id', '=', orgId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async markSaved(orgId: string, id: string): Promise<void> {
    await this.#db.updateTable('planning_jobs').set({ saved_at: new Date(), updated_at: new Date() }).where('org_id', '=', orgId).where('id', '=', id).execute();
  }

  /** Active field users (reps and technicians) of the organisation, by name. */
  async fieldReps(orgId: string): Promise<FieldRepRecord[]> {
    return this.#db
      .selectFrom('users')
      .select(['id', 'name', 'role'])
      .where('org_id', '=', orgId)
      .where('active', '=', true)
      .where('role', 'in', ['rep', 'technician'])
      .orderBy('name')
      .orderBy('id')
      .execute();
  }

  /** Names of these users (any role) in the organisation. */
  async userNames(orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#db.selectFrom('users').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The owner of each of these accounts (accounts without an owner are left out). */
  async accountOwners(orgId: string, accountIds: readonly string[]): Promise<Map<string, string>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('accounts')
      .select(['id', 'owner_id'])
      .where('org_id', '=', orgId)
      .where('id', 'in', [...accountIds])
      .where('owner_id', 'is not', null)
      .execute();
    return new Map(rows.flatMap((r) => (r.owner_id === null ? [] : [[r.id, r.owner_id] as const])));
  }


  /**
   * The rep of the published territory each account lies in (`accounts.territory_id`, kept by the
   * publishing of issue 6); accounts outside every territory, or whose territory has no rep, are left
   * out. Null when the organisation has no published plan.
   */
  async publishedTerritoryReps(orgId: string, accountIds: readonly string[]): Promise<Map<string, string> | null> {
    const published = await sql<{ n: number }>`select count(*)::int as n from territory_plans where org_id = ${orgId} and published_at is not null`.execute(this.#db);
    if ((published.rows[0]?.n ?? 0) === 0) return null;
    const out = new Map<string, string>();
    if (accountIds.length === 0) return out;
    const rows = await sql<{ id: string; rep_user_id: string }>`
      select a.id, t.rep_user_id
      from accounts a
      join territories t on t.org_id = a.org_id and t.id = a.territory_id
      where a.org_id = ${orgId} and a.id in (${sql.join([...accountIds])}) and t.rep_user_id is not null`.execute(this.#db);
    for (const r of rows.rows) out.set(r.id, r.rep_user_id);
    return out;
  }
}
