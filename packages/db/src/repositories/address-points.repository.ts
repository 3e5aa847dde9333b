import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** One point of an address file, as stored (mirrors @geocrm/geo's AddressPoint). */
export interface AddressPointRecord {
  readonly number: string;
  readonly street: string;
  readonly streetKey: string;
  readonly postcode: string;
  readonly city: string;
  readonly cityKey: string;
  readonly oldCity?: string;
  readonly oldCityKey?: string;
  readonly cityInsee?: string;
  readonly id?: string;
  readonly lng: number;
  readonly lat: number;
}

export interface AddressFileRecord {
  readonly id: string;
  readonly name: string;
  readonly format: 'ban' | 'openaddresses';
  readonly points: number;
  readonly rejected: number;
  readonly loadedBy: string | null;
  readonly loadedByName: string | null;
  readonly loadedAt: Date;
}

interface PointRow {
  number: string;
  street: string;
  street_key: string;
  postcode: string;
  city: string;
  city_key: string;
  old_city: string | null;
  old_city_key: string | null;
  city_insee: string | null;
  source_id: string | null;
  lng: number;
  lat: number;
}

/** Points per insert statement: PostgreSQL takes at most 65,535 parameters. */
const BATCH = 2000;

/** Address files an administrator loaded and their points, per organisation; and the geocoding cache. */
export class AddressPointsRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async createFile(orgId: string, file: { name: string; format: 'ban' | 'openaddresses'; loadedBy: string | null }): Promise<string> {
    const result = await sql<{ id: string }>`
      insert into address_files (org_id, name, format, loaded_by) values (${orgId}, ${file.name}, ${file.format}, ${file.loadedBy}) returning id`.execute(this.#db);
    const id = result.rows[0]?.id;
    if (!id) throw new Error('address file not created');
    return id;
  }

  async finishFile(orgId: string, fileId: string, counts: { points: number; rejected: number }): Promise<void> {
    await sql`update address_files set points = ${counts.points}, rejected = ${counts.rejected} where org_id = ${orgId} and id = ${fileId}`.execute(this.#db);
  }

  async insertPoints(orgId: string, fileId: string, points: readonly AddressPointRecord[]): Promise<void> {
    for (let start = 0; start < points.length; start += BATCH) {
      const chunk = points.slice(start, start + BATCH);
      const rows = chunk.map(
        (p) =>
          sql`(${orgId}, ${fileId}, ${p.number}, ${p.street}, ${p.streetKey}, ${p.postcode}, ${p.city}, ${p.cityKey}, ${p.oldCity ?? null}, ${p.oldCityKey ?? null}, ${p.cityInsee ?? null}, ${p.id ?? null},
            ST_SetSRID(ST_MakePoint(${p.lng}::float8, ${p.lat}::float8), 4326)::geography)`,
      );
      await sql`insert into address_points (org_id, file_id, number, street, street_key, postcode, city, city_key, old_city, old_city_key, city_insee, source_id, location)
        values ${sql.join(rows)}`.execute(this.#db);
    }
  }

  /** The points of a postcode and/or a commune (its current or former name's key). */
  async find(orgId: string, where: { postcode?: string; cityKey?: string }, limit = 50_000): Promise<AddressPointRecord[]> {
    if (where.postcode === undefined && where.cityKey === undefined) return [];
    const parts = [
      ...(where.postcode === undefined ? [] : [sql`postcode = ${where.postcode}`]),
      ...(where.cityKey === undefined ? [] : [sql`city_key = ${where.cityKey}`, sql`old_city_key = ${where.cityKey}`]),
    ];
    const result = await sql<PointRow>`
      select number, street, street_key, postcode, city, city_key, old_city, old_city_key, city_insee, source_id,
        ST_X(location::geometry) as lng, ST_Y(location::geometry) as lat
      from address_points where org_id = ${orgId} and (${sql.join(parts, sql` or `)}) limit ${limit}`.execute(this.#db);
    return result.rows.map((r) => ({
      number: r.number,
      street: r.street,
      streetKey: r.street_key,
      postcode: r.postcode,
      city: r.city,
      cityKey: r.city_key,
      ...(r.old_city === null ? {} : { oldCity: r.old_city }),
      ...(r.old_city_key === null ? {} : { oldCityKey: r.old_city_key }),
      ...(r.city_insee === null ? {} : { cityInsee: r.city_insee }),
      ...(r.source_id === null ? {} : { id: r.source_id }),
      lng: Number(r.lng),
      lat: Number(r.lat),
    }));
  }

  async hasPoints(orgId: string): Promise<boolean> {
    const result = await sql<{ n: number }>`select count(*)::int as n from (select 1 from address_points where org_id = ${orgId} limit 1) x`.execute(this.#db);
    return Number(result.rows[0]?.n ?? 0) > 0;
  }

  async listFiles(orgId: string): Promise<AddressFileRecord[]> {
    const result = await sql<{ id: string; name: string; format: 'ban' | 'openaddresses'; points: number; rejected: number; loaded_by: string | null; loaded_by_name: string | null; loaded_at: Date }>`
      select f.id, f.name, f.format, f.points, f.rejected, f.loaded_by, u.name as loaded_by_name, f.loaded_at
      from address_files f left join users u on u.id = f.loaded_by
      where f.org_id = ${orgId} order by f.loaded_at desc, f.id`.execute(this.#db);
    return result.rows.map((r) => ({
      id: r.id,
      name: r.name,
      format: r.format,
      points: Number(r.points),
      rejected: Number(r.rejected),
      loadedBy: r.loaded_by,
      loadedByName: r.loaded_by_name,
      loadedAt: new Date(r.loaded_at),
    }));
  }

  /** Removes a file and its points; false when the organisation has no such file. */
  async deleteFile(orgId: string, fileId: string): Promise<boolean> {
    const result = await sql`delete from address_files where org_id = ${orgId} and id = ${fileId}`.execute(this.#db);
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async cacheGet(key: string): Promise<unknown> {
    const result = await sql<{ entry: unknown }>`select entry from geocode_cache where key = ${key}`.execute(this.#db);
    return result.rows[0]?.entry;
  }

  /** Forgets cached answers stored before `before`; returns how many went. */
  async cachePurge(before: Date): Promise<number> {
    const result = await sql`delete from geocode_cache where stored_at < ${before}`.execute(this.#db);
    return Number(result.numAffectedRows ?? 0);
  }

  async cacheSet(key: string, entry: unknown): Promise<void> {
    await sql`insert into geocode_cache (key, entry, stored_at) values (${key}, ${JSON.stringify(entry)}::jsonb, now())
      on conflict (key) do update set entry = excluded.entry, stored_at = excluded.stored_at`.execute(this.#db);
  }
}
