import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Repositories, Transactor } from '@geocrm/db';
import type { AddressGeocoder } from '../accounts/accounts.service.ts';
import { gazetteerGeocoder } from '../geo/address-geocoder.ts';
import { AccountExporter } from './account-export.ts';
import { GeocodePool } from './geocode-pool.ts';
import { ImportRunner } from './import-runner.ts';
import { ImportsService } from './imports.service.ts';

export interface ImportsFeature {
  readonly service: ImportsService;
  readonly exporter: AccountExporter;
  readonly runner: ImportRunner;
}

/**
 * Wires the import/export feature and ties its job runner to the app's life: it starts when the
 * app is ready (resuming any job a restart interrupted) and stops, after its current batch, when
 * the app closes. Uploads live in `<dataDir>/imports` (a temporary folder when there is no data dir).
 */
export const createImportsFeature = (
  app: FastifyInstance,
  deps: { repos: Repositories; transaction: Transactor; geocode: AddressGeocoder; dataDir: string | undefined; pollMs?: number },
): ImportsFeature => {
  const temporary = deps.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'geocrm-imports-')) : undefined;
  const dir = join(deps.dataDir ?? temporary ?? tmpdir(), 'imports');
  // Worker threads run the gazetteer itself; any other geocoder runs on the main thread.
  const pool = new GeocodePool(deps.geocode, deps.geocode === gazetteerGeocoder ? { workerUrl: new URL('./geocode-worker.ts', import.meta.url) } : { workers: 0 });
  const runner = new ImportRunner({
    imports: deps.repos.imports,
    users: deps.repos.users,
    transaction: deps.transaction,
    geocode: deps.geocode,
    pool,
    dir,
    log: app.log,
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
  });
  const service = new ImportsService({ imports: deps.repos.imports, users: deps.repos.users, runner, dir });
  const exporter = new AccountExporter({ accounts: deps.repos.accounts, imports: deps.repos.imports, users: deps.repos.users });
  app.addHook('onReady', () => {
    runner.start();
    return Promise.resolve();
  });
  app.addHook('onClose', async () => {
    await runner.stop();
    await pool.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  });
  return { service, exporter, runner };
};
