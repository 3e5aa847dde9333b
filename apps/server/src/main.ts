import { isAppError } from '@geocrm/domain';
import { createRepositories } from '@geocrm/db';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { DEMO_PASSWORD, seedDemo } from './features/demo/demo-seed.ts';

const log = (message: string): void => {
  process.stdout.write(`${message}\n`);
};

const main = async (): Promise<void> => {
  const config = loadConfig();
  const started = Date.now();
  const { handle, migration } = await openDatabase(config);
  log(`GeoCRM: database ${handle.engine} at ${handle.location}${migration.applied.length ? `, applied ${migration.applied.join(', ')}` : ''}`);
  if (migration.backupFile) log(`GeoCRM: backup taken before migrating: ${migration.backupFile}`);

  let seeded: { adminEmail: string; managerEmail: string; repEmail: string } | undefined;
  if (config.seedDemo && (await createRepositories(handle.db).orgs.count()) === 0) {
    log('GeoCRM: empty database, creating the demo organisation…');
    seeded = await seedDemo(handle.db);
  }

  const app = await buildApp({ handle, config });
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log(`GeoCRM: ${signal} received, closing…`);
    const force = setTimeout(() => {
      log('GeoCRM: close took too long, exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    void (async () => {
      try {
        await app.close();
        await handle.close();
        log('GeoCRM: closed cleanly');
        process.exit(0);
      } catch (error) {
        process.stderr.write(`GeoCRM: error while closing: ${String(error)}\n`);
        process.exit(1);
      }
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log(`GeoCRM is running at http://localhost:${port} (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (seeded) {
    log(`Log in as ${seeded.managerEmail} (manager), ${seeded.adminEmail} (admin) or ${seeded.repEmail} (rep); password: ${DEMO_PASSWORD}`);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`GeoCRM could not start: ${isAppError(error) ? error.message : String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
  process.exit(1);
});
