import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../src/testing.ts';
import type { DbHandle } from '../src/create-db.ts';
import { AddressPointsRepository, type AddressPointRecord } from '../src/repositories/address-points.repository.ts';
import { OrgsRepository } from '../src/repositories/orgs.repository.ts';

let handle: DbHandle;
let repo: AddressPointsRepository;
let orgA: string;
let orgB: string;

const point = (number: string, over: Partial<AddressPointRecord> = {}): AddressPointRecord => ({
  number,
  street: 'Rue Roger Salengro',
  streetKey: 'rue roger salengro',
  postcode: '59217',
  city: 'Cattenières',
  cityKey: 'cattenieres',
  lng: 3.33 + Number.parseInt(number, 10) / 10_000,
  lat: 50.13,
  ...over,
});

beforeAll(async () => {
  handle = await createTestDb();
  repo = new AddressPointsRepository(handle.db);
  const orgs = new OrgsRepository(handle.db);
  orgA = (await orgs.create('A')).id;
  orgB = (await orgs.create('B')).id;
});
afterAll(async () => handle.close());

describe('AddressPointsRepository', () => {
  it('stores a file’s points and finds them by postcode or by current or former commune, per organisation', async () => {
    const file = await repo.createFile(orgA, { name: 'adresses-59.csv', format: 'ban', loadedBy: null });
    const many = Array.from({ length: 4500 }, (_, i) => point(String(i + 1), i === 7 ? { oldCity: 'Ancienne', oldCityKey: 'ancienne', cityInsee: '59138', id: 'ban-8' } : {}));
    await repo.insertPoints(orgA, file, many);
    await repo.finishFile(orgA, file, { points: many.length, rejected: 2 });
    expect(await repo.find(orgA, { postcode: '59217' })).toHaveLength(4500);
    const former = await repo.find(orgA, { cityKey: 'ancienne' });
    expect(former).toEqual([expect.objectContaining({ number: '8', oldCity: 'Ancienne', cityInsee: '59138', id: 'ban-8', lat: 50.13 })]);
    expect(former[0]?.lng).toBeCloseTo(3.3308, 6);
    expect(await repo.find(orgB, { postcode: '59217' })).toEqual([]);
    expect(await repo.hasPoints(orgA)).toBe(true);
    expect(await repo.hasPoints(orgB)).toBe(false);
    const files = await repo.listFiles(orgA);
    expect(files).toEqual([expect.objectContaining({ id: file, name: 'adresses-59.csv', format: 'ban', points: 4500, rejected: 2 })]);
    expect(await repo.listFiles(orgB)).toEqual([]);
    expect(await repo.deleteFile(orgB, file)).toBe(false);
    expect(await repo.deleteFile(orgA, file)).toBe(true);
    expect(await repo.find(orgA, { postcode: '59217' })).toEqual([]);
  });

  it('keeps one geocoding cache entry per key', async () => {
    expect(await repo.cacheGet('ban|5|x')).toBeUndefined();
    await repo.cacheSet('ban|5|x', { kind: 'failure', attempts: 1 });
    await repo.cacheSet('ban|5|x', { kind: 'result', result: { features: [] } });
    expect(await repo.cacheGet('ban|5|x')).toEqual({ kind: 'result', result: { features: [] } });
    expect(await repo.cachePurge(new Date(Date.now() - 86_400_000))).toBe(0);
    expect(await repo.cachePurge(new Date(Date.now() + 1000))).toBe(1);
    expect(await repo.cacheGet('ban|5|x')).toBeUndefined();
  });
});
