import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { postgis } from '@electric-sql/pglite-postgis';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';
import { PGDATA, initializingDir, lockDataDir, removeInterruptedInit } from './data-dir.ts';

export type DbEngine = 'pglite' | 'postgres';

export interface DbHandle {
  readonly db: Kysely<Database>;
  readonly engine: DbEngine;
  /** Where the data lives, for logs (never contains a password). */
  readonly location: string;
  close(): Promise<void>;
}

export type DbConfig =
  | { readonly databaseUrl: string }
  | { readonly dataDir: string }
  /** A throwaway in-memory PGlite, optionally loaded from a data-folder dump (tests). */
  | { readonly memory: true; readonly loadDataDir?: Blob };

/** The extensions every embedded database loads (the migrations create them). */
export const PGLITE_EXTENSIONS = { postgis, pg_trgm, btree_gist };
const extensions = PGLITE_EXTENSIONS;

const createExtensions = async (pglite: PGlite): Promise<void> => {
  await pglite.exec('create extension if not exists postgis; create extension if not exists pg_trgm;');
};

const kyselyOnPglite = (pglite: PGlite): Kysely<Database> => new Kysely<Database>({ dialect: new PGliteDialect(pglite) });

/**
 * Opens the embedded database in `dataDir`. The first start creates it in a temporary folder
 * and renames it into place once complete, so an interrupted first start leaves nothing that
 * the next start would trust.
 */
const openDataDir = async (dataDir: string): Promise<DbHandle> => {
  const unlock = lockDataDir(dataDir);
  try {
    removeInterruptedInit(dataDir);
    const target = join(dataDir, PGDATA);
    if (!existsSync(target)) {
      const tmp = initializingDir(dataDir);
      const fresh = await PGlite.create(tmp, { extensions });
      await createExtensions(fresh);
      await fresh.close();
      renameSync(tmp, target);
    }
    const pglite = await PGlite.create(target, { extensions });
    const db = kyselyOnPglite(pglite);
    return {
      db,
      engine: 'pglite',
      location: target,
      close: async () => {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
};

const redact = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
};

export const createDb = async (config: DbConfig): Promise<DbHandle> => {
  if ('databaseUrl' in config) {
    // JIT compiles expressions for queries the planner thinks expensive; geography estimates are often
    // far off, and compiling then costs 50–70 ms on queries that run in 20 (measured on searches by place).
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10, options: '-c jit=off' });
    // A connection in use reports its errors to the query using it. An idle or closing one (server
    // restarted, database dropped) emits 'error' with nobody listening, which would crash the process:
    // the pool drops such a connection and opens another when needed.
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', location: redact(config.databaseUrl), close: () => db.destroy() };
  }
  if ('dataDir' in config) return openDataDir(config.dataDir);
  const pglite = await PGlite.create(config.loadDataDir ? { extensions, loadDataDir: config.loadDataDir } : { extensions });
  if (!config.loadDataDir) await createExtensions(pglite);
  const db = kyselyOnPglite(pglite);
  return {
    db,
    engine: 'pglite',
    location: 'memory',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
};
