import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAppError } from '@geocrm/domain';
import type { ImportOptions } from '@geocrm/contracts';
import type { ImportJobRecord, ImportReportRow, ImportsRepository, Transactor, UsersRepository } from '@geocrm/db';
import { addressKey, applyBatch, createAddress, NeedPlacements, type Address, type BatchLine, type Placement } from './apply-batch.ts';
import { readRows, removeFile } from './file-reader.ts';
import { mapRow, type MapContext } from './row-mapper.ts';

export interface RunnerLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ImportRunnerDeps {
  readonly imports: ImportsRepository;
  readonly users: UsersRepository;
  readonly transaction: Transactor;
  /** Places addresses exactly as the accounts API does for this organisation (in order; null = cannot be placed). */
  readonly placeMany: (orgId: string, addresses: readonly Address[]) => Promise<Placement[]>;
  /** Where uploads are kept. */
  readonly dir: string;
  readonly log: RunnerLog;
  /** How often to look for queued jobs when nobody says there is one (ms). */
  readonly pollMs?: number;
  /** A running job whose runner has not written for this long is taken over (a crashed server), ms. A runner that was only slow loses nothing: its next batch finds the job taken and rolls back. */
  readonly staleMs?: number;
  /** Rows per transaction. */
  readonly batchSize?: number;
}

/** Thrown inside a transaction to roll it back. */
class Rollback extends Error {
  readonly why: 'stopping' | 'cancelled' | 'gone' | 'invalid';
  readonly rows: ImportReportRow[];
  constructor(why: 'stopping' | 'cancelled' | 'gone' | 'invalid', rows: ImportReportRow[] = []) {
    super(why);
    this.why = why;
    this.rows = rows;
  }
}

/**
 * Lets timers and network I/O run: PGlite answers through promises only, so a job that only awaits
 * the database would otherwise keep the event loop to itself and the API would stop answering.
 */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const messageOf = (error: unknown): string => (isAppError(error) ? error.message : error instanceof Error ? error.message : String(error));

export const optionsOf = (job: ImportJobRecord): ImportOptions => job.options as unknown as ImportOptions;

/**
 * Runs import jobs one at a time in this process. Jobs live in the database: a job queued before a
 * restart, or interrupted by one, is picked up again at the next start from its checkpoint (the
 * rows committed so far), and every batch commits its accounts, its report lines and the new
 * checkpoint in one transaction, so a row is never written twice.
 */
export class ImportRunner {
  readonly id = randomUUID();
  readonly #deps: ImportRunnerDeps;
  readonly #cancelled = new Set<string>();
  #stopping = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #sweptAt = 0;

