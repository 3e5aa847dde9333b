import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { Migrator, type MigrationProvider, type MigrationResult } from 'kysely/migration';
import { AppError } from '@geocrm/domain';
import { migrationProvider } from './migrations/index.ts';
import { writeSqlDump } from './backup.ts';
import type { Database } from './schema.ts';

export interface MigrateOptions {
  /** Where the automatic pre-migration backup goes; no backup when absent. */
  readonly backupDir?: string;
  readonly provider?: MigrationProvider;
  /** Migrate up to (and including) this migration instead of the latest. */
  readonly target?: string;
}

export interface MigrateReport {
  readonly applied: readonly string[];
  /** The SQL dump taken before migrating a database that already had data. */
  readonly backupFile: string | null;
}

const migratorFor = (db: Kysely<Database>, provider: MigrationProvider) =>
  new Migrator({ db: db, provider });

export const pendingMigrations = async (db: Kysely<Database>, provider: MigrationProvider = migrationProvider): Promise<string[]> => {
  const migrations = await migratorFor(db, provider).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
};

const timestamp = (): string => new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');

/**
 * Brings the schema up to date. When there is something to apply to a database that already
 * holds a schema, a SQL dump is written first. Kysely runs the whole batch in one transaction
 * on PostgreSQL, so a failure leaves the database as it was.
 */
export const migrateToLatest = async (db: Kysely<Database>, options: MigrateOptions = {}): Promise<MigrateReport> => {
  const provider = options.provider ?? migrationProvider;
  const all = await migratorFor(db, provider).getMigrations();
  const pending = all.filter((m) => m.executedAt === undefined);
  if (pending.length === 0) return { applied: [], backupFile: null };
  let backupFile: string | null = null;
  if (options.backupDir && pending.length < all.length) {
    mkdirSync(options.backupDir, { recursive: true });
    backupFile = join(options.backupDir, `geocrm-pre-migrate-${timestamp()}.sql`);
    await writeSqlDump(db, backupFile);
  }
  const migrator = migratorFor(db, provider);
  const { error, results } = options.target ? await migrator.migrateTo(options.target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new AppError('INTERNAL', `Migration ${failed?.migrationName ?? ''} failed; the database was left unchanged`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName), backupFile };
};
