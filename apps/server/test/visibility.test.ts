import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountAround, AccountDetailDto, AccountList, AccountMap, AccountWithin, PublishTerritoryPlanResult, TerritoryCoverageDto, TerritoryPlanDto } from '@geocrm/contracts';
import { createRepositories } from '@geocrm/db';
import { departementAreas } from '@geocrm/territory';
import { hashPassword } from '../src/features/auth/password.ts';
import { PASSWORD, startHarness, type Harness, type TestUser } from './harness.ts';

/**
 * Visibility follows published territories (issue 6, F-TER-2), on every account route.
 * Org A: territory 0 ("North-West", rep R1, managed by M) is every département but the Rhône (69)
 * and the Bouches-du-Rhône (13); territory 1 ("Rhône", rep R2, managed by M2) is 69; territory 2
 * ("South", no rep) is 13.
 */
let h: Harness;
const c: Record<string, string> = {};
const u: Record<string, TestUser> = {};
const ids: Record<string, string> = {};
let planId: string;

const PARIS = { lng: 2.3522, lat: 48.8566 };
const LYON = { lng: 4.8357, lat: 45.764 };
const VILLEURBANNE = { lng: 4.8798, lat: 45.7719 };
const MARSEILLE = { lng: 5.3698, lat: 43.2965 };

