import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountAround, AccountList, AccountWithin, BulkAccountsResult, GeocodeCollection } from '@geocrm/contracts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let manager: string;
let rep: string;
const ids: Record<string, string> = {};

// Real French towns; distances from Lille: Roubaix ≈ 11 km, Arras ≈ 45 km, Amiens ≈ 100 km, Lyon ≈ 560 km.
const TOWNS = [
  ['Lille', '59000', 3.0573, 50.6292],
  ['Roubaix', '59100', 3.1746, 50.6942],
  ['Arras', '62000', 2.7775, 50.2910],
  ['Amiens', '80000', 2.2957, 49.8942],
  ['Lyon', '69001', 4.8357, 45.7640],
] as const;

beforeAll(async () => {
  h = await startHarness();
  manager = await h.login(h.users.a.manager);
  rep = await h.login(h.users.a.rep);
  for (const [city, postcode, lng, lat] of TOWNS) {
    for (const kind of ['client', 'prospect'] as const) {
      const res = await h.request(manager, {
        method: 'POST',
        url: '/api/v1/accounts',
        payload: { kind, name: `${kind} ${city}`, ownerId: kind === 'client' ? h.users.a.rep.id : null, address: { line1: '', line2: '', postcode, city, country: 'FR' }, location: { lng, lat } },
      });
      expect(res.statusCode).toBe(201);
      ids[`${kind} ${city}`] = res.json<{ id: string }>().id;
    }
  }
  // another organisation's account in Lille: never found by org A
  const other = await h.login(h.users.b.manager);
  await h.request(other, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'B in Lille', location: { lng: 3.06, lat: 50.63 } } });
});
afterAll(async () => h.close());

const around = async (query: string, cookie = manager) => h.request(cookie, { method: 'GET', url: `/api/v1/accounts/around?${query}` });

describe('around searches', () => {
  it('finds accounts within a radius of a point, nearest first, with the distance', async () => {
    const res = await around('lng=3.0573&lat=50.6292&radiusKm=50');
    expect(res.statusCode).toBe(200);
    const body = res.json<AccountAround>();
    expect(body.items.map((a) => a.address.city)).toEqual(['Lille', 'Lille', 'Roubaix', 'Roubaix', 'Arras', 'Arras']);
    expect(body.total).toBe(6);
    expect(body.radiusMeters).toBe(50_000);
    const roubaix = body.items.find((a) => a.address.city === 'Roubaix');
    expect(roubaix?.distanceMeters).toBeGreaterThan(10_000);
    expect(roubaix?.distanceMeters).toBeLessThan(12_000);
    expect(roubaix?.durationSeconds).toBeNull();
  });

  it('applies the list filters and the limit, and counts beyond it', async () => {
    const body = (await around('lng=3.0573&lat=50.6292&radiusKm=150&kind=prospect&limit=2')).json<AccountAround>();
    expect(body.items.map((a) => a.name)).toEqual(['prospect Lille', 'prospect Roubaix']);
    expect(body.total).toBe(4);
    const owned = (await around(`lng=3.0573&lat=50.6292&radiusKm=150&ownerId=${h.users.a.rep.id}`)).json<AccountAround>();
    expect(owned.items.every((a) => a.kind === 'client')).toBe(true);
    const neverVisited = (await around('lng=3.0573&lat=50.6292&radiusKm=150&notVisitedDays=30')).json<AccountAround>();
    expect(neverVisited.total).toBe(8);
    expect(neverVisited.totalCapped).toBe(false);
    // counting stops where asked: a dense area is not read to the last account
    const capped = (await around('lng=3.0573&lat=50.6292&radiusKm=150&countUpTo=3&limit=2')).json<AccountAround>();
    expect(capped).toMatchObject({ total: 3, totalCapped: true });
    expect(capped.items).toHaveLength(2);
  });

  it('filters the list by distance to a point (near=lng,lat,radiusKm), and refuses a malformed one', async () => {
    const list = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?near=3.0573,50.6292,50&sort=city' })).json<AccountList>();
    expect(list.items.map((a) => a.address.city)).toEqual(['Arras', 'Arras', 'Lille', 'Lille', 'Roubaix', 'Roubaix']);
    for (const near of ['3,50', '3,50,0', '3,95,10', 'a,b,c', '3,50,501']) {
      const res = await h.request(manager, { method: 'GET', url: `/api/v1/accounts?near=${near}` });
      expect(res.statusCode, near).toBe(400);
      expect(res.json<{ message: string }>().message).toMatch(/near must be lng,lat,radiusKm/);
    }
  });

  it('searches around an account and around a town given by name', async () => {
    const fromArras = (await around(`accountId=${ids['client Arras'] ?? ''}&radiusKm=50`)).json<AccountAround>();
    expect(fromArras.centre.label).toBe('client Arras');
    expect(fromArras.items[0]?.address.city).toBe('Arras');
    // Lille is 42.5 km from Arras, Roubaix 52.9 km
    expect(new Set(fromArras.items.map((a) => a.address.city))).toEqual(new Set(['Arras', 'Lille']));
    const fromAmiens = (await around(`address=${encodeURIComponent('80000 Amiens')}&radiusKm=20`)).json<AccountAround>();
    expect(fromAmiens.centre.label).toMatch(/Amiens/);
    expect(fromAmiens.items.map((a) => a.address.city)).toEqual(['Amiens', 'Amiens']);
  });

  it('searches within minutes of estimated driving, with the driving time of each account', async () => {
    const body = (await around('lng=3.0573&lat=50.6292&minutes=55')).json<AccountAround>();
    expect(body.minutes).toBe(55);
    // 55 minutes reach Roubaix and Arras (42.5 km straight) but not Amiens (98 km)
    expect(new Set(body.items.map((a) => a.address.city))).toEqual(new Set(['Lille', 'Roubaix', 'Arras']));
    expect(body.radiusMeters).toBeGreaterThan(45_000);
    expect(body.radiusMeters).toBeLessThan(100_000);
    for (const a of body.items) {
      expect(a.durationSeconds).not.toBeNull();
      expect(a.durationSeconds ?? Infinity).toBeLessThanOrEqual(55 * 60);
    }
    const roubaix = body.items.find((a) => a.address.city === 'Roubaix');
    // ≈ 11 km straight: about a quarter of an hour by road
    expect(roubaix?.durationSeconds).toBeGreaterThan(10 * 60);
    expect(roubaix?.durationSeconds).toBeLessThan(25 * 60);
  });

  it('rejects a missing or double centre, a bad radius, an unknown place and an account without location, clearly', async () => {
    const cases: [string, number, RegExp][] = [
      ['radiusKm=10', 400, /exactly one centre/],
      [`lng=3&lat=50&accountId=${ids['client Lille'] ?? ''}&radiusKm=10`, 400, /exactly one centre/],
      ['lng=3&radiusKm=10', 400, /lng and lat go together/],
      ['lng=3&lat=50', 400, /radiusKm or minutes/],
      ['lng=3&lat=50&radiusKm=10&minutes=5', 400, /radiusKm or minutes/],
      ['lng=3&lat=50&radiusKm=-1', 400, /radiusKm/],
      ['lng=3&lat=50&radiusKm=10000', 400, /radiusKm/],
      ['lng=3&lat=95&radiusKm=10', 400, /lat/],
      ['address=zzqxw%20nowhere&radiusKm=10', 400, /No place found/],
      ['accountId=00000000-0000-4000-8000-000000000000&radiusKm=10', 404, /not found/],
    ];
    for (const [query, status, message] of cases) {
      const res = await around(query);
      expect(res.statusCode, query).toBe(status);
      expect(res.json<{ message: string }>().message, query).toMatch(message);
    }
    const bare = await h.request(manager, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'Nowhere' } });
    const res = await around(`accountId=${bare.json<{ id: string }>().id}&radiusKm=10`);
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/has no location/);
  });

  it('never finds another organisation’s accounts and answers 401 without a session', async () => {
    const body = (await around('lng=3.06&lat=50.63&radiusKm=5')).json<AccountAround>();
    expect(body.items.map((a) => a.name)).not.toContain('B in Lille');
    expect((await around('lng=3.06&lat=50.63&radiusKm=5', '')).statusCode).toBe(401);
  });
});

