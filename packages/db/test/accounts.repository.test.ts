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
});
