import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createRepositories } from '@geocrm/db';
import type { AccountOwnersPreview, AutoAssignPreview, ServiceTaskDto, ServiceTaskList, TechnicianList } from '@geocrm/contracts';
import { hashPassword } from '../src/features/auth/password.ts';
import { PASSWORD, startHarness, type Harness } from './harness.ts';

let h: Harness;
let manager: string;
let tech: string;
const techs: Record<string, string> = {};
const accounts: Record<string, string> = {};

const addDays = (date: string, n: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const parisToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
/** The Monday after today: a full working week ahead. */
const monday = (() => {
  let d = addDays(parisToday, 1);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
})();

const post = (cookie: string, url: string, payload: unknown) => h.request(cookie, { method: 'POST', url: `/api/v1${url}`, payload: payload as Record<string, unknown> });

const createAccount = async (name: string, place: [number, number] | null, ownerId?: string, weekly?: Record<string, { from: string; to: string }[]>): Promise<string> => {
  const res = await post(manager, '/accounts', {
    kind: 'client',
    name,
    ...(ownerId ? { ownerId } : {}),
    ...(weekly ? { openingHours: { weekly, exceptions: [] } } : {}),
    ...(place === null ? {} : { address: { line1: '1 rue X', line2: '', postcode: '69001', city: 'Lyon', country: 'FR' }, location: { lng: place[0], lat: place[1] } }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
};

const task = async (payload: Record<string, unknown>) => post(manager, '/assignment/tasks', { title: 'Boiler service', durationMinutes: 60, ...payload });

beforeAll(async () => {
  h = await startHarness();
  manager = await h.login(h.users.a.manager);
  tech = await h.login(h.users.a.technician);
  const repos = createRepositories(h.handle.db);
  const orgId = h.users.a.manager.orgId;
  const hash = await hashPassword(PASSWORD);
  // three technicians around Lyon, plus the harness's own (no home: cannot be planned)
  const homes: [string, number, number, string[]][] = [
    ['Alice Gas', 4.85, 45.76, ['gas']],
    ['Bob Plain', 4.80, 45.78, []],
    ['Chloe Elec', 4.88, 45.74, ['elec']],
  ];
  for (const [name, lng, lat, skills] of homes) {
    const u = await repos.users.insert({ orgId, email: `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@a.test`, name, role: 'technician', passwordHash: hash, home: { label: name, lng, lat } });
    await repos.tours.upsertProfile(orgId, u.id, { skills });
    techs[name] = u.id;
  }
  const places: [string, number, number][] = [
    ['Part-Dieu', 4.8575, 45.7606],
    ['Vaise', 4.8047, 45.7745],
    ['Gerland', 4.8323, 45.7297],
    ['Croix-Rousse', 4.8317, 45.7785],
    ['Villeurbanne', 4.8801, 45.7719],
    ['Bron', 4.9136, 45.7383],
    ['Ecully', 4.7768, 45.7747],
    ['Venissieux', 4.8866, 45.6975],
    ['Caluire', 4.8466, 45.7956],
    ['Oullins', 4.8078, 45.7144],
  ];
  for (const [name, lng, lat] of places) accounts[name] = await createAccount(name, [lng, lat]);
  accounts['Nowhere'] = await createAccount('Nowhere', null);
});

afterAll(async () => {
  await h.close();
});

describe('service tasks', () => {
  it('refuses an account without location, an unknown skill and a past due date with clear messages', async () => {
    const noPlace = await task({ accountId: accounts['Nowhere'] });
    expect(noPlace.statusCode).toBe(400);
    expect(noPlace.json<{ message: string }>().message).toBe('Nowhere has no location: place it on the map before creating a task there');
    const skill = await task({ accountId: accounts['Vaise'], requiredSkills: ['plumbing'] });
    expect(skill.statusCode).toBe(400);
    expect(skill.json<{ message: string }>().message).toMatch(/^Unknown skill: plumbing .*known: elec, gas/);
    const past = await task({ accountId: accounts['Vaise'], dueDate: addDays(parisToday, -1) });
    expect(past.statusCode).toBe(400);
    expect(past.json<{ message: string }>().message).toContain('is in the past');
    const unknownAccount = await task({ accountId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownAccount.statusCode).toBe(404);
    expect((await post(tech, '/assignment/tasks', { accountId: accounts['Vaise'], title: 'x', durationMinutes: 30 })).statusCode).toBe(403);
  });

  it('creates, lists with filters, changes and cancels', async () => {
    const created = await task({ accountId: accounts['Vaise'], title: 'Leak check', requiredSkills: ['gas'], dueDate: addDays(monday, 3), priority: 80 });
    expect(created.statusCode, created.body).toBe(201);
    const t = created.json<ServiceTaskDto>();
    expect(t).toMatchObject({ accountName: 'Vaise', status: 'open', requiredSkills: ['gas'], priority: 80, overdue: false, location: { lng: 4.8047, lat: 45.7745 } });
    const bySkill = await h.request(manager, { method: 'GET', url: '/api/v1/assignment/tasks?skill=gas&q=leak' });
    expect(bySkill.json<ServiceTaskList>().items.map((x) => x.id)).toEqual([t.id]);
    const changed = await h.request(manager, { method: 'PATCH', url: `/api/v1/assignment/tasks/${t.id}`, payload: { durationMinutes: 45, title: 'Leak check (kitchen)' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<ServiceTaskDto>()).toMatchObject({ durationMinutes: 45, title: 'Leak check (kitchen)' });
    const cancelled = await post(manager, `/assignment/tasks/${t.id}/cancel`, {});
    expect(cancelled.json<ServiceTaskDto>().status).toBe('cancelled');
    const again = await h.request(manager, { method: 'PATCH', url: `/api/v1/assignment/tasks/${t.id}`, payload: { priority: 10 } });
    expect(again.statusCode).toBe(409);
    const open = await h.request(manager, { method: 'GET', url: '/api/v1/assignment/tasks?status=open' });
    expect(open.json<ServiceTaskList>().items.some((x) => x.id === t.id)).toBe(false);
    // another organisation sees nothing
    const other = await h.login(h.users.b.manager);
    expect((await h.request(other, { method: 'GET', url: `/api/v1/assignment/tasks/${t.id}` })).statusCode).toBe(404);
  });

  it('lists technicians with their skills and the known skills', async () => {
    const res = await h.request(manager, { method: 'GET', url: '/api/v1/assignment/technicians' });
    const list = res.json<TechnicianList>();
    expect(list.skills).toEqual(['elec', 'gas']);
    expect(list.items.find((x) => x.name === 'Alice Gas')).toMatchObject({ skills: ['gas'], home: { lng: 4.85, lat: 45.76 } });
  });
});

describe('automatic assignment of tasks', () => {
  const ids: Record<string, string> = {};
  let preview: AutoAssignPreview;

  beforeAll(async () => {
    const names = Object.keys(accounts).filter((n) => n !== 'Nowhere');
    for (const [i, name] of names.entries()) {
      const res = await task({ accountId: accounts[name], title: `Service ${name}`, durationMinutes: 60 + (i % 3) * 30, priority: 40 + i, ...(i < 3 ? { requiredSkills: ['gas'] } : {}) });
      expect(res.statusCode, res.body).toBe(201);
      ids[name] = res.json<ServiceTaskDto>().id;
    }
    const urgent = await task({ accountId: accounts['Bron'], title: 'Urgent Bron', dueDate: monday, priority: 95 });
    ids['Urgent'] = urgent.json<ServiceTaskDto>().id;
    const elec = await task({ accountId: accounts['Caluire'], title: 'Panel Caluire', requiredSkills: ['elec'] });
    ids['Elec'] = elec.json<ServiceTaskDto>().id;
    // Bob is away on Monday
    const away = await post(manager, '/assignment/absences', { userId: techs['Bob Plain'], dateFrom: monday, dateTo: monday, reason: 'Training' });
    expect(away.statusCode, away.body).toBe(201);
    const bad = await post(manager, '/assignment/absences', { userId: techs['Bob Plain'], dateFrom: monday, dateTo: addDays(monday, -1) });
    expect(bad.statusCode).toBe(400);
  });

  it('previews one plan: skills, absences, due dates and the reasons for what is left out', async () => {
    const res = await post(manager, '/assignment/tasks/auto/preview', {
      from: monday,
      days: 3,
      // Chloe (the only electrician) is not in the plan: the electrical task cannot be assigned
      userIds: [techs['Alice Gas'], techs['Bob Plain'], h.users.a.technician.id],
      timeLimitSeconds: 2,
    });
    expect(res.statusCode, res.body).toBe(200);
    preview = res.json<AutoAssignPreview>();
    const { stats } = preview;
    expect(stats.tasks).toBe(12);
    expect(stats.assigned).toBe(11);
    expect(preview.unassigned).toEqual([expect.objectContaining({ taskId: ids['Elec'], reason: 'skills', message: 'No technician in the plan has the required skills' })]);
    const alice = preview.technicians.find((t) => t.userId === techs['Alice Gas']);
    const bob = preview.technicians.find((t) => t.userId === techs['Bob Plain']);
    const nohome = preview.technicians.find((t) => t.userId === h.users.a.technician.id);
    // gas tasks only with Alice
    const gasIds = new Set([ids['Part-Dieu'], ids['Vaise'], ids['Gerland']]);
    for (const t of bob?.days.flatMap((d) => d.tasks) ?? []) expect(gasIds.has(t.taskId)).toBe(false);
    expect(alice?.days.flatMap((d) => d.tasks).filter((t) => gasIds.has(t.taskId))).toHaveLength(3);
    // Bob is away on Monday
    expect(bob?.days[0]).toMatchObject({ available: false, absence: 'Training', tasks: [] });
    expect(nohome?.note).toMatch(/No home location/);
    // the task due on Monday is done on Monday
    const urgent = preview.assignments.find((a) => a.taskId === ids['Urgent']);
    expect(urgent?.date).toBe(monday);
    expect(stats.late).toBe(0);
    // both technicians get work; the figures add up
    expect(alice?.tasks).toBeGreaterThan(0);
    expect(bob?.tasks).toBeGreaterThan(0);
    expect(stats.km).toBeCloseTo((alice?.km ?? 0) + (bob?.km ?? 0), 0);
    expect(stats.spread.maxHours).toBeGreaterThanOrEqual(stats.spread.minHours);
    expect(stats.balance).toBe('cap');
    // times inside working hours, in order
    for (const d of alice?.days ?? []) {
      for (let i = 1; i < d.tasks.length; i++) expect((d.tasks[i]?.startAt ?? '') >= (d.tasks[i - 1]?.endAt ?? '')).toBe(true);
    }
  });

  it('the cap spreads the work more evenly than travel alone', async () => {
    const body = { from: monday, days: 3, userIds: [techs['Alice Gas'], techs['Bob Plain']], timeLimitSeconds: 2 };
    const capped = (await post(manager, '/assignment/tasks/auto/preview', body)).json<AutoAssignPreview>();
    const free = (await post(manager, '/assignment/tasks/auto/preview', { ...body, balance: 'none' })).json<AutoAssignPreview>();
    expect(capped.stats.dailyCapMinutes).not.toBeNull();
    expect(free.stats.dailyCapMinutes).toBeNull();
    expect(capped.stats.assigned).toBe(free.stats.assigned);
    expect(capped.stats.spread.stdevHours).toBeLessThanOrEqual(free.stats.spread.stdevHours);
    const looser = (await post(manager, '/assignment/tasks/auto/preview', { ...body, balanceTolerancePercent: 60 })).json<AutoAssignPreview>();
    expect(looser.stats.dailyCapMinutes ?? Infinity).toBeGreaterThan(capped.stats.dailyCapMinutes ?? 0);
  });

  it('applies all or nothing', async () => {
    const stale = preview.assignments.slice(0, 2);
    // a task that is not open any more makes the whole apply fail
    const first = stale[0];
    if (!first) throw new Error('no assignment');
    await post(manager, `/assignment/tasks/${first.taskId}/cancel`, {});
    const refused = await post(manager, '/assignment/tasks/auto/apply', { assignments: preview.assignments });
    expect(refused.statusCode).toBe(409);
    const stillOpen = await h.request(manager, { method: 'GET', url: '/api/v1/assignment/tasks?status=assigned' });
    expect(stillOpen.json<ServiceTaskList>().items).toHaveLength(0);
    // a person away that day is refused
    const bobAway = await post(manager, '/assignment/tasks/auto/apply', { assignments: [{ ...preview.assignments[1], userId: techs['Bob Plain'], date: monday }] });
    expect(bobAway.statusCode).toBe(400);
    expect(bobAway.json<{ message: string }>().message).toMatch(/Bob Plain (is away on .* \(Training\)|lacks gas)/);
    const rest = preview.assignments.slice(1);
    const ok = await post(manager, '/assignment/tasks/auto/apply', { assignments: rest });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ applied: rest.length });
    const assigned = (await h.request(manager, { method: 'GET', url: '/api/v1/assignment/tasks?status=assigned' })).json<ServiceTaskList>().items;
    expect(assigned).toHaveLength(rest.length);
    const one = assigned.find((t) => t.id === rest[0]?.taskId);
    expect(one).toMatchObject({ assignedUserId: rest[0]?.userId, plannedDate: rest[0]?.date, plannedStartAt: rest[0]?.startAt });
    // the technician sees their task and may close it
    const mine = assigned.find((t) => t.assignedUserId === techs['Alice Gas']);
    expect(mine).toBeDefined();
    if (mine) {
      const alice = await h.login({ id: techs['Alice Gas'] ?? '', orgId: h.users.a.manager.orgId, email: 'alice@a.test', role: 'technician' });
      const done = await h.request(alice, { method: 'PATCH', url: `/api/v1/assignment/tasks/${mine.id}`, payload: { status: 'done' } });
      expect(done.json<ServiceTaskDto>().status).toBe('done');
      // but not change anything else
      const other = await h.request(alice, { method: 'PATCH', url: `/api/v1/assignment/tasks/${mine.id}`, payload: { priority: 1 } });
      expect(other.statusCode).toBe(403);
    }
    const twice = await post(manager, '/assignment/tasks/auto/apply', { assignments: rest });
    expect(twice.statusCode).toBe(409);
  });

  it('keeps tasks already assigned where they are: they take room in their day and are not assigned again', async () => {
    const assigned = (await h.request(manager, { method: 'GET', url: '/api/v1/assignment/tasks?status=assigned' })).json<ServiceTaskList>().items;
    expect(assigned.length).toBeGreaterThan(0);
    const p = (await post(manager, '/assignment/tasks/auto/preview', { from: monday, days: 3, userIds: [techs['Alice Gas'], techs['Bob Plain']], timeLimitSeconds: 1 })).json<AutoAssignPreview>();
    const kept = p.technicians.flatMap((t) => t.days.flatMap((d) => d.tasks.filter((x) => x.alreadyAssigned).map((x) => ({ taskId: x.taskId, userId: t.userId, date: d.date }))));
    const expected = assigned.filter((t) => t.plannedDate !== null && t.plannedDate <= addDays(monday, 2)).map((t) => ({ taskId: t.id, userId: t.assignedUserId, date: t.plannedDate }));
    expect(kept.sort((a, b) => a.taskId.localeCompare(b.taskId))).toEqual(expected.sort((a, b) => a.taskId.localeCompare(b.taskId)));
    for (const a of p.assignments) expect(assigned.some((t) => t.id === a.taskId)).toBe(false);
  });

  it('does a task late (and says so) when its account is closed every day up to its due date', async () => {
    const tueToFri = Object.fromEntries(['2', '3', '4', '5'].map((d) => [d, [{ from: '08:00', to: '18:00' }]]));
    const closedMondays = await createAccount('Closed Mondays', [4.84, 45.75], undefined, tueToFri);
    const res = await task({ accountId: closedMondays, title: 'Due on a closed day', dueDate: monday });
    const id = res.json<ServiceTaskDto>().id;
    const p = (await post(manager, '/assignment/tasks/auto/preview', { from: monday, days: 3, taskIds: [id], userIds: [techs['Bob Plain'], techs['Alice Gas']], timeLimitSeconds: 1 })).json<AutoAssignPreview>();
    expect(p.stats).toMatchObject({ assigned: 1, late: 1 });
    const planned = p.technicians.flatMap((t) => t.days.flatMap((d) => d.tasks.filter((x) => !x.alreadyAssigned).map((x) => ({ ...x, date: d.date }))));
    expect(planned[0]).toMatchObject({ taskId: id, late: true, dueDate: monday });
    expect(planned[0]?.date).not.toBe(monday);
    await post(manager, `/assignment/tasks/${id}/cancel`, {});
  });

  it('refuses a start in the past and a horizon over 10 days', async () => {
    expect((await post(manager, '/assignment/tasks/auto/preview', { from: addDays(parisToday, -1), days: 2 })).statusCode).toBe(400);
    expect((await post(manager, '/assignment/tasks/auto/preview', { from: monday, days: 11 })).statusCode).toBe(400);
    expect((await post(tech, '/assignment/tasks/auto/preview', { from: monday, days: 2 })).statusCode).toBe(403);
  });
});

describe('owners for a batch of accounts', () => {
  const reps: Record<string, string> = {};
  const fresh: string[] = [];

  beforeAll(async () => {
    const repos = createRepositories(h.handle.db);
    const orgId = h.users.a.manager.orgId;
    const hash = await hashPassword(PASSWORD);
    // one rep in Lyon, one in Grenoble; the harness's rep has no home
    for (const [name, lng, lat] of [['Rita Lyon', 4.835, 45.764], ['Gus Grenoble', 5.724, 45.188]] as const) {
      const u = await repos.users.insert({ orgId, email: `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@a.test`, name, role: 'rep', passwordHash: hash, home: { label: name, lng, lat } });
      reps[name] = u.id;
    }
    // Gus already owns one account in Grenoble
    await createAccount('Grenoble old', [5.73, 45.19], reps['Gus Grenoble']);
    for (const [name, lng, lat] of [
      ['New Lyon 1', 4.84, 45.75],
      ['New Lyon 2', 4.82, 45.77],
      ['New Lyon 3', 4.86, 45.78],
      ['New Grenoble', 5.71, 45.17],
    ] as const) {
      fresh.push(await createAccount(name, [lng, lat]));
    }
    fresh.push(accounts['Nowhere'] ?? '');
  });

  it('nearest rep with spare capacity', async () => {
    const res = await post(manager, '/assignment/accounts/preview', { source: { kind: 'ids', ids: fresh }, method: 'nearest', userIds: [reps['Rita Lyon'], reps['Gus Grenoble']], maxAccountsPerRep: 2 });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<AccountOwnersPreview>();
    const ownerOf = new Map(p.assignments.map((a) => [a.accountName, a.userId]));
    expect(ownerOf.get('New Grenoble')).toBe(reps['Gus Grenoble']);
    // Rita takes two of the Lyon accounts; Gus (one already) has room for one: the Grenoble one, nearest to him
    expect([...ownerOf.values()].filter((u) => u === reps['Rita Lyon'])).toHaveLength(2);
    expect(p.assignments).toHaveLength(3);
    expect(p.unassigned.map((u) => u.reason).sort()).toEqual(['no_capacity', 'no_location']);
    expect(p.unassigned.find((u) => u.reason === 'no_capacity')?.accountName).toMatch(/^New Lyon/);
    const gus = p.reps.find((r) => r.userId === reps['Gus Grenoble']);
    expect(gus).toMatchObject({ before: 1, added: 1, capacity: 2 });
    // with room for one each and Gus already at one, two accounts find nobody
    const tight = (await post(manager, '/assignment/accounts/preview', { source: { kind: 'ids', ids: fresh }, method: 'nearest', userIds: [reps['Rita Lyon'], reps['Gus Grenoble']], maxAccountsPerRep: 1 })).json<AccountOwnersPreview>();
    expect(tight.assignments).toHaveLength(1);
    expect(tight.unassigned.filter((u) => u.reason === 'no_capacity')).toHaveLength(3);
  });

  it('by territory: without a published plan, the owner of the nearest account stands for it; apply writes the owners', async () => {
    const res = await post(manager, '/assignment/accounts/preview', { source: { kind: 'unowned' }, method: 'territory', userIds: [reps['Rita Lyon'], reps['Gus Grenoble']] });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<AccountOwnersPreview>();
    expect(p.territorySource).toBe('owner');
    // only Gus owns accounts: every placed unowned account goes to him, 'Nowhere' has no place
    expect(p.assignments.length).toBeGreaterThan(0);
    expect(new Set(p.assignments.map((a) => a.userId))).toEqual(new Set([reps['Gus Grenoble']]));
    const applied = await post(manager, '/assignment/accounts/apply', { assignments: p.assignments.map((a) => ({ accountId: a.accountId, userId: a.userId })) });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toEqual({ applied: p.assignments.length });
    const owners = await sql<{ n: number }>`select count(*)::int as n from accounts where owner_id = ${reps['Gus Grenoble']}`.execute(h.handle.db);
    expect(owners.rows[0]?.n).toBe(p.assignments.length + 1);
    // all or nothing: one unknown account refuses the batch
    const bad = await post(manager, '/assignment/accounts/apply', { assignments: [{ accountId: fresh[0], userId: reps['Rita Lyon'] }, { accountId: '00000000-0000-4000-8000-000000000000', userId: reps['Rita Lyon'] }] });
    expect(bad.statusCode).toBe(404);
    const rita = await sql<{ n: number }>`select count(*)::int as n from accounts where owner_id = ${reps['Rita Lyon']}`.execute(h.handle.db);
    expect(rita.rows[0]?.n).toBe(0);
  });

  it('by territory: the rep of the published territory the account lies in', async () => {
    const orgId = h.users.a.manager.orgId;
    // a published plan whose one territory (Rita's) holds the fresh accounts (publishing sets accounts.territory_id)
    const plan = await sql<{ id: string }>`
      insert into territory_plans (org_id, name, level, k, measure, tolerance, published_at)
      values (${orgId}, 'Published', 'departement', 1, '"accounts"'::jsonb, 0.05, now()) returning id`.execute(h.handle.db);
    const planId = plan.rows[0]?.id ?? '';
    const territory = await sql<{ id: string }>`
      insert into territories (org_id, plan_id, territory_index, name, colour, rep_user_id) values (${orgId}, ${planId}, 0, 'Rhône', '#336699', ${reps['Rita Lyon']}) returning id`.execute(h.handle.db);
    const placed = fresh.filter((id) => id !== accounts['Nowhere']);
    await sql`update accounts set territory_id = ${territory.rows[0]?.id ?? ''} where id = any(${placed}::uuid[])`.execute(h.handle.db);
    const res = await post(manager, '/assignment/accounts/preview', { source: { kind: 'ids', ids: fresh }, method: 'territory', reassignOwned: true });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<AccountOwnersPreview>();
    expect(p.territorySource).toBe('published');
    expect(p.assignments).toHaveLength(placed.length);
    expect(new Set(p.assignments.map((a) => a.userId))).toEqual(new Set([reps['Rita Lyon']]));
    expect(p.unassigned).toEqual([expect.objectContaining({ accountName: 'Nowhere', reason: 'no_territory' })]);
  });
});
