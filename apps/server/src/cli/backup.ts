import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeSqlDump } from '@geocrm/db';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../database.ts';

/** `npm run backup [-- <file.sql>]`: a SQL dump of every row, by default in DATA_DIR/backups. */
const config = loadConfig();
const target = process.argv[2]
  ? resolve(process.argv[2])
  : join(config.dataDir, 'backups', `geocrm-${new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}.sql`);
mkdirSync(join(target, '..'), { recursive: true });
const { handle } = await openDatabase(config);
try {
  const stats = await writeSqlDump(handle.db, target);
  console.log(`Backup written: ${target} (${stats.rows} rows in ${stats.tables} tables)`);
} finally {
  await handle.close();
}
