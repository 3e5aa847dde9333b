import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDb, createRepositories, loadSqlDump, migrateToLatest, readDumpHeader } from '@geocrm/db';
import { loadConfig } from '../config.ts';

/** `npm run restore -- <file.sql>`: loads a dump into an empty database (fresh DATA_DIR or empty server database). */
const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run restore -- <backup.sql>');
  process.exit(2);
}
const config = loadConfig();
const header = readDumpHeader(readFileSync(resolve(file), 'utf8'));
const handle = await createDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
try {
  const last = header.migrations.at(-1);
  await migrateToLatest(handle.db, last ? { target: last } : {});
  if ((await createRepositories(handle.db).orgs.count()) > 0) {
    console.error('The target database already has data; restore into an empty DATA_DIR or database.');
    process.exitCode = 1;
  } else {
    await loadSqlDump(handle.db, resolve(file));
    await migrateToLatest(handle.db);
    console.log(`Restored ${file}`);
  }
} finally {
  await handle.close();
}
