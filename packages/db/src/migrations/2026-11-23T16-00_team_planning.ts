import { sql, type Kysely } from 'kysely';

/**
 * Team planning (issue 5): persisted planning jobs, and double booking made impossible in the database.
 * - `planning_jobs`: one row per team plan asked (`queued → running → done | failed | cancelled`), its
 *   request, its progress (phase, %, counts, best cost so far) and its result as jsonb, the runner that
 *   holds it and its heartbeat. A job whose runner stops heartbeating (a restart, a crash) is marked
 *   failed as interrupted: it is not resumed (a plan is cheap to ask again, and the visits may have changed).
 * - `tour_stops.active`: false once its tour is cancelled; one active stop per visit (partial unique
 *   index), so two concurrent saves cannot both place the same visit.
 * - `tours`: one planned tour per rep and date (an exclusion constraint over the tour's dates), so two
 *   concurrent saves cannot both book the same rep on the same day.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table planning_jobs (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      kind text not null default 'team' check (kind in ('team')),
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
      request jsonb not null check (jsonb_typeof(request) = 'object'),
      progress jsonb not null default '{}' check (jsonb_typeof(progress) = 'object'),
      result jsonb,
      error text,
      created_by uuid,
      runner_id text,
      heartbeat_at timestamptz,
      saved_at timestamptz,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      started_at timestamptz,
      finished_at timestamptz,
      unique (org_id, id),
      foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    )`.execute(db);
  await sql`create index planning_jobs_org_created_idx on planning_jobs (org_id, created_at desc)`.execute(db);
  await sql`create index planning_jobs_open_idx on planning_jobs (status) where status in ('queued', 'running')`.execute(db);

  await sql`alter table tour_stops add column active boolean not null default true`.execute(db);
  await sql`update tour_stops s set active = false from tours t where t.org_id = s.org_id and t.id = s.tour_id and t.status = 'cancelled'`.execute(db);
  await sql`create unique index tour_stops_active_visit_key on tour_stops (org_id, visit_id) where active`.execute(db);

  await sql`create extension if not exists btree_gist`.execute(db);
  await sql`
    alter table tours add constraint tours_rep_dates_excl
      exclude using gist (org_id with =, user_id with =, daterange(date_from, date_to, '[]') with &&) where (status = 'planned')`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`alter table tours drop constraint tours_rep_dates_excl`.execute(db);
  await sql`drop index tour_stops_active_visit_key`.execute(db);
  await sql`alter table tour_stops drop column active`.execute(db);
  await sql`drop table planning_jobs`.execute(db);
};
