import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import type { AddressFileLoadDto, GeocodeJobDto, GeocodeJobItemList } from '@geocrm/contracts';
import { createRepositories, createTransactor, type Repositories } from '@geocrm/db';
import type { GeocoderConfig } from '@geocrm/geo';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { AddressFilesService } from '../src/features/geo/address-files.service.ts';
import { startHarness, type Harness } from './harness.ts';

/**
 * A Nominatim that speaks the real protocol (`/search?q=…&format=jsonv2&addressdetails=1`, JSON
 * array of places): a house in the street asked, none for "Inconnue", a 503 for "Panne". It records
 * when each request came and what it asked.
 */
interface FakeNominatim {
  readonly server: Server;
  readonly url: string;
  readonly asked: { q: string; at: number; userAgent: string | undefined }[];
  delayMs: number;
}

const startNominatim = async (): Promise<FakeNominatim> => {
  const fake: FakeNominatim = { server: createServer(), url: '', asked: [], delayMs: 0 };
  fake.server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const q = url.searchParams.get('q') ?? '';
    fake.asked.push({ q, at: performance.now(), userAgent: request.headers['user-agent'] });
    setTimeout(() => {
      if (url.pathname !== '/search' || url.searchParams.get('format') !== 'jsonv2') {
        response.writeHead(400).end();
        return;
      }
      if (/panne/i.test(q)) {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      if (/inconnue/i.test(q)) {
        response.end('[]');
        return;
      }
      const number = /^(\d+)/.exec(q.trim())?.[1] ?? '1';
      const postcode = /\b(\d{5})\b/.exec(q)?.[1] ?? '59000';
      const n = Number(number);
      response.end(
        JSON.stringify([
          {
            place_id: 1000 + n,
            licence: 'Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright',
            osm_type: 'node',
            osm_id: 5000 + n,
            lat: String(50.6367 + n / 10_000),
            lon: String(3.0633 + n / 10_000),
            category: 'place',
            type: 'house',
            place_rank: 30,
            importance: 0.00007,
            addresstype: 'place',
            name: '',
            display_name: `${number}, Rue Nationale, Lille, Nord, Hauts-de-France, France métropolitaine, ${postcode}, France`,
            address: {
              house_number: number,
              road: 'Rue Nationale',
              city: 'Lille',
              county: 'Nord',
              'ISO3166-2-lvl6': 'FR-59',
              state: 'Hauts-de-France',
              postcode,
              country: 'France',
              country_code: 'fr',
            },
            boundingbox: ['50.63', '50.64', '3.06', '3.07'],
          },
        ]),
      );
    }, fake.delayMs);
  });
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, { url: `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}` });
};

const LILLE = { lng: 3.0573, lat: 50.6292 };
const address = (line1: string) => ({ line1, line2: '', postcode: '59000', city: 'Lille', country: 'FR' });

let nominatim: FakeNominatim;
let geocoder: GeocoderConfig;
let h: Harness;
let repos: Repositories;

/** An account placed by the offline gazetteer at the town's centre (what re-geocoding improves). */
const townLevel = (orgId: string, name: string, line1: string, tags: string[] = []) =>
  repos.accounts.insert(orgId, { kind: 'client', name, tags, address: address(line1), location: LILLE, geo: { precision: 'municipality', source: 'gazetteer', manual: false, score: 0.9 } });

