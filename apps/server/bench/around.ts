/**
 * `npm run bench:around [-- --accounts 100000 --queries 60]`: searches by place through the real
 * HTTP stack (Fastify inject) on a large organisation: around a point (5, 20, 50 km; 30 minutes of
 * driving; with a filter), inside a lasso polygon and along a route corridor. Centres are drawn
 * from the accounts' towns (seeded), so dense cities and empty countryside both count.
 * Seeds up to 200,000 demo accounts through the repository, then copies them (moved by up to
 * ±0.05° each) to reach larger sizes. Runs on PGlite, or on the server of GEOCRM_TEST_DATABASE_URL.
 * With GEOCRM_BENCH_DATABASE_URL, works in that (PostGIS) database and keeps it: a second run reuses
 * the seeded organisation, so query plans can be studied and runs repeated without seeding again.
 * `--scoped`: also publishes an 8-territory plan (rep01 on one territory) and runs every case a second
 * time as rep01, whose searches carry the access scope (their territory or their own accounts).
 * Prints a table (p50, p95, max, mean results), then one JSON line.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createDb, createRepositories, migrateToLatest } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/features/auth/password.ts';
import { generateDemoData } from '../src/features/demo/demo-data.ts';
import { demoPlaces } from '../src/features/demo/demo-seed.ts';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '100000' }, queries: { type: 'string', default: '60' }, scoped: { type: 'boolean', default: false } } });
const N = Number(values.accounts);
const QUERIES = Number(values.queries);
const BASE = Math.min(N, 200_000);
/** Queries run before timing each case (caches, JIT). */
const WARM_UP = 10;

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i] ?? 0;
};
const round = (x: number): number => Math.round(x * 10) / 10;

let state = 12345;
const random = (): number => {
  state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
  return state / 2 ** 32;
};

const keptUrl = process.env['GEOCRM_BENCH_DATABASE_URL'];
const handle = keptUrl ? await createDb({ databaseUrl: keptUrl }) : await createTestDb();
if (keptUrl) await migrateToLatest(handle.db);
const repos = createRepositories(handle.db);
const data = generateDemoData(demoPlaces(), { accounts: BASE, seed: 7 });
const orgName = `Bench ${N}`;
const existing = keptUrl ? (await sql<{ id: string }>`select id from orgs where name = ${orgName}`.execute(handle.db)).rows[0] : undefined;
const reuse = existing !== undefined && (await repos.accounts.count(existing.id)) >= N;
if (existing && !reuse) await sql`delete from orgs where id = ${existing.id}`.execute(handle.db);
const org = reuse && existing ? existing : await repos.orgs.create(orgName);
const hash = await hashPassword('bench-password');
const ids = new Map<string, string>();
const emailOf = (email: string) => (keptUrl ? email.replace('@', `+${N}@`) : email);
if (!reuse) {
  for (const u of data.users) ids.set(u.key, (await repos.users.insert({ orgId: org.id, email: emailOf(u.email), name: u.name, role: u.role, passwordHash: hash })).id);
}
const t0 = performance.now();
if (!reuse) {
  await repos.accounts.insertMany(
    org.id,
    data.accounts.map(({ ownerKey, contacts: _c, ...a }) => ({ ...a, ownerId: ownerKey === null ? null : (ids.get(ownerKey) ?? null) })),
  );
}
// Bench-only bulk copy (not product code): the same accounts moved a little, until N rows.
for (let have = BASE; !reuse && have < N; have += BASE) {
  const take = Math.min(BASE, N - have);
  await sql`insert into accounts (org_id, kind, status, name, owner_id, tags, custom_fields, address_line1, address_line2, postcode, city, country,
      location, geo_precision, geo_source, geo_score, opening_hours, preferred_visit_days, created_at, updated_at)
    select org_id, kind, status, name || ' ' || ${have / BASE}, owner_id, tags, custom_fields, address_line1, address_line2, postcode, city, country,
      ST_SetSRID(ST_MakePoint(ST_X(location::geometry) + (random() - 0.5) * 0.1, ST_Y(location::geometry) + (random() - 0.5) * 0.1), 4326)::geography,
      geo_precision, geo_source, geo_score, opening_hours, preferred_visit_days, created_at, updated_at
    from (select * from accounts where org_id = ${org.id} and location is not null order by id limit ${take}) a`.execute(handle.db);
}
await sql`analyze accounts`.execute(handle.db);
const seedMs = performance.now() - t0;

const app = await buildApp({ handle, logger: false, config: { cookieSecure: false, sessionDays: 1, loginRateLimit: 1000, logLevel: 'silent', webDist: '/none' } });
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: emailOf('manager@demo.geocrm.app'), password: 'bench-password' } });
const cookie = `geocrm_session=${login.cookies[0]?.value ?? ''}`;

const towns = data.accounts.flatMap((a) => (a.location ? [a.location] : []));
const centre = () => {
  const t = towns[Math.floor(random() * towns.length)] ?? { lng: 2.35, lat: 48.86 };
  return { lng: Math.round((t.lng + (random() - 0.5) * 0.02) * 1e5) / 1e5, lat: Math.round((t.lat + (random() - 0.5) * 0.02) * 1e5) / 1e5 };
};
const square = (c: { lng: number; lat: number }, half: number) => ({
  type: 'Polygon',
  coordinates: [[[c.lng - half, c.lat - half], [c.lng + half, c.lat - half], [c.lng + half, c.lat + half], [c.lng - half, c.lat + half], [c.lng - half, c.lat - half]]],
});

