import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { OpeningHours } from '@geocrm/domain';
import type { Database } from '../schema.ts';

export const SERVICE_TASK_STATUSES = ['open', 'assigned', 'done', 'cancelled'] as const;
export type ServiceTaskStatus = (typeof SERVICE_TASK_STATUSES)[number];

export interface ServiceTaskRecord {
  readonly id: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly accountCity: string;
  readonly accountLocation: { readonly lng: number; readonly lat: number } | null;
  readonly accountOwnerId: string | null;
  readonly openingHours: OpeningHours;
  readonly title: string;
  readonly durationMinutes: number;
  readonly requiredSkills: string[];
  /** `YYYY-MM-DD` or null. */
  readonly dueDate: string | null;
  readonly priority: number;
  readonly status: ServiceTaskStatus;
  readonly assignedUserId: string | null;
  readonly assignedUserName: string | null;
  readonly plannedDate: string | null;
  readonly plannedStartAt: Date | null;
  readonly notes: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewServiceTask {
  readonly accountId: string;
  readonly title: string;
  readonly durationMinutes: number;
  readonly requiredSkills: readonly string[];
  readonly dueDate: string | null;
  readonly priority: number;
  readonly notes: string;
  readonly createdBy: string;
}

export interface ServiceTaskUpdate {
  readonly title?: string;
  readonly durationMinutes?: number;
  readonly requiredSkills?: readonly string[];
  readonly dueDate?: string | null;
  readonly priority?: number;
  readonly notes?: string;
  readonly status?: ServiceTaskStatus;
  /** Set together with status: null clears the assignment. */
  readonly assignment?: { readonly userId: string; readonly date: string; readonly startAt: Date | null } | null;
}

export interface ServiceTaskFilter {
  readonly ids?: readonly string[];
  readonly statuses?: readonly ServiceTaskStatus[];
  readonly assignedUserId?: string;
  readonly accountId?: string;
  /** Due on or before this date. */
  readonly dueBefore?: string;
  readonly skill?: string;
  /** Substring of the title or the account's name. */
  readonly q?: string;
  readonly limit?: number;
}

export interface AbsenceRecord {
  readonly id: string;
  readonly userId: string;
  readonly userName: string;
  readonly dateFrom: string;
  readonly dateTo: string;
  readonly reason: string;
}

export interface FieldUserRecord {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly home: { readonly lng: number; readonly lat: number } | null;
}

export interface AssignableAccountRecord {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly location: { readonly lng: number; readonly lat: number } | null;
  readonly ownerId: string | null;
}

/** Which accounts an owner assignment is about. */
export type AccountSource = { readonly kind: 'import'; readonly jobId: string } | { readonly kind: 'ids'; readonly ids: readonly string[] } | { readonly kind: 'unowned' };

interface TaskRow {
  id: string;
  account_id: string;
  account_name: string;
  account_city: string;
  lng: number | null;
  lat: number | null;
  owner_id: string | null;
  opening_hours: OpeningHours;
  title: string;
  duration_minutes: number;
  required_skills: string[];
  due_date: string | null;
  priority: number;
  status: ServiceTaskStatus;
  assigned_user_id: string | null;
  assigned_user_name: string | null;
  planned_date: string | null;
  planned_start_at: Date | string | null;
  notes: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const lngLatOf = (lng: number | null, lat: number | null): { lng: number; lat: number } | null => (lng === null || lat === null ? null : { lng: Number(lng), lat: Number(lat) });

const toTask = (r: TaskRow): ServiceTaskRecord => ({
  id: r.id,
  accountId: r.account_id,
  accountName: r.account_name,
  accountCity: r.account_city,
  accountLocation: lngLatOf(r.lng, r.lat),
  accountOwnerId: r.owner_id,
  openingHours: r.opening_hours,
  title: r.title,
  durationMinutes: r.duration_minutes,
  requiredSkills: r.required_skills,
  dueDate: r.due_date,
  priority: r.priority,
  status: r.status,
  assignedUserId: r.assigned_user_id,
  assignedUserName: r.assigned_user_name,
  plannedDate: r.planned_date,
  plannedStartAt: r.planned_start_at === null ? null : toDate(r.planned_start_at),
  notes: r.notes,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});

const textArray = (values: readonly string[]): RawBuilder<unknown> => sql`${[...values]}::text[]`;
const uuidArray = (values: readonly string[]): RawBuilder<unknown> => sql`${[...values]}::uuid[]`;

/** Service tasks, absences, and what assigning tasks and accounts to people reads and writes. */
export class AssignmentRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  // ---- service tasks ----

