import { sql, type Kysely } from 'kysely';

/**
 * Automatic assignment (F-TOUR-7): service tasks (service calls at an account, assigned to a technician
 * on a planned date and time) and the days a person is away (absences), which assignment respects.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table service_tasks (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      account_id uuid not null,
      title text not null check (length(title) between 1 and 200),
      duration_minutes integer not null check (duration_minutes between 5 and 720),
      required_skills text[] not null default '{}',
      due_date date,
      priority integer not null default 50 check (priority between 0 and 100),
      status text not null default 'open' check (status in ('open', 'assigned', 'done', 'cancelled')),
      assigned_user_id uuid,
      planned_date date,
      planned_start_at timestamptz,
      notes text not null default '',
      created_by uuid,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (org_id, id),
      -- an assigned task has its technician and its day
      check (status <> 'assigned' or (assigned_user_id is not null and planned_date is not null)),
      foreign key (org_id, account_id) references accounts(org_id, id) on delete cascade,
      foreign key (org_id, assigned_user_id) references users(org_id, id) on delete set null (assigned_user_id),
      foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    )`.execute(db);
  await sql`create index service_tasks_org_status_due_idx on service_tasks (org_id, status, due_date)`.execute(db);
  await sql`create index service_tasks_org_user_date_idx on service_tasks (org_id, assigned_user_id, planned_date)`.execute(db);

  await sql`
    create table user_absences (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null,
      user_id uuid not null,
      date_from date not null,
      date_to date not null,
      reason text not null default '' check (length(reason) <= 200),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      check (date_to >= date_from),
      foreign key (org_id, user_id) references users(org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index user_absences_org_user_idx on user_absences (org_id, user_id, date_from)`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop table user_absences, service_tasks`.execute(db);
};