  constructor(deps: ImportRunnerDeps) {
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

  /** The job was cancelled: stop it at the next batch (the database says so too). */
  cancel(jobId: string): void {
    this.#cancelled.add(jobId);
  }

  /** Stops after the current batch; a job in progress stays running and is resumed at the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    this.#loop = undefined;
  }

  /** Uploads left as drafts for a day are deleted with their files (checked at most hourly). */
  async #sweep(): Promise<void> {
    if (Date.now() - this.#sweptAt < 3_600_000) return;
    this.#sweptAt = Date.now();
    try {
      for (const path of await this.#deps.imports.deleteDraftsBefore(new Date(Date.now() - 86_400_000))) await removeFile(resolve(this.#deps.dir, path));
    } catch (error) {
      this.#deps.log.error({ err: error }, 'import runner: cannot delete old drafts');
    }
  }

  async #run(): Promise<void> {
    const { imports, log } = this.#deps;
    while (!this.#stopping) {
      await this.#sweep();
      let job: ImportJobRecord | undefined;
      try {
        job = await imports.claimNext(this.id, new Date(Date.now() - (this.#deps.staleMs ?? 30_000)));
      } catch (error) {
        log.error({ err: error }, 'import runner: cannot claim a job');
      }
      if (!job) {
        await this.#sleep(this.#deps.pollMs ?? 1000);
        continue;
      }
      log.info({ jobId: job.id, checkpoint: job.checkpointRow }, 'import job started');
      try {
        await this.#process(job);
      } catch (error) {
        log.error({ err: error, jobId: job.id }, 'import job failed');
        await imports.finish(job.id, this.id, 'failed', { error: messageOf(error) }).catch(() => undefined);
      }
      this.#cancelled.delete(job.id);
      // The upload is not needed once the job has ended (the report is in the database).
      const status = await imports.status(job.id).catch(() => undefined);
      if (status === 'done' || status === 'failed' || status === 'cancelled') await removeFile(resolve(this.#deps.dir, job.filePath)).catch(() => undefined);
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

  async #context(job: ImportJobRecord, options: ImportOptions): Promise<MapContext> {
    const usersByEmail = new Map<string, string>();
    if (options.mapping.includes('ownerEmail')) {
      for (const user of await this.#deps.users.list(job.orgId)) if (user.active) usersByEmail.set(user.email.toLowerCase(), user.id);
    }
    return { mapping: options.mapping, usersByEmail };
  }

  /** The data rows of the file after the header, numbered from 1, each turned into account fields. */
  async *#rows(job: ImportJobRecord, context: MapContext): AsyncGenerator<{ index: number; batchLine: BatchLine }> {
    const path = resolve(this.#deps.dir, job.filePath);
    let index = -1;
    for await (const raw of readRows(path, { format: job.format, encoding: job.encoding as 'utf-8' | null, delimiter: job.delimiter })) {
      index++;
      if (index === 0) continue;
      yield { index, batchLine: { line: raw.line, mapped: mapRow(raw.cells, context) } };
    }
  }

  async #process(job: ImportJobRecord): Promise<void> {
    const { imports } = this.#deps;
    if (!existsSync(resolve(this.#deps.dir, job.filePath))) {
      await imports.finish(job.id, this.id, 'failed', { error: 'The uploaded file is no longer on the server; upload it again.' });
      return;
    }
    const options = optionsOf(job);
    const context = await this.#context(job, options);
    if (options.allOrNothing) {
      await this.#allOrNothing(job, options, context);
      return;
    }
    const size = this.#deps.batchSize ?? 500;
    let batch: BatchLine[] = [];
    let last = 0;
    // A pipeline: the workers geocode the next batch while the database writes this one.
    let inFlight: Promise<boolean> = Promise.resolve(true);
    // The batch in flight is awaited only at the next flush: its error is kept, never left unhandled.
    let failure: { error: unknown } | undefined;
    const settled = async (): Promise<boolean> => {
      const ok = await inFlight;
      if (failure) throw failure.error;
      return ok;
    };
    const flush = async (lines: BatchLine[], checkpointRow: number): Promise<boolean> => {
      // Without these, the batch asks for its placements itself (NeedPlacements): never left unplaced.
      const placements = this.#placements(job, lines).catch(() => new Map<string, Placement>());
      await yieldToEventLoop();
      if (!(await settled())) return false;
      inFlight = placements
        .then((p) => this.#commit(job, options, lines, checkpointRow, p))
        .catch((error: unknown) => {
          failure = { error };
          return false;
        });
      return true;
    };
    for await (const { index, batchLine } of this.#rows(job, context)) {
      if (index <= job.checkpointRow) continue;
      batch.push(batchLine);
      last = index;
      if (batch.length >= size) {
        if (!(await flush(batch, last))) return;
        batch = [];
      }
    }
    if (batch.length > 0 && !(await flush(batch, last))) return;
    if (!(await settled())) return;
    if (await imports.finish(job.id, this.id, 'done')) this.#deps.log.info({ jobId: job.id }, 'import job done');
  }

  /** Where the rows that may create an account will be placed, computed ahead (off the main thread where possible). */
  async #placements(job: ImportJobRecord, lines: readonly BatchLine[]): Promise<Map<string, Placement>> {
    const addresses = new Map<string, Address>();
    for (const l of lines) {
      if (!l.mapped.ok || l.mapped.row.location || l.mapped.row.name === undefined) continue;
      const address = createAddress(l.mapped.row);
      addresses.set(addressKey(address), address);
    }
    const list = [...addresses.values()];
    const results = await this.#deps.placeMany(job.orgId, list);
    return new Map(list.map((a, i) => [addressKey(a), results[i] ?? null]));
  }

  /**
   * Runs `run` (a transaction that applies a batch with `placements`); when the batch needs addresses
   * nobody placed yet (an update that moves an account), they are placed outside any transaction (a
   * geocoder may read the database or the network) and `run` goes again.
   */
  async #withPlacements<T>(job: ImportJobRecord, placements: Map<string, Placement>, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof NeedPlacements) || attempt >= 3) throw error;
        const results = await this.#deps.placeMany(job.orgId, error.addresses);
        error.addresses.forEach((a, i) => placements.set(addressKey(a), results[i] ?? null));
      }
    }
  }

  /** Commits one batch; false when the job must stop here (cancelled, or the server is stopping). */
  async #commit(job: ImportJobRecord, options: ImportOptions, batch: readonly BatchLine[], checkpointRow: number, placements: Map<string, Placement>): Promise<boolean> {
    const { imports, transaction } = this.#deps;
    if (this.#stopping) {
      await imports.release(job.id, this.id);
      return false;
    }
    if (this.#cancelled.has(job.id)) return false;
    try {
      await this.#withPlacements(job, placements, () =>
        transaction(async (repos) => {
          const result = await applyBatch(repos, job.orgId, batch, options, placements);
          const progress = { processed: batch.length, created: result.created, updated: result.updated, skipped: result.skipped, checkpointRow };
          if (!(await repos.imports.commitBatch(job.id, this.id, progress, result.report))) throw new Rollback('gone');
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Rollback) return false;
      // The database refused something in the batch: one row must not block the others, so go row by row.
      this.#deps.log.info({ jobId: job.id, err: error }, 'import batch refused; retrying row by row');
      return this.#commitOneByOne(job, options, batch, checkpointRow, placements);
    }
  }

  async #commitOneByOne(job: ImportJobRecord, options: ImportOptions, batch: readonly BatchLine[], checkpointRow: number, placements: Map<string, Placement>): Promise<boolean> {
    const { transaction } = this.#deps;
    for (let i = 0; i < batch.length; i++) {
      const line = batch[i];
      if (!line) continue;
      const checkpoint = checkpointRow - (batch.length - 1 - i);
      try {
        await this.#withPlacements(job, placements, () =>
          transaction(async (repos) => {
            const result = await applyBatch(repos, job.orgId, [line], options, placements);
            const progress = { processed: 1, created: result.created, updated: result.updated, skipped: result.skipped, checkpointRow: checkpoint };
            if (!(await repos.imports.commitBatch(job.id, this.id, progress, result.report))) throw new Rollback('gone');
          }),
        );
      } catch (error) {
        if (error instanceof Rollback) return false;
        const reason = `The database refused this row: ${messageOf(error)}`;
        const name = line.mapped.ok ? (line.mapped.row.name ?? '') : line.mapped.name;
        const ok = await transaction((repos) =>
          repos.imports.commitBatch(job.id, this.id, { processed: 1, created: 0, updated: 0, skipped: 1, checkpointRow: checkpoint }, [{ line: line.line, outcome: 'skipped', accountId: null, name, reason }]),
        );
        if (!ok) return false;
      }
    }
    return true;
  }

  /**
   * All or nothing: a first pass reads every row without writing; one bad row and the job fails
   * with the report of every bad row. Otherwise every batch is written in one transaction, which
   * the database rolls back entirely on any error, a cancellation or a shutdown.
   */
  async #allOrNothing(job: ImportJobRecord, options: ImportOptions, context: MapContext): Promise<void> {
    const { imports, transaction } = this.#deps;
    await imports.resetProgress(job.id);
    let pending: ImportReportRow[] = [];
    let errors = 0;
    let rows = 0;
    // Addresses are placed during this pass, outside any transaction (a geocoder may use the database).
    const placements = new Map<string, Placement>();
    let toPlace: BatchLine[] = [];
    const place = async () => {
      for (const [key, placement] of await this.#placements(job, toPlace)) placements.set(key, placement);
      toPlace = [];
    };
    for await (const { batchLine } of this.#rows(job, context)) {
      rows++;
      if (rows % 1000 === 0) await yieldToEventLoop();
      if (rows % 5000 === 0) {
        if (this.#stopping || this.#cancelled.has(job.id)) {
          if (this.#stopping) await imports.release(job.id, this.id);
          return;
        }
        // nothing is committed in this pass: say the job is still held (or stop if it was taken over)
        if (!(await imports.heartbeat(job.id, this.id))) return;
      }
      const { mapped } = batchLine;
      if (mapped.ok) {
        toPlace.push(batchLine);
        if (toPlace.length >= 500) await place();
      }
      // Without a match key every row creates an account, which needs a name.
      const reason = mapped.ok ? (options.matchBy === 'none' && mapped.row.name === undefined ? 'Name is empty: a new account needs a name' : undefined) : mapped.reason;
      if (reason === undefined) continue;
      errors++;
      pending.push({ line: batchLine.line, outcome: 'skipped', accountId: null, name: mapped.ok ? '' : mapped.name, reason });
      if (pending.length >= 1000) {
        await imports.insertReportRows(job.orgId, job.id, pending);
        pending = [];
      }
    }
    await imports.insertReportRows(job.orgId, job.id, pending);
    if (errors === 0) await place();
    if (errors > 0) {
      await imports.finish(job.id, this.id, 'failed', {
        error: `${errors.toLocaleString('en')} line${errors === 1 ? ' has' : 's have'} errors, so nothing was imported (all or nothing). Fix them, or import without all-or-nothing to skip them.`,
        counts: { processed: rows, created: 0, updated: 0, skipped: errors },
      });
      return;
    }
    await imports.resetProgress(job.id);
    const size = this.#deps.batchSize ?? 500;
    // Kept across attempts: an attempt that needs more placements rolls back, gets them, starts again.
    try {
      await this.#withPlacements(job, placements, () => transaction(async (repos) => {
        let batch: BatchLine[] = [];
        const flush = async (checkpointRow: number) => {
          if (this.#stopping) throw new Rollback('stopping');
          if (this.#cancelled.has(job.id)) throw new Rollback('cancelled');
          const result = await applyBatch(repos, job.orgId, batch, options, placements);
          if (result.skipped > 0) throw new Rollback('invalid', result.report.filter((r) => r.outcome === 'skipped'));
          const progress = { processed: batch.length, created: result.created, updated: result.updated, skipped: 0, checkpointRow };
          if (!(await repos.imports.commitBatch(job.id, this.id, progress, result.report))) throw new Rollback('gone');
          batch = [];
        };
        let index = 0;
        for await (const { index: i, batchLine } of this.#rows(job, context)) {
          batch.push(batchLine);
          index = i;
          if (batch.length >= size) {
            await flush(index);
            await yieldToEventLoop();
          }
        }
        if (batch.length > 0) await flush(index);
      }));
    } catch (error) {
      if (error instanceof Rollback) {
        if (error.why === 'stopping') await imports.release(job.id, this.id);
        if (error.why === 'invalid') {
          await imports.insertReportRows(job.orgId, job.id, error.rows);
          const first = error.rows[0];
          await imports.finish(job.id, this.id, 'failed', {
            error: `Line ${first?.line ?? '?'}: ${first?.reason ?? 'refused'}; nothing was imported (all or nothing).`,
            counts: { processed: 0, created: 0, updated: 0, skipped: error.rows.length },
          });
        }
        return;
      }
      await imports.finish(job.id, this.id, 'failed', { error: `Nothing was imported: the database refused a row (${messageOf(error)}).`, counts: { processed: 0, created: 0, updated: 0, skipped: 0 } });
      return;
    }
    await imports.finish(job.id, this.id, 'done');
  }
}
