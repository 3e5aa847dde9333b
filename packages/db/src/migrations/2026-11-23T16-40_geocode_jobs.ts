import { sql, type Kysely } from 'kysely';

/**
 * Background geocoding (issue 4):
 * - `geocode_jobs`: one row per re-geocoding asked (`queued → running → done | failed | cancelled`), its
 *   scope and provider, its counters, the runner that holds it and its heartbeat. A job is resumed after
 *   a restart: the accounts it covers are listed once in `geocode_job_items` when it is created, and
 *   an item gets its outcome in the same transaction as the account it moves, so none is done twice.
 * - `address_file_loads` and `address_points_staging`: an address file is read into the staging table
 *   in short statements (progress visible, the database never held for the whole upload), then moved
 *   into `address_points` in one transaction at the end: a load lands whole or not at all.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table geocode_jobs (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
      provider text not null,
      scope jsonb not null check (jsonb_typeof(scope) = 'object'),
      total integer not null default 0,
      processed integer not null default 0,
      placed integer not null default 0,
      not_found integer not null default 0,
      failed integer not null default 0,
      skipped_manual integer not null default 0,
      skipped_changed integer not null default 0,
      skipped_gone integer not null default 0,
      error text,
      created_by uuid,
      runner_id text,
      heartbeat_at timestamptz,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      started_at timestamptz,
      finished_at timestamptz,
      unique (org_id, id),
      foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    )`.execute(db);
  await sql`create index geocode_jobs_org_created_idx on geocode_jobs (org_id, created_at desc)`.execute(db);
  await sql`create index geocode_jobs_open_idx on geocode_jobs (status) where status in ('queued', 'running')`.execute(db);
  await sql`
    create table geocode_job_items (
      org_id uuid not null,
      job_id uuid not null,
      seq integer not null,
      account_id uuid not null,
      outcome text check (outcome in ('placed', 'not_found', 'failed', 'skipped_manual', 'skipped_changed', 'skipped_gone')),
      previous_precision text,
      precision text,
      score double precision,
      source text,
      reason text,
      done_at timestamptz,
      primary key (job_id, seq),
      foreign key (org_id, job_id) references geocode_jobs(org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index geocode_job_items_pending_idx on geocode_job_items (job_id, seq) where outcome is null`.execute(db);

  await sql`
    create table address_file_loads (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      name text not null,
      status text not null default 'loading' check (status in ('loading', 'saving', 'done', 'failed')),
      bytes_read bigint not null default 0,
      bytes_total bigint,
      points integer not null default 0,
      rejected integer not null default 0,
      file_id uuid,
      error text,
      loaded_by uuid,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (org_id, id)
    )`.execute(db);
  await sql`create index address_file_loads_org_idx on address_file_loads (org_id, created_at desc)`.execute(db);
  await sql`
    create table address_points_staging (
      load_id uuid not null references address_file_loads(id) on delete cascade,
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
  await sql`create index address_points_staging_load_idx on address_points_staging (load_id)`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop table address_points_staging`.execute(db);
  await sql`drop table address_file_loads`.execute(db);
  await sql`drop table geocode_job_items`.execute(db);
  await sql`drop table geocode_jobs`.execute(db);
};
