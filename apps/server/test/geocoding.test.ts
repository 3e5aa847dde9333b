import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDetailDto, AddressFileList, AddressFileLoadResult, GeocodeCollection, GeocoderList } from '@geocrm/contracts';
import { startHarness, type Harness } from './harness.ts';

const BAN_HEADER =
  'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';
const banRow = (n: number, lon: string, lat: string) =>
  `59138_0190_${String(n).padStart(5, '0')};59138_0190;${n};;Rue Roger Salengro;59217;59138;Cattenières;;;725897.10;7002475.60;${lon};${lat};entrée;;;CATTENIERES;RUE ROGER SALENGRO;commune;commune;1;`;
const BAN_FILE = [
  BAN_HEADER,
  banRow(16, '3.335100', '50.134050'),
  banRow(18, '3.335271', '50.134152'),
  banRow(20, '3.335400', '50.134250'),
  banRow(22, 'not-a-number', '50.13'),
  banRow(24, '3.335700', '50.134450'),
].join('\n');

const ADDRESS = { line1: '18, rue Roger-Salengro', line2: '', postcode: '59217', city: 'Cattenières', country: 'FR' };

let h: Harness;
let admin: string;

const upload = (cookie: string, body: string, name = 'adresses-59.csv', type = 'text/csv') =>
  h.request(cookie, { method: 'POST', url: `/api/v1/geo/address-files?name=${encodeURIComponent(name)}`, payload: body, headers: { 'content-type': type } });
const createAccount = async (cookie: string) =>
  (await h.request(cookie, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'Chez Roger', address: ADDRESS } })).json<AccountDetailDto>();

beforeAll(async () => {
  h = await startHarness();
  admin = await h.login(h.users.a.admin);
});
afterAll(async () => h.close());

describe('address files: street-level geocoding with no network', () => {
  it('places an address at its house number once the BAN file of its commune is loaded, for that organisation only', async () => {
    const before = await createAccount(admin);
    expect(before.geo).toMatchObject({ precision: 'municipality', source: 'gazetteer' });

    expect((await upload(await h.login(h.users.a.rep), BAN_FILE)).statusCode).toBe(403);
    const res = await upload(admin, BAN_FILE);
    expect(res.statusCode).toBe(201);
    const loaded = res.json<AddressFileLoadResult>();
    expect(loaded).toMatchObject({ format: 'ban', points: 4, rejected: 1 });
    expect(loaded.errors.map((e) => e.line)).toEqual([5]);
    expect(loaded.errors[0]?.message).toMatch(/lon|coordinate/i);

    const after = await createAccount(admin);
    expect(after.geo).toMatchObject({ precision: 'housenumber', source: 'address_points', manual: false });
    expect(after.location?.lng).toBeCloseTo(3.335271, 5);
    expect(after.location?.lat).toBeCloseTo(50.134152, 5);

    const found = (await h.request(admin, { method: 'GET', url: `/api/v1/geocode?q=${encodeURIComponent('18 RUE ROGER SALENGRO 59217 CATTENIERES')}` })).json<GeocodeCollection>();
    expect(found.features[0]?.properties).toMatchObject({ precision: 'housenumber', source: 'addresses' });

    // another organisation's geocoding does not see these points
    const other = await createAccount(await h.login(h.users.b.admin));
    expect(other.geo.precision).toBe('municipality');

    const files = (await h.request(admin, { method: 'GET', url: '/api/v1/geo/address-files' })).json<AddressFileList>();
    expect(files.items).toEqual([expect.objectContaining({ id: loaded.id, name: 'adresses-59.csv', points: 4, rejected: 1, loadedByName: 'admin a' })]);
    expect((await h.request(await h.login(h.users.b.admin), { method: 'DELETE', url: `/api/v1/geo/address-files/${loaded.id}` })).statusCode).toBe(404);
    expect((await h.request(admin, { method: 'DELETE', url: `/api/v1/geo/address-files/${loaded.id}` })).statusCode).toBe(204);
    expect((await createAccount(admin)).geo.precision).toBe('municipality');
  });

  it('refuses a file that is no address file, or empty, and loads nothing', async () => {
    const cases: [string, RegExp][] = [
      ['name;city\nChez Roger;Lille\n', /BAN export|OpenAddresses/],
      ['', /empty|BAN export|OpenAddresses/],
      [`${BAN_HEADER}\n${banRow(1, 'x', 'y')}\n`, /No address could be read.*line 2/],
    ];
    for (const [body, message] of cases) {
      const res = await upload(admin, body);
      expect(res.statusCode, body.slice(0, 20)).toBe(400);
      expect(res.json<{ message: string }>().message).toMatch(message);
    }
    expect((await h.request(admin, { method: 'GET', url: '/api/v1/geo/address-files' })).json<AddressFileList>().items).toEqual([]);
    expect((await upload(admin, BAN_FILE, '')).statusCode).toBe(400);
  });
});

