import { sql, type Kysely } from 'kysely';
import type { GeoPrecision, GeoSource } from '@geocrm/domain';
import type { Database } from '../schema.ts';
import type { AddressPointRecord } from './address-points.repository.ts';

export const GEOCODE_JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type GeocodeJobStatus = (typeof GEOCODE_JOB_STATUSES)[number];

/** What became of one account in a geocoding job. */
export const GEOCODE_ITEM_OUTCOMES = ['placed', 'not_found', 'failed', 'skipped_manual', 'skipped_changed', 'skipped_gone'] as const;
export type GeocodeItemOutcome = (typeof GEOCODE_ITEM_OUTCOMES)[number];

export interface GeocodeJobCounts {
  readonly placed: number;
  readonly notFound: number;
  readonly failed: number;
  readonly skippedManual: number;
  readonly skippedChanged: number;
  readonly skippedGone: number;
}

export interface GeocodeJobRecord {
  readonly id: string;
  readonly orgId: string;
  readonly status: GeocodeJobStatus;
  readonly provider: string;
  /** The service's own JSON document (written only by it). */
  readonly scope: Record<string, unknown>;
  readonly total: number;
  readonly processed: number;
  readonly counts: GeocodeJobCounts;
  readonly error: string | null;
  readonly createdBy: string | null;
  readonly createdByName: string | null;
  readonly runnerId: string | null;
  readonly heartbeatAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface AccountAddress {
  readonly line1: string;
  readonly line2: string;
  readonly postcode: string;
  readonly city: string;
  readonly country: string;
}

/** An item still to do, with its account as it is now (`account` null when it was deleted). */
export interface PendingGeocodeItem {
  readonly seq: number;
  readonly accountId: string;
  readonly account: { readonly manual: boolean; readonly precision: GeoPrecision | null; readonly address: AccountAddress } | null;
}

/** The result of one item, written with the account it moves. */
export interface GeocodeItemResult {
  readonly seq: number;
  readonly accountId: string;
  /** What the geocoder said; `placed` is downgraded to a skip when the account changed meanwhile. */
  readonly outcome: GeocodeItemOutcome;
  /** The address that was geocoded: the account is moved only if it still has this address. */
  readonly address?: AccountAddress;
  readonly placement?: { readonly lng: number; readonly lat: number; readonly precision: GeoPrecision; readonly source: GeoSource; readonly score: number };
  readonly previousPrecision: GeoPrecision | null;
  readonly reason?: string;
}

export interface GeocodeItemRecord {
  readonly seq: number;
  readonly accountId: string;
  readonly accountName: string | null;
  readonly outcome: GeocodeItemOutcome | null;
  readonly previousPrecision: string | null;
  readonly precision: string | null;
  readonly score: number | null;
  readonly source: string | null;
  readonly reason: string | null;
}

export interface AddressFileLoadRecord {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly status: 'loading' | 'saving' | 'done' | 'failed';
  readonly bytesRead: number;
  readonly bytesTotal: number | null;
  readonly points: number;
  readonly rejected: number;
  readonly fileId: string | null;
  readonly error: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface JobRow {
  id: string;
  org_id: string;
  status: GeocodeJobStatus;
  provider: string;
  scope: Record<string, unknown>;
  total: number;
  processed: number;
  placed: number;
  not_found: number;
  failed: number;
  skipped_manual: number;
  skipped_changed: number;
  skipped_gone: number;
  error: string | null;
  created_by: string | null;
  created_by_name: string | null;
  runner_id: string | null;
  heartbeat_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

const toJob = (r: JobRow): GeocodeJobRecord => ({
  id: r.id,
  orgId: r.org_id,
  status: r.status,
  provider: r.provider,
  scope: r.scope,
  total: Number(r.total),
  processed: Number(r.processed),
  counts: {
    placed: Number(r.placed),
    notFound: Number(r.not_found),
    failed: Number(r.failed),
    skippedManual: Number(r.skipped_manual),
    skippedChanged: Number(r.skipped_changed),
    skippedGone: Number(r.skipped_gone),
  },
  error: r.error,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  runnerId: r.runner_id,
  heartbeatAt: date(r.heartbeat_at),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  startedAt: date(r.started_at),
  finishedAt: date(r.finished_at),
});

const JOB_COLUMNS = sql`j.id, j.org_id, j.status, j.provider, j.scope, j.total, j.processed, j.placed, j.not_found, j.failed, j.skipped_manual, j.skipped_changed,
  j.skipped_gone, j.error, j.created_by, u.name as created_by_name, j.runner_id, j.heartbeat_at, j.created_at, j.updated_at, j.started_at, j.finished_at`;

const COUNTER: Readonly<Record<GeocodeItemOutcome, keyof GeocodeJobCounts>> = {
  placed: 'placed',
  not_found: 'notFound',
  failed: 'failed',
  skipped_manual: 'skippedManual',
  skipped_changed: 'skippedChanged',
  skipped_gone: 'skippedGone',
};

interface LoadRow {
  id: string;
  org_id: string;
  name: string;
  status: AddressFileLoadRecord['status'];
  bytes_read: string | number;
  bytes_total: string | number | null;
  points: number;
  rejected: number;
  file_id: string | null;
  error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const toLoad = (r: LoadRow): AddressFileLoadRecord => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  status: r.status,
  bytesRead: Number(r.bytes_read),
  bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
  points: Number(r.points),
  rejected: Number(r.rejected),
  fileId: r.file_id,
  error: r.error,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/** Rows per insert statement: PostgreSQL takes at most 65,535 parameters. */
const BATCH = 2000;

/**
 * Background geocoding jobs (persisted, resumable: the accounts a job covers are listed when it is
 * created and each gets its outcome with the account it moves), and address-file loads (staged, then
 * moved into `address_points` in one transaction).
 */
export class GeocodeJobsRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** A new queued job (its items are added with `addItems`, in the same transaction). */
  async create(orgId: string, job: { provider: string; scope: Record<string, unknown>; createdBy: string | null }): Promise<string> {
    const r = await sql<{ id: string }>`
      insert into geocode_jobs (org_id, provider, scope, created_by) values (${orgId}, ${job.provider}, ${JSON.stringify(job.scope)}::jsonb, ${job.createdBy}) returning id`.execute(this.#db);
    const id = r.rows[0]?.id;
    if (!id) throw new Error('geocode job not created');
    return id;
  }

  /** Lists accounts in the job, numbered from `firstSeq`; the job's total grows by as many. */
  async addItems(orgId: string, jobId: string, firstSeq: number, accountIds: readonly string[]): Promise<void> {
    for (let start = 0; start < accountIds.length; start += BATCH) {
      const chunk = accountIds.slice(start, start + BATCH);
      const rows = chunk.map((id, i) => sql`(${orgId}::uuid, ${jobId}::uuid, ${firstSeq + start + i}::int, ${id}::uuid)`);
      await sql`insert into geocode_job_items (org_id, job_id, seq, account_id) values ${sql.join(rows)}`.execute(this.#db);
    }
    await sql`update geocode_jobs set total = total + ${accountIds.length}::int where org_id = ${orgId} and id = ${jobId}`.execute(this.#db);
  }

  async get(orgId: string, id: string): Promise<GeocodeJobRecord | undefined> {
    const r = await sql<JobRow>`select ${JOB_COLUMNS} from geocode_jobs j left join users u on u.id = j.created_by where j.org_id = ${orgId} and j.id = ${id}`.execute(this.#db);
    const row = r.rows[0];
    return row && toJob(row);
  }

  async list(orgId: string, limit = 20): Promise<GeocodeJobRecord[]> {
    const r = await sql<JobRow>`
      select ${JOB_COLUMNS} from geocode_jobs j left join users u on u.id = j.created_by
      where j.org_id = ${orgId} order by j.created_at desc, j.id limit ${limit}`.execute(this.#db);
    return r.rows.map(toJob);
  }

  async status(id: string): Promise<GeocodeJobStatus | undefined> {
    const r = await sql<{ status: GeocodeJobStatus }>`select status from geocode_jobs where id = ${id}`.execute(this.#db);
    return r.rows[0]?.status;
  }

  /**
   * Takes the oldest job to run: a queued one, one released by a runner that stopped, or one whose
   * runner has not written since `staleBefore` (a crashed server).
   */
  async claimNext(runnerId: string, staleBefore: Date): Promise<GeocodeJobRecord | undefined> {
    const r = await sql<{ id: string; org_id: string }>`
      update geocode_jobs set status = 'running', runner_id = ${runnerId}, heartbeat_at = now(), updated_at = now(), started_at = coalesce(started_at, now())
      where id = (
        select id from geocode_jobs
        where status = 'queued' or (status = 'running' and (runner_id is null or heartbeat_at is null or heartbeat_at < ${staleBefore}))
        order by created_at, id limit 1 for update skip locked)
      returning id, org_id`.execute(this.#db);
    const row = r.rows[0];
    return row && this.get(row.org_id, row.id);
  }

  /** The next items to do, in order, with their accounts as they are now. */
  async pending(orgId: string, jobId: string, limit: number): Promise<PendingGeocodeItem[]> {
    const r = await sql<{
      seq: number;
      account_id: string;
      found: boolean;
      geo_manual: boolean | null;
      geo_precision: GeoPrecision | null;
      address_line1: string | null;
      address_line2: string | null;
      postcode: string | null;
      city: string | null;
      country: string | null;
    }>`
      select i.seq, i.account_id, a.id is not null as found, a.geo_manual, a.geo_precision, a.address_line1, a.address_line2, a.postcode, a.city, a.country
      from geocode_job_items i left join accounts a on a.org_id = i.org_id and a.id = i.account_id
      where i.org_id = ${orgId} and i.job_id = ${jobId} and i.outcome is null
      order by i.seq limit ${limit}`.execute(this.#db);
    return r.rows.map((row) => ({
      seq: Number(row.seq),
      accountId: row.account_id,
      account: row.found
        ? {
            manual: row.geo_manual === true,
            precision: row.geo_precision,
            address: { line1: row.address_line1 ?? '', line2: row.address_line2 ?? '', postcode: row.postcode ?? '', city: row.city ?? '', country: row.country ?? '' },
          }
        : null,
    }));
  }

  /**
   * Writes a batch of results (run it in a transaction): each placement moves its account only if
   * the pin is still automatic and the address still the one geocoded (a pin dragged or an address
   * typed meanwhile wins); then the items and the job's counters. False when the job is no longer
   * running for this runner (cancelled, or taken over): the caller rolls back.
   */
  async record(orgId: string, jobId: string, runnerId: string, results: readonly GeocodeItemResult[]): Promise<boolean> {
    const counts: Record<keyof GeocodeJobCounts, number> = { placed: 0, notFound: 0, failed: 0, skippedManual: 0, skippedChanged: 0, skippedGone: 0 };
    for (const result of results) {
      let outcome = result.outcome;
      let reason = result.reason ?? null;
      const { placement, address } = result;
      if (outcome === 'placed' && placement && address) {
        const moved = await sql`
          update accounts set location = ST_SetSRID(ST_MakePoint(${placement.lng}::float8, ${placement.lat}::float8), 4326)::geography,
            geo_precision = ${placement.precision}, geo_source = ${placement.source}, geo_score = ${placement.score}::float8, geo_manual = false, updated_at = now()
          where org_id = ${orgId} and id = ${result.accountId} and not geo_manual
            and address_line1 = ${address.line1} and address_line2 = ${address.line2} and postcode = ${address.postcode} and city = ${address.city} and country = ${address.country}`.execute(this.#db);
        if (Number(moved.numAffectedRows ?? 0n) === 0) {
          const now = await sql<{ geo_manual: boolean }>`select geo_manual from accounts where org_id = ${orgId} and id = ${result.accountId}`.execute(this.#db);
          const current = now.rows[0];
          if (!current) {
            outcome = 'skipped_gone';
            reason = 'The account was deleted';
          } else if (current.geo_manual) {
            outcome = 'skipped_manual';
            reason = 'Its pin was placed by hand: kept';
          } else {
            outcome = 'skipped_changed';
            reason = 'Its address changed while the job ran: placed with the new address instead';
          }
        }
      }
      counts[COUNTER[outcome]] += 1;
      const placed = outcome === 'placed' && placement ? placement : undefined;
      await sql`
        update geocode_job_items set outcome = ${outcome}, previous_precision = ${result.previousPrecision}, precision = ${placed?.precision ?? null},
          score = ${placed?.score ?? null}::float8, source = ${placed?.source ?? null}, reason = ${reason}, done_at = now()
        where job_id = ${jobId} and seq = ${result.seq} and outcome is null`.execute(this.#db);
    }
    const r = await sql`
      update geocode_jobs set processed = processed + ${results.length}::int, placed = placed + ${counts.placed}::int, not_found = not_found + ${counts.notFound}::int,
        failed = failed + ${counts.failed}::int, skipped_manual = skipped_manual + ${counts.skippedManual}::int, skipped_changed = skipped_changed + ${counts.skippedChanged}::int,
        skipped_gone = skipped_gone + ${counts.skippedGone}::int, heartbeat_at = now(), updated_at = now()
      where id = ${jobId} and runner_id = ${runnerId} and status = 'running'`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  async heartbeat(id: string, runnerId: string): Promise<boolean> {
    const r = await sql`update geocode_jobs set heartbeat_at = now() where id = ${id} and runner_id = ${runnerId} and status = 'running'`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  /** The runner stops (a shutdown): the job stays running, free for the next runner to resume at once. */
  async release(id: string, runnerId: string): Promise<void> {
    await sql`update geocode_jobs set runner_id = null, updated_at = now() where id = ${id} and runner_id = ${runnerId} and status = 'running'`.execute(this.#db);
  }

  /** Ends a running job held by this runner. False when it was cancelled or taken over meanwhile. */
  async finish(id: string, runnerId: string, status: 'done' | 'failed', error: string | null = null): Promise<boolean> {
    const r = await sql`
      update geocode_jobs set status = ${status}, error = ${error}, finished_at = now(), updated_at = now(), heartbeat_at = now()
      where id = ${id} and runner_id = ${runnerId} and status = 'running'`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  /** Cancels a queued or running job; what was done stays done. False when it had already ended. */
  async cancel(orgId: string, id: string): Promise<boolean> {
    const r = await sql`
      update geocode_jobs set status = 'cancelled', finished_at = now(), updated_at = now()
      where org_id = ${orgId} and id = ${id} and status in ('queued', 'running')`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0n) > 0;
  }

  /** Results per account, in order; `outcome` narrows them (`problems` = not found or failed). */
  async items(orgId: string, jobId: string, options: { outcome?: GeocodeItemOutcome | 'problems'; limit: number; afterSeq?: number }): Promise<GeocodeItemRecord[]> {
    const outcome =
      options.outcome === undefined
        ? sql`i.outcome is not null`
        : options.outcome === 'problems'
          ? sql`i.outcome in ('not_found', 'failed')`
          : sql`i.outcome = ${options.outcome}`;
    const r = await sql<{
      seq: number;
      account_id: string;
      name: string | null;
      outcome: GeocodeItemOutcome | null;
      previous_precision: string | null;
      precision: string | null;
      score: number | null;
      source: string | null;
      reason: string | null;
    }>`
      select i.seq, i.account_id, a.name, i.outcome, i.previous_precision, i.precision, i.score, i.source, i.reason
      from geocode_job_items i left join accounts a on a.org_id = i.org_id and a.id = i.account_id
      where i.org_id = ${orgId} and i.job_id = ${jobId} and ${outcome} and i.seq > ${options.afterSeq ?? -1}::int
      order by i.seq limit ${options.limit}`.execute(this.#db);
    return r.rows.map((row) => ({
      seq: Number(row.seq),
      accountId: row.account_id,
      accountName: row.name,
      outcome: row.outcome,
      previousPrecision: row.previous_precision,
      precision: row.precision,
      score: row.score === null ? null : Number(row.score),
      source: row.source,
      reason: row.reason,
    }));
  }

  /** How many accounts the job placed at each precision. */
  async placedByPrecision(orgId: string, jobId: string): Promise<{ precision: string; count: number }[]> {
    const r = await sql<{ precision: string; n: number }>`
      select precision, count(*)::int as n from geocode_job_items where org_id = ${orgId} and job_id = ${jobId} and outcome = 'placed'
      group by precision order by n desc, precision`.execute(this.#db);
    return r.rows.map((row) => ({ precision: row.precision, count: Number(row.n) }));
  }

  // ---- address-file loads ----

  /** A new load (with the id the uploader chose, so that it can follow it while it uploads); undefined when that id is taken. */
  async createLoad(orgId: string, load: { id?: string; name: string; bytesTotal: number | null; loadedBy: string | null }): Promise<string | undefined> {
    const r = await sql<{ id: string }>`
      insert into address_file_loads (id, org_id, name, bytes_total, loaded_by)
      values (coalesce(${load.id ?? null}::uuid, gen_random_uuid()), ${orgId}, ${load.name}, ${load.bytesTotal}::bigint, ${load.loadedBy})
      on conflict (id) do nothing returning id`.execute(this.#db);
    return r.rows[0]?.id;
  }

  async getLoad(orgId: string, id: string): Promise<AddressFileLoadRecord | undefined> {
    const r = await sql<LoadRow>`
      select id, org_id, name, status, bytes_read, bytes_total, points, rejected, file_id, error, created_at, updated_at
      from address_file_loads where org_id = ${orgId} and id = ${id}`.execute(this.#db);
    const row = r.rows[0];
    return row && toLoad(row);
  }

  /** Points read so far go to the staging table (invisible to geocoding) with the load's progress. */
  async stagePoints(loadId: string, points: readonly AddressPointRecord[], progress: { bytesRead: number; points: number; rejected: number }): Promise<void> {
    for (let start = 0; start < points.length; start += BATCH) {
      const rows = points.slice(start, start + BATCH).map(
        (p) =>
          sql`(${loadId}::uuid, ${p.number}, ${p.street}, ${p.streetKey}, ${p.postcode}, ${p.city}, ${p.cityKey}, ${p.oldCity ?? null}, ${p.oldCityKey ?? null}, ${p.cityInsee ?? null}, ${p.id ?? null},
            ST_SetSRID(ST_MakePoint(${p.lng}::float8, ${p.lat}::float8), 4326)::geography)`,
      );
      await sql`insert into address_points_staging (load_id, number, street, street_key, postcode, city, city_key, old_city, old_city_key, city_insee, source_id, location)
        values ${sql.join(rows)}`.execute(this.#db);
    }
    await this.loadProgress(loadId, progress);
  }

  async loadProgress(loadId: string, progress: { bytesRead: number; points: number; rejected: number; status?: 'saving' }): Promise<void> {
    await sql`
      update address_file_loads set bytes_read = ${progress.bytesRead}::bigint, points = ${progress.points}::int, rejected = ${progress.rejected}::int,
        status = ${progress.status ?? 'loading'}, updated_at = now()
      where id = ${loadId} and status in ('loading', 'saving')`.execute(this.#db);
  }

  /** Moves a load's staged points into the address file `fileId` (run it in the transaction that creates the file). */
  async moveStaged(orgId: string, loadId: string, fileId: string): Promise<void> {
    await sql`
      insert into address_points (org_id, file_id, number, street, street_key, postcode, city, city_key, old_city, old_city_key, city_insee, source_id, location)
      select ${orgId}::uuid, ${fileId}::uuid, number, street, street_key, postcode, city, city_key, old_city, old_city_key, city_insee, source_id, location
      from address_points_staging where load_id = ${loadId}`.execute(this.#db);
    await sql`delete from address_points_staging where load_id = ${loadId}`.execute(this.#db);
    await sql`update address_file_loads set status = 'done', file_id = ${fileId}, updated_at = now() where org_id = ${orgId} and id = ${loadId}`.execute(this.#db);
  }

  /** A load that failed: its staged points are dropped, the reason kept. */
  async failLoad(loadId: string, error: string): Promise<void> {
    await sql`delete from address_points_staging where load_id = ${loadId}`.execute(this.#db);
    await sql`update address_file_loads set status = 'failed', error = ${error}, updated_at = now() where id = ${loadId} and status in ('loading', 'saving')`.execute(this.#db);
  }

  /** Loads a stopped server left unfinished (or older than `before`): failed, staged points dropped. Returns how many. */
  async failUnfinishedLoads(before: Date, error: string): Promise<number> {
    const r = await sql<{ id: string }>`
      update address_file_loads set status = 'failed', error = ${error}, updated_at = now()
      where status in ('loading', 'saving') and updated_at < ${before} returning id`.execute(this.#db);
    if (r.rows.length > 0) await sql`delete from address_points_staging where load_id in (${sql.join(r.rows.map((row) => sql`${row.id}::uuid`))})`.execute(this.#db);
    return r.rows.length;
  }
}
