import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDetailDto, AccountList, AccountMap } from '@geocrm/contracts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let manager: string;

const count = async () => (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?limit=1' })).json<AccountList>().total;

beforeAll(async () => {
  h = await startHarness();
  manager = await h.login(h.users.a.manager);
  const cities = [
    ['Lille', '59000', 3.057, 50.629],
    ['Roubaix', '59100', 3.174, 50.69],
    ['Lyon', '69001', 4.835, 45.764],
    ['Bordeaux', '33000', -0.579, 44.837],
  ] as const;
  for (let i = 0; i < 30; i++) {
    const [city, postcode, lng, lat] = cities[i % cities.length] ?? cities[0];
    const res = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/accounts',
      payload: {
        kind: i % 5 === 0 ? 'prospect' : 'client',
        status: i % 7 === 0 ? 'inactive' : 'active',
        name: `Pâtisserie ${String(i).padStart(2, '0')}`,
        ownerId: i % 2 === 0 ? h.users.a.rep.id : null,
        tags: i % 3 === 0 ? ['vip'] : [],
        // the last one has no address and no pin: it stays without location
        address: i === 29 ? { line1: '', line2: '', postcode: '', city: '', country: 'FR' } : { line1: `${i} rue Nationale`, line2: '', postcode, city, country: 'FR' },
        ...(i === 29 ? {} : { location: { lng, lat } }),
      },
    });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => h.close());

describe('accounts API', () => {
  it('creates an account with every field and contacts, reads, updates and deletes it', async () => {
    const created = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/accounts',
      payload: {
        kind: 'job_site',
        name: 'Chantier Gare Sud',
        status: 'active',
        tags: ['btp'],
        customFields: { budgetEur: 120000 },
        phone: '03 27 00 00 00',
        email: 'chantier@example.fr',
        website: 'https://example.fr',
        address: { line1: '18, rue Roger-Salengro', line2: '', postcode: '59217', city: 'Cattenières', country: 'FR' },
        location: { lng: 3.3301, lat: 50.1302 },
        openingHours: { weekly: { '1': [{ from: '07:30', to: '12:00' }, { from: '13:00', to: '17:00' }] }, exceptions: [{ date: '2026-12-24', intervals: [{ from: '07:30', to: '12:00' }], note: 'veille de Noël' }] },
        preferredVisitDays: [1, 4],
        notes: 'Badge à l’accueil',
        contacts: [{ firstName: 'Inès', lastName: 'Martin', title: 'Conductrice de travaux', email: 'ines@example.fr', phone: '06 00 00 00 00', isPrimary: true }],
      },
    });
    expect(created.statusCode).toBe(201);
    const account = created.json<AccountDetailDto>();
    expect(account).toMatchObject({
      kind: 'job_site',
      location: { lng: 3.3301, lat: 50.1302 },
      geo: { manual: true, source: 'manual' },
      preferredVisitDays: [1, 4],
      contacts: [{ firstName: 'Inès', isPrimary: true }],
    });
    const patched = await h.request(manager, { method: 'PATCH', url: `/api/v1/accounts/${account.id}`, payload: { phone: '03 27 11 11 11', tags: ['btp', 'urgent'] } });
    expect(patched.json<AccountDetailDto>()).toMatchObject({ phone: '03 27 11 11 11', tags: ['btp', 'urgent'], name: 'Chantier Gare Sud' });

    const contact = await h.request(manager, { method: 'POST', url: `/api/v1/accounts/${account.id}/contacts`, payload: { lastName: 'Durand', isPrimary: true } });
    expect(contact.statusCode).toBe(201);
    const reread = (await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${account.id}` })).json<AccountDetailDto>();
    expect(reread.contacts.filter((c) => c.isPrimary).map((c) => c.lastName)).toEqual(['Durand']);

    expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/accounts/${account.id}` })).statusCode).toBe(204);
    expect((await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${account.id}` })).statusCode).toBe(404);
  });

  it('lists with filters, sorts and pages with a cursor through every account once', async () => {
    const get = (qs: string) => h.request(manager, { method: 'GET', url: `/api/v1/accounts?${qs}` }).then((r) => r.json<AccountList>());
    expect((await get('kind=prospect')).total).toBe(6);
    expect((await get('kind=prospect,client&status=inactive')).total).toBe(5);
    expect((await get(`ownerId=${h.users.a.rep.id}`)).total).toBe(15);
    expect((await get('ownerId=none')).total).toBe(15);
    expect((await get('tag=vip')).total).toBe(10);
    expect((await get('bbox=2.9,50.5,3.3,50.8')).total).toBe(15);
    // trigram: a typo in the city still finds it, ranked by relevance
    const typo = await get('q=Roubaixx');
    expect(typo.total).toBeGreaterThan(0);
    expect(typo.items.every((a) => a.address.city === 'Roubaix')).toBe(true);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: AccountList = await get(`sort=-name&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen[0]).toBe('Pâtisserie 29');
    expect(pages).toBe(8);
  });

  it('serves compact map points with the same filters', async () => {
    const map = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts/map?kind=client' })).json<AccountMap>();
    expect(map.total).toBe(24);
    expect(map.withoutLocation).toBe(1);
    expect(map.items).toHaveLength(23);
    const [id, name, kind, status, lng, lat] = map.items[0] ?? [];
    expect(typeof id).toBe('string');
    expect(name).toMatch(/^Pâtisserie/);
    expect(kind).toBe('client');
    expect(['active', 'inactive']).toContain(status);
    expect(lng).toBeGreaterThan(-1);
    expect(lat).toBeGreaterThan(44);
    const tags = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts/tags' })).json<{ items: { tag: string; count: number }[] }>();
    expect(tags.items).toEqual([{ tag: 'vip', count: 10 }]);
  });

  it('serves the offline base-map layers and the data attribution', async () => {
    const res = await h.request(manager, { method: 'GET', url: '/api/v1/geo/boundaries/fr-departements' });
    expect(res.statusCode).toBe(200);
    const fc = res.json<{ type: string; features: { properties: { code: string; name: string } }[] }>();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.find((f) => f.properties.code === '59')?.properties.name).toBe('Nord');
    expect((await h.request(manager, { method: 'GET', url: '/api/v1/geo/boundaries/moon' })).statusCode).toBe(400);
    const attribution = (await h.request(manager, { method: 'GET', url: '/api/v1/geo/attribution' })).json<{ items: { licence: string }[] }>();
    expect(attribution.items.length).toBeGreaterThan(0);
  });
});