describe('an online geocoder (BAN API) behind the configuration', () => {
  let banServer: Server;
  let calls = 0;
  let down = false;
  let online: Harness;

  beforeAll(async () => {
    banServer = createServer((request, response) => {
      calls += 1;
      const q = new URL(request.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      if (down) {
        response.writeHead(503).end('maintenance');
        return;
      }
      const features = /salengro/i.test(q)
        ? [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [3.335271, 50.134152] },
              properties: { label: '18 Rue Roger Salengro 59217 Cattenières', score: 0.97, housenumber: '18', id: '59138_0190_00018', name: '18 Rue Roger Salengro', postcode: '59217', citycode: '59138', city: 'Cattenières', context: '59, Nord, Hauts-de-France', type: 'housenumber', street: 'Rue Roger Salengro' },
            },
          ]
        : [];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'FeatureCollection', version: 'draft', features, query: q }));
    });
    await new Promise<void>((resolve) => banServer.listen(0, '127.0.0.1', resolve));
    const { port } = banServer.address() as AddressInfo;
    online = await startHarness({ geocoder: { provider: 'ban', baseUrl: `http://127.0.0.1:${port}`, retries: 0, timeoutMs: 2000 } });
  });
  afterAll(async () => {
    await online.close();
    await new Promise((resolve) => banServer.close(resolve));
  });

  it('geocodes with it, caches its answers in the database, and falls back to the gazetteer when it is down', async () => {
    const cookie = await online.login(online.users.a.manager);
    const providers = (await online.request(cookie, { method: 'GET', url: '/api/v1/geocode/providers' })).json<GeocoderList>();
    expect(providers).toEqual({ items: ['embedded', 'ban'], default: 'ban' });

    const create = async () => (await online.request(cookie, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'Chez Roger', address: ADDRESS } })).json<AccountDetailDto>();
    const first = await create();
    expect(first.geo).toMatchObject({ precision: 'housenumber', source: 'ban', score: 0.97 });
    const callsAfterFirst = calls;
    expect(callsAfterFirst).toBeGreaterThan(0);
    const second = await create();
    expect(second.geo.source).toBe('ban');
    expect(calls).toBe(callsAfterFirst); // from the cache

    // choose the embedded geocoder explicitly
    const embedded = (await online.request(cookie, { method: 'GET', url: `/api/v1/geocode?q=${encodeURIComponent('59217 Cattenières')}&provider=embedded` })).json<GeocodeCollection>();
    expect(embedded.features[0]?.properties.source).toBe('gazetteer');
    expect((await online.request(cookie, { method: 'GET', url: '/api/v1/geocode?q=Lille&provider=nominatim' })).statusCode).toBe(400);

    // the provider is down: the account is still created, placed by the gazetteer
    down = true;
    const third = (await online.request(cookie, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'Autre', address: { ...ADDRESS, line1: '3 place du Marché' } } })).json<AccountDetailDto>();
    expect(third.geo).toMatchObject({ precision: 'municipality', source: 'gazetteer' });

    // re-geocode a selection with the embedded geocoder
    const regeo = await online.request(cookie, { method: 'POST', url: '/api/v1/accounts/geocode', payload: { ids: [first.id], provider: 'embedded' } });
    expect(regeo.json()).toMatchObject({ placed: 1 });
    const moved = (await online.request(cookie, { method: 'GET', url: `/api/v1/accounts/${first.id}` })).json<AccountDetailDto>();
    expect(moved.geo).toMatchObject({ precision: 'municipality', source: 'gazetteer' });
  });
});
