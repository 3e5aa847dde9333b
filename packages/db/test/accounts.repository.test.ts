import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../src/testing.ts';
import type { DbHandle } from '../src/create-db.ts';
import { AccountsRepository, type AccountPage } from '../src/repositories/accounts.repository.ts';
import { OrgsRepository } from '../src/repositories/orgs.repository.ts';
import { UsersRepository } from '../src/repositories/users.repository.ts';

let handle: DbHandle;
let accounts: AccountsRepository;
let orgA: string;
let orgB: string;
let owner: string;

const TOWNS = [
  { city: 'Lyon', postcode: '69001', lng: 4.835, lat: 45.764 },
  { city: 'Villeurbanne', postcode: '69100', lng: 4.88, lat: 45.771 },
  { city: 'Lille', postcode: '59000', lng: 3.057, lat: 50.629 },
  { city: 'Cattenières', postcode: '59217', lng: 3.33, lat: 50.13 },
  { city: 'Marseille', postcode: '13001', lng: 5.37, lat: 43.296 },
];

beforeAll(async () => {
  handle = await createTestDb();
  accounts = new AccountsRepository(handle.db);
  const orgs = new OrgsRepository(handle.db);
  orgA = (await orgs.create('A')).id;
  orgB = (await orgs.create('B')).id;
  owner = (await new UsersRepository(handle.db).insert({ orgId: orgA, email: 'o@a.test', name: 'Owner', role: 'rep', passwordHash: 'x' })).id;
  const rows = Array.from({ length: 57 }, (_, i) => {
    const town = TOWNS[i % TOWNS.length] ?? TOWNS[0];
    if (!town) throw new Error('no town');
    return {
      kind: i % 3 === 0 ? ('prospect' as const) : ('client' as const),
      name: `Boulangerie ${String(i).padStart(2, '0')}`,
      ownerId: i % 2 === 0 ? owner : null,
      tags: i % 4 === 0 ? ['vip', 'bio'] : ['bio'],
      address: { line1: `${i} rue de la Paix`, line2: '', postcode: town.postcode, city: town.city, country: 'FR' },
      location: i === 56 ? null : { lng: town.lng, lat: town.lat },
      geo: { precision: 'municipality' as const, source: 'demo' as const, manual: false, score: 1 },
    };
  });
  await accounts.insertMany(orgA, rows);
  await accounts.insert(orgB, { kind: 'client', name: 'Boulangerie of B', address: { line1: '', line2: '', postcode: '69001', city: 'Lyon', country: 'FR' } });
});
afterAll(async () => handle.close());

const pageThrough = async (sort: AccountPage['sort'], descending: boolean, limit: number) => {
  const seen: string[] = [];
  let after: AccountPage['after'];
  for (let guard = 0; guard < 100; guard++) {
    const page = await accounts.list(orgA, sort === 'relevance' ? { q: 'boulangerie 1' } : {}, { sort, descending, limit, ...(after ? { after } : {}) });
    seen.push(...page.items.map((a) => a.id));
    if (!page.lastKey) break;
    after = page.lastKey;
  }
  return seen;
};

