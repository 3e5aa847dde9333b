import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const IMPORT_JOB_STATUSES = ['draft', 'queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];
export type ImportFileFormat = 'csv' | 'xlsx';
export type ImportRowOutcome = 'created' | 'updated' | 'skipped';

export interface ImportJobsTable {
  id: Generated<string>;
  org_id: string;
  created_by: string;
  status: ImportJobStatus;
  file_name: string;
  file_path: string;
  file_size: ColumnType<string | number, number, number>;
  format: ImportFileFormat;
  encoding: string | null;
  delimiter: string | null;
  columns: Json<string[]>;
  options: Json<Record<string, unknown>>;
  total_rows: Generated<number>;
  processed_rows: Generated<number>;
  created_count: Generated<number>;
  updated_count: Generated<number>;
  skipped_count: Generated<number>;
  checkpoint_row: Generated<number>;
  error: string | null;
  runner_id: string | null;
  heartbeat_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface ImportJobRowsTable {
  org_id: string;
  job_id: string;
  line: number;
  outcome: ImportRowOutcome;
  account_id: string | null;
  name: string;
  reason: string;
}

/** The tables of this feature, added to the shared Database type where they are used. */
type ImportTables = {
  import_jobs: ImportJobsTable;
  import_job_rows: ImportJobRowsTable;
  accounts: { external_id: string | null };
};
type ImportDatabase = Database & ImportTables;

export interface ImportJobRecord {
  readonly id: string;
  readonly orgId: string;
  readonly createdBy: string;
  readonly status: ImportJobStatus;
  readonly fileName: string;
  readonly filePath: string;
  readonly fileSize: number;
  readonly format: ImportFileFormat;
  readonly encoding: string | null;
  readonly delimiter: string | null;
  readonly columns: string[];
  readonly options: Record<string, unknown>;
  readonly totalRows: number;
  readonly processedRows: number;
  readonly createdCount: number;
  readonly updatedCount: number;
  readonly skippedCount: number;
  /** Data rows of the file already handled and committed: a resumed job starts after them. */
  readonly checkpointRow: number;
  readonly error: string | null;
  readonly runnerId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface NewImportJob {
  readonly orgId: string;
  readonly createdBy: string;
  readonly fileName: string;
  readonly filePath: string;
  readonly fileSize: number;
  readonly format: ImportFileFormat;
  readonly encoding: string | null;
  readonly delimiter: string | null;
  readonly columns: readonly string[];
  readonly totalRows: number;
}

export interface ImportReportRow {
  readonly line: number;
  readonly outcome: ImportRowOutcome;
  readonly accountId: string | null;
  readonly name: string;
  readonly reason: string;
}

export interface BatchProgress {
  readonly processed: number;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  /** The new checkpoint: data rows handled so far. */
  readonly checkpointRow: number;
}

/** What an update-or-create import needs to know about an existing account. */
export interface MatchedAccount {
  readonly id: string;
  readonly externalId: string | null;
  readonly name: string;
  readonly manual: boolean;
  readonly address: { line1: string; line2: string; postcode: string; city: string; country: string };
}

interface JobRow {
  id: string;
  org_id: string;
  created_by: string;
  status: ImportJobStatus;
  file_name: string;
  file_path: string;
  file_size: string | number;
  format: ImportFileFormat;
  encoding: string | null;
  delimiter: string | null;
  columns: string[];
  options: Record<string, unknown>;
  total_rows: number;
  processed_rows: number;
  created_count: number;
  updated_count: number;
  skipped_count: number;
  checkpoint_row: number;
  error: string | null;
  runner_id: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const toRecord = (r: JobRow): ImportJobRecord => ({
  id: r.id,
  orgId: r.org_id,
  createdBy: r.created_by,
  status: r.status,
  fileName: r.file_name,
  filePath: r.file_path,
  fileSize: Number(r.file_size),
  format: r.format,
  encoding: r.encoding,
  delimiter: r.delimiter,
  columns: r.columns,
  options: r.options,
  totalRows: Number(r.total_rows),
  processedRows: Number(r.processed_rows),
  createdCount: Number(r.created_count),
  updatedCount: Number(r.updated_count),
  skippedCount: Number(r.skipped_count),
  checkpointRow: Number(r.checkpoint_row),
  error: r.error,
  runnerId: r.runner_id,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  startedAt: r.started_at === null ? null : new Date(r.started_at),
  finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
});

const JOB_COLUMNS = [
  'id',
  'org_id',
  'created_by',
  'status',
  'file_name',
  'file_path',
  'file_size',
  'format',
  'encoding',
  'delimiter',
  'columns',
  'options',
  'total_rows',
  'processed_rows',
  'created_count',
  'updated_count',
  'skipped_count',
  'checkpoint_row',
  'error',
  'runner_id',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
] as const;

const ACCOUNT_MATCH_COLUMNS = ['id', 'external_id', 'name', 'geo_manual', 'address_line1', 'address_line2', 'postcode', 'city', 'country'] as const;
interface AccountMatchRow {
  id: string;
  external_id: string | null;
  name: string;
  geo_manual: boolean;
  address_line1: string;
  address_line2: string;
  postcode: string;
  city: string;
  country: string;
}
const toMatched = (r: AccountMatchRow): MatchedAccount => ({
  id: r.id,
  externalId: r.external_id,
  name: r.name,
  manual: r.geo_manual,
  address: { line1: r.address_line1, line2: r.address_line2, postcode: r.postcode, city: r.city, country: r.country.trim() },
});

/** The key of a name + postcode match: case and surrounding spaces do not count. */
export const namePostcodeKey = (name: string, postcode: string): string => `${name.trim().toLowerCase()}\u0000${postcode.trim()}`;

export class ImportsRepository {
  readonly #db: Kysely<ImportDatabase>;
  constructor(db: Kysely<Database>) {
    this.#db = db.withTables<ImportTables>();
  }

  async create(job: NewImportJob): Promise<ImportJobRecord> {
    const row = await this.#db
      .insertInto('import_jobs')
      .values({
        org_id: job.orgId,
        created_by: job.createdBy,
        status: 'draft',
        file_name: job.fileName,
        file_path: job.filePath,
        file_size: job.fileSize,
        format: job.format,
        encoding: job.encoding,
        delimiter: job.delimiter,
        columns: JSON.stringify(job.columns),
        total_rows: job.totalRows,
        error: null,
        runner_id: null,
        heartbeat_at: null,
        started_at: null,
        finished_at: null,
      })
      .returning(JOB_COLUMNS)
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async get(orgId: string, id: string): Promise<ImportJobRecord | undefined> {
    const row = await this.#db.selectFrom('import_jobs').select(JOB_COLUMNS).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** The organisation's jobs, newest first (drafts too). */
  async list(orgId: string, limit: number): Promise<ImportJobRecord[]> {
    const rows = await this.#db
      .selectFrom('import_jobs')
      .select(JOB_COLUMNS)
      .where('org_id', '=', orgId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /** A draft becomes queued with its options; false when it is no longer a draft. */
  async queue(orgId: string, id: string, options: Record<string, unknown>): Promise<boolean> {
    const result = await this.#db
      .updateTable('import_jobs')
      .set({ status: 'queued', options: JSON.stringify(options), updated_at: new Date() })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Cancels a job that has not finished; false when there is nothing to cancel. */
  async cancel(orgId: string, id: string): Promise<boolean> {
    const now = new Date();
    const result = await this.#db
      .updateTable('import_jobs')
      .set({ status: 'cancelled', updated_at: now, finished_at: now, runner_id: null })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', 'in', ['draft', 'queued', 'running'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Takes the oldest job waiting to run for this runner: a queued job, or a running one that no
   * runner holds (released at shutdown) or whose runner has stopped beating (a crashed server).
   */
  async claimNext(runnerId: string, staleBefore: Date): Promise<ImportJobRecord | undefined> {
    const now = new Date();
    const result = await sql<JobRow>`
      update import_jobs set status = 'running', runner_id = ${runnerId}, heartbeat_at = ${now},
        started_at = coalesce(started_at, ${now}), updated_at = ${now}
      where id = (
        select id from import_jobs
        where status = 'queued' or (status = 'running' and (runner_id is null or heartbeat_at is null or heartbeat_at < ${staleBefore}))
        order by created_at, id limit 1 for update skip locked)
      returning ${sql.join(JOB_COLUMNS.map((c) => sql.ref(c)))}`.execute(this.#db);
    const row = result.rows[0];
    return row && toRecord(row);
  }

  /** The job's status as stored (to notice a cancellation between batches). */
  async status(jobId: string): Promise<ImportJobStatus | undefined> {
    const row = await this.#db.selectFrom('import_jobs').select('status').where('id', '=', jobId).executeTakeFirst();
    return row?.status;
  }

  /**
   * Records a batch: its report lines and the job's new counts and checkpoint. Call it in the
   * batch's transaction. Returns false, and writes nothing, when the job is no longer running for
   * this runner (cancelled meanwhile): the caller then rolls the batch back.
   */
  async commitBatch(jobId: string, runnerId: string, progress: BatchProgress, rows: readonly ImportReportRow[]): Promise<boolean> {
    const result = await this.#db
      .updateTable('import_jobs')
      .set((eb) => ({
        processed_rows: eb('processed_rows', '+', progress.processed),
        created_count: eb('created_count', '+', progress.created),
        updated_count: eb('updated_count', '+', progress.updated),
        skipped_count: eb('skipped_count', '+', progress.skipped),
        checkpoint_row: progress.checkpointRow,
        heartbeat_at: new Date(),
        updated_at: new Date(),
      }))
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .where('runner_id', '=', runnerId)
      .returning('org_id')
      .executeTakeFirst();
    if (!result) return false;
    await this.insertReportRows(result.org_id, jobId, rows);
    return true;
  }

  async insertReportRows(orgId: string, jobId: string, rows: readonly ImportReportRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000);
      await this.#db
        .insertInto('import_job_rows')
        .values(chunk.map((r) => ({ org_id: orgId, job_id: jobId, line: r.line, outcome: r.outcome, account_id: r.accountId, name: r.name.slice(0, 200), reason: r.reason })))
        .execute();
    }
  }

  /** Ends a job (done, failed, or cancelled) if this runner still holds it. */
  async finish(jobId: string, runnerId: string, status: 'done' | 'failed', patch: { error?: string | null; counts?: { created: number; updated: number; skipped: number; processed: number } } = {}): Promise<boolean> {
    const now = new Date();
    const result = await this.#db
      .updateTable('import_jobs')
      .set({
        status,
        error: patch.error ?? null,
        finished_at: now,
        updated_at: now,
        runner_id: null,
        ...(patch.counts
          ? { created_count: patch.counts.created, updated_count: patch.counts.updated, skipped_count: patch.counts.skipped, processed_rows: patch.counts.processed }
          : {}),
      })
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .where('runner_id', '=', runnerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Forgets uploads never started (older than `before`); returns their files, to delete. */
  async deleteDraftsBefore(before: Date): Promise<string[]> {
    const rows = await this.#db.deleteFrom('import_jobs').where('status', '=', 'draft').where('created_at', '<', before).returning('file_path').execute();
    return rows.map((r) => r.file_path);
  }

  /** "Still working on it" (a long pass that commits nothing); false when the job is no longer this runner's. */
  async heartbeat(jobId: string, runnerId: string): Promise<boolean> {
    const result = await this.#db.updateTable('import_jobs').set({ heartbeat_at: new Date() }).where('id', '=', jobId).where('runner_id', '=', runnerId).where('status', '=', 'running').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Lets go of a running job at shutdown, so that the next start resumes it at once. */
  async release(jobId: string, runnerId: string): Promise<void> {
    await this.#db.updateTable('import_jobs').set({ runner_id: null, updated_at: new Date() }).where('id', '=', jobId).where('runner_id', '=', runnerId).execute();
  }

  /** Forgets a job's report and counts (an all-or-nothing job that is started again from the top). */
  async resetProgress(jobId: string): Promise<void> {
    await this.#db.deleteFrom('import_job_rows').where('job_id', '=', jobId).execute();
    await this.#db
      .updateTable('import_jobs')
      .set({ processed_rows: 0, created_count: 0, updated_count: 0, skipped_count: 0, checkpoint_row: 0, updated_at: new Date() })
      .where('id', '=', jobId)
      .execute();
  }

  /** A page of the report, by line. */
  async reportRows(orgId: string, jobId: string, afterLine: number, limit: number, outcome?: ImportRowOutcome): Promise<ImportReportRow[]> {
    let query = this.#db
      .selectFrom('import_job_rows')
      .select(['line', 'outcome', 'account_id', 'name', 'reason'])
      .where('org_id', '=', orgId)
      .where('job_id', '=', jobId)
      .where('line', '>', afterLine);
    if (outcome) query = query.where('outcome', '=', outcome);
    const rows = await query.orderBy('line').limit(limit).execute();
    return rows.map((r) => ({ line: Number(r.line), outcome: r.outcome, accountId: r.account_id, name: r.name, reason: r.reason }));
  }

  /** Skipped lines grouped by reason, most frequent first. */
  async skippedReasons(orgId: string, jobId: string, limit: number): Promise<{ reason: string; count: number }[]> {
    const result = await sql<{ reason: string; count: number }>`
      select regexp_replace(reason, '"[^"]*"', '"…"', 'g') as reason, count(*)::int as count from import_job_rows
      where org_id = ${orgId} and job_id = ${jobId} and outcome = 'skipped'
      group by 1 order by 2 desc, 1 limit ${limit}`.execute(this.#db);
    return result.rows.map((r) => ({ reason: r.reason, count: Number(r.count) }));
  }

  async findByExternalIds(orgId: string, externalIds: readonly string[]): Promise<MatchedAccount[]> {
    if (externalIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('accounts')
      .select(ACCOUNT_MATCH_COLUMNS)
      .where('org_id', '=', orgId)
      .where('external_id', 'in', [...new Set(externalIds)])
      .execute();
    return rows.map(toMatched);
  }

  /** Accounts whose name (any case) and postcode match one of the pairs. */
  async findByNamePostcode(orgId: string, pairs: readonly { name: string; postcode: string }[]): Promise<MatchedAccount[]> {
    if (pairs.length === 0) return [];
    const names = pairs.map((p) => p.name.trim().toLowerCase());
    const postcodes = pairs.map((p) => p.postcode.trim());
    const result = await sql<AccountMatchRow>`
      select ${sql.join(ACCOUNT_MATCH_COLUMNS.map((c) => sql.ref(`a.${c}`)))}
      from accounts a join unnest(${names}::text[], ${postcodes}::text[]) as k(name, postcode)
        on a.postcode = k.postcode and lower(a.name) = k.name
      where a.org_id = ${orgId}`.execute(this.#db);
    const seen = new Set<string>();
    return result.rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map(toMatched);
  }

  async setExternalIds(orgId: string, pairs: readonly { id: string; externalId: string }[]): Promise<void> {
    if (pairs.length === 0) return;
    await sql`
      update accounts a set external_id = k.external_id
      from unnest(${pairs.map((p) => p.id)}::uuid[], ${pairs.map((p) => p.externalId)}::text[]) as k(id, external_id)
      where a.org_id = ${orgId} and a.id = k.id`.execute(this.#db);
  }

  async externalIdsOf(orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#db
      .selectFrom('accounts')
      .select(['id', 'external_id'])
      .where('org_id', '=', orgId)
      .where('id', 'in', [...ids])
      .where('external_id', 'is not', null)
      .execute();
    return new Map(rows.flatMap((r) => (r.external_id === null ? [] : [[r.id, r.external_id] as const])));
  }
}
