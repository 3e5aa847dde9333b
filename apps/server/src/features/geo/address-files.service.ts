import type { Readable } from 'node:stream';
import { AppError, canManageUsers } from '@geocrm/domain';
import type { AddressFileRecord, AddressPointRecord, AddressPointsRepository, Transactor } from '@geocrm/db';
import type { AddressFileDto, AddressFileLoadResult } from '@geocrm/contracts';
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
 * house-number precision with no network. A file lands whole or not at all: its points are
 * written in one transaction, so an interrupted load leaves nothing behind.
 */
export class AddressFilesService {
  readonly #points: AddressPointsRepository;
  readonly #transaction: Transactor;
  readonly #changed: (orgId: string) => void;
  constructor(deps: { points: AddressPointsRepository; transaction: Transactor; changed: (orgId: string) => void }) {
    this.#points = deps.points;
    this.#transaction = deps.transaction;
    this.#changed = deps.changed;
  }

  async list(actor: Actor): Promise<{ items: AddressFileDto[] }> {
    return { items: (await this.#points.listFiles(actor.orgId)).map(toDto) };
  }

  async load(actor: Actor, name: string, body: Readable): Promise<AddressFileLoadResult> {
    requireAdmin(actor);
    const { format, items } = await readAddressFile(body);
    const errors: { line: number; message: string }[] = [];
    let rejected = 0;
    let points = 0;
    const fileId = await this.#transaction(async (repos) => {
      const id = await repos.addressPoints.createFile(actor.orgId, { name, format, loadedBy: actor.userId });
      let batch: AddressPointRecord[] = [];
      for await (const item of items) {
        if (item.kind === 'error') {
          rejected += 1;
          if (errors.length < MAX_REPORTED_ERRORS) errors.push({ line: item.line, message: item.message });
          continue;
        }
        batch.push(item.point);
        points += 1;
        if (batch.length >= BATCH) {
          await repos.addressPoints.insertPoints(actor.orgId, id, batch);
          batch = [];
        }
      }
      if (batch.length) await repos.addressPoints.insertPoints(actor.orgId, id, batch);
      if (points === 0) throw new AppError('VALIDATION', `No address could be read from ${name}: ${errors[0] ? `line ${errors[0].line}: ${errors[0].message}` : 'the file is empty'}`, { details: { errors } });
      await repos.addressPoints.finishFile(actor.orgId, id, { points, rejected });
      return id;
    });
    this.#changed(actor.orgId);
    return { id: fileId, name, format, points, rejected, errors };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor);
    if (!(await this.#points.deleteFile(actor.orgId, id))) throw new AppError('NOT_FOUND', 'Address file not found');
    this.#changed(actor.orgId);
  }
}
