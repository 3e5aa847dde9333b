import { sql, type Kysely } from 'kysely';

/**
 * Street-level geocoding without network: address files (BAN, OpenAddresses) an administrator loads,
 * their points, and the cache of online geocoders' answers (shared reference data: no org_id, the
 * same query gets the same answer whoever asks).
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table address_files (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      name text not null check (length(name) between 1 and 300),
      format text not null check (format in ('ban', 'openaddresses')),
      points integer not null default 0,
      rejected integer not null default 0,
      loaded_by uuid references users(id) on delete set null,
      loaded_at timestamptz not null default date_trunc('milliseconds', now())
    )`.execute(db);
  await sql`create index address_files_org on address_files (org_id, loaded_at desc)`.execute(db);
  await sql`
    create table address_points (
      id bigint generated always as identity primary key,
      org_id uuid not null references orgs(id) on delete cascade,
      file_id uuid not null references address_files(id) on delete cascade,
      number text not null,
      street text not null,
      street_key text not null,
      postcode text not null,
      city text not null,
      city_key text not null,
      old_city text,
      old_city_key text,
      city_insee text,
      source_id text,
      location geography(Point, 4326) not null
    )`.execute(db);
  await sql`create index address_points_postcode on address_points (org_id, postcode)`.execute(db);
  await sql`create index address_points_city on address_points (org_id, city_key)`.execute(db);
  await sql`create index address_points_old_city on address_points (org_id, old_city_key) where old_city_key is not null`.execute(db);
  await sql`create index address_points_file on address_points (file_id)`.execute(db);
  await sql`
    create table geocode_cache (
      key text primary key,
      entry jsonb not null,
      stored_at timestamptz not null default now()
    )`.execute(db);
};
