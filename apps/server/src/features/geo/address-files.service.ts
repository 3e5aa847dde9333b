import { pipeline, Transform, type Readable } from 'node:stream';
import { AppError, canManageUsers, isAppError } from '@geocrm/domain';
import type { AddressFileRecord, AddressPointRecord, AddressPointsRepository, GeocodeJobsRepository, Transactor } from '@geocrm/db';
import type { AddressFileDto, AddressFileLoadDto, AddressFileLoadResult } from '@geocrm/contracts';
import { readAddressFile } from '@geocrm/geo';
import type { Actor } from '../auth/auth.service.ts';

/** Row errors kept in the answer; the rest are counted. */
const MAX_REPORTED_ERRORS = 100;
/** Points written per statement batch. */
const BATCH = 5000;

const toDto = (f: AddressFileRecord): AddressFileDto => ({ ...f, loadedAt: f.loadedAt.toISOString() });

const requireAdmin = (actor: Actor): void => {
  if (!canManageUsers(actor.role)) throw new AppError('FORBIDDEN', 'Only an administrator can load or remove address files');
};

/**
 * Address-point files (BAN, OpenAddresses) an administrator loads so that addresses geocode at
 * house-number precision with no network. A file lands whole or not at all: its points are staged
 * as it uploads (with progress) and moved into place in one transaction at the end.
 */
export class AddressFilesService {
  readonly #points: AddressPointsRepository;
  readonly #loads: GeocodeJobsRepository;
  readonly #transaction: Transactor;
  readonly #changed: (orgId: string) => void;
  constructor(deps: { points: AddressPointsRepository; loads: GeocodeJobsRepository; transaction: Transactor; changed: (orgId: string) => void }) {
    this.#points = deps.points;
    this.#loads = deps.loads;
    this.#transaction = deps.transaction;
    this.#changed = deps.changed;
  }

  async list(actor: Actor): Promise<{ items: AddressFileDto[] }> {
    return { items: (await this.#points.listFiles(actor.orgId)).map(toDto) };
  }

  /**
   * Reads the file as it uploads into a staging table (in short statements: the load's progress can be
   * read meanwhile, and the database is never held for the whole upload), then moves its points into
   * place in one transaction. Until that commits nothing of the file is used; a failure, a refused
   * file or a restart leaves nothing behind.
   */
  async load(actor: Actor, name: string, body: Readable, options: { loadId?: string; bytesTotal?: number } = {}): Promise<AddressFileLoadResult> {
    requireAdmin(actor);
    const loadId = await this.#loads.createLoad(actor.orgId, { ...(options.loadId ? { id: options.loadId } : {}), name, bytesTotal: options.bytesTotal ?? null, loadedBy: actor.userId });
    if (!loadId) throw new AppError('CONFLICT', 'This load id is already used: start the upload again', { details: { field: 'loadId' } });
    let bytesRead = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytesRead += chunk.length;
        callback(null, chunk);
      },
    });
    // an aborted upload fails the read (the staged points are then dropped)
    pipeline(body, counted, () => undefined);
    const errors: { line: number; message: string }[] = [];
    let rejected = 0;
    let points = 0;
    try {
      const { format, items } = await readAddressFile(counted);
      let batch: AddressPointRecord[] = [];
      let progressAt = 0;
      for await (const item of items) {
        if (item.kind === 'error') {
          rejected += 1;
          if (errors.length < MAX_REPORTED_ERRORS) errors.push({ line: item.line, message: item.message });
          // a file of bad rows still shows that it is being read
          if (rejected - progressAt >= BATCH) {
            progressAt = rejected;
            await this.#loads.loadProgress(loadId, { bytesRead, points, rejected });
          }
          continue;
        }
        batch.push(item.point);
        points += 1;
        if (batch.length >= BATCH) {
          await this.#loads.stagePoints(loadId, batch, { bytesRead, points, rejected });
          batch = [];
        }
      }
      await this.#loads.stagePoints(loadId, batch, { bytesRead, points, rejected });
      if (points === 0) throw new AppError('VALIDATION', `No address could be read from ${name}: ${errors[0] ? `line ${errors[0].line}: ${errors[0].message}` : 'the file is empty'}`, { details: { errors } });
      await this.#loads.loadProgress(loadId, { bytesRead, points, rejected, status: 'saving' });
      const fileId = await this.#transaction(async (repos) => {
        const id = await repos.addressPoints.createFile(actor.orgId, { name, format, loadedBy: actor.userId });
        await repos.geocodeJobs.moveStaged(actor.orgId, loadId, id);
        await repos.addressPoints.finishFile(actor.orgId, id, { points, rejected });
        return id;
      });
      this.#changed(actor.orgId);
      return { id: fileId, name, format, points, rejected, errors };
    } catch (error) {
      await this.#loads.failLoad(loadId, isAppError(error) ? error.message : 'The file could not be read to the end; nothing was loaded').catch(() => undefined);
      throw error;
    }
  }

  /** How far a load has gone (read while it uploads). */
  async loadStatus(actor: Actor, loadId: string): Promise<AddressFileLoadDto> {
    requireAdmin(actor);
    const load = await this.#loads.getLoad(actor.orgId, loadId);
    if (!load) throw new AppError('NOT_FOUND', 'Address file load not found');
    return { id: load.id, name: load.name, status: load.status, bytesRead: load.bytesRead, bytesTotal: load.bytesTotal, points: load.points, rejected: load.rejected, fileId: load.fileId, error: load.error };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor);
    if (!(await this.#points.deleteFile(actor.orgId, id))) throw new AppError('NOT_FOUND', 'Address file not found');
    this.#changed(actor.orgId);
  }
}