  async insertTask(orgId: string, t: NewServiceTask): Promise<string> {
    const r = await sql<{ id: string }>`
      insert into service_tasks (org_id, account_id, title, duration_minutes, required_skills, due_date, priority, notes, created_by)
      values (${orgId}, ${t.accountId}, ${t.title}, ${t.durationMinutes}, ${textArray(t.requiredSkills)}, ${t.dueDate}::date, ${t.priority}, ${t.notes}, ${t.createdBy})
      returning id`.execute(this.#db);
    const id = r.rows[0]?.id;
    if (id === undefined) throw new Error('insert returned no id');
    return id;
  }

  async updateTask(orgId: string, id: string, w: ServiceTaskUpdate): Promise<boolean> {
    const sets: RawBuilder<unknown>[] = [sql`updated_at = date_trunc('milliseconds', now())`];
    if (w.title !== undefined) sets.push(sql`title = ${w.title}`);
    if (w.durationMinutes !== undefined) sets.push(sql`duration_minutes = ${w.durationMinutes}`);
    if (w.requiredSkills !== undefined) sets.push(sql`required_skills = ${textArray(w.requiredSkills)}`);
    if (w.dueDate !== undefined) sets.push(sql`due_date = ${w.dueDate}::date`);
    if (w.priority !== undefined) sets.push(sql`priority = ${w.priority}`);
    if (w.notes !== undefined) sets.push(sql`notes = ${w.notes}`);
    if (w.status !== undefined) sets.push(sql`status = ${w.status}`);
    if (w.assignment !== undefined) {
      const a = w.assignment;
      sets.push(sql`assigned_user_id = ${a?.userId ?? null}::uuid`, sql`planned_date = ${a?.date ?? null}::date`, sql`planned_start_at = ${a?.startAt ?? null}::timestamptz`);
    }
    const r = await sql`update service_tasks set ${sql.join(sets)} where org_id = ${orgId} and id = ${id}`.execute(this.#db);
    return (r.numAffectedRows ?? 0n) > 0n;
  }

  async listTasks(orgId: string, f: ServiceTaskFilter = {}): Promise<ServiceTaskRecord[]> {
    const where: RawBuilder<unknown>[] = [sql`t.org_id = ${orgId}`];
    if (f.ids !== undefined) where.push(f.ids.length ? sql`t.id = any(${uuidArray(f.ids)})` : sql`false`);
    if (f.statuses?.length) where.push(sql`t.status = any(${textArray(f.statuses)})`);
    if (f.assignedUserId !== undefined) where.push(sql`t.assigned_user_id = ${f.assignedUserId}`);
    if (f.accountId !== undefined) where.push(sql`t.account_id = ${f.accountId}`);
    if (f.dueBefore !== undefined) where.push(sql`t.due_date <= ${f.dueBefore}::date`);
    if (f.skill !== undefined) where.push(sql`${f.skill} = any(t.required_skills)`);
    if (f.q !== undefined && f.q !== '') {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(sql`(t.title ilike ${like} or a.name ilike ${like})`);
    }
    const r = await sql<TaskRow>`
      select t.id, t.account_id, a.name as account_name, a.city as account_city,
             ST_X(a.location::geometry) as lng, ST_Y(a.location::geometry) as lat, a.owner_id, a.opening_hours,
             t.title, t.duration_minutes, t.required_skills, to_char(t.due_date, 'YYYY-MM-DD') as due_date, t.priority, t.status,
             t.assigned_user_id, u.name as assigned_user_name, to_char(t.planned_date, 'YYYY-MM-DD') as planned_date, t.planned_start_at,
             t.notes, t.created_at, t.updated_at
      from service_tasks t
      join accounts a on a.org_id = t.org_id and a.id = t.account_id
      left join users u on u.org_id = t.org_id and u.id = t.assigned_user_id
      where ${sql.join(where, sql` and `)}
      order by t.due_date asc nulls last, t.priority desc, t.created_at, t.id
      limit ${f.limit ?? 5_000}`.execute(this.#db);
    return r.rows.map(toTask);
  }

  async getTask(orgId: string, id: string): Promise<ServiceTaskRecord | undefined> {
    return (await this.listTasks(orgId, { ids: [id] }))[0];
  }

  /** Locks the tasks' rows until the transaction ends (call in a transaction). */
  async lockTasks(orgId: string, ids: readonly string[]): Promise<{ id: string; status: ServiceTaskStatus; updatedAt: Date }[]> {
    if (!ids.length) return [];
    const r = await sql<{ id: string; status: ServiceTaskStatus; updated_at: Date | string }>`
      select id, status, updated_at from service_tasks where org_id = ${orgId} and id = any(${uuidArray(ids)}) order by id for update`.execute(this.#db);
    return r.rows.map((x) => ({ id: x.id, status: x.status, updatedAt: toDate(x.updated_at) }));
  }

  /** The account a task is for: its name and whether it is placed on the map; undefined in another organisation. */
  async accountOf(orgId: string, accountId: string): Promise<{ name: string; hasLocation: boolean } | undefined> {
    const r = await sql<{ name: string; has_location: boolean }>`
      select name, location is not null as has_location from accounts where org_id = ${orgId} and id = ${accountId}`.execute(this.#db);
    const row = r.rows[0];
    return row ? { name: row.name, hasLocation: row.has_location } : undefined;
  }

  /** Every skill the organisation knows: those of its people's profiles and those visit types require. */
  async knownSkills(orgId: string): Promise<string[]> {
    const r = await sql<{ skill: string }>`
      select distinct skill from (
        select unnest(skills) as skill from rep_profiles where org_id = ${orgId}
        union select unnest(required_skills) from visit_types where org_id = ${orgId}
      ) s order by skill`.execute(this.#db);
    return r.rows.map((x) => x.skill);
  }

  // ---- people ----

  /** Active users of these roles (or these ids), with their home. */
  async fieldUsers(orgId: string, f: { roles?: readonly string[]; ids?: readonly string[] }): Promise<FieldUserRecord[]> {
    const where: RawBuilder<unknown>[] = [sql`org_id = ${orgId}`, sql`active`];
    if (f.roles !== undefined) where.push(sql`role = any(${textArray(f.roles)})`);
    if (f.ids !== undefined) where.push(sql`id = any(${uuidArray(f.ids)})`);
    const r = await sql<{ id: string; name: string; role: string; lng: number | null; lat: number | null }>`
      select id, name, role, ST_X(home_location::geometry) as lng, ST_Y(home_location::geometry) as lat
      from users where ${sql.join(where, sql` and `)} order by name, id`.execute(this.#db);
    return r.rows.map((x) => ({ id: x.id, name: x.name, role: x.role, home: lngLatOf(x.lng, x.lat) }));
  }

  // ---- absences ----

  async listAbsences(orgId: string, f: { userIds?: readonly string[]; from?: string; to?: string } = {}): Promise<AbsenceRecord[]> {
    const where: RawBuilder<unknown>[] = [sql`b.org_id = ${orgId}`];
    if (f.userIds !== undefined) where.push(sql`b.user_id = any(${uuidArray(f.userIds)})`);
    if (f.from !== undefined) where.push(sql`b.date_to >= ${f.from}::date`);
    if (f.to !== undefined) where.push(sql`b.date_from <= ${f.to}::date`);
    const r = await sql<{ id: string; user_id: string; user_name: string; date_from: string; date_to: string; reason: string }>`
      select b.id, b.user_id, u.name as user_name, to_char(b.date_from, 'YYYY-MM-DD') as date_from, to_char(b.date_to, 'YYYY-MM-DD') as date_to, b.reason
      from user_absences b join users u on u.org_id = b.org_id and u.id = b.user_id
      where ${sql.join(where, sql` and `)} order by b.date_from, u.name, b.id`.execute(this.#db);
    return r.rows.map((x) => ({ id: x.id, userId: x.user_id, userName: x.user_name, dateFrom: x.date_from, dateTo: x.date_to, reason: x.reason }));
  }

  async insertAbsence(orgId: string, a: { userId: string; dateFrom: string; dateTo: string; reason: string }): Promise<string> {
    const r = await sql<{ id: string }>`
      insert into user_absences (org_id, user_id, date_from, date_to, reason) values (${orgId}, ${a.userId}, ${a.dateFrom}::date, ${a.dateTo}::date, ${a.reason}) returning id`.execute(this.#db);
    const id = r.rows[0]?.id;
    if (id === undefined) throw new Error('insert returned no id');
    return id;
  }

  async deleteAbsence(orgId: string, id: string): Promise<boolean> {
    const r = await sql`delete from user_absences where org_id = ${orgId} and id = ${id}`.execute(this.#db);
    return (r.numAffectedRows ?? 0n) > 0n;
  }

  // ---- accounts → owners ----

  /** Accounts an owner assignment is about (at most `limit`), with their place and current owner. */
  async accountsFrom(orgId: string, source: AccountSource, limit = 20_000): Promise<AssignableAccountRecord[]> {
    const base = sql`select a.id, a.name, a.city, ST_X(a.location::geometry) as lng, ST_Y(a.location::geometry) as lat, a.owner_id from accounts a`;
    let q: RawBuilder<{ id: string; name: string; city: string; lng: number | null; lat: number | null; owner_id: string | null }>;
    if (source.kind === 'import') {
      q = sql`${base} where a.org_id = ${orgId} and a.id in (select r.account_id from import_job_rows r where r.org_id = ${orgId} and r.job_id = ${source.jobId} and r.outcome = 'created' and r.account_id is not null) order by a.name, a.id limit ${limit}`;
    } else if (source.kind === 'ids') {
      q = sql`${base} where a.org_id = ${orgId} and a.id = any(${uuidArray(source.ids)}) order by a.name, a.id limit ${limit}`;
    } else {
      q = sql`${base} where a.org_id = ${orgId} and a.owner_id is null order by a.name, a.id limit ${limit}`;
    }
    const r = await q.execute(this.#db);
    return r.rows.map((x) => ({ id: x.id, name: x.name, city: x.city, location: lngLatOf(x.lng, x.lat), ownerId: x.owner_id }));
  }

  /** Whether an import job exists in the organisation. */
  async importExists(orgId: string, jobId: string): Promise<boolean> {
    const r = await sql<{ n: number }>`select count(*)::int as n from import_jobs where org_id = ${orgId} and id = ${jobId}`.execute(this.#db);
    return (r.rows[0]?.n ?? 0) > 0;
  }

  /** How many accounts each of these users owns now. */
  async ownedCounts(orgId: string, userIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(userIds.map((id) => [id, 0]));
    if (!userIds.length) return counts;
    const r = await sql<{ owner_id: string; n: number }>`
      select owner_id, count(*)::int as n from accounts where org_id = ${orgId} and owner_id = any(${uuidArray(userIds)}) group by owner_id`.execute(this.#db);
    for (const x of r.rows) counts.set(x.owner_id, x.n);
    return counts;
  }

  /** The account's current owner: who stands for its territory while no territory plan is published. */
  async territoryRepsOf(orgId: string, accountIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!accountIds.length) return out;
    const r = await sql<{ id: string; owner_id: string | null }>`
      select id, owner_id from accounts where org_id = ${orgId} and id = any(${uuidArray(accountIds)})`.execute(this.#db);
    for (const x of r.rows) out.set(x.id, x.owner_id === null ? [] : [x.owner_id]);
    return out;
  }

  /** For each placed account: the owner (among `userIds`) of the nearest other account that has one. */
  async nearestOwnerOf(orgId: string, accountIds: readonly string[], userIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!accountIds.length || !userIds.length) return out;
    const r = await sql<{ id: string; owner_id: string | null }>`
      select a.id, (
        select b.owner_id from accounts b
        where b.org_id = a.org_id and b.owner_id = any(${uuidArray(userIds)}) and b.location is not null and b.id <> all(${uuidArray(accountIds)})
        order by b.location <-> a.location limit 1
      ) as owner_id
      from accounts a where a.org_id = ${orgId} and a.id = any(${uuidArray(accountIds)}) and a.location is not null`.execute(this.#db);
    for (const x of r.rows) if (x.owner_id !== null) out.set(x.id, x.owner_id);
    return out;
  }

  /** Locks the accounts' rows and returns their current owners (call in a transaction). */
  async lockAccounts(orgId: string, ids: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    if (!ids.length) return out;
    const r = await sql<{ id: string; owner_id: string | null }>`
      select id, owner_id from accounts where org_id = ${orgId} and id = any(${uuidArray(ids)}) order by id for update`.execute(this.#db);
    for (const x of r.rows) out.set(x.id, x.owner_id);
    return out;
  }

  async setOwners(orgId: string, pairs: readonly { accountId: string; userId: string }[]): Promise<number> {
    if (!pairs.length) return 0;
    const r = await sql`
      update accounts a set owner_id = p.user_id, updated_at = date_trunc('milliseconds', now())
      from unnest(${uuidArray(pairs.map((p) => p.accountId))}, ${uuidArray(pairs.map((p) => p.userId))}) as p(account_id, user_id)
      where a.org_id = ${orgId} and a.id = p.account_id`.execute(this.#db);
    return Number(r.numAffectedRows ?? 0n);
  }
}