describe('geocoding', () => {
  const create = (address: Record<string, string>, extra: Record<string, unknown> = {}) =>
    h.request(manager, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'prospect', name: 'Geo test', address: { line1: '', line2: '', country: 'FR', ...address }, ...extra } }).then((r) => r.json<AccountDetailDto>());

  it('places a new account from its address, moves it when the address changes, never moves a pin placed by hand', async () => {
    const a = await create({ line1: '18, rue Roger-Salengro', postcode: '59217', city: 'Cattenières' });
    expect(a.geo).toMatchObject({ source: 'gazetteer', manual: false });
    expect(['municipality', 'postcode']).toContain(a.geo.precision);
    expect(a.location?.lng).toBeCloseTo(3.33, 1);
    expect(a.location?.lat).toBeCloseTo(50.13, 1);

    const moved = (await h.request(manager, { method: 'PATCH', url: `/api/v1/accounts/${a.id}`, payload: { address: { line1: '1 place Bellecour', line2: '', postcode: '69002', city: 'Lyon', country: 'FR' } } })).json<AccountDetailDto>();
    expect(moved.location?.lat).toBeCloseTo(45.76, 1);

    const pinned = (await h.request(manager, { method: 'PATCH', url: `/api/v1/accounts/${a.id}`, payload: { location: { lng: 4.85, lat: 45.75 } } })).json<AccountDetailDto>();
    expect(pinned.geo).toMatchObject({ manual: true, source: 'manual' });
    const kept = (await h.request(manager, { method: 'PATCH', url: `/api/v1/accounts/${a.id}`, payload: { address: { line1: '', line2: '', postcode: '59000', city: 'Lille', country: 'FR' } } })).json<AccountDetailDto>();
    expect(kept.location).toEqual({ lng: 4.85, lat: 45.75 });
    expect(kept.geo.manual).toBe(true);
  });

  it('a typo still places it; an unknown place gets no location rather than a wrong one', async () => {
    const typo = await create({ postcode: '69100', city: 'Villeurbane' });
    expect(typo.location?.lng).toBeCloseTo(4.88, 1);
    const garbage = await create({ postcode: '', city: 'Zzyqxw Blorft' });
    expect(garbage.location).toBeNull();
    expect(garbage.geo).toEqual({ precision: null, source: null, manual: false, score: null });
    const abroad = await create({ postcode: '1000', city: 'Bruxelles', country: 'BE' });
    expect(abroad.location).toBeNull();
  });
});