describe('within a polygon or along a line', () => {
  const within = (payload: unknown, cookie = manager) => h.request(cookie, { method: 'POST', url: '/api/v1/accounts/within', payload: payload as Record<string, unknown> });

  it('finds the accounts inside a drawn polygon', async () => {
    // the Nord around Lille and Roubaix
    const polygon = { type: 'Polygon', coordinates: [[[2.9, 50.55], [3.3, 50.55], [3.3, 50.8], [2.9, 50.8], [2.9, 50.55]]] };
    const res = await within({ geometry: polygon, filter: { kind: 'client' } });
    expect(res.statusCode).toBe(200);
    expect(res.json<AccountWithin>().items.map((a) => a.name).sort()).toEqual(['client Lille', 'client Roubaix']);
  });

  it('finds the accounts along a route, in order along it, with their distance to it', async () => {
    // Roubaix → Amiens: Lille lies 2.6 km off the straight line, Arras 2.9 km
    const line = { type: 'LineString', coordinates: [[3.1746, 50.6942], [2.2957, 49.8942]] };
    const res = await within({ geometry: line, widthKm: 20, filter: { kind: 'client' } });
    expect(res.statusCode).toBe(200);
    const items = res.json<AccountWithin>().items;
    expect(items.map((a) => a.address.city)).toEqual(['Roubaix', 'Lille', 'Arras', 'Amiens']);
    const arras = items[2];
    expect(arras?.distanceMeters).toBeGreaterThan(2_500);
    expect(arras?.distanceMeters).toBeLessThan(3_500);
    expect(arras?.alongMeters).toBeGreaterThan(45_000);
    expect(arras?.alongMeters).toBeLessThan(60_000);
    const narrow = (await within({ geometry: line, widthKm: 2, filter: { kind: 'client' } })).json<AccountWithin>();
    expect(narrow.items.map((a) => a.address.city)).toEqual(['Roubaix', 'Amiens']);
  });

  it('rejects a polygon that crosses itself, an open ring, a line without width and bad coordinates', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[2.9, 50.5], [3.3, 50.8], [3.3, 50.5], [2.9, 50.8], [2.9, 50.5]]] };
    const crossing = await within({ geometry: bowtie });
    expect(crossing.statusCode).toBe(400);
    expect(crossing.json<{ message: string }>().message).toMatch(/crosses itself near 50\.65/);
    const open = await within({ geometry: { type: 'Polygon', coordinates: [[[2.9, 50.5], [3.3, 50.8], [3.3, 50.5], [2.9, 50.6]]] } });
    expect(open.json<{ message: string }>().message).toMatch(/not closed/);
    const noWidth = await within({ geometry: { type: 'LineString', coordinates: [[3, 50], [2, 49]] } });
    expect(noWidth.json<{ message: string }>().message).toMatch(/widthKm/);
    const outOfRange = await within({ geometry: { type: 'LineString', coordinates: [[3, 50], [200, 49]] }, widthKm: 1 });
    expect(outOfRange.statusCode).toBe(400);
    const unknownType = await within({ geometry: { type: 'Point', coordinates: [3, 50] } });
    expect(unknownType.statusCode).toBe(400);
  });
});

