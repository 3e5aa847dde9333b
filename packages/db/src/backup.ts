import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import { AppError } from '@geocrm/domain';
import type { Database } from './schema.ts';

const CHUNK = 1000;
const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Tables of the public schema, parents before children (foreign keys). */
const tablesInDependencyOrder = async (db: Kysely<Database>): Promise<string[]> => {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname not like 'kysely_%' and c.relname <> 'spatial_ref_sys'
    order by c.relname`.execute(db);
  const deps = await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public'`.execute(db);
  const names = tables.rows.map((t) => t.name);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (ordered.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const d of deps.rows) if (d.child === name && d.parent !== name) visit(d.parent);
    ordered.push(name);
  };
  names.forEach(visit);
  return ordered.filter((n) => names.includes(n));
};

/**
 * The order rows are paged in: the primary key (a unique order, so no row is skipped or repeated
 * between pages), else the physical position, which cannot move inside the dump's snapshot.
 */
const pageOrder = async (db: Kysely<Database>, table: string) => {
  const key = await sql<{ name: string }>`
    select a.attname as name from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${quoteIdent(table)}::regclass and i.indisprimary
    order by array_position(i.indkey::int2[], a.attnum)`.execute(db);
  return key.rows.length ? sql.join(key.rows.map((r) => sql.ref(r.name))) : sql`ctid`;
};

const appliedMigrations = async (db: Kysely<Database>): Promise<string[]> => {
  const result = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return result.rows.map((r) => r.name);
};

/**
 * Writes a plain-SQL dump of every row (schema by migrations, recorded in the header), restorable
 * with `restoreSqlDump` on either engine. Rows are read in one repeatable-read transaction so the
 * dump is consistent.
 */
export const writeSqlDump = async (db: Kysely<Database>, file: string): Promise<{ tables: number; rows: number }> => {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let rows = 0;
  let tableCount = 0;
  try {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const migrations = await appliedMigrations(trx);
        const tables = await tablesInDependencyOrder(trx);
        tableCount = tables.length;
        await write(`-- GeoCRM SQL dump\n-- created: ${new Date().toISOString()}\n-- migrations: ${migrations.join(',')}\n`);
        await write('-- Restore with: npm run restore -- <this file> (into an empty database)\nbegin;\n');
        for (const table of tables) {
          const countResult = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(trx);
          const total = countResult.rows[0]?.n ?? 0;
          const order = await pageOrder(trx, table);
          for (let offset = 0; offset < total; offset += CHUNK) {
            const chunk = await sql<{ data: unknown }>`
              select coalesce(json_agg(t), '[]'::json) as data from (
                select * from ${sql.table(table)} order by ${order} limit ${CHUNK} offset ${offset}) t`.execute(trx);
            const json = JSON.stringify(chunk.rows[0]?.data ?? []);
            let tag = 'geocrm';
            while (json.includes(`$${tag}$`)) tag = `geocrm_${randomBytes(4).toString('hex')}`;
            await write(`insert into ${quoteIdent(table)} select * from json_populate_recordset(null::${quoteIdent(table)}, $${tag}$${json}$${tag}$);\n`);
          }
          rows += total;
        }
        await write('commit;\n');
      });
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return { tables: tableCount, rows };
};

export interface DumpHeader {
  readonly migrations: readonly string[];
}

export const readDumpHeader = (text: string): DumpHeader => {
  const line = /^-- migrations: (.*)$/m.exec(text);
  if (!text.startsWith('-- GeoCRM SQL dump') || !line) throw new AppError('VALIDATION', 'Not a GeoCRM SQL dump');
  return { migrations: (line[1] ?? '').split(',').filter(Boolean) };
};

/** Loads a dump into a database already migrated to the dump's version. */
export const loadSqlDump = async (db: Kysely<Database>, file: string): Promise<void> => {
  const text = readFileSync(file, 'utf8');
  readDumpHeader(text);
  // Each statement is one line (JSON escapes newlines); begin/commit are replaced by our transaction.
  const statements = text.split('\n').filter((l) => l.startsWith('insert into '));
  await db.transaction().execute(async (trx) => {
    for (const statement of statements) await sql.raw(statement).execute(trx);
  });
};