const req = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  h.request(c[who], { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

const listNames = async (who: string, query = ''): Promise<string[]> => {
  const res = await req(who, 'GET', `/accounts?limit=200${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res
    .json<AccountList>()
    .items.map((a) => a.name)
    .sort();
};

const addUser = async (key: string, role: 'rep' | 'manager', orgId: string): Promise<void> => {
  const repos = createRepositories(h.handle.db);
  const email = `${key}@a.test`;
  const row = await repos.users.insert({ orgId, email, name: key, role, passwordHash: await hashPassword(PASSWORD) });
  u[key] = { id: row.id, orgId, email, role };
};

beforeAll(async () => {
  h = await startHarness();
  const a = h.users.a;
  u['admin'] = a.admin;
  u['back'] = a.backoffice;
  u['m'] = a.manager;
  u['r1'] = a.rep;
  u['tech'] = a.technician;
  await addUser('r2', 'rep', a.admin.orgId);
  await addUser('m2', 'manager', a.admin.orgId);
  for (const [key, user] of Object.entries(u)) c[key] = await h.login(user);
  c['repB'] = await h.login(h.users.b.rep);

  // teams, through the users API (admin only)
  expect((await req('admin', 'PATCH', `/users/${u['r1']?.id ?? ''}`, { managerId: u['m']?.id })).statusCode).toBe(200);
  expect((await req('admin', 'PATCH', `/users/${u['r2']?.id ?? ''}`, { managerId: u['m2']?.id })).statusCode).toBe(200);
  expect((await req('m', 'PATCH', `/users/${u['r2']?.id ?? ''}`, { managerId: u['m']?.id })).statusCode).toBe(403);

  const create = async (key: string, body: Record<string, unknown>): Promise<void> => {
    const res = await req('admin', 'POST', '/accounts', { kind: 'client', ...body });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json<AccountDetailDto>().id;
  };
  await create('paris', { name: 'Paris Client', location: PARIS, tags: ['vip'], contacts: [{ lastName: 'Durand' }] });
  await create('lyon', { name: 'Lyon Client', location: LYON, tags: ['vip'] });
  await create('villeurbanne', { name: 'Villeurbanne Client', location: VILLEURBANNE });
  await create('marseille', { name: 'Marseille Client', location: MARSEILLE });
  await create('lyonOwnedByR1', { name: 'Lyon Owned By R1', location: LYON, ownerId: u['r1']?.id });
  await create('nowhere', { name: 'Nowhere Client' });

  // the plan: every area to 0 but 69 → 1 and 13 → 2
  const assignment = Object.fromEntries(departementAreas().areas.map((area) => [area.id, area.id === '69' ? 1 : area.id === '13' ? 2 : 0]));
  const saved = await req('m', 'POST', '/territories/plans', {
    name: 'Published plan',
    measure: 'population',
    assignment,
    territories: [
      { name: 'North-West', repId: u['r1']?.id },
      { name: 'Rhône', repId: u['r2']?.id },
      { name: 'South', repId: null },
    ],
  });
  expect(saved.statusCode, saved.body).toBe(201);
  planId = saved.json<TerritoryPlanDto>().id ?? '';
}, 120_000);

afterAll(async () => {
  await h.close();
});

const ALL = ['Lyon Client', 'Lyon Owned By R1', 'Marseille Client', 'Nowhere Client', 'Paris Client', 'Villeurbanne Client'];

describe('before any plan is published (the rule without territories)', () => {
  it('every role reads every account; a rep changes only the accounts they own', async () => {
    expect(await listNames('r1')).toEqual(ALL);
    expect(await listNames('tech')).toEqual(ALL);
    expect(await listNames('m')).toEqual(ALL);
    expect((await req('r1', 'PATCH', `/accounts/${ids['lyon'] ?? ''}`, { notes: 'x' })).statusCode).toBe(403);
    expect((await req('r1', 'PATCH', `/accounts/${ids['lyonOwnedByR1'] ?? ''}`, { notes: 'mine' })).statusCode).toBe(200);
    expect((await req('m', 'PATCH', `/accounts/${ids['lyon'] ?? ''}`, { notes: 'managed' })).statusCode).toBe(200);
  });
});

describe('publishing', () => {
  it('is for managers and admins', async () => {
    expect((await req('r1', 'POST', `/territories/plans/${planId}/publish`, {})).statusCode).toBe(403);
    expect((await req('back', 'POST', `/territories/plans/${planId}/publish`, {})).statusCode).toBe(403);
  });

  it('assigns every located account to the territory its area contains and reports the counts', async () => {
    const res = await req('m', 'POST', `/territories/plans/${planId}/publish`, {});
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<PublishTerritoryPlanResult>();
    expect(result.territories.map((t) => [t.name, t.accounts, t.repId])).toEqual([
      ['North-West', 1, u['r1']?.id],
      ['Rhône', 3, u['r2']?.id],
      ['South', 1, null],
    ]);
    expect(result.assigned).toBe(5);
    expect(result.withoutLocation).toBe(1);
    expect(result.outsideAreas).toBe(0);
    expect(result.ownersSet).toBe(0);
    const plan = await req('m', 'GET', `/territories/plans/${planId}`);
    expect(plan.json<TerritoryPlanDto>().publishedAt).not.toBeNull();
  });

  it('a published plan cannot be deleted before its publication is withdrawn', async () => {
    expect((await req('m', 'DELETE', `/territories/plans/${planId}`)).statusCode).toBe(409);
  });
});

describe('after publishing: every account route follows the territories', () => {
  it('list and search', async () => {
    // R1: their territory (Paris) and what they own (in R2's territory)
    expect(await listNames('r1')).toEqual(['Lyon Owned By R1', 'Paris Client']);
    expect(await listNames('r1', '&q=lyon')).toEqual(['Lyon Owned By R1']);
    // R2: the Rhône
    expect(await listNames('r2')).toEqual(['Lyon Client', 'Lyon Owned By R1', 'Villeurbanne Client']);
    // M manages R1: R1's territory and accounts; M2 manages R2
    expect(await listNames('m')).toEqual(['Lyon Owned By R1', 'Paris Client']);
    expect(await listNames('m2')).toEqual(['Lyon Client', 'Lyon Owned By R1', 'Villeurbanne Client']);
    // admin and back-office: everything, including the account without a location
    expect(await listNames('admin')).toEqual(ALL);
    expect(await listNames('back')).toEqual(ALL);
    // a technician with no territory and no account sees nothing
    expect(await listNames('tech')).toEqual([]);
    // another organisation's rep sees none of it
    expect(await listNames('repB')).toEqual([]);
  });

  it('detail: out of scope is 404 (existence not leaked), in scope 200', async () => {
    expect((await req('r1', 'GET', `/accounts/${ids['lyon'] ?? ''}`)).statusCode).toBe(404);
    expect((await req('r1', 'GET', `/accounts/${ids['paris'] ?? ''}`)).statusCode).toBe(200);
    expect((await req('r1', 'GET', `/accounts/${ids['lyonOwnedByR1'] ?? ''}`)).statusCode).toBe(200);
    expect((await req('m', 'GET', `/accounts/${ids['villeurbanne'] ?? ''}`)).statusCode).toBe(404);
    expect((await req('m2', 'GET', `/accounts/${ids['villeurbanne'] ?? ''}`)).statusCode).toBe(200);
    expect((await req('admin', 'GET', `/accounts/${ids['nowhere'] ?? ''}`)).statusCode).toBe(200);
    expect((await req('m', 'GET', `/accounts/${ids['nowhere'] ?? ''}`)).statusCode).toBe(404);
  });

  it('update, delete and contacts: 404 out of scope; a rep edits any account of their territory', async () => {
    expect((await req('r1', 'PATCH', `/accounts/${ids['lyon'] ?? ''}`, { notes: 'no' })).statusCode).toBe(404);
    expect((await req('r1', 'POST', `/accounts/${ids['lyon'] ?? ''}/contacts`, { lastName: 'X' })).statusCode).toBe(404);
    expect((await req('m', 'DELETE', `/accounts/${ids['lyon'] ?? ''}`)).statusCode).toBe(404);
    // Paris is not R1's, but lies in R1's territory
    const ok = await req('r1', 'PATCH', `/accounts/${ids['paris'] ?? ''}`, { notes: 'territory' });
    expect(ok.statusCode, ok.body).toBe(200);
    const contact = await req('r1', 'POST', `/accounts/${ids['paris'] ?? ''}/contacts`, { lastName: 'Martin' });
    expect(contact.statusCode).toBe(201);
    // still no reassigning for a rep
    expect((await req('r1', 'PATCH', `/accounts/${ids['paris'] ?? ''}`, { ownerId: u['r2']?.id })).statusCode).toBe(403);
    // the lyon account is unchanged
    const lyon = await req('admin', 'GET', `/accounts/${ids['lyon'] ?? ''}`);
    expect(lyon.json<AccountDetailDto>().notes).toBe('managed');
  });

  it('a rep plans visits only for the accounts they see', async () => {
    const type = await req('m', 'POST', '/visit-types', { name: 'Visibility check', durationMinutes: 30 });
    expect(type.statusCode, type.body).toBe(201);
    const visitTypeId = type.json<{ id: string }>().id;
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    const visit = (who: string, key: string) => req(who, 'POST', '/visits', { accountId: ids[key], visitTypeId, window: { from, to } });
    expect((await visit('r1', 'lyon')).statusCode).toBe(404);
    const inScope = await visit('r1', 'paris');
    expect(inScope.statusCode, inScope.body).toBe(201);
    expect((await visit('m', 'villeurbanne')).statusCode).toBe(404);
    expect((await visit('admin', 'villeurbanne')).statusCode).toBe(201);
  });

  it('a rep cannot create an account, nor move one, out of their sight', async () => {
    const outside = await req('r1', 'POST', '/accounts', { kind: 'prospect', name: 'Outside', location: MARSEILLE, ownerId: null });
    expect(outside.statusCode).toBe(403);
    expect(await listNames('admin', '&q=Outside')).toEqual([]);
    const own = await req('r1', 'POST', '/accounts', { kind: 'prospect', name: 'Own Prospect Marseille', location: MARSEILLE });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json<AccountDetailDto>().ownerId).toBe(u['r1']?.id);
    const moved = await req('r1', 'PATCH', `/accounts/${ids['paris'] ?? ''}`, { location: LYON });
    expect(moved.statusCode).toBe(403);
    const paris = await req('admin', 'GET', `/accounts/${ids['paris'] ?? ''}`);
    expect(paris.json<AccountDetailDto>().location).toEqual(PARIS);
    expect((await req('admin', 'DELETE', `/accounts/${own.json<AccountDetailDto>().id}`)).statusCode).toBe(204);
  });

  it('around (a point, an account as centre), within a polygon and along a corridor', async () => {
    const around = await req('r1', 'GET', `/accounts/around?lng=${String(LYON.lng)}&lat=${String(LYON.lat)}&radiusKm=20`);
    expect(around.statusCode).toBe(200);
    expect(around.json<AccountAround>().items.map((a) => a.name)).toEqual(['Lyon Owned By R1']);
    expect(around.json<AccountAround>().total).toBe(1);
    expect((await req('r1', 'GET', `/accounts/around?accountId=${ids['lyon'] ?? ''}&radiusKm=20`)).statusCode).toBe(404);
    const r2 = await req('r2', 'GET', `/accounts/around?accountId=${ids['lyon'] ?? ''}&radiusKm=20`);
    expect(r2.json<AccountAround>().total).toBe(3);
    const box = { type: 'Polygon', coordinates: [[[4.7, 45.7], [5.0, 45.7], [5.0, 45.85], [4.7, 45.85], [4.7, 45.7]]] };
    const within = await req('r1', 'POST', '/accounts/within', { geometry: box });
    expect(within.json<AccountWithin>().items.map((a) => a.name)).toEqual(['Lyon Owned By R1']);
    const m2within = await req('m2', 'POST', '/accounts/within', { geometry: box });
    expect(m2within.json<AccountWithin>().total).toBe(3);
    const corridor = await req('r1', 'POST', '/accounts/within', { geometry: { type: 'LineString', coordinates: [[PARIS.lng, PARIS.lat], [LYON.lng, LYON.lat]] }, widthKm: 10 });
    expect(corridor.json<AccountWithin>().items.map((a) => a.name)).toEqual(['Paris Client', 'Lyon Owned By R1']);
  });

  it('map points, tags and geocoding quality', async () => {
    const map = await req('r1', 'GET', '/accounts/map');
    const body = map.json<AccountMap>();
    expect(body.items.map((p) => p[1]).sort()).toEqual(['Lyon Owned By R1', 'Paris Client']);
    expect(body.total).toBe(2);
    const tags = await req('r1', 'GET', '/accounts/tags');
    expect(tags.json<{ items: { tag: string; count: number }[] }>().items).toEqual([{ tag: 'vip', count: 1 }]);
    const quality = await req('r1', 'GET', '/accounts/geo-quality');
    expect(quality.json<{ total: number }>().total).toBe(2);
    const all = await req('admin', 'GET', '/accounts/geo-quality');
    expect(all.json<{ total: number; withoutLocation: number }>()).toMatchObject({ total: 6, withoutLocation: 1 });
  });

  it('bulk changes and re-geocoding touch only what the caller may change', async () => {
    const bulk = await req('r1', 'POST', '/accounts/bulk', { ids: [ids['paris'], ids['lyon']], addTags: ['bulk'] });
    expect(bulk.json<{ updated: number; skipped: number }>()).toEqual({ updated: 1, skipped: 1 });
    const managerBulk = await req('m', 'POST', '/accounts/bulk', { ids: [ids['paris'], ids['villeurbanne']], ownerId: u['r1']?.id });
    expect(managerBulk.json<{ updated: number; skipped: number }>()).toEqual({ updated: 1, skipped: 1 });
    const lyon = await req('admin', 'GET', `/accounts/${ids['lyon'] ?? ''}`);
    expect(lyon.json<AccountDetailDto>().tags).toEqual(['vip']);
    const geocode = await req('r1', 'POST', '/accounts/geocode', { ids: [ids['lyon'], ids['villeurbanne']] });
    expect(geocode.statusCode, geocode.body).toBe(200);
    expect(geocode.json<{ skipped: number }>().skipped).toBe(2);
  });

  it('exports carry only what the caller may read', async () => {
    const csv = await req('r1', 'GET', '/exports/accounts?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('Paris Client');
    expect(csv.body).not.toContain('Villeurbanne Client');
    expect(csv.body).not.toContain('Nowhere Client');
    const geojson = await req('m2', 'GET', '/exports/accounts?format=geojson');
    const names = geojson.json<{ features: { properties: { name: string } }[] }>().features.map((f) => f.properties.name).sort();
    expect(names).toEqual(['Lyon Client', 'Lyon Owned By R1', 'Villeurbanne Client']);
    const everything = await req('back', 'GET', '/exports/accounts?format=csv');
    expect(everything.body).toContain('Nowhere Client');
  });

  it('imports (organisation-wide writes) are for admin and back-office once territories are published', async () => {
    const file = Buffer.from('Name,City\nImported,Lyon\n');
    const byManager = await h.request(c['m'], { method: 'POST', url: '/api/v1/imports?filename=a.csv', payload: file, headers: { 'content-type': 'text/csv' } });
    expect(byManager.statusCode).toBe(403);
    const byAdmin = await h.request(c['admin'], { method: 'POST', url: '/api/v1/imports?filename=a.csv', payload: file, headers: { 'content-type': 'text/csv' } });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
  });

  it('new and moved accounts get their territory on write (and visibility follows)', async () => {
    const created = await req('admin', 'POST', '/accounts', { kind: 'client', name: 'New In Lyon', location: LYON });
    expect(created.statusCode).toBe(201);
    expect(await listNames('r2', '&q=New In')).toEqual(['New In Lyon']);
    expect(await listNames('r1', '&q=New In')).toEqual([]);
    // geocoded from an address (no pin): Villeurbanne's address placed by the gazetteer
    const placed = await req('admin', 'POST', '/accounts', { kind: 'client', name: 'Placed Paris', address: { line1: '', line2: '', postcode: '75001', city: 'Paris', country: 'FR' } });
    expect(placed.statusCode).toBe(201);
    expect(placed.json<AccountDetailDto>().location).not.toBeNull();
    expect(await listNames('r1', '&q=Placed')).toEqual(['Placed Paris']);
    // a pin moved by hand moves the account to the other territory
    const id = created.json<AccountDetailDto>().id;
    expect((await req('admin', 'PATCH', `/accounts/${id}`, { location: PARIS })).statusCode).toBe(200);
    expect(await listNames('r1', '&q=New In')).toEqual(['New In Lyon']);
    expect(await listNames('r2', '&q=New In')).toEqual([]);
    // a pin removed: no territory any more
    expect((await req('admin', 'PATCH', `/accounts/${id}`, { location: null })).statusCode).toBe(200);
    expect(await listNames('r1', '&q=New In')).toEqual([]);
    expect((await req('admin', 'DELETE', `/accounts/${id}`)).statusCode).toBe(204);
    expect((await req('admin', 'DELETE', `/accounts/${placed.json<AccountDetailDto>().id}`)).statusCode).toBe(204);
  });

  it('a rep change on the published plan moves visibility at once; moved areas carry their accounts', async () => {
    expect((await req('m', 'PATCH', `/territories/plans/${planId}`, { territories: [{ index: 2, repId: u['r1']?.id }] })).statusCode).toBe(200);
    expect(await listNames('r1')).toEqual(['Lyon Owned By R1', 'Marseille Client', 'Paris Client']);
    expect((await req('m', 'PATCH', `/territories/plans/${planId}/areas`, { moves: [{ area: '69', territory: 0 }] })).statusCode).toBe(200);
    expect(await listNames('r1')).toEqual(['Lyon Client', 'Lyon Owned By R1', 'Marseille Client', 'Paris Client', 'Villeurbanne Client']);
    expect(await listNames('r2')).toEqual([]);
    // back as it was
    expect((await req('m', 'PATCH', `/territories/plans/${planId}/areas`, { moves: [{ area: '69', territory: 1 }] })).statusCode).toBe(200);
    expect((await req('m', 'PATCH', `/territories/plans/${planId}`, { territories: [{ index: 2, repId: null }] })).statusCode).toBe(200);
    expect(await listNames('r2')).toEqual(['Lyon Client', 'Lyon Owned By R1', 'Villeurbanne Client']);
  });
});

describe('coverage', () => {
  it('names the areas without a rep and the accounts nobody visited, with their territory', async () => {
    const res = await req('m', 'GET', '/territories/coverage?days=30');
    expect(res.statusCode, res.body).toBe(200);
    const cov = res.json<TerritoryCoverageDto>();
    expect(cov.plan?.id).toBe(planId);
    expect(cov.areasWithoutTerritory).toEqual([]);
    expect(cov.areasWithoutRep.map((a) => a.code)).toEqual(['13']);
    expect(cov.territoriesWithoutRep).toEqual([{ index: 2, name: 'South', areas: 1 }]);
    // the manager sees only their team's accounts (R1): Paris (territory 0) and the R1-owned one in Lyon (territory 1)
    expect(cov.notVisited.total).toBe(2);
    expect(cov.notVisited.items.map((a) => [a.name, a.territory]).sort()).toEqual([
      ['Lyon Owned By R1', 1],
      ['Paris Client', 0],
    ]);
    const admin = await req('admin', 'GET', '/territories/coverage?days=30');
    expect(admin.json<TerritoryCoverageDto>().notVisited.byTerritory).toEqual([
      { territory: -1, count: 1 },
      { territory: 0, count: 1 },
      { territory: 1, count: 3 },
      { territory: 2, count: 1 },
    ]);
    expect((await req('r1', 'GET', '/territories/coverage')).statusCode).toBe(403);
  });
});

describe('publishing options and withdrawal', () => {
  it('setOwners makes each territory’s rep the owner; a second published plan replaces the first', async () => {
    const assignment = Object.fromEntries(departementAreas().areas.map((area) => [area.id, area.id === '69' ? 1 : 0]));
    const saved = await req('admin', 'POST', '/territories/plans', {
      name: 'Second plan',
      measure: 'population',
      assignment,
      territories: [{ name: 'France', repId: u['r1']?.id }, { name: 'Rhône', repId: u['r2']?.id }],
    });
    const second = saved.json<TerritoryPlanDto>().id ?? '';
    const res = await req('admin', 'POST', `/territories/plans/${second}/publish`, { setOwners: true });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<PublishTerritoryPlanResult>();
    expect(result.territories.map((t) => t.accounts)).toEqual([2, 3]);
    // Paris, Marseille → R1 (Paris already R1's from the bulk change); Lyon, Villeurbanne → R2 (the R1-owned one in Lyon → R2)
    expect(result.ownersSet).toBe(4);
    const first = await req('m', 'GET', `/territories/plans/${planId}`);
    expect(first.json<TerritoryPlanDto>().publishedAt).toBeNull();
    const lyonOwned = await req('admin', 'GET', `/accounts/${ids['lyonOwnedByR1'] ?? ''}`);
    expect(lyonOwned.json<AccountDetailDto>().ownerId).toBe(u['r2']?.id);
    expect(await listNames('r1')).toEqual(['Marseille Client', 'Paris Client']);

    const withdrawn = await req('admin', 'DELETE', `/territories/plans/${second}/publish`);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json<TerritoryPlanDto>().publishedAt).toBeNull();
    // back to the rule without territories
    expect((await listNames('r1')).length).toBe(6);
    expect((await req('admin', 'DELETE', `/territories/plans/${second}/publish`)).statusCode).toBe(409);
    // coverage of a saved plan that is not published: territories by point in polygon
    const preview = await req('admin', 'GET', `/territories/coverage?days=30&planId=${second}`);
    expect(preview.statusCode, preview.body).toBe(200);
    const cov = preview.json<TerritoryCoverageDto>();
    expect(cov.plan).toMatchObject({ id: second, publishedAt: null });
    expect(cov.notVisited.byTerritory).toEqual([
      { territory: -1, count: 1 },
      { territory: 0, count: 2 },
      { territory: 1, count: 3 },
    ]);
    // no published plan and none asked: every area is without a territory
    const none = await req('admin', 'GET', '/territories/coverage?days=30');
    expect(none.json<TerritoryCoverageDto>().plan).toBeNull();
    expect(none.json<TerritoryCoverageDto>().areasWithoutTerritory).toHaveLength(96);
  });
});
