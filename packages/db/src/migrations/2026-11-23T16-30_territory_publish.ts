import { sql, type Kysely } from 'kysely';

/**
 * Publishing territories (issue 6, F-TER-2) and the access rule that follows them.
 *
 * - `territories.id`: a stable id per territory (accounts point at it; the composite key stays).
 * - At most one published plan per organisation (partial unique index).
 * - `accounts.territory_id`: the published territory whose area contains the account (null: no
 *   published plan, no location, or outside every area). Set at publish time for every account and,
 *   by the trigger below, whenever an account is inserted or its location changes (create, import,
 *   pin moved, geocoded) — every write path, including ones that do not know about territories.
 * - `users.manager_id`: the team relation (a manager sees the accounts of the reps they manage).
 * - `territory_area_shapes`: the basic areas' polygons (reference data shared by every organisation,
 *   hence no org_id), cut with ST_Subdivide into pieces of at most 128 vertices so that point in
 *   polygon on the GiST index stays cheap. Filled by the server from the shipped boundaries the
 *   design uses (the same polygons), the first time a plan on that level is published.
 * Frozen: never edit a migration that has shipped; add a new one.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`alter table territories add column id uuid not null default gen_random_uuid()`.execute(db);
  await sql`alter table territories add constraint territories_org_id_key unique (org_id, id)`.execute(db);
  await sql`create unique index territory_plans_one_published on territory_plans (org_id) where published_at is not null`.execute(db);

  await sql`alter table users add column manager_id uuid`.execute(db);
  await sql`alter table users add constraint users_manager_fk foreign key (org_id, manager_id) references users(org_id, id) on delete set null (manager_id)`.execute(db);
  await sql`alter table users add constraint users_manager_not_self check (manager_id is null or manager_id <> id)`.execute(db);
  await sql`create index users_org_manager_idx on users (org_id, manager_id) where manager_id is not null`.execute(db);

  await sql`alter table accounts add column territory_id uuid`.execute(db);
  await sql`alter table accounts add constraint accounts_territory_fk foreign key (org_id, territory_id) references territories(org_id, id) on delete set null (territory_id)`.execute(db);
  // The scope filter `owner_id = any(…) or territory_id = any(…)` is served by a BitmapOr of this index and (org_id, owner_id).
  await sql`create index accounts_org_territory_idx on accounts (org_id, territory_id)`.execute(db);

  await sql`
    create table territory_area_shapes (
      level text not null check (level in ('departement', 'commune')),
      code text not null check (length(code) between 1 and 32),
      piece integer not null,
      geom geometry(Polygon, 4326) not null,
      primary key (level, code, piece)
    )`.execute(db);
  await sql`create index territory_area_shapes_gix on territory_area_shapes using gist (geom)`.execute(db);

  // The published territory containing a point (null when none); ties on a shared border go to the lowest area code.
  await sql`
    create function published_territory_at(p_org uuid, p_location geography) returns uuid
    language sql stable as $$
      select t.id
      from territory_plans p
      join territory_area_shapes s on s.level = p.level and s.geom && p_location::geometry and ST_Intersects(s.geom, p_location::geometry)
      join territory_plan_areas pa on pa.org_id = p.org_id and pa.plan_id = p.id and pa.area_code = s.code
      join territories t on t.org_id = pa.org_id and t.plan_id = pa.plan_id and t.territory_index = pa.territory_index
      where p.org_id = p_org and p.published_at is not null and p_location is not null
      order by s.code
      limit 1
    $$`.execute(db);
  await sql`
    create function accounts_set_territory() returns trigger
    language plpgsql as $$
    begin
      if new.location is null then
        new.territory_id := null;
      else
        new.territory_id := published_territory_at(new.org_id, new.location);
      end if;
      return new;
    end
    $$`.execute(db);
  await sql`create trigger accounts_territory before insert or update of location on accounts for each row execute function accounts_set_territory()`.execute(db);
};

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await sql`drop trigger accounts_territory on accounts`.execute(db);
  await sql`drop function accounts_set_territory()`.execute(db);
  await sql`drop function published_territory_at(uuid, geography)`.execute(db);
  await sql`drop table territory_area_shapes`.execute(db);
  await sql`alter table accounts drop column territory_id`.execute(db);
  await sql`alter table users drop column manager_id`.execute(db);
  await sql`drop index territory_plans_one_published`.execute(db);
  await sql`alter table territories drop constraint territories_org_id_key`.execute(db);
  await sql`alter table territories drop column id`.execute(db);
};