describe('acting on a selection', () => {
  const bulk = (payload: unknown, cookie = manager) => h.request(cookie, { method: 'POST', url: '/api/v1/accounts/bulk', payload: payload as Record<string, unknown> });

  it('tags and reassigns a selection; a rep only tags their own and cannot reassign', async () => {
    const selection = [ids['prospect Lille'] ?? '', ids['prospect Roubaix'] ?? ''];
    const res = await bulk({ ids: selection, addTags: ['salon-2026'], ownerId: h.users.a.manager.id });
    expect(res.json<BulkAccountsResult>()).toEqual({ updated: 2, skipped: 0 });
    const tagged = (await h.request(manager, { method: 'GET', url: '/api/v1/accounts?tag=salon-2026' })).json<AccountList>();
    expect(tagged.items.map((a) => [a.name, a.ownerId])).toEqual([
      ['prospect Lille', h.users.a.manager.id],
      ['prospect Roubaix', h.users.a.manager.id],
    ]);
    const byRep = await bulk({ ids: [ids['client Lille'] ?? '', ids['prospect Lille'] ?? ''], addTags: ['seen'] }, rep);
    expect(byRep.json<BulkAccountsResult>()).toEqual({ updated: 1, skipped: 1 });
    expect((await bulk({ ids: [ids['client Lille'] ?? ''], ownerId: null }, rep)).statusCode).toBe(403);
    const removed = await bulk({ ids: selection, removeTags: ['salon-2026'] });
    expect(removed.json<BulkAccountsResult>().updated).toBe(2);
    expect((await bulk({ ids: selection })).statusCode).toBe(400);
    expect((await bulk({ ids: selection, ownerId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);
  });
});

describe('geocoding API', () => {
  it('geocodes free text and fields to GeocodeJSON, and a point back to its commune', async () => {
    const res = await h.request(manager, { method: 'GET', url: `/api/v1/geocode?q=${encodeURIComponent('18, rue Roger-Salengro 59217 Cattenières')}` });
    expect(res.statusCode).toBe(200);
    const body = res.json<GeocodeCollection>();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features[0]?.properties).toMatchObject({ city: 'Cattenières', postcode: '59217', precision: 'municipality', type: 'municipality', source: 'gazetteer' });
    const [lng, lat] = body.features[0]?.geometry.coordinates ?? [0, 0];
    expect(lng).toBeCloseTo(3.33, 1);
    expect(lat).toBeCloseTo(50.13, 1);
    const fields = (await h.request(manager, { method: 'GET', url: '/api/v1/geocode?postcode=59233&city=MAING' })).json<GeocodeCollection>();
    expect(fields.features[0]?.properties).toMatchObject({ citycode: '59369', city: 'Maing' });
    const garbage = (await h.request(manager, { method: 'GET', url: '/api/v1/geocode?q=qwxzzkj%20plop' })).json<GeocodeCollection>();
    expect(garbage.features).toEqual([]);
    const reverse = (await h.request(manager, { method: 'GET', url: '/api/v1/geocode/reverse?lng=3.33&lat=50.13' })).json<GeocodeCollection>();
    expect(reverse.features[0]?.properties).toMatchObject({ city: 'Cattenières', postcode: '59217' });
    const sea = (await h.request(manager, { method: 'GET', url: '/api/v1/geocode/reverse?lng=-30&lat=45' })).json<GeocodeCollection>();
    expect(sea.features).toEqual([]);
    expect((await h.request(manager, { method: 'GET', url: '/api/v1/geocode' })).statusCode).toBe(400);
    expect((await h.request(manager, { method: 'GET', url: '/api/v1/geocode/reverse?lng=200&lat=0' })).statusCode).toBe(400);
    expect((await h.request(undefined, { method: 'GET', url: '/api/v1/geocode?q=Lille' })).statusCode).toBe(401);
  });
});
