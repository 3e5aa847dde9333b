/**
 * `npm run bench:accounts [-- --accounts 100000 --runs 9]`: the accounts API on a large
 * organisation. Seeds N demo accounts into a fresh database (embedded PGlite, or the server of
 * GEOCRM_TEST_DATABASE_URL), then times list, search, deep paging and the map endpoint through the
 * real HTTP stack (Fastify inject). Prints a table, then one JSON line.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createRepositories } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/features/auth/password.ts';
import { generateDemoData } from '../src/features/demo/demo-data.ts';
import { demoPlaces } from '../src/features/demo/demo-seed.ts';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '100000' }, runs: { type: 'string', default: '9' } } });
const N = Number(values.accounts);
const RUNS = Number(values.runs);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const handle = await createTestDb();
const repos = createRepositories(handle.db);
const data = generateDemoData(demoPlaces(), { accounts: N, seed: 7 });
const org = await repos.orgs.create('Bench');
const hash = await hashPassword('bench-password');
const ids = new Map<string, string>();
for (const u of data.users) ids.set(u.key, (await repos.users.insert({ orgId: org.id, email: u.email, name: u.name, role: u.role, passwordHash: hash })).id);
const t0 = performance.now();
await repos.accounts.insertMany(
  org.id,
  data.accounts.map(({ ownerKey, contacts: _c, ...a }) => ({ ...a, ownerId: ownerKey === null ? null : (ids.get(ownerKey) ?? null) })),
);
const insertMs = performance.now() - t0;

const app = await buildApp({ handle, logger: false, config: { cookieSecure: false, sessionDays: 1, loginRateLimit: 1000, logLevel: 'silent', webDist: '/none' } });
await app.ready();
const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'manager@demo.geocrm.app', password: 'bench-password' } });
const cookie = `geocrm_session=${login.cookies[0]?.value ?? ''}`;

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res;
};

// a cursor 20 pages deep, for the deep-paging case
let deepCursor = '';
for (let i = 0; i < 20; i++) {
  const page = (await get(`/api/v1/accounts?limit=50${deepCursor ? `&cursor=${deepCursor}` : ''}`)).json<{ nextCursor: string }>();
  deepCursor = page.nextCursor;
}

const cases: [string, string][] = [
  ['list first page (50, by name)', '/api/v1/accounts?limit=50'],
  ['list page 21 (keyset cursor)', `/api/v1/accounts?limit=50&cursor=${deepCursor}`],
  ['filter kind+status, sort city', '/api/v1/accounts?kind=client,prospect&status=active&sort=city&limit=50'],
  ['search "boulangerie" (relevance)', '/api/v1/accounts?q=boulangerie&limit=50'],
  ['search typo "Villeurbane"', '/api/v1/accounts?q=Villeurbane&limit=50'],
  ['tag filter "vip"', '/api/v1/accounts?tag=vip&limit=50'],
  ['bbox Île-de-France', '/api/v1/accounts?bbox=1.4,48.1,3.6,49.3&limit=50'],
  ['map: every account', '/api/v1/accounts/map'],
  ['map: clients only', '/api/v1/accounts/map?kind=client'],
  ['tags with counts', '/api/v1/accounts/tags'],
];

const rows: { case: string; medianMs: number; maxMs: number; bytes: number }[] = [];
for (const [name, url] of cases) {
  await get(url); // warm-up
  const times: number[] = [];
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    const res = await get(url);
    times.push(performance.now() - s);
    bytes = res.rawPayload.length;
  }
  rows.push({ case: name, medianMs: Math.round(median(times) * 10) / 10, maxMs: Math.round(Math.max(...times) * 10) / 10, bytes });
}
await app.close();
await handle.close();

console.log(`\naccounts API on ${N.toLocaleString('en')} accounts (${handle.engine}), ${RUNS} runs each, ${cpus().length} cores, Node ${process.version}`);
console.log(`seed insert: ${(insertMs / 1000).toFixed(1)} s\n`);
console.log('| case | median ms | max ms | response bytes |\n| --- | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.case} | ${r.medianMs} | ${r.maxMs} | ${r.bytes.toLocaleString('en')} |`);
console.log(JSON.stringify({ bench: 'accounts', engine: handle.engine, accounts: N, runs: RUNS, insertMs: Math.round(insertMs), date: new Date().toISOString(), results: rows }));
