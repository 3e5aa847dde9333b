import type { Kysely, Selectable } from 'kysely';
import type { ContactsTable, Database } from '../schema.ts';

export interface ContactRecord {
  readonly id: string;
  readonly accountId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly title: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly isPrimary: boolean;
  readonly notes: string;
}
export interface ContactWrite {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly title?: string;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly isPrimary?: boolean;
  readonly notes?: string;
}

const toRecord = (r: Selectable<ContactsTable>): ContactRecord => ({
  id: r.id,
  accountId: r.account_id,
  firstName: r.first_name,
  lastName: r.last_name,
  title: r.title,
  email: r.email,
  phone: r.phone,
  isPrimary: r.is_primary,
  notes: r.notes,
});

const columns = (w: ContactWrite) => ({
  ...(w.firstName === undefined ? {} : { first_name: w.firstName }),
  ...(w.lastName === undefined ? {} : { last_name: w.lastName }),
  ...(w.title === undefined ? {} : { title: w.title }),
  ...(w.email === undefined ? {} : { email: w.email }),
  ...(w.phone === undefined ? {} : { phone: w.phone }),
  ...(w.isPrimary === undefined ? {} : { is_primary: w.isPrimary }),
  ...(w.notes === undefined ? {} : { notes: w.notes }),
});

export class ContactsRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  async listForAccount(orgId: string, accountId: string): Promise<ContactRecord[]> {
    const rows = await this.#db
      .selectFrom('contacts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('account_id', '=', accountId)
      .orderBy('is_primary', 'desc')
      .orderBy('last_name')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }
  async insert(orgId: string, accountId: string, data: ContactWrite & { lastName: string }): Promise<ContactRecord> {
    const now = new Date();
    const row = await this.#db
      .insertInto('contacts')
      .values({ org_id: orgId, account_id: accountId, created_at: now, updated_at: now, last_name: data.lastName, ...columns(data) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRecord(row);
  }
  async insertMany(orgId: string, rows: readonly (ContactWrite & { accountId: string; lastName: string })[]): Promise<void> {
    const now = new Date();
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500);
      await this.#db
        .insertInto('contacts')
        .values(chunk.map((c) => ({ org_id: orgId, account_id: c.accountId, created_at: now, updated_at: now, last_name: c.lastName, ...columns(c) })))
        .execute();
    }
  }
  async update(orgId: string, accountId: string, id: string, data: ContactWrite): Promise<ContactRecord | undefined> {
    const row = await this.#db
      .updateTable('contacts')
      .set({ ...columns(data), updated_at: new Date() })
      .where('org_id', '=', orgId)
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && toRecord(row);
  }
  async delete(orgId: string, accountId: string, id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('contacts')
      .where('org_id', '=', orgId)
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
  /** Makes one contact the account's only primary one. */
  async clearPrimary(orgId: string, accountId: string, exceptId: string): Promise<void> {
    await this.#db
      .updateTable('contacts')
      .set({ is_primary: false })
      .where('org_id', '=', orgId)
      .where('account_id', '=', accountId)
      .where('id', '<>', exceptId)
      .execute();
  }
}