const job = async (cookie: string, id: string, app?: FastifyInstance) => {
  const res = app ? await app.inject({ method: 'GET', url: `/api/v1/geocode/jobs/${id}`, headers: { cookie } }) : await h.request(cookie, { method: 'GET', url: `/api/v1/geocode/jobs/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<GeocodeJobDto>();
};

const waitFor = async (cookie: string, id: string, until: (j: GeocodeJobDto) => boolean = (j) => ['done', 'failed', 'cancelled'].includes(j.status), app?: FastifyInstance) => {
  for (let i = 0; i < 600; i++) {
    const j = await job(cookie, id, app);
    if (until(j)) return j;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} never reached the state waited for: ${JSON.stringify(await job(cookie, id, app))}`);
};

const startJob = (cookie: string, payload: unknown, app?: FastifyInstance) =>
  app ? app.inject({ method: 'POST', url: '/api/v1/geocode/jobs', payload: payload as object, headers: { cookie } }) : h.request(cookie, { method: 'POST', url: '/api/v1/geocode/jobs', payload: payload as object });

beforeAll(async () => {
  nominatim = await startNominatim();
  geocoder = { provider: 'nominatim', baseUrl: nominatim.url, userAgent: 'GeoCRM tests (geocode jobs)', ratePerSecond: 20, retries: 0, timeoutMs: 2000 };
  h = await startHarness({ geocoder });
  repos = createRepositories(h.handle.db);
});
afterAll(async () => {
  await h.close();
  await new Promise((resolve) => nominatim.server.close(resolve));
});

describe('re-geocoding job', () => {
  it('places the accounts below a precision through the online provider at its rate, keeps hand-placed pins, and reports each account', async () => {
    const orgId = h.users.a.admin.orgId;
    const admin = await h.login(h.users.a.admin);
    const improved = await townLevel(orgId, 'Boulangerie Nationale', '12 rue Nationale');
    const improved2 = await townLevel(orgId, 'Pharmacie Nationale', '40 rue Nationale');
    const unknown = await townLevel(orgId, 'Nulle Part', '3 rue Inconnue');
    const broken = await townLevel(orgId, 'Serveur en panne', '5 rue de la Panne');
    const handPin = { lng: 3.1, lat: 50.7 };
    const byHand = await repos.accounts.insert(orgId, { kind: 'client', name: 'Pin à la main', address: address('8 rue Nationale'), location: handPin, geo: { precision: 'municipality', source: 'manual', manual: true, score: null } });
    const alreadyFine = await repos.accounts.insert(orgId, {
      kind: 'client',
      name: 'Déjà au numéro',
      address: address('99 rue Nationale'),
      location: { lng: 3.07, lat: 50.64 },
      geo: { precision: 'housenumber', source: 'ban', manual: false, score: 0.95 },
    });

    // a field role may not; an unknown provider is refused; a scope matching nothing is refused
    expect((await startJob(await h.login(h.users.a.rep), { scope: { kind: 'all' } })).statusCode).toBe(403);
    expect((await startJob(admin, { scope: { kind: 'all' }, provider: 'photon' })).statusCode).toBe(400);
    expect((await startJob(admin, { scope: { kind: 'filter', filter: { q: 'zzzzzz-nothing' } } })).statusCode).toBe(400);

    nominatim.asked.length = 0;
    const res = await startJob(admin, { scope: { kind: 'belowPrecision', precision: 'housenumber' } });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<GeocodeJobDto>();
    expect(started).toMatchObject({ provider: 'nominatim', total: 5, scope: { kind: 'belowPrecision', precision: 'housenumber' } });
    // one job at a time per organisation
    if ((await job(admin, started.id)).status !== 'done') expect((await startJob(admin, { scope: { kind: 'all' } })).statusCode).toBe(409);

    const done = await waitFor(admin, started.id);
    expect(done).toMatchObject({ status: 'done', total: 5, processed: 5, placed: 2, notFound: 1, failed: 1, skippedManual: 1, skippedChanged: 0, skippedGone: 0, error: null });
    expect(done.placedByPrecision).toEqual([{ precision: 'housenumber', count: 2 }]);

    // the provider's rate: 20 requests/s, so starts at least ~50 ms apart; a real User-Agent
    expect(nominatim.asked).toHaveLength(4);
    const gaps = nominatim.asked.slice(1).map((a, i) => a.at - (nominatim.asked[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(40);
    expect(new Set(nominatim.asked.map((a) => a.userAgent))).toEqual(new Set(['GeoCRM tests (geocode jobs)']));

    const placed = await repos.accounts.get(orgId, improved);
    expect(placed?.geo).toMatchObject({ precision: 'housenumber', source: 'nominatim', manual: false });
    expect(placed?.location?.lat).toBeCloseTo(50.6367 + 12 / 10_000, 6);
    expect((await repos.accounts.get(orgId, improved2))?.geo.precision).toBe('housenumber');
    // not found and failed keep their pin; the hand-placed pin never moves
    expect((await repos.accounts.get(orgId, unknown))?.location).toEqual(LILLE);
    expect((await repos.accounts.get(orgId, broken))?.location).toEqual(LILLE);
    expect((await repos.accounts.get(orgId, byHand))?.location).toEqual(handPin);
    expect((await repos.accounts.get(orgId, byHand))?.geo.manual).toBe(true);
    expect((await repos.accounts.get(orgId, alreadyFine))?.geo.source).toBe('ban');

    const items = (await h.request(admin, { method: 'GET', url: `/api/v1/geocode/jobs/${started.id}/items` })).json<GeocodeJobItemList>();
    const byId = new Map(items.items.map((i) => [i.accountId, i]));
    expect(byId.get(improved)).toMatchObject({ outcome: 'placed', previousPrecision: 'municipality', precision: 'housenumber', source: 'nominatim', accountName: 'Boulangerie Nationale' });
    expect(byId.get(improved)?.score).toBeGreaterThan(0.55);
    expect(byId.get(unknown)).toMatchObject({ outcome: 'not_found', precision: null });
    expect(byId.get(unknown)?.reason).toMatch(/No confident place/);
    expect(byId.get(broken)).toMatchObject({ outcome: 'failed' });
    expect(byId.get(broken)?.reason).toMatch(/unavailable|503|not answering|failed/i);
    expect(byId.get(byHand)).toMatchObject({ outcome: 'skipped_manual' });
    const problems = (await h.request(admin, { method: 'GET', url: `/api/v1/geocode/jobs/${started.id}/items?outcome=problems` })).json<GeocodeJobItemList>();
    expect(problems.items.map((i) => i.accountId).sort()).toEqual([unknown, broken].sort());
    const page = (await h.request(admin, { method: 'GET', url: `/api/v1/geocode/jobs/${started.id}/items?limit=2` })).json<GeocodeJobItemList>();
    expect(page.items).toHaveLength(2);
    const rest = (await h.request(admin, { method: 'GET', url: `/api/v1/geocode/jobs/${started.id}/items?limit=10&after=${page.next ?? 0}` })).json<GeocodeJobItemList>();
    expect(rest.items).toHaveLength(3);
    expect(rest.next).toBeNull();

    // another organisation sees nothing of it
    const other = await h.login(h.users.b.admin);
    expect((await h.request(other, { method: 'GET', url: `/api/v1/geocode/jobs/${started.id}` })).statusCode).toBe(404);
    expect((await h.request(other, { method: 'DELETE', url: `/api/v1/geocode/jobs/${started.id}` })).statusCode).toBe(404);
    // an ended job cannot be cancelled
    expect((await h.request(admin, { method: 'DELETE', url: `/api/v1/geocode/jobs/${started.id}` })).statusCode).toBe(409);
  });

  it('takes a selection of ids, or a list filter, with the embedded geocoder too', async () => {
    const orgId = h.users.a.admin.orgId;
    const manager = await h.login(h.users.a.manager);
    const tagged = await townLevel(orgId, 'Tagged', '20 rue Nationale', ['regeo']);
    const picked = await townLevel(orgId, 'Picked', '21 rue Nationale');
    const byIds = (await startJob(manager, { scope: { kind: 'ids', ids: [picked] } })).json<GeocodeJobDto>();
    expect((await waitFor(manager, byIds.id)).placed).toBe(1);
    const byFilter = await startJob(manager, { scope: { kind: 'filter', filter: { tag: 'regeo' } }, provider: 'embedded' });
    expect(byFilter.statusCode, byFilter.body).toBe(202);
    const done = await waitFor(manager, byFilter.json<GeocodeJobDto>().id);
    expect(done).toMatchObject({ status: 'done', total: 1, provider: 'embedded' });
    expect((await repos.accounts.get(orgId, tagged))?.geo.source).toBe('gazetteer');
    const list = (await h.request(manager, { method: 'GET', url: '/api/v1/geocode/jobs' })).json<{ items: GeocodeJobDto[] }>();
    expect(list.items[0]?.id).toBe(done.id);
    expect((await startJob(manager, { scope: { kind: 'belowPrecision', precision: 'nowhere' } })).statusCode).toBe(400);
  });

  it('never moves a pin dragged by hand, or an address typed, while the account was being geocoded', async () => {
    const orgId = h.users.a.admin.orgId;
    const dragged = await townLevel(orgId, 'Glissé', '30 rue Nationale');
    const retyped = await townLevel(orgId, 'Retapé', '31 rue Nationale');
    const jobId = await repos.geocodeJobs.create(orgId, { provider: 'nominatim', scope: { kind: 'all' }, createdBy: null });
    await repos.geocodeJobs.addItems(orgId, jobId, 0, [dragged, retyped]);
    // held by a live runner that is not this app's (its heartbeat is fresh)
    await sql`update geocode_jobs set status = 'running', runner_id = 'other', heartbeat_at = now() + interval '1 hour' where id = ${jobId}`.execute(h.handle.db);
    const pending = await repos.geocodeJobs.pending(orgId, jobId, 10);
    expect(pending.map((p) => p.accountId)).toEqual([dragged, retyped]);
    // …meanwhile a person drags one pin and types a new address on the other
    const admin = await h.login(h.users.a.admin);
    const dropped = { lng: 3.2, lat: 50.5 };
    expect((await h.request(admin, { method: 'PATCH', url: `/api/v1/accounts/${dragged}`, payload: { location: dropped } })).statusCode).toBe(200);
    expect((await h.request(admin, { method: 'PATCH', url: `/api/v1/accounts/${retyped}`, payload: { address: address('77 rue Nationale') } })).statusCode).toBe(200);
    const typed = await repos.accounts.get(orgId, retyped);
    const placement = { lng: 3.5, lat: 50.9, precision: 'housenumber' as const, source: 'nominatim' as const, score: 0.9 };
    const ok = await h.handle.db.transaction().execute((trx) =>
      createRepositories(trx).geocodeJobs.record(
        orgId,
        jobId,
        'other',
        pending.map((p) => ({ seq: p.seq, accountId: p.accountId, outcome: 'placed' as const, address: p.account?.address ?? address(''), placement, previousPrecision: 'municipality' as const })),
      ),
    );
    expect(ok).toBe(true);
    expect((await repos.accounts.get(orgId, dragged))?.location).toEqual(dropped);
    expect((await repos.accounts.get(orgId, retyped))?.location).toEqual(typed?.location);
    const items = await repos.geocodeJobs.items(orgId, jobId, { limit: 10 });
    expect(items.map((i) => i.outcome)).toEqual(['skipped_manual', 'skipped_changed']);
    expect((await repos.geocodeJobs.get(orgId, jobId))?.counts).toMatchObject({ placed: 0, skippedManual: 1, skippedChanged: 1 });
    // a runner that lost the job (cancelled) writes nothing
    await repos.geocodeJobs.cancel(orgId, jobId);
    expect(await repos.geocodeJobs.record(orgId, jobId, 'other', [])).toBe(false);
  });

  it('is cancelled between two addresses; what was done stays done', async () => {
    const orgId = h.users.b.admin.orgId;
    const manager = await h.login(h.users.b.manager);
    for (let i = 0; i < 30; i++) await townLevel(orgId, `Annulé ${i}`, `${100 + i} rue Nationale`, ['cancel']);
    nominatim.delayMs = 150;
    try {
      const started = (await startJob(manager, { scope: { kind: 'filter', filter: { tag: 'cancel' } } })).json<GeocodeJobDto>();
      await waitFor(manager, started.id, (j) => j.processed > 0);
      expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/geocode/jobs/${started.id}` })).statusCode).toBe(204);
      const cancelled = await waitFor(manager, started.id, (j) => j.status === 'cancelled');
      await new Promise((r) => setTimeout(r, 300));
      const later = await job(manager, started.id);
      expect(later.status).toBe('cancelled');
      expect(later.processed).toBe(cancelled.processed);
      expect(later.processed).toBeLessThan(30);
      expect(later.placed).toBe(later.processed);
    } finally {
      nominatim.delayMs = 0;
    }
  });
});

describe('address-file loads', () => {
  const HEADER =
    'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';
  const row = (n: number) =>
    `59350_1234_${String(n).padStart(5, '0')};59350_1234;${n};;Rue des Essais;59000;59350;Lille;;;0;0;${(3.05 + n / 1_000_000).toFixed(6)};${(50.63 + n / 1_000_000).toFixed(6)};entrée;;;LILLE;RUE DES ESSAIS;commune;commune;1;`;
  const admin = { userId: '', orgId: '', role: 'admin' as const, name: 'admin a' };
  const counts = async (orgId: string) => {
    const r = await sql<{ points: number; staged: number; files: number }>`
      select (select count(*)::int from address_points where org_id = ${orgId}) as points,
             (select count(*)::int from address_points_staging) as staged,
             (select count(*)::int from address_files where org_id = ${orgId}) as files`.execute(h.handle.db);
    return r.rows[0] ?? { points: -1, staged: -1, files: -1 };
  };
  const service = () =>
    new AddressFilesService({ points: repos.addressPoints, loads: repos.geocodeJobs, transaction: createTransactor(h.handle.db), changed: () => undefined });
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 400 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('reports its progress through the API, and says when it is done', async () => {
    const cookie = await h.login(h.users.b.admin);
    const body = [HEADER, ...Array.from({ length: 30 }, (_, i) => row(i + 1)), row(999).replace(/;3\.05\d+;/, ';x;')].join('\n');
    const loadId = '0d7e5a52-5f61-4b7e-9a43-6a0c1e6f0001';
    const res = await h.request(cookie, { method: 'POST', url: `/api/v1/geo/address-files?name=adresses-59.csv&loadId=${loadId}`, payload: body, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode, res.body).toBe(201);
    const progress = (await h.request(cookie, { method: 'GET', url: `/api/v1/geo/address-files/loads/${loadId}` })).json<AddressFileLoadDto>();
    expect(progress).toMatchObject({ status: 'done', points: 30, rejected: 1, bytesRead: Buffer.byteLength(body), bytesTotal: Buffer.byteLength(body), fileId: res.json<{ id: string }>().id, error: null });
    // the same id twice is refused; another organisation does not see the load; a rep may not read it
    expect((await h.request(cookie, { method: 'POST', url: `/api/v1/geo/address-files?name=again.csv&loadId=${loadId}`, payload: body, headers: { 'content-type': 'text/csv' } })).statusCode).toBe(409);
    expect((await h.request(await h.login(h.users.a.admin), { method: 'GET', url: `/api/v1/geo/address-files/loads/${loadId}` })).statusCode).toBe(404);
    expect((await h.request(await h.login(h.users.b.rep), { method: 'GET', url: `/api/v1/geo/address-files/loads/${loadId}` })).statusCode).toBe(403);
  });

  it('shows progress while a large file uploads, uses none of it until the end, and lands it whole', async () => {
    const orgId = h.users.a.admin.orgId;
    const actor = { ...admin, userId: h.users.a.admin.id, orgId };
    const before = await counts(orgId);
    const upload = new PassThrough();
    const loadId = '0d7e5a52-5f61-4b7e-9a43-6a0c1e6f0002';
    const loading = service().load(actor, 'adresses-big.csv', upload, { loadId });
    upload.write(`${HEADER}\n`);
    for (let i = 1; i <= 12_000; i++) upload.write(`${row(i)}\n`);
    // the upload pauses half-way: what was read is staged, with its progress, and not used yet
    await until(async () => ((await repos.geocodeJobs.getLoad(orgId, loadId))?.points ?? 0) >= 10_000);
    const midway = await repos.geocodeJobs.getLoad(orgId, loadId);
    expect(midway).toMatchObject({ status: 'loading' });
    expect(midway?.bytesRead).toBeGreaterThan(0);
    const during = await counts(orgId);
    expect(during.points).toBe(before.points);
    expect(during.files).toBe(before.files);
    expect(during.staged).toBeGreaterThanOrEqual(10_000);
    expect(await repos.addressPoints.find(orgId, { postcode: '59000' })).not.toContainEqual(expect.objectContaining({ street: 'Rue des Essais' }));
    for (let i = 12_001; i <= 15_000; i++) upload.write(`${row(i)}\n`);
    upload.end();
    const result = await loading;
    expect(result).toMatchObject({ points: 15_000, rejected: 0 });
    const after = await counts(orgId);
    expect(after).toMatchObject({ points: before.points + 15_000, staged: 0, files: before.files + 1 });
    expect((await repos.geocodeJobs.getLoad(orgId, loadId))?.status).toBe('done');
    await repos.addressPoints.deleteFile(orgId, result.id);
  });

  it('leaves nothing behind when the upload breaks off', async () => {
    const orgId = h.users.a.admin.orgId;
    const actor = { ...admin, userId: h.users.a.admin.id, orgId };
    const before = await counts(orgId);
    const upload = new PassThrough();
    const loadId = '0d7e5a52-5f61-4b7e-9a43-6a0c1e6f0003';
    const loading = service().load(actor, 'adresses-cut.csv', upload, { loadId });
    upload.write(`${HEADER}\n`);
    for (let i = 1; i <= 6000; i++) upload.write(`${row(i)}\n`);
    await until(async () => ((await repos.geocodeJobs.getLoad(orgId, loadId))?.points ?? 0) >= 5000);
    upload.destroy(new Error('connection reset by peer'));
    await expect(loading).rejects.toThrow();
    expect(await counts(orgId)).toMatchObject({ points: before.points, staged: 0, files: before.files });
    const failed = await repos.geocodeJobs.getLoad(orgId, loadId);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/not a readable|nothing was loaded|reset/i);
  });

  it('drops the loads a stopped server left half-read', async () => {
    const orgId = h.users.a.admin.orgId;
    const loadId = await repos.geocodeJobs.createLoad(orgId, { name: 'adresses-crash.csv', bytesTotal: null, loadedBy: null });
    await repos.geocodeJobs.stagePoints(loadId ?? '', [{ number: '1', street: 'Rue', streetKey: 'rue', postcode: '59000', city: 'Lille', cityKey: 'lille', lng: 3, lat: 50 }], { bytesRead: 10, points: 1, rejected: 0 });
    await sql`update address_file_loads set updated_at = now() - interval '1 hour' where id = ${loadId}`.execute(h.handle.db);
    expect(await repos.geocodeJobs.failUnfinishedLoads(new Date(Date.now() - 10 * 60_000), 'interrupted')).toBe(1);
    expect((await counts(orgId)).staged).toBe(0);
    expect((await repos.geocodeJobs.getLoad(orgId, loadId ?? ''))?.status).toBe('failed');
  });
});

describe('restart', () => {
  it('resumes a job a restart interrupted, and takes over one whose server died, with no account done twice', async () => {
    const orgId = h.users.b.admin.orgId;
    const cookie = await h.login(h.users.b.admin);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await townLevel(orgId, `Redémarrage ${i}`, `${200 + i} rue Nationale`, ['restart']));
    const config = { cookieSecure: false, sessionDays: 30, loginRateLimit: 10_000, logLevel: 'silent', webDist: '/nonexistent', geocoder };
    // the harness's own app stops, as a server would: only the apps of this test run jobs
    await h.app.close();
    nominatim.delayMs = 150;
    const first = await buildApp({ handle: h.handle, logger: false, config });
    await first.ready();
    let jobId: string;
    try {
      const res = await startJob(cookie, { scope: { kind: 'filter', filter: { tag: 'restart' } } }, first);
      expect(res.statusCode, res.body).toBe(202);
      jobId = res.json<GeocodeJobDto>().id;
      await waitFor(cookie, jobId, (j) => j.processed >= 5, first);
    } finally {
      // a restart: the runner writes what it did, and leaves the job running for the next start
      await first.close();
    }
    const interrupted = await repos.geocodeJobs.get(orgId, jobId);
    expect(interrupted?.status).toBe('running');
    expect(interrupted?.runnerId).toBeNull();
    expect(interrupted?.processed).toBeGreaterThan(0);
    expect(interrupted?.processed).toBeLessThan(40);

    // as a server killed in the middle would leave it: held by a runner that stopped beating a minute ago
    await sql`update geocode_jobs set runner_id = 'killed', heartbeat_at = now() - interval '1 minute' where id = ${jobId}`.execute(h.handle.db);
    nominatim.asked.length = 0;
    const second = await buildApp({ handle: h.handle, logger: false, config });
    await second.ready();
    try {
      const done = await waitFor(cookie, jobId, undefined, second);
      expect(done).toMatchObject({ status: 'done', total: 40, processed: 40, placed: 40, failed: 0 });
      // the second server asked only for the accounts not done before the restart
      expect(nominatim.asked).toHaveLength(40 - (interrupted?.processed ?? 0));
      const items = await repos.geocodeJobs.items(orgId, jobId, { limit: 100 });
      expect(items).toHaveLength(40);
      expect(new Set(items.map((i) => i.accountId))).toEqual(new Set(ids));
      for (const id of ids) expect((await repos.accounts.get(orgId, id))?.geo.precision).toBe('housenumber');
    } finally {
      nominatim.delayMs = 0;
      await second.close();
    }
  });
});
