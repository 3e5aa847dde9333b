import { sql, type Kysely } from 'kysely';
import type { Role } from '@geocrm/domain';
import type { Database, UserRow } from '../schema.ts';

export type UserRecord = Omit<UserRow, 'password_hash'> & { readonly home_lng: number | null; readonly home_lat: number | null };
const PUBLIC_COLUMNS = [
  'id',
  'org_id',
  'email',
  'name',
  'role',
  'active',
  'home_label',
  'manager_id',
  sql<number | null>`ST_X(home_location::geometry)`.as('home_lng'),
  sql<number | null>`ST_Y(home_location::geometry)`.as('home_lat'),
  'created_at',
  'updated_at',
] as const;

export interface NewUser {
  readonly orgId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly home?: { readonly label: string; readonly lng: number; readonly lat: number };
}
export interface UserPatch {
  readonly name?: string;
  readonly role?: Role;
  readonly active?: boolean;
  readonly passwordHash?: string;
  /** The user's manager (null: none). */
  readonly managerId?: string | null;
}

export class UsersRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  /** For login only: the one place the password hash leaves the database. */
  async findByEmailWithHash(email: string): Promise<UserRow | undefined> {
    return this.#db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
  }
  async get(orgId: string, id: string): Promise<UserRecord | undefined> {
    return this.#db.selectFrom('users').select(PUBLIC_COLUMNS).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }
  async list(orgId: string): Promise<UserRecord[]> {
    return this.#db.selectFrom('users').select(PUBLIC_COLUMNS).where('org_id', '=', orgId).orderBy('name').orderBy('id').execute();
  }
  async emailExists(email: string): Promise<boolean> {
    const row = await this.#db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
    return row !== undefined;
  }
  async insert(user: NewUser): Promise<UserRecord> {
    return this.#db
      .insertInto('users')
      .values({
        org_id: user.orgId,
        email: user.email.toLowerCase(),
        name: user.name,
        role: user.role,
        password_hash: user.passwordHash,
        ...(user.home ? { home_label: user.home.label, home_location: sql`ST_SetSRID(ST_MakePoint(${user.home.lng}, ${user.home.lat}), 4326)::geography` } : {}),
      })
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
  }
  async update(orgId: string, id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    return this.#db
      .updateTable('users')
      .set({
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.role === undefined ? {} : { role: patch.role }),
        ...(patch.active === undefined ? {} : { active: patch.active }),
        ...(patch.passwordHash === undefined ? {} : { password_hash: patch.passwordHash }),
        ...(patch.managerId === undefined ? {} : { manager_id: patch.managerId }),
        updated_at: new Date(),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirst();
  }
  async countActiveAdmins(orgId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('role', '=', 'admin')
      .where('active', '=', true)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
