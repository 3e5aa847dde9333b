import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AccountKind, AccountStatus, GeoPrecision, GeoSource, OpeningHours, Role } from '@geocrm/domain';

type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface OrgsTable {
  id: Generated<string>;
  name: string;
  time_zone: Generated<string>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  active: Generated<boolean>;
  /** Where the user's working days start and end (a rep's home base). */
  home_label: Generated<string>;
  home_location: ColumnType<never, unknown, unknown> | null;
  /** The user's manager (the team relation that visibility follows once territories are published). */
  manager_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a stolen database does not give sessions away. */
  id: string;
  user_id: string;
  org_id: string;
  created_at: Timestamp;
  expires_at: Date;
}

export interface AccountsTable {
  id: Generated<string>;
  org_id: string;
  kind: AccountKind;
  status: AccountStatus;
  name: string;
  owner_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom_fields: Json<Record<string, unknown>>;
  phone: string | null;
  email: string | null;
  website: string | null;
  address_line1: Generated<string>;
  address_line2: Generated<string>;
  postcode: Generated<string>;
  city: Generated<string>;
  country: Generated<string>;
  /** geography(Point, 4326): write with ST_MakePoint, read with ST_X/ST_Y. */
  location: ColumnType<never, unknown, unknown> | null;
  geo_precision: GeoPrecision | null;
  geo_source: GeoSource | null;
  geo_manual: Generated<boolean>;
  geo_score: number | null;
  opening_hours: Json<OpeningHours>;
  preferred_visit_days: ColumnType<number[], number[] | undefined, number[]>;
  notes: Generated<string>;
  last_visit_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Set by publishing and by a trigger on insert / location change (migration 2026-11-23T16-30); never written by the application's account writes. */
  territory_id: ColumnType<string | null, never, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactsTable {
  id: Generated<string>;
  org_id: string;
  account_id: string;
  first_name: Generated<string>;
  last_name: string;
  title: Generated<string>;
  email: string | null;
  phone: string | null;
  is_primary: Generated<boolean>;
  notes: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  orgs: OrgsTable;
  users: UsersTable;
  sessions: SessionsTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
}

export type OrgRow = Selectable<OrgsTable>;
export type UserRow = Omit<Selectable<UsersTable>, 'home_location'>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type ContactRow = Selectable<ContactsTable>;
