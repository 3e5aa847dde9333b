import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../src/testing.ts';
import type { DbHandle } from '../src/create-db.ts';
import { loadSqlDump, readDumpHeader, writeSqlDump } from '../src/backup.ts';
import { migrateToLatest } from '../src/migrate.ts';
import { MIGRATION_NAMES, migrationProvider } from '../src/migrations/index.ts';
import { AccountsRepository } from '../src/repositories/accounts.repository.ts';
import { OrgsRepository } from '../src/repositories/orgs.repository.ts';
import { UsersRepository } from '../src/repositories/users.repository.ts';

let source: DbHandle;
let target: DbHandle;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'geocrm-backup-'));
  source = await createTestDb();
  target = await createTestDb();
  const org = await new OrgsRepository(source.db).create("Dupont & Fils 'SARL'");
  const user = await new UsersRepository(source.db).insert({ orgId: org.id, email: 'a@b.test', name: 'A $geocrm$ B', role: 'admin', passwordHash: 'h' });
  await new AccountsRepository(source.db).insert(org.id, {
    kind: 'client',
    name: 'Ça "marche" \\ bien\nnew line',
    ownerId: user.id,
    tags: ['x', 'y,z'],
    customFields: { nested: { a: [1, 2] } },
    location: { lng: 3.3301, lat: 50.1302 },
    preferredVisitDays: [2, 4],
  });
});
afterAll(async () => {
  await source.close();
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQL dump', () => {
  it('restores every row, geography, arrays and json included, into an empty database', async () => {
    const file = join(dir, 'dump.sql');
    const stats = await writeSqlDump(source.db, file);
    expect(stats.rows).toBe(3);
    const text = readFileSync(file, 'utf8');
    expect(readDumpHeader(text).migrations).toEqual(MIGRATION_NAMES);
    await loadSqlDump(target.db, file);
    const snapshot = async (db: Kysely<never>) =>
      (
        await sql<{ t: unknown }>`select json_build_object(
          'orgs', (select json_agg(o) from orgs o),
          'users', (select json_agg(u) from users u),
          'accounts', (select json_agg(json_build_object('a', a, 'wkt', ST_AsText(a.location))) from accounts a)) as t`.execute(db)
      ).rows[0]?.t;
    expect(await snapshot(target.db as unknown as Kysely<never>)).toEqual(await snapshot(source.db as unknown as Kysely<never>));
  });

  it('pages every table in a unique order: no row lost or repeated when the first column repeats', async () => {
    const db = await createTestDb();
    const copy = await createTestDb();
    try {
      for (const h of [db, copy]) {
        await sql`create table dump_probe (org int not null, n int not null, label text, primary key (org, n))`.execute(h.db);
        await sql`create table dump_probe_nokey (org int not null, n int not null)`.execute(h.db);
      }
      await sql`insert into dump_probe select 1, g, 'row ' || g from generate_series(1, 2500) g`.execute(db.db);
      await sql`insert into dump_probe_nokey select 1, g from generate_series(1, 2500) g`.execute(db.db);
      const file = join(dir, 'probe.sql');
      await writeSqlDump(db.db, file);
      await loadSqlDump(copy.db, file);
      for (const table of ['dump_probe', 'dump_probe_nokey']) {
        const stats = await sql<{ n: number; d: number }>`select count(*)::int as n, count(distinct n)::int as d from ${sql.table(table)}`.execute(copy.db);
        expect(stats.rows[0], table).toEqual({ n: 2500, d: 2500 });
      }
    } finally {
      await db.close();
      await copy.close();
    }
  });

  it('is taken automatically before migrations run on a database that has a schema', async () => {
    const extra: Migration = {
      up: async (db) => {
        await sql`alter table orgs add column test_extra text`.execute(db);
      },
    };
    const provider: MigrationProvider = {
      getMigrations: async () => ({ ...(await migrationProvider.getMigrations()), '2099-01-01T00-00_test_extra': extra }),
    };
    const backupDir = join(dir, 'backups');
    const report = await migrateToLatest(source.db, { provider, backupDir });
    expect(report.applied).toEqual(['2099-01-01T00-00_test_extra']);
    expect(report.backupFile).not.toBeNull();
    const text = readFileSync(report.backupFile ?? '', 'utf8');
    expect(readDumpHeader(text).migrations).toEqual(MIGRATION_NAMES);
    expect(text).toContain('Dupont & Fils');
    // nothing pending: no new backup
    expect((await migrateToLatest(source.db, { provider, backupDir })).backupFile).toBeNull();
  });
});
