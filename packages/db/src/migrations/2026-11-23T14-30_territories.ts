import { sql, type Kysely } from 'kysely';

/**
 * Territories (issue 6, first slice): saved territory plans, their territories and the territory of
 * each basic area (a département code, later a commune code or an H3 cell). Relational rather than
 * jsonb so that publishing (next slice) can join accounts → area → territory → rep in SQL.
 * `options` and `metrics` are jsonb: what the design was asked and what it measured, read whole.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table territory_plans (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      name text not null check (length(name) between 1 and 200),
      level text not null check (level in ('departement', 'commune')),
      k integer not null check (k between 1 and 1000),
      measure jsonb not null,
      tolerance double precision not null check (tolerance >= 0 and tolerance < 1),
      options jsonb not null default '{}' check (jsonb_typeof(options) = 'object'),
      metrics jsonb not null default '{}' check (jsonb_typeof(metrics) = 'object'),
      created_by uuid,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      published_at timestamptz,
      unique (org_id, id),
      foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    )`.execute(db);
  await sql`create index territory_plans_org_created_idx on territory_plans (org_id, created_at desc)`.execute(db);

  await sql`
    create table territories (
      org_id uuid not null,
      plan_id uuid not null,
      territory_index integer not null check (territory_index >= 0),
      name text not null check (length(name) between 1 and 200),
      colour text not null check (colour ~ '^#[0-9a-fA-F]{6}$'),
      rep_user_id uuid,
      primary key (org_id, plan_id, territory_index),
      foreign key (org_id, plan_id) references territory_plans(org_id, id) on delete cascade,
      foreign key (org_id, rep_user_id) references users(org_id, id) on delete set null (rep_user_id)
    )`.execute(db);

  await sql`
    create table territory_plan_areas (
      org_id uuid not null,
      plan_id uuid not null,
      area_code text not null check (length(area_code) between 1 and 32),
      territory_index integer not null,
      primary key (org_id, plan_id, area_code),
      foreign key (org_id, plan_id, territory_index) references territories(org_id, plan_id, territory_index) on delete cascade
    )`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop table territory_plan_areas`.execute(db);
  await sql`drop table territories`.execute(db);
  await sql`drop table territory_plans`.execute(db);
};
