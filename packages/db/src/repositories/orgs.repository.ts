import type { Kysely } from 'kysely';
import type { Database, OrgRow } from '../schema.ts';

export class OrgsRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  async create(name: string, timeZone = 'Europe/Paris'): Promise<OrgRow> {
    return this.#db.insertInto('orgs').values({ name, time_zone: timeZone }).returningAll().executeTakeFirstOrThrow();
  }
  async get(id: string): Promise<OrgRow | undefined> {
    return this.#db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async count(): Promise<number> {
    const row = await this.#db.selectFrom('orgs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
