import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { UserRecord } from './users.repository.ts';

export class SessionsRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  async insert(id: string, userId: string, orgId: string, expiresAt: Date): Promise<void> {
    await this.#db.insertInto('sessions').values({ id, user_id: userId, org_id: orgId, expires_at: expiresAt }).execute();
  }
  /** The session's user when the session is valid and the user active. */
  async findUser(id: string, now: Date): Promise<UserRecord | undefined> {
    return this.#db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        'u.id',
        'u.org_id',
        'u.email',
        'u.name',
        'u.role',
        'u.active',
        'u.home_label',
        'u.manager_id',
        sql<number | null>`ST_X(u.home_location::geometry)`.as('home_lng'),
        sql<number | null>`ST_Y(u.home_location::geometry)`.as('home_lat'),
        'u.created_at',
        'u.updated_at',
      ])
      .where('s.id', '=', id)
      .where('s.expires_at', '>', now)
      .where('u.active', '=', true)
      .executeTakeFirst();
  }
  async delete(id: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id', '=', id).execute();
  }
  async deleteForUser(userId: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }
  async deleteExpired(now: Date): Promise<void> {
    await this.#db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }
}