type Case = [name: string, request: () => { method: 'GET' | 'POST'; url: string; payload?: Record<string, unknown> }];
const cases: Case[] = [
  ['around 5 km', () => { const c = centre(); return { method: 'GET', url: `/api/v1/accounts/around?lng=${c.lng}&lat=${c.lat}&radiusKm=5` }; }],
  ['around 20 km', () => { const c = centre(); return { method: 'GET', url: `/api/v1/accounts/around?lng=${c.lng}&lat=${c.lat}&radiusKm=20` }; }],
  ['around 50 km', () => { const c = centre(); return { method: 'GET', url: `/api/v1/accounts/around?lng=${c.lng}&lat=${c.lat}&radiusKm=50` }; }],
  ['around 20 km, prospects not visited 90 d', () => { const c = centre(); return { method: 'GET', url: `/api/v1/accounts/around?lng=${c.lng}&lat=${c.lat}&radiusKm=20&kind=prospect&notVisitedDays=90` }; }],
  ['within 30 min of driving', () => { const c = centre(); return { method: 'GET', url: `/api/v1/accounts/around?lng=${c.lng}&lat=${c.lat}&minutes=30` }; }],
  ['lasso polygon ≈ 30 × 40 km', () => ({ method: 'POST', url: '/api/v1/accounts/within', payload: { geometry: square(centre(), 0.2) } })],
  [
    'corridor 5 km along a 100 km route',
    () => {
      const c = centre();
      return { method: 'POST', url: '/api/v1/accounts/within', payload: { geometry: { type: 'LineString', coordinates: [[c.lng - 0.6, c.lat - 0.2], [c.lng, c.lat], [c.lng + 0.6, c.lat + 0.2]] }, widthKm: 5 } };
    },
  ],
];

const rows: { case: string; p50Ms: number; p95Ms: number; maxMs: number; meanResults: number; meanTotal: number }[] = [];
const run = async (suffix: string, who: string): Promise<void> => {
for (const [base, make] of cases) {
  const name = base + suffix;
  const times: number[] = [];
  let results = 0;
  let totals = 0;
  for (let i = 0; i < QUERIES + WARM_UP; i++) {
    const request = make();
    const s = performance.now();
    const res = await app.inject({ ...request, headers: { cookie: who } });
    const ms = performance.now() - s;
    if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
    if (i < WARM_UP) continue;
    const body = res.json<{ items: unknown[]; total: number }>();
    times.push(ms);
    results += body.items.length;
    totals += body.total;
  }
  rows.push({ case: name, p50Ms: round(quantile(times, 0.5)), p95Ms: round(quantile(times, 0.95)), maxMs: round(Math.max(...times)), meanResults: Math.round(results / QUERIES), meanTotal: Math.round(totals / QUERIES) });
}
};
await run('', cookie);
if (values.scoped) {
  // Publish 8 territories designed on the accounts, rep01 on the first; then search as rep01.
  const rep01 = (await repos.users.list(org.id)).find((u) => u.email === emailOf('rep01@demo.geocrm.app'));
  const designed = await app.inject({ method: 'POST', url: '/api/v1/territories/design', payload: { k: 8 }, headers: { cookie } });
  const plan = designed.json<{ areas: { code: string; territory: number }[] }>();
  const saved = await app.inject({
    method: 'POST',
    url: '/api/v1/territories/plans',
    headers: { cookie },
    payload: { name: 'Bench', assignment: Object.fromEntries(plan.areas.map((a) => [a.code, a.territory])), territories: Array.from({ length: 8 }, (_, i) => ({ repId: i === 0 ? (rep01?.id ?? null) : null })) },
  });
  const planId = saved.json<{ id: string }>().id;
  const published = await app.inject({ method: 'POST', url: `/api/v1/territories/plans/${planId}/publish`, payload: {}, headers: { cookie } });
  if (published.statusCode !== 200) throw new Error(`publish: ${published.statusCode} ${published.body}`);
  const repLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: emailOf('rep01@demo.geocrm.app'), password: 'bench-password' } });
  await run(' (rep scope)', `geocrm_session=${repLogin.cookies[0]?.value ?? ''}`);
  const withdrawn = await app.inject({ method: 'DELETE', url: `/api/v1/territories/plans/${planId}/publish`, headers: { cookie } });
  if (withdrawn.statusCode !== 200) throw new Error(`withdraw: ${withdrawn.statusCode}`);
}
await app.close();
await handle.close();

console.log(`\nsearches by place on ${N.toLocaleString('en')} accounts (${handle.engine}), ${QUERIES} queries per case, ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]?.toFixed(1)}`);
console.log(reuse ? 'seed: reused the kept database\n' : `seed: ${(seedMs / 1000).toFixed(1)} s\n`);
console.log('| case | p50 ms | p95 ms | max ms | results (mean) | matching (mean) |\n| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.case} | ${r.p50Ms} | ${r.p95Ms} | ${r.maxMs} | ${r.meanResults} | ${r.meanTotal} |`);
console.log(JSON.stringify({ bench: 'around', engine: handle.engine, accounts: N, queries: QUERIES, seedMs: Math.round(seedMs), load: loadavg()[0], date: new Date().toISOString(), results: rows }));
