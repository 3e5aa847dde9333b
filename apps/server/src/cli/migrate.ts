import { loadConfig } from '../config.ts';
import { openDatabase } from '../database.ts';

const config = loadConfig();
const { handle, migration } = await openDatabase(config);
await handle.close();
console.log(migration.applied.length ? `Applied: ${migration.applied.join(', ')}` : 'The database is up to date.');
if (migration.backupFile) console.log(`Backup taken first: ${migration.backupFile}`);
