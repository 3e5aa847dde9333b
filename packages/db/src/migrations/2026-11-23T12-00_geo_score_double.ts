import { sql, type Kysely } from 'kysely';

/**
 * `geo_score` was `real`: 0.9 stored as 0.8999999762 counted as "below 0.9" in the quality screen.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  // Round through text so 0.9 stored as a float4 becomes exactly 0.9 again, not 0.8999999762.
  await sql`alter table accounts alter column geo_score type double precision using geo_score::text::double precision`.execute(db);
};