describe('geocoding quality', () => {
  it('counts accounts by precision, lists the unplaced and low-score ones, and re-geocodes a selection without moving hand-placed pins', async () => {
    const quality = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts/geo-quality' })).json<{
      total: number;
      withoutLocation: number;
      manual: number;
      byPrecision: { precision: string; count: number }[];
    }>();
    expect(quality.total).toBe(await count());
    expect(quality.byPrecision.reduce((s, p) => s + p.count, 0)).toBe(quality.total);
    expect(quality.byPrecision.find((p) => p.precision === 'none')?.count).toBe(quality.withoutLocation);
    const none = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?geoPrecision=none&limit=500' })).json<AccountList>();
    expect(none.total).toBe(quality.withoutLocation);
    expect(none.items.every((a) => a.location === null)).toBe(true);
    const manual = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?geoManual=true&limit=1' })).json<AccountList>();
    expect(manual.total).toBe(quality.manual);
    const low = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?geoScoreBelow=0.95&limit=500' })).json<AccountList>();
    expect(low.items.every((a) => !a.geo.manual && a.geo.score !== null && a.geo.score < 0.95)).toBe(true);
    expect((await h.request(manager, { method: 'GET', url: '/api/v1/accounts?geoPrecision=rooftop' })).statusCode).toBe(400);

    const [manualOne] = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?geoManual=true&limit=1' })).json<AccountList>().items;
    const [unplacedOne] = none.items;
    const placedByAddress = (
      await h.request(manager, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'Regeo', address: { line1: '', line2: '', postcode: '13001', city: 'Marseille', country: 'FR' } } })
    ).json<AccountDetailDto>();
    if (!manualOne || !unplacedOne) throw new Error('fixtures missing');
    const res = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/accounts/geocode',
      payload: { ids: [manualOne.id, unplacedOne.id, placedByAddress.id, '00000000-0000-4000-8000-000000000000'] },
    });
    expect(res.json()).toEqual({ placed: 1, unplaced: 1, skippedManual: 1, skipped: 1 });
    const after = (await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${manualOne.id}` })).json<AccountDetailDto>();
    expect(after.location).toEqual(manualOne.location);
    const rep = await h.login(h.users.a.rep);
    const repRes = await h.request(rep, { method: 'POST', url: '/api/v1/accounts/geocode', payload: { ids: [placedByAddress.id] } });
    expect(repRes.json()).toEqual({ placed: 0, unplaced: 0, skippedManual: 0, skipped: 1 });
    expect((await h.request(manager, { method: 'POST', url: '/api/v1/accounts/geocode', payload: { ids: [] } })).statusCode).toBe(400);
  });
});

describe('bad input', () => {
  it('answers each bad request with a 4xx { code, message } and changes nothing', async () => {
    const [first] = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?limit=1' })).json<AccountList>().items;
    if (!first) throw new Error('no account');
    const before = await count();
    const bad: { name: string; status: number; req: Parameters<Harness['request']>[1] }[] = [
      { name: 'malformed JSON', status: 400, req: { method: 'POST', url: '/api/v1/accounts', headers: { 'content-type': 'application/json' }, payload: '{"kind": "client", "name": ' } },
      { name: 'wrong type', status: 400, req: { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 42 } } },
      { name: 'unknown kind', status: 400, req: { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'alien', name: 'x' } } },
      { name: 'unknown field', status: 400, req: { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'x', colour: 'red' } } },
      { name: 'missing name', status: 400, req: { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client' } } },
      { name: 'oversized body', status: 413, req: { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'x', notes: 'n'.repeat(1_100_000) } } },
      { name: 'invalid latitude', status: 400, req: { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'x', location: { lng: 2, lat: 95 } } } },
      { name: 'invalid coordinate on update', status: 400, req: { method: 'PATCH', url: `/api/v1/accounts/${first.id}`, payload: { location: { lng: 'east', lat: 45 } } } },
      { name: 'bad opening hours', status: 400, req: { method: 'PATCH', url: `/api/v1/accounts/${first.id}`, payload: { openingHours: { weekly: { '8': [] }, exceptions: [] } } } },
      { name: 'bad time', status: 400, req: { method: 'PATCH', url: `/api/v1/accounts/${first.id}`, payload: { openingHours: { weekly: { '1': [{ from: '25:00', to: '12:00' }] }, exceptions: [] } } } },
      { name: 'empty patch', status: 400, req: { method: 'PATCH', url: `/api/v1/accounts/${first.id}`, payload: {} } },
      { name: 'bad id', status: 400, req: { method: 'GET', url: '/api/v1/accounts/not-a-uuid' } },
      { name: 'bad cursor', status: 400, req: { method: 'GET', url: '/api/v1/accounts?cursor=bm9wZQ' } },
      { name: 'forged cursor', status: 400, req: { method: 'GET', url: `/api/v1/accounts?cursor=${Buffer.from(JSON.stringify({ s: 'name', v: 'a', i: "1' or 1=1" })).toString('base64url')}` } },
      { name: 'cursor of another sort', status: 400, req: { method: 'GET', url: `/api/v1/accounts?sort=city&cursor=${Buffer.from(JSON.stringify({ s: 'name', v: 'a', i: first.id })).toString('base64url')}` } },
      { name: 'limit too high', status: 400, req: { method: 'GET', url: '/api/v1/accounts?limit=5000' } },
      { name: 'unknown query parameter', status: 400, req: { method: 'GET', url: '/api/v1/accounts?colour=red' } },
      { name: 'bad bbox', status: 400, req: { method: 'GET', url: '/api/v1/accounts/map?bbox=1,2,3' } },
      { name: 'bbox out of range', status: 400, req: { method: 'GET', url: '/api/v1/accounts/map?bbox=-200,0,3,4' } },
      { name: 'unknown status filter', status: 400, req: { method: 'GET', url: '/api/v1/accounts?status=happy' } },
      { name: 'bad owner filter', status: 400, req: { method: 'GET', url: '/api/v1/accounts?ownerId=bob' } },
      { name: 'text body', status: 400, req: { method: 'POST', url: '/api/v1/accounts', headers: { 'content-type': 'text/plain' }, payload: 'hello' } },
      { name: 'unknown route', status: 404, req: { method: 'GET', url: '/api/v1/acounts' } },
    ];
    for (const { name, status, req } of bad) {
      const res = await h.request(manager, req);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      const body = res.json<{ code: string; message: string }>();
      expect(typeof body.code, name).toBe('string');
      expect(body.message.length, name).toBeGreaterThan(5);
      expect(res.body, name).not.toMatch(/select |insert |stack|node_modules/i);
    }
    expect(await count()).toBe(before);
    const after = (await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${first.id}` })).json<AccountDetailDto>();
    expect(after.location).toEqual(first.location);
    expect(after.openingHours).toEqual(first.openingHours);
  });
});
