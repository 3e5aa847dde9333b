import type { Migration, MigrationProvider } from 'kysely/migration';
import * as init from './2026-11-23T09-00_init.ts';

/** Every migration, by name. Names are ISO dates so that they sort in order. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-23T09-00_init': init,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();
