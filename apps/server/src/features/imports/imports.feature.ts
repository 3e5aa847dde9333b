import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Repositories, Transactor } from '@geocrm/db';
import type { AccountScopes } from '../access/account-scope.ts';
import type { Address, Placement } from './apply-batch.ts';
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
  deps: {
    repos: Repositories;
    transaction: Transactor;
    /** How the accounts API places an address for an organisation (imports place exactly the same way). */
    place: (orgId: string, address: Address) => Promise<Placement>;
    /** True when that is the embedded gazetteer alone (no address files, no online geocoder): worker threads may do it. */
    embeddedOnly: (orgId: string) => Promise<boolean>;
    dataDir: string | undefined;
    /** The access rule: exports carry only what the caller may read; imports need an organisation-wide scope. */
    scopes: AccountScopes;
    pollMs?: number;
  },
): ImportsFeature => {
  const temporary = deps.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'geocrm-imports-')) : undefined;
  const dir = join(deps.dataDir ?? temporary ?? tmpdir(), 'imports');
  const pool = new GeocodePool({ workerUrl: new URL('./geocode-worker.ts', import.meta.url) });
  const placeMany = async (orgId: string, addresses: readonly Address[]): Promise<Placement[]> => {
    if (addresses.length === 0) return [];
    const offThread = (await deps.embeddedOnly(orgId)) ? await pool.geocodeMany(addresses) : undefined;
    if (offThread) return offThread;
    const placed: Placement[] = [];
    for (const address of addresses) placed.push(await deps.place(orgId, address));
    return placed;
  };
  const runner = new ImportRunner({
    imports: deps.repos.imports,
    users: deps.repos.users,
    transaction: deps.transaction,
    placeMany,
    dir,
    log: app.log,
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
  });
  const service = new ImportsService({ imports: deps.repos.imports, users: deps.repos.users, runner, dir, scopes: deps.scopes });
  const exporter = new AccountExporter({ accounts: deps.repos.accounts, imports: deps.repos.imports, users: deps.repos.users, scopes: deps.scopes });
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
