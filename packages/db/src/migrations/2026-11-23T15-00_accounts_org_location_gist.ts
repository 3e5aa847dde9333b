import { sql, type Kysely } from 'kysely';

/**
 * Searches by place walk the GiST index nearest-first; on a location-only index they also walk every
 * other organisation's accounts in the area and drop them one heap read at a time (measured: an org of
 * 100k next to one of 1M was 5–10× slower than the big one). With `org_id` in the index (btree_gist)
 * the walk stays inside the organisation.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`create extension if not exists btree_gist`.execute(db);
  await sql`create index accounts_org_location_gix on accounts using gist (org_id, location)`.execute(db);
  await sql`drop index if exists accounts_location_gix`.execute(db);
};
