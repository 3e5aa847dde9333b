import { randomUUID } from 'node:crypto';
import { isAppError } from '@geocrm/domain';
import type { GeocodeItemResult, GeocodeJobRecord, GeocodeJobsRepository, Transactor } from '@geocrm/db';
import type { GeocoderName } from '@geocrm/geo';
import type { AccountAddressInput, JobPlacement } from './geocoding.ts';

export interface JobRunnerLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface GeocodeJobRunnerDeps {
  readonly jobs: GeocodeJobsRepository;
  readonly transaction: Transactor;
  /** One address through the job's provider (its own rate limit applies: Nominatim 1 request/s by default). */
  readonly geocode: (orgId: string, address: AccountAddressInput, provider: GeocoderName) => Promise<JobPlacement>;
  readonly log: JobRunnerLog;
  /** How often to look for queued jobs when nobody says there is one (ms). */
  readonly pollMs?: number;
  /** A running job whose runner has not written for this long is taken over (a crashed server), ms. */
  readonly staleMs?: number;
  /** Results written per transaction at most… */
  readonly batchSize?: number;
  /** …and at least this often (ms), so that progress moves with a slow provider. */
  readonly flushMs?: number;
  /** This many provider failures in a row fail the job (the service is down): the rest stays undone. */
  readonly maxConsecutiveFailures?: number;
}

/** Lets timers and network I/O run between addresses (the embedded geocoder is synchronous work). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const messageOf = (error: unknown): string => (isAppError(error) ? error.message : error instanceof Error ? error.message : String(error));

/** Thrown inside a transaction to roll it back: the job is no longer ours (cancelled, taken over). */
class NotOurs extends Error {}

/**
 * Runs geocoding jobs one at a time in this process. A job's accounts were listed when it was
 * created; each batch of results is written with the accounts it moves and the job's counters in one
 * transaction, so after a restart (or a crash: the job is taken over once its heartbeat is stale) the
 * job goes on with the accounts not done yet, and none is done twice.
 */
export class GeocodeJobRunner {
  readonly id = randomUUID();
  readonly #deps: GeocodeJobRunnerDeps;
  readonly #cancelled = new Set<string>();
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(deps: GeocodeJobRunnerDeps) {
    this.#deps = deps;
  }

  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** A job was queued: look now rather than at the next poll. */
  wake(): void {
    this.#wake?.();
  }

  /** The job was cancelled (the database says so too): stop it before the next address. */
  cancel(jobId: string): void {
    this.#cancelled.add(jobId);
  }

  /** Stops after the current address; what is done is written, the job is left for the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    const { jobs, log } = this.#deps;
    while (!this.#stopping) {
      let job: GeocodeJobRecord | undefined;
      try {
        job = await jobs.claimNext(this.id, new Date(Date.now() - (this.#deps.staleMs ?? 30_000)));
      } catch (error) {
        log.error({ err: error }, 'geocode runner: cannot claim a job');
      }
      if (!job) {
        await this.#sleep(this.#deps.pollMs ?? 1000);
        continue;
      }
      log.info({ jobId: job.id, processed: job.processed, total: job.total }, 'geocode job started');
      // a long answer (timeouts, retries) must not make the job look abandoned
      const beat = setInterval(() => void jobs.heartbeat(job.id, this.id).catch(() => undefined), Math.max(1000, (this.#deps.staleMs ?? 30_000) / 3));
      try {
        await this.#process(job);
      } catch (error) {
        log.error({ err: error, jobId: job.id }, 'geocode job failed');
        await jobs.finish(job.id, this.id, 'failed', `The job stopped on an error: ${messageOf(error)}`).catch(() => undefined);
      } finally {
        clearInterval(beat);
      }
      this.#cancelled.delete(job.id);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  /** Writes results in one transaction; false when the job is no longer ours (cancelled, taken over). */
  async #flush(job: GeocodeJobRecord, results: GeocodeItemResult[]): Promise<boolean> {
    if (results.length === 0) return true;
    try {
      await this.#deps.transaction(async (repos) => {
        if (!(await repos.geocodeJobs.record(job.orgId, job.id, this.id, results))) throw new NotOurs();
      });
      return true;
    } catch (error) {
      if (error instanceof NotOurs) return false;
      throw error;
    }
  }

  async #process(job: GeocodeJobRecord): Promise<void> {
    const { jobs } = this.#deps;
    const size = this.#deps.batchSize ?? 50;
    const flushMs = this.#deps.flushMs ?? 2000;
    const maxFailures = this.#deps.maxConsecutiveFailures ?? 20;
    const provider = job.provider as GeocoderName;
    let failuresInARow = 0;
    let lastFailure = '';
    for (;;) {
      const pending = await jobs.pending(job.orgId, job.id, size);
      if (pending.length === 0) {
        if (await jobs.finish(job.id, this.id, 'done')) this.#deps.log.info({ jobId: job.id }, 'geocode job done');
        return;
      }
      let results: GeocodeItemResult[] = [];
      let flushedAt = Date.now();
      for (const item of pending) {
        if (this.#stopping || this.#cancelled.has(job.id)) break;
        const { account } = item;
        if (!account) {
          results.push({ seq: item.seq, accountId: item.accountId, outcome: 'skipped_gone', previousPrecision: null, reason: 'The account was deleted' });
        } else if (account.manual) {
          results.push({ seq: item.seq, accountId: item.accountId, outcome: 'skipped_manual', previousPrecision: account.precision, reason: 'Its pin was placed by hand: kept' });
        } else {
          const answer = await this.#deps.geocode(job.orgId, account.address, provider);
          await yieldToEventLoop();
          if (answer.kind === 'failed') {
            failuresInARow++;
            lastFailure = answer.reason;
          } else failuresInARow = 0;
          results.push(
            answer.kind === 'placed'
              ? {
                  seq: item.seq,
                  accountId: item.accountId,
                  outcome: 'placed',
                  address: account.address,
                  placement: { ...answer.placement.location, ...answer.placement.geo },
                  previousPrecision: account.precision,
                }
              : { seq: item.seq, accountId: item.accountId, outcome: answer.kind, previousPrecision: account.precision, reason: answer.reason },
          );
        }
        if (failuresInARow >= maxFailures) break;
        if (Date.now() - flushedAt >= flushMs) {
          if (!(await this.#flush(job, results))) return;
          results = [];
          flushedAt = Date.now();
        }
      }
      if (this.#cancelled.has(job.id)) return;
      if (!(await this.#flush(job, results))) return;
      if (failuresInARow >= maxFailures) {
        await jobs.finish(job.id, this.id, 'failed', `The geocoder failed ${failuresInARow} times in a row (${lastFailure}); the accounts not done yet keep their pins. Start a new job when it answers again.`);
        return;
      }
      if (this.#stopping) {
        await jobs.release(job.id, this.id);
        return;
      }
    }
  }
}