describe('AccountsRepository', () => {
  it('runs on the engine this project is for', () => {
    expect(handle.engine).toBe(process.env['GEOCRM_TEST_DATABASE_URL'] ? 'postgres' : 'pglite');
  });

  it('round-trips every field, location included', async () => {
    const id = await accounts.insert(orgA, {
      kind: 'equipment',
      name: "L'Atelier d'Émile",
      tags: ['a'],
      customFields: { serial: 'X-1', power: 3 },
      openingHours: { weekly: { '1': [{ from: '08:00', to: '12:00' }] }, exceptions: [{ date: '2026-12-25', intervals: [] }] },
      preferredVisitDays: [1, 3],
      location: { lng: 2.35, lat: 48.86 },
      geo: { precision: 'housenumber', source: 'manual', manual: true, score: null },
    });
    const got = await accounts.get(orgA, id);
    expect(got).toMatchObject({
      kind: 'equipment',
      name: "L'Atelier d'Émile",
      customFields: { serial: 'X-1', power: 3 },
      preferredVisitDays: [1, 3],
      location: { lng: 2.35, lat: 48.86 },
      geo: { manual: true, source: 'manual', precision: 'housenumber' },
      address: { country: 'FR' },
    });
    expect(got?.openingHours.exceptions).toHaveLength(1);
    await accounts.delete(orgA, id);
  });

  it('never shows or changes another organisation’s rows', async () => {
    const [b] = (await accounts.list(orgB, {}, { sort: 'name', descending: false, limit: 10 })).items;
    expect(b).toBeDefined();
    if (!b) return;
    expect(await accounts.get(orgA, b.id)).toBeUndefined();
    expect(await accounts.update(orgA, b.id, { name: 'hacked' })).toBe(false);
    expect(await accounts.delete(orgA, b.id)).toBe(false);
    expect((await accounts.get(orgB, b.id))?.name).toBe('Boulangerie of B');
  });

  it('filters by kind, owner, tags, bbox and text', async () => {
    const page = { sort: 'name', descending: false, limit: 500 } as const;
    expect((await accounts.list(orgA, { kinds: ['prospect'] }, page)).total).toBe(19);
    expect((await accounts.list(orgA, { ownerId: owner }, page)).total).toBe(29);
    expect((await accounts.list(orgA, { ownerId: null }, page)).total).toBe(28);
    expect((await accounts.list(orgA, { tags: ['vip', 'bio'] }, page)).total).toBe(15);
    const lyonArea = await accounts.list(orgA, { bbox: [4.7, 45.7, 4.95, 45.8] }, page);
    expect(new Set(lyonArea.items.map((a) => a.address.city))).toEqual(new Set(['Lyon', 'Villeurbanne']));
    // typo-tolerant search on the city (trigram), and accent/case-insensitive substring on the name
    expect((await accounts.list(orgA, { q: 'Villeurbane' }, page)).items.every((a) => a.address.city === 'Villeurbanne')).toBe(true);
    expect((await accounts.list(orgA, { q: 'Villeurbane' }, page)).total).toBeGreaterThan(0);
    expect((await accounts.list(orgA, { q: 'boulangerie 07' }, { ...page, sort: 'relevance' })).items[0]?.name).toBe('Boulangerie 07');
    expect((await accounts.list(orgA, { q: '100%_' }, page)).total).toBe(0);
  });

  it('pages with a keyset cursor through every row exactly once, in every sort', async () => {
    for (const sort of ['name', 'city', 'createdAt', 'updatedAt', 'relevance'] as const) {
      for (const descending of [false, true]) {
        const ids = await pageThrough(sort, descending, 7);
        const expected = sort === 'relevance' ? (await accounts.list(orgA, { q: 'boulangerie 1' }, { sort, descending, limit: 500 })).total : 57;
        expect(ids).toHaveLength(expected);
        expect(new Set(ids).size).toBe(expected);
      }
    }
  });

  it('returns compact map points and counts those without location', async () => {
    const map = await accounts.mapPointsJson(orgA, {});
    expect(map.total).toBe(57);
    expect(map.withLocation).toBe(56);
    const items = JSON.parse(map.json) as unknown[][];
    expect(items).toHaveLength(56);
    expect(items[0]).toHaveLength(6);
    expect(typeof items[0]?.[4]).toBe('number');
  });

  it('counts tags', async () => {
    expect(await accounts.tags(orgA)).toEqual([
      { tag: 'bio', count: 57 },
      { tag: 'vip', count: 15 },
    ]);
  });

  it('keeps a geocoding score of 0.9 out of "below 0.9" (scores are stored exactly)', async () => {
    const org = (await new OrgsRepository(handle.db).create('Scores')).id;
    const id = await accounts.insert(org, { kind: 'client', name: 'Exact', location: { lng: 2.35, lat: 48.86 }, geo: { precision: 'street', source: 'gazetteer', manual: false, score: 0.9 } });
    expect((await accounts.get(org, id))?.geo.score).toBe(0.9);
    const quality = await accounts.geoQuality(org);
    expect(quality.scoreBuckets.find((b) => b.below === 0.9)?.count).toBe(0);
    const page = { sort: 'name', descending: false, limit: 10 } as const;
    expect((await accounts.list(org, { geoScoreBelow: 0.9 }, page)).total).toBe(0);
    expect((await accounts.list(org, { geoScoreBelow: 0.91 }, page)).total).toBe(1);
  });

  it('finds accounts around a point, nearest first, with the same filters as the list', async () => {
    const lyon = { lng: 4.835, lat: 45.764 };
    const page = await accounts.around(orgA, {}, lyon, 10_000, 500);
    // Lyon and Villeurbanne (≈ 3.6 km away) are within 10 km; Lille, Marseille are not
    expect(new Set(page.items.map((a) => a.address.city))).toEqual(new Set(['Lyon', 'Villeurbanne']));
    expect(page.total).toBe(page.items.length);
    const distances = page.items.map((a) => a.distanceMeters);
    expect(distances).toEqual([...distances].sort((x, y) => x - y));
    expect(page.items[0]?.distanceMeters).toBeLessThan(1);
    const villeurbanne = page.items.find((a) => a.address.city === 'Villeurbanne');
    expect(villeurbanne?.distanceMeters).toBeGreaterThan(3400);
    expect(villeurbanne?.distanceMeters).toBeLessThan(3800);
    const limited = await accounts.around(orgA, { kinds: ['prospect'] }, lyon, 10_000, 2);
    expect(limited.items).toHaveLength(2);
    expect(limited.total).toBe(page.items.filter((a) => a.kind === 'prospect').length);
    expect((await accounts.around(orgB, {}, lyon, 10_000, 10)).items.map((a) => a.name)).toEqual([]);
  });

  it('finds accounts inside a polygon and along a line, and tells why a polygon is unusable', async () => {
    const square = JSON.stringify({ type: 'Polygon', coordinates: [[[4.7, 45.7], [4.95, 45.7], [4.95, 45.8], [4.7, 45.8], [4.7, 45.7]]] });
    expect(await accounts.checkGeometry(square)).toBeNull();
    const inside = await accounts.withinPolygon(orgA, {}, square, 500);
    expect(new Set(inside.items.map((a) => a.address.city))).toEqual(new Set(['Lyon', 'Villeurbanne']));
    const bowtie = JSON.stringify({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] });
    const problem = await accounts.checkGeometry(bowtie);
    expect(problem?.reason).toMatch(/self-intersection/i);
    expect(problem?.at?.lng).toBeCloseTo(0.5);
    // Lille → Lyon: Cattenières (near Cambrai) lies about 10 km off the straight line
    const route = JSON.stringify({ type: 'LineString', coordinates: [[3.057, 50.629], [4.835, 45.764]] });
    const corridor = await accounts.alongLine(orgA, {}, route, 20_000, 500);
    const cities = corridor.items.map((a) => a.address.city);
    expect(new Set(cities)).toEqual(new Set(['Lille', 'Cattenières', 'Lyon', 'Villeurbanne']));
    // ordered along the line: Lille first, Lyon last
    expect(cities[0]).toBe('Lille');
    expect(['Lyon', 'Villeurbanne']).toContain(cities.at(-1));
    const catt = corridor.items.find((a) => a.address.city === 'Cattenières');
    expect(catt?.distanceMeters).toBeGreaterThan(1000);
    expect(catt?.distanceMeters).toBeLessThan(20_000);
    expect(catt?.alongMeters).toBeGreaterThan(50_000);
  });

  it('filters by days since the last visit, and changes owner and tags of a selection', async () => {
    const org = (await new OrgsRepository(handle.db).create('Visits')).id;
    const day = 86_400_000;
    const [recent, old, never] = await accounts.insertMany(org, [
      { kind: 'client', name: 'Recent', tags: ['a'], lastVisitAt: new Date(Date.now() - 5 * day) },
      { kind: 'client', name: 'Old', tags: ['a', 'b'], lastVisitAt: new Date(Date.now() - 100 * day) },
      { kind: 'client', name: 'Never', tags: [] },
    ]);
    const page = { sort: 'name', descending: false, limit: 10 } as const;
    expect((await accounts.list(org, { notVisitedDays: 30 }, page)).items.map((a) => a.name)).toEqual(['Never', 'Old']);
    expect((await accounts.get(org, recent ?? ''))?.lastVisitAt?.getTime()).toBeLessThan(Date.now());
    expect((await accounts.list(org, { ids: [old ?? '', never ?? ''] }, page)).total).toBe(2);
    expect((await accounts.list(org, { ids: [] }, page)).total).toBe(0);
    expect(await accounts.bulkUpdate(org, [recent ?? '', old ?? '', never ?? ''], { addTags: ['c', 'a'], removeTags: ['b'] })).toBe(3);
    expect((await accounts.list(org, {}, page)).items.map((a) => [a.name, a.tags])).toEqual([
      ['Never', ['c', 'a']],
      ['Old', ['a', 'c']],
      ['Recent', ['a', 'c']],
    ]);
    // another organisation's ids are ignored
    expect(await accounts.bulkUpdate(orgA, [recent ?? ''], { ownerId: null })).toBe(0);
    expect(await accounts.bulkUpdate(org, [recent ?? ''], { ownerId: null }, owner)).toBe(0);
  });
});
