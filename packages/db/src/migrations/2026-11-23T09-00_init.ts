import { sql, type Kysely } from 'kysely';

/** Frozen: never edit a migration that has shipped; add a new one. */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`create extension if not exists postgis`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table orgs (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      time_zone text not null default 'Europe/Paris',
      created_at timestamptz not null default date_trunc('milliseconds', now())
    )`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      email text not null check (email = lower(email)),
      name text not null,
      role text not null check (role in ('admin', 'manager', 'rep', 'technician', 'backoffice')),
      password_hash text not null,
      active boolean not null default true,
      home_label text not null default '',
      home_location geography(Point, 4326),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (email),
      unique (org_id, id)
    )`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      user_id uuid not null,
      org_id uuid not null,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      expires_at timestamptz not null,
      foreign key (org_id, user_id) references users(org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);

  await sql`
    create table accounts (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      kind text not null check (kind in ('client','prospect','supplier','partner','subcontractor','equipment','competitor','job_site')),
      status text not null default 'active' check (status in ('active','inactive','lead','lost','archived')),
      name text not null check (length(name) between 1 and 200),
      owner_id uuid,
      tags text[] not null default '{}',
      custom_fields jsonb not null default '{}' check (jsonb_typeof(custom_fields) = 'object'),
      phone text,
      email text,
      website text,
      address_line1 text not null default '',
      address_line2 text not null default '',
      postcode text not null default '',
      city text not null default '',
      country char(2) not null default 'FR',
      location geography(Point, 4326),
      geo_precision text check (geo_precision in ('housenumber','street','locality','municipality','postcode','region','country')),
      geo_source text,
      geo_manual boolean not null default false,
      geo_score real,
      opening_hours jsonb not null default '{"weekly":{},"exceptions":[]}',
      preferred_visit_days smallint[] not null default '{}',
      notes text not null default '',
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (org_id, id),
      foreign key (org_id, owner_id) references users(org_id, id) on delete set null (owner_id)
    )`.execute(db);
  await sql`create index accounts_location_gix on accounts using gist (location)`.execute(db);
  await sql`create index accounts_org_name_idx on accounts (org_id, name, id)`.execute(db);
  await sql`create index accounts_org_city_idx on accounts (org_id, city, id)`.execute(db);
  await sql`create index accounts_org_updated_idx on accounts (org_id, updated_at, id)`.execute(db);
  await sql`create index accounts_org_owner_idx on accounts (org_id, owner_id)`.execute(db);
  await sql`create index accounts_tags_gin on accounts using gin (tags)`.execute(db);
  // Text search runs on "name city" (substring and trigram word similarity): one index serves both.
  await sql`create index accounts_search_trgm on accounts using gin ((name || ' ' || city) gin_trgm_ops)`.execute(db);

  await sql`
    create table contacts (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null,
      account_id uuid not null,
      first_name text not null default '',
      last_name text not null check (length(last_name) between 1 and 200),
      title text not null default '',
      email text,
      phone text,
      is_primary boolean not null default false,
      notes text not null default '',
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      foreign key (org_id, account_id) references accounts(org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index contacts_account_idx on contacts (org_id, account_id)`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop table contacts, accounts, sessions, users, orgs`.execute(db);
};
