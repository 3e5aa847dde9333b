import { sql, type Kysely } from 'kysely';

/**
 * Tours (issue 5, first slice): rep profiles, visit types, visits, saved tours with their days and stops.
 * The rep's home stays in `users.home_label/home_location` (one place, already used by the demo seed);
 * the profile holds everything else.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  const hhmm = (column: string) => sql.raw(`${column} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$'`);

  await sql`
    create table rep_profiles (
      org_id uuid not null,
      user_id uuid not null,
      office_label text not null default '',
      office_location geography(Point, 4326),
      start_at text not null default 'home' check (start_at in ('home', 'office')),
      working_hours jsonb not null default '{}' check (jsonb_typeof(working_hours) = 'object'),
      lunch_from text not null default '12:00' check (${hhmm('lunch_from')}),
      lunch_to text not null default '14:00' check (${hhmm('lunch_to')}),
      lunch_minutes integer not null default 60 check (lunch_minutes between 0 and 240),
      max_daily_driving_minutes integer check (max_daily_driving_minutes between 1 and 1440),
      cost_per_km_cents integer not null default 0 check (cost_per_km_cents >= 0),
      hotel_night_cents integer not null default 0 check (hotel_night_cents >= 0),
      meal_cents integer not null default 0 check (meal_cents >= 0),
      currency char(3) not null default 'EUR',
      skills text[] not null default '{}',
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      primary key (org_id, user_id),
      unique (user_id),
      check (lunch_from <= lunch_to),
      foreign key (org_id, user_id) references users(org_id, id) on delete cascade
    )`.execute(db);

  await sql`
    create table visit_types (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      duration_minutes integer not null check (duration_minutes between 1 and 720),
      required_skills text[] not null default '{}',
      default_priority integer not null default 50 check (default_priority between 0 and 100),
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (org_id, id)
    )`.execute(db);
  await sql`create unique index visit_types_org_name_key on visit_types (org_id, lower(name))`.execute(db);

  await sql`
    create table visits (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      account_id uuid not null,
      visit_type_id uuid not null,
      assigned_user_id uuid,
      status text not null default 'planned' check (status in ('planned', 'done', 'missed', 'cancelled')),
      appointment_at timestamptz,
      window_from date,
      window_to date,
      time_from text check (${hhmm('time_from')}),
      time_to text check (${hhmm('time_to')}),
      priority integer not null check (priority between 0 and 100),
      notes text not null default '',
      created_by uuid,
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (org_id, id),
      -- either a booked appointment or a window of dates, never both
      check ((appointment_at is not null and window_from is null and window_to is null)
          or (appointment_at is null and window_from is not null and window_to is not null and window_from <= window_to)),
      check ((time_from is null) = (time_to is null) and (time_from is null or time_from < time_to)),
      foreign key (org_id, account_id) references accounts(org_id, id) on delete cascade,
      foreign key (org_id, visit_type_id) references visit_types(org_id, id),
      foreign key (org_id, assigned_user_id) references users(org_id, id) on delete set null (assigned_user_id),
      foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    )`.execute(db);
  await sql`create index visits_org_user_status_idx on visits (org_id, assigned_user_id, status)`.execute(db);
  await sql`create index visits_org_account_idx on visits (org_id, account_id)`.execute(db);

  await sql`
    create table tours (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references orgs(id) on delete cascade,
      user_id uuid not null,
      date_from date not null,
      date_to date not null check (date_to >= date_from),
      status text not null default 'planned' check (status in ('planned', 'done', 'cancelled')),
      created_by uuid,
      planned_distance_m integer not null check (planned_distance_m >= 0),
      planned_driving_s integer not null check (planned_driving_s >= 0),
      planned_visits integer not null check (planned_visits >= 0),
      planned_hotel_nights integer not null check (planned_hotel_nights >= 0),
      planned_meals integer not null check (planned_meals >= 0),
      planned_cost_cents integer not null check (planned_cost_cents >= 0),
      currency char(3) not null default 'EUR',
      created_at timestamptz not null default date_trunc('milliseconds', now()),
      updated_at timestamptz not null default date_trunc('milliseconds', now()),
      unique (org_id, id),
      foreign key (org_id, user_id) references users(org_id, id) on delete cascade,
      foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    )`.execute(db);
  await sql`create index tours_org_user_dates_idx on tours (org_id, user_id, date_from)`.execute(db);

  await sql`
    create table tour_days (
      org_id uuid not null,
      tour_id uuid not null,
      date date not null,
      start_at timestamptz not null,
      end_at timestamptz not null,
      distance_m integer not null,
      driving_s integer not null,
      lunch_start_at timestamptz,
      lunch_end_at timestamptz,
      night text not null check (night in ('home', 'hotel')),
      night_location geography(Point, 4326),
      primary key (tour_id, date),
      check ((night = 'hotel') = (night_location is not null)),
      foreign key (org_id, tour_id) references tours(org_id, id) on delete cascade
    )`.execute(db);

  await sql`
    create table tour_stops (
      org_id uuid not null,
      tour_id uuid not null,
      date date not null,
      seq integer not null check (seq >= 0),
      visit_id uuid not null,
      arrival_at timestamptz not null,
      start_at timestamptz not null,
      end_at timestamptz not null,
      departure_at timestamptz not null,
      drive_s integer not null,
      drive_m integer not null,
      wait_s integer not null,
      primary key (tour_id, date, seq),
      foreign key (org_id, tour_id) references tours(org_id, id) on delete cascade,
      foreign key (tour_id, date) references tour_days(tour_id, date) on delete cascade,
      foreign key (org_id, visit_id) references visits(org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index tour_stops_visit_idx on tour_stops (org_id, visit_id)`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop table tour_stops, tour_days, tours, visits, visit_types, rep_profiles`.execute(db);
};
