import { join } from 'node:path';
import { createDb, migrateToLatest, type DbHandle, type MigrateReport } from '@geocrm/db';
import type { Config } from './config.ts';

/** Opens the configured database (embedded, or the server of DATABASE_URL) and migrates it, backing up first. */
export const openDatabase = async (config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<{ handle: DbHandle; migration: MigrateReport }> => {
  const handle = await createDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  try {
    const migration = await migrateToLatest(handle.db, { backupDir: join(config.dataDir, 'backups') });
    return { handle, migration };
  } catch (error) {
    await handle.close();
    throw error;
  }
};
