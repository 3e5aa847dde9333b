import { sql, type Kysely } from 'kysely';

/**
 * Account import and export (F-ACC-2): an external id on accounts (the key of an update-or-create
 * import), the import jobs and their per-line report.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`alter table accounts add column external_id text check (external_id is null or length(external_id) between 1 and 200)`.execute(db);
  await sql`create unique index accounts_org_external_id_key on accounts (org_id, external_id) where external_id is not null`.execute(db);
  // update-or-create by name + postcode
  await sql`create index accounts_org_postcode_name_idx on accounts (org_id, postcode, lower(name))`.execute(db);

  await sql`
    create table import_jobs (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      created_by uuid not null,
      status text not null check (status in ('draft', 'queued', 'running', 'done', 'failed', 'cancelled')),
      file_name text not null,
      file_path text not null,
      file_size bigint not null default 0,
      format text not null check (format in ('csv', 'xlsx')),
      encoding text,
      delimiter text,
      columns jsonb not null default '[]' check (jsonb_typeof(columns) = 'array'),
      options jsonb not null default '{}' check (jsonb_typeof(options) = 'object'),
      total_rows integer not null default 0,
      processed_rows integer not null default 0,
      created_count integer not null default 0,
      updated_count integer not null default 0,
      skipped_count integer not null default 0,
      checkpoint_row integer not null default 0,
      error text,
      runner_id text,
      heartbeat_at timestamptz,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      started_at timestamptz,
      finished_at timestamptz,
      unique (org_id, id),
      foreign key (org_id, created_by) references users(org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index import_jobs_org_created_idx on import_jobs (org_id, created_at desc)`.execute(db);
  await sql`create index import_jobs_pending_idx on import_jobs (created_at) where status in ('queued', 'running')`.execute(db);

  // One line per data row of the file: the report, and the marker that makes a resumed job idempotent.
  await sql`
    create table import_job_rows (
      org_id uuid not null,
      job_id uuid not null,
      line integer not null,
      outcome text not null check (outcome in ('created', 'updated', 'skipped')),
      account_id uuid,
      name text not null default '',
      reason text not null default '',
      primary key (job_id, line),
      foreign key (org_id, job_id) references import_jobs(org_id, id) on delete cascade
    )`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop table import_job_rows, import_jobs`.execute(db);
  await sql`drop index accounts_org_postcode_name_idx`.execute(db);
  await sql`alter table accounts drop column external_id`.execute(db);
};
