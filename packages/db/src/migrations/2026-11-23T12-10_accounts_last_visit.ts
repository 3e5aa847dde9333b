import { sql, type Kysely } from 'kysely';

/**
 * When the account was last visited (set by visits and tours; null = never), for "not visited in N days"
 * filters of the list, the map and around searches.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`alter table accounts add column last_visit_at timestamptz`.execute(db);
};
