/**
 * `npm run bench:import [-- --rows 100000 --runs 2]`: imports a generated CSV as French Excel writes
 * it (Windows-1252, `;`) of N accounts with realistic French addresses (the demo generator over the
 * communes data, no coordinates: every row is geocoded by the embedded gazetteer) into a fresh
 * database (embedded PGlite, or the server of GEOCRM_TEST_DATABASE_URL), through the real HTTP
 * stack: upload (streamed to disk, read once to check it), start, poll until done. Times upload and
 * job separately, with CPU time. Prints a table, then one JSON line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRepositories } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import type { ImportJobDto, ImportUploadResult } from '@geocrm/contracts';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/features/auth/password.ts';
import { generateDemoData } from '../src/features/demo/demo-data.ts';
import { demoPlaces } from '../src/features/demo/demo-seed.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, runs: { type: 'string', default: '2' } } });
const N = Number(values.rows);
const RUNS = Number(values.runs);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const CP1252: Record<string, number> = { '€': 0x80, '‚': 0x82, '…': 0x85, 'Œ': 0x8c, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, 'œ': 0x9c };
const toCp1252 = (text: string): Buffer => {
  const bytes = Buffer.alloc(text.length);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 63;
    bytes[n++] = code <= 0xff ? code : (CP1252[ch] ?? 63);
  }
  return bytes.subarray(0, n);
};
const cell = (v: string | null): string => (v === null ? '' : /[;"\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const work = mkdtempSync(join(tmpdir(), 'geocrm-bench-import-'));
const file = join(work, 'clients.csv');
const data = generateDemoData(demoPlaces(), { accounts: N, seed: 11 });
const lines = ['Référence;Raison sociale;Type;Adresse;CP;Ville;Téléphone;Email;Étiquettes'];
data.accounts.forEach((a, i) => {
  lines.push([`C${String(i + 1).padStart(7, '0')}`, a.name, a.kind, a.address?.line1 ?? '', a.address?.postcode ?? '', a.address?.city ?? '', a.phone, a.email, a.tags.join(', ')].map(cell).join(';'));
});
const body = toCp1252(`${lines.join('\r\n')}\r\n`);
writeFileSync(file, body);
process.stdout.write(`bench:import: ${N.toLocaleString('en')} rows, ${(body.length / 1e6).toFixed(1)} MB (Windows-1252, ;)\n`);

interface Run {
  uploadMs: number;
  jobMs: number;
  totalMs: number;
  cpuMs: number;
  created: number;
  skipped: number;
  geocoded: number;
  peakRssMb: number;
}

const runOnce = async (): Promise<Run> => {
  const handle = await createTestDb();
  const dataDir = mkdtempSync(join(work, 'data-'));
  try {
    const repos = createRepositories(handle.db);
    const org = await repos.orgs.create('Bench import');
    await repos.users.insert({ orgId: org.id, email: 'admin@bench.test', name: 'Admin', role: 'admin', passwordHash: await hashPassword('bench-password') });
    const app = await buildApp({ handle, logger: false, config: { cookieSecure: false, sessionDays: 1, loginRateLimit: 1000, logLevel: 'silent', webDist: '/none', dataDir } });
    await app.ready();
    try {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@bench.test', password: 'bench-password' } });
      const cookie = `geocrm_session=${login.cookies[0]?.value ?? ''}`;
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 200);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const up = await app.inject({ method: 'POST', url: '/api/v1/imports?filename=clients.csv', payload: body, headers: { cookie, 'content-type': 'application/octet-stream' } });
      if (up.statusCode !== 201) throw new Error(`upload: ${up.statusCode} ${up.body}`);
      const uploaded = up.json<ImportUploadResult>();
      const t1 = performance.now();
      const started = await app.inject({
        method: 'POST',
        url: `/api/v1/imports/${uploaded.job.id}/start`,
        payload: { mapping: uploaded.suggestions, matchBy: 'externalId', allOrNothing: false, defaultKind: 'client' },
        headers: { cookie },
      });
      if (started.statusCode !== 202) throw new Error(`start: ${started.statusCode} ${started.body}`);
      let job: ImportJobDto;
      for (;;) {
        job = (await app.inject({ method: 'GET', url: `/api/v1/imports/${uploaded.job.id}`, headers: { cookie } })).json<ImportJobDto>();
        if (['done', 'failed', 'cancelled'].includes(job.status)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      clearInterval(sampler);
      if (job.status !== 'done') throw new Error(`job ${job.status}: ${job.error ?? ''}`);
      const quality = (await app.inject({ method: 'GET', url: '/api/v1/accounts/geo-quality', headers: { cookie } })).json<{ total: number; withoutLocation: number }>();
      return {
        uploadMs: t1 - t0,
        jobMs: t2 - t1,
        totalMs: t2 - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        created: job.createdCount,
        skipped: job.skippedCount,
        geocoded: quality.total - quality.withoutLocation,
        peakRssMb: peakRss / 1e6,
      };
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const runs: Run[] = [];
for (let r = 0; r < RUNS; r++) {
  const run = await runOnce();
  runs.push(run);
  process.stdout.write(`run ${r + 1}: ${(run.totalMs / 1000).toFixed(1)} s, ${Math.round(N / (run.totalMs / 1000)).toLocaleString('en')} rows/s\n`);
}
rmSync(work, { recursive: true, force: true });

const m = (key: keyof Run) => median(runs.map((r) => r[key]));
const table = [
  ['rows', N.toLocaleString('en')],
  ['created / skipped', `${m('created')} / ${m('skipped')}`],
  ['geocoded (have a location)', `${m('geocoded')} (${((100 * m('geocoded')) / N).toFixed(1)} %)`],
  ['upload + check (median)', `${(m('uploadMs') / 1000).toFixed(2)} s`],
  ['job: parse, geocode, write (median)', `${(m('jobMs') / 1000).toFixed(1)} s`],
  ['total (median)', `${(m('totalMs') / 1000).toFixed(1)} s`],
  ['rows/s (median)', Math.round(N / (m('totalMs') / 1000)).toLocaleString('en')],
  ['CPU time of this process (median)', `${(m('cpuMs') / 1000).toFixed(1)} s`],
  ['peak RSS (median)', `${m('peakRssMb').toFixed(0)} MB`],
];
const width = Math.max(...table.map(([k]) => (k ?? '').length));
process.stdout.write(`\n${table.map(([k, v]) => `${(k ?? '').padEnd(width)}  ${v ?? ''}`).join('\n')}\n\n`);
process.stdout.write(
  `${JSON.stringify({
    bench: 'import',
    engine: process.env['GEOCRM_TEST_DATABASE_URL'] ? 'postgres' : 'pglite',
    rows: N,
    runs: RUNS,
    medianTotalMs: Math.round(m('totalMs')),
    medianUploadMs: Math.round(m('uploadMs')),
    medianJobMs: Math.round(m('jobMs')),
    rowsPerSecond: Math.round(N / (m('totalMs') / 1000)),
    medianCpuMs: Math.round(m('cpuMs')),
    geocoded: m('geocoded'),
    peakRssMb: Math.round(m('peakRssMb')),
  })}\n`,
);
