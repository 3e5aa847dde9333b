import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDetailDto, AccountList, ImportJobDto, ImportOptions, ImportPreview, ImportUploadResult } from '@geocrm/contracts';
import { buildApp } from '../src/app.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let manager: string;

/** Windows-1252 text as French Excel writes it (every character used here is in Latin-1). */
const cp1252 = (text: string): Buffer => Buffer.from(text.replaceAll('\n', '\r\n'), 'latin1');

const upload = (cookie: string, fileName: string, body: Buffer, app?: FastifyInstance) => {
  const options = { method: 'POST' as const, url: `/api/v1/imports?filename=${encodeURIComponent(fileName)}`, payload: body, headers: { 'content-type': 'application/octet-stream', cookie } };
  return app ? app.inject(options) : h.app.inject(options);
};

const uploaded = async (cookie: string, fileName: string, body: Buffer): Promise<ImportUploadResult> => {
  const res = await upload(cookie, fileName, body);
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return res.json<ImportUploadResult>();
};

const start = async (cookie: string, id: string, options: Partial<ImportOptions> & { mapping: ImportOptions['mapping'] }, app?: FastifyInstance) => {
  const res = await (app ?? h.app).inject({
    method: 'POST',
    url: `/api/v1/imports/${id}/start`,
    payload: { matchBy: 'none', allOrNothing: false, defaultKind: 'client', ...options },
    headers: { cookie },
  });
  if (res.statusCode !== 202) throw new Error(`start failed: ${res.statusCode} ${res.body}`);
  return res.json<ImportJobDto>();
};

const job = async (cookie: string, id: string, app?: FastifyInstance): Promise<ImportJobDto> =>
  (await (app ?? h.app).inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { cookie } })).json<ImportJobDto>();

const waitFor = async (cookie: string, id: string, until: (j: ImportJobDto) => boolean = (j) => ['done', 'failed', 'cancelled'].includes(j.status), app?: FastifyInstance): Promise<ImportJobDto> => {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const current = await job(cookie, id, app);
    if (until(current)) return current;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${current.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const report = async (cookie: string, id: string): Promise<Record<string, string>[]> => {
  const res = await h.request(cookie, { method: 'GET', url: `/api/v1/imports/${id}/report` });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-disposition']).toMatch(/attachment; filename=".*-import-report\.csv"/);
  const delimiter = res.body.split('\n', 1)[0]?.includes(';') ? ';' : ',';
  return parse<Record<string, string>>(res.body, { columns: true, bom: true, delimiter });
};

const accounts = async (qs: string) => (await h.request(manager, { method: 'GET', url: `/api/v1/accounts?limit=500&${qs}` })).json<AccountList>();

const FRENCH_HEADER = 'Référence;Raison sociale;Type;Adresse;CP;Ville;Téléphone;Latitude;Longitude;Étiquettes';

beforeAll(async () => {
  h = await startHarness();
  manager = await h.login(h.users.a.manager);
});
afterAll(async () => h.close());

describe('upload: detection and suggestions', () => {
  it('reads a French Excel CSV (Windows-1252, semicolons) and suggests the mapping from its headers', async () => {
    const body = cp1252(`${FRENCH_HEADER}\nD-1;Boulangerie Hénin;Client;18, rue Roger-Salengro;59217;Cattenières;03 27 00 00 00;;;pain, viennoiserie\n`);
    const result = await uploaded(manager, 'clients.csv', body);
    expect(result.job).toMatchObject({ status: 'draft', format: 'csv', encoding: 'windows-1252', delimiter: ';', totalRows: 1 });
    expect(result.job.columns).toEqual(['Référence', 'Raison sociale', 'Type', 'Adresse', 'CP', 'Ville', 'Téléphone', 'Latitude', 'Longitude', 'Étiquettes']);
    expect(result.suggestions).toEqual(['externalId', 'name', 'kind', 'line1', 'postcode', 'city', 'phone', 'lat', 'lng', 'tags']);
    expect(result.preview.mappingErrors).toEqual([]);
    expect(result.preview.rows[0]).toMatchObject({ line: 2, errors: [] });
    expect(result.preview.rows[0]?.cells[5]).toBe('Cattenières');
  });

  it('reads UTF-8 with a BOM and commas, and tabs', async () => {
    const comma = await uploaded(manager, 'a.csv', Buffer.from('\uFEFFName,Postcode,City,E-mail\n"Dupont, fils",75001,Paris,a@b.fr\n', 'utf8'));
    expect(comma.job).toMatchObject({ encoding: 'utf-8', delimiter: ',', columns: ['Name', 'Postcode', 'City', 'E-mail'] });
    expect(comma.suggestions).toEqual(['name', 'postcode', 'city', 'email']);
    expect(comma.preview.rows[0]?.cells[0]).toBe('Dupont, fils');
    const tabs = await uploaded(manager, 'b.txt', Buffer.from('Nom\tCode postal\tCommune\nA\t69001\tLyon\n', 'utf8'));
    expect(tabs.job).toMatchObject({ delimiter: '\t' });
    expect(tabs.suggestions).toEqual(['name', 'postcode', 'city']);
  });

  it('reads an XLSX workbook; a postcode stored as a number gets its leading zero back', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Clients');
    sheet.addRow(['Société', 'Code postal', 'Commune', 'Mail']);
    sheet.addRow(['Fromagerie de Bourg', 1000, 'Bourg-en-Bresse', 'contact@fromagerie.fr']);
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    const result = await uploaded(manager, 'clients.xlsx', body);
    expect(result.job).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, totalRows: 1 });
    expect(result.suggestions).toEqual(['name', 'postcode', 'city', 'email']);
    const started = await start(manager, result.job.id, { mapping: result.suggestions });
    const done = await waitFor(manager, started.id);
    expect(done).toMatchObject({ status: 'done', createdCount: 1 });
    const [row] = await report(manager, started.id);
    const account = (await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${row?.['account_id'] ?? ''}` })).json<AccountDetailDto>();
    expect(account.address).toMatchObject({ postcode: '01000', city: 'Bourg-en-Bresse' });
    expect(account.geo).toMatchObject({ source: 'gazetteer', manual: false });
  });

  it('answers a clear 400 for an empty file, a binary file, an old .xls, a header without rows', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['empty.csv', Buffer.alloc(0), /empty/i],
      ['photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), /binary file/i],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /\.xls.*not supported/i],
      ['fake.xlsx', Buffer.from('Nom;CP\nA;59000\n'), /not an Excel workbook/i],
      ['header.csv', Buffer.from('Nom;CP;Ville\n'), /no data rows/i],
    ];
    for (const [name, body, message] of cases) {
      const res = await upload(manager, name, body);
      expect(res.statusCode, name).toBe(400);
      expect(res.json<{ message: string }>().message, name).toMatch(message);
    }
  });

  it('finds a broken quote on line 40,000 at upload time and names the line', async () => {
    const lines = ['Nom;CP;Ville'];
    for (let i = 2; i < 40_000; i++) lines.push(`Client ${i};59000;Lille`);
    lines.push('"Client cassé;59000;Lille');
    for (let i = 0; i < 100; i++) lines.push(`Client fin ${i};59000;Lille`);
    const res = await upload(manager, 'broken.csv', Buffer.from(lines.join('\n'), 'utf8'));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string; details: { line: number } }>()).toMatchObject({ message: expect.stringMatching(/^Line 40,000: a quote/) as unknown, details: { line: 40_000 } });
  });

  it('refuses a mapping without the required column, in words, in the preview and at start', async () => {
    const result = await uploaded(manager, 'no-name.csv', Buffer.from('CP;Ville\n59000;Lille\n'));
    expect(result.preview.mappingErrors.join(' ')).toMatch(/Required column missing: no column is mapped to Name/);
    const res = await h.request(manager, { method: 'POST', url: `/api/v1/imports/${result.job.id}/start`, payload: { mapping: result.suggestions, matchBy: 'none', allOrNothing: false, defaultKind: 'client' } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/Required column missing/);
    const preview = await h.request(manager, { method: 'POST', url: `/api/v1/imports/${result.job.id}/preview`, payload: { mapping: ['name', 'postcode'] } });
    expect(preview.json<ImportPreview>()).toMatchObject({ mappingErrors: [], rows: [{ line: 2, errors: ['Postcode "Lille" is not a French postcode (5 digits)'] }] });
    expect(preview.json<ImportPreview>().rows[0]?.cells).toEqual(['59000', 'Lille']);
  });
});

describe('running an import', () => {
  const BAD_FILE = cp1252(
    [
      FRENCH_HEADER,
      'B-1;Boucherie Lefèvre;Client;2 place du Général de Gaulle;59000;Lille;03 20 00 00 01;;;',
      'B-2;Café des Arts;Prospect;1 place Bellecour;69002;Lyon;;123,5;4,83;',
      'B-3;;Client;1 rue X;33000;Bordeaux;;;;',
      'B-4;Garage Martin;Vaisseau spatial;;33000;Bordeaux;;;;',
      'B-5;Pharmacie du Port;Client;;33000;Bordeaux;;44,84;-0,58;santé',
    ].join('\n') + '\n',
  );

  it('lands the good rows and reports each bad one with its line and reason', async () => {
    const before = (await accounts('')).total;
    const up = await uploaded(manager, 'mixte.csv', BAD_FILE);
    expect(up.preview.rows.map((r) => r.errors.length > 0)).toEqual([false, true, false, true, false]);
    const done = await waitFor(manager, (await start(manager, up.job.id, { mapping: up.suggestions, matchBy: 'externalId' })).id);
    expect(done).toMatchObject({ status: 'done', processedRows: 5, createdCount: 2, updatedCount: 0, skippedCount: 3 });
    expect(done.skippedReasons.length).toBeGreaterThan(0);
    expect((await accounts('')).total).toBe(before + 2);
    const lines = await report(manager, up.job.id);
    expect(lines.map((l) => [l['line'], l['outcome']])).toEqual([
      ['2', 'created'],
      ['3', 'skipped'],
      ['4', 'skipped'],
      ['5', 'skipped'],
      ['6', 'created'],
    ]);
    expect(lines[1]?.['reason']).toBe('Latitude 123,5 is out of range (−90 to 90)');
    expect(lines[2]?.['reason']).toMatch(/Name is empty/);
    expect(lines[3]?.['reason']).toMatch(/^Kind "Vaisseau spatial" is unknown/);
    const lille = (await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${lines[0]?.['account_id'] ?? ''}` })).json<AccountDetailDto>();
    expect(lille).toMatchObject({ name: 'Boucherie Lefèvre', kind: 'client', phone: '03 20 00 00 01', address: { city: 'Lille', postcode: '59000' }, geo: { source: 'gazetteer' } });
    expect(lille.location?.lat).toBeCloseTo(50.63, 1);
    const port = (await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${lines[4]?.['account_id'] ?? ''}` })).json<AccountDetailDto>();
    expect(port).toMatchObject({ tags: ['santé'], location: { lat: 44.84, lng: -0.58 }, geo: { source: 'import', manual: true } });
  });

  it('all-or-nothing: one bad row and nothing is written, the report lists the bad rows', async () => {
    const before = (await accounts('')).total;
    const up = await uploaded(manager, 'mixte.csv', BAD_FILE);
    const done = await waitFor(manager, (await start(manager, up.job.id, { mapping: up.suggestions, matchBy: 'none', allOrNothing: true })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/3 lines have errors, so nothing was imported/);
    expect(done.createdCount).toBe(0);
    expect((await accounts('')).total).toBe(before);
    expect((await report(manager, up.job.id)).map((l) => l['line'])).toEqual(['3', '4', '5']);

    // the same file without the bad rows lands whole
    const good = cp1252([FRENCH_HEADER, 'G-1;Épicerie Fine;Client;;59000;Lille;;;;', 'G-2;Quincaillerie;Prospect;;69001;Lyon;;;;'].join('\n'));
    const upGood = await uploaded(manager, 'good.csv', good);
    const ok = await waitFor(manager, (await start(manager, upGood.job.id, { mapping: upGood.suggestions, matchBy: 'externalId', allOrNothing: true })).id);
    expect(ok).toMatchObject({ status: 'done', createdCount: 2 });
    expect((await accounts('')).total).toBe(before + 2);
  });

  it('updates or creates by external id', async () => {
    const first = await uploaded(manager, 'v1.csv', cp1252([FRENCH_HEADER, 'X-1;Menuiserie Roux;Client;;59000;Lille;01;;;', 'X-2;Serrurerie Blanc;Client;;69001;Lyon;02;;;'].join('\n')));
    expect(await waitFor(manager, (await start(manager, first.job.id, { mapping: first.suggestions, matchBy: 'externalId' })).id)).toMatchObject({ createdCount: 2 });
    const second = await uploaded(manager, 'v2.csv', cp1252([FRENCH_HEADER, 'X-1;Menuiserie Roux;Client;;33000;Bordeaux;99;;;', 'X-3;Vitrerie Noir;Client;;59000;Lille;03;;;', 'X-3;Vitrerie Noir SA;Client;;59000;Lille;04;;;'].join('\n')));
    const done = await waitFor(manager, (await start(manager, second.job.id, { mapping: second.suggestions, matchBy: 'externalId' })).id);
    expect(done).toMatchObject({ status: 'done', createdCount: 1, updatedCount: 2, skippedCount: 0 });
    const list = await accounts('q=Menuiserie Roux');
    expect(list.items.filter((a) => a.name === 'Menuiserie Roux')).toHaveLength(1);
    const roux = list.items.find((a) => a.name === 'Menuiserie Roux');
    expect(roux).toMatchObject({ phone: '99', address: { city: 'Bordeaux', postcode: '33000' } });
    // the new address moved the automatic pin
    expect(roux?.location?.lat).toBeCloseTo(44.84, 1);
    // the second X-3 line updated the account the first one created
    expect((await accounts('q=Vitrerie')).items.map((a) => [a.name, a.phone])).toEqual([['Vitrerie Noir SA', '04']]);
  });

  it('an update that moves an account places its merged address (the street kept, the commune changed)', async () => {
    const first = await uploaded(manager, 'y1.csv', cp1252([FRENCH_HEADER, 'Y-1;Quincaillerie Y;Client;12 rue Nationale;59000;Lille;;;;'].join('\n')));
    expect(await waitFor(manager, (await start(manager, first.job.id, { mapping: first.suggestions, matchBy: 'externalId' })).id)).toMatchObject({ createdCount: 1 });
    const second = await uploaded(manager, 'y2.csv', cp1252([FRENCH_HEADER, 'Y-1;;;;69001;Lyon;;;;'].join('\n')));
    expect(await waitFor(manager, (await start(manager, second.job.id, { mapping: second.suggestions, matchBy: 'externalId' })).id)).toMatchObject({ status: 'done', updatedCount: 1 });
    const [moved] = (await accounts('q=Quincaillerie Y')).items.filter((a) => a.name === 'Quincaillerie Y');
    expect(moved?.address).toMatchObject({ line1: '12 rue Nationale', postcode: '69001', city: 'Lyon' });
    expect(moved?.location?.lat).toBeCloseTo(45.76, 1);
  });

  it('updates or creates by name + postcode (any case)', async () => {
    const header = 'Nom;CP;Ville;Tél';
    const first = await uploaded(manager, 'np1.csv', cp1252([header, 'Atelier Vélo;59000;Lille;01', 'Atelier Vélo;69001;Lyon;02'].join('\n')));
    expect(first.suggestions).toEqual(['name', 'postcode', 'city', 'phone']);
    expect(await waitFor(manager, (await start(manager, first.job.id, { mapping: first.suggestions, matchBy: 'namePostcode' })).id)).toMatchObject({ createdCount: 2 });
    const second = await uploaded(manager, 'np2.csv', cp1252([header, 'ATELIER VÉLO ;59000;Lille;11', 'Atelier Vélo;33000;Bordeaux;33'].join('\n')));
    expect(await waitFor(manager, (await start(manager, second.job.id, { mapping: second.suggestions, matchBy: 'namePostcode' })).id)).toMatchObject({ createdCount: 1, updatedCount: 1 });
    const items = (await accounts('q=Atelier')).items.filter((a) => a.name.toLowerCase().startsWith('atelier v'));
    expect(items.map((a) => `${a.address.postcode}:${a.phone ?? ''}`).sort()).toEqual(['33000:33', '59000:11', '69001:02']);
  });

  it('cancels a running import: the rows committed so far stay, nothing more is written', async () => {
    const lines = ['Nom;CP;Ville'];
    for (let i = 0; i < 6000; i++) lines.push(`Annulé ${i};59000;Lille`);
    const up = await uploaded(manager, 'long.csv', Buffer.from(lines.join('\n')));
    await start(manager, up.job.id, { mapping: up.suggestions });
    const res = await h.request(manager, { method: 'POST', url: `/api/v1/imports/${up.job.id}/cancel` });
    expect(res.statusCode).toBe(200);
    expect(res.json<ImportJobDto>().status).toBe('cancelled');
    const after = await job(manager, up.job.id);
    await new Promise((r) => setTimeout(r, 1000));
    const later = await job(manager, up.job.id);
    expect(later.status).toBe('cancelled');
    expect(later.processedRows).toBe(after.processedRows);
    expect(later.processedRows).toBeLessThan(6000);
    expect((await accounts('q=Annulé')).total).toBe(later.createdCount);
    expect((await h.request(manager, { method: 'POST', url: `/api/v1/imports/${up.job.id}/cancel` })).statusCode).toBe(409);
  });

  it('another organisation cannot see, cancel or download a job (404); a rep may not import (403)', async () => {
    const up = await uploaded(manager, 'tenancy.csv', Buffer.from('Nom;CP\nA;59000\n'));
    const other = await h.login(h.users.b.admin);
    for (const [method, url] of [
      ['GET', `/api/v1/imports/${up.job.id}`],
      ['POST', `/api/v1/imports/${up.job.id}/cancel`],
      ['GET', `/api/v1/imports/${up.job.id}/report`],
    ] as const) {
      expect((await h.request(other, { method, url })).statusCode, url).toBe(404);
    }
    expect((await h.request(other, { method: 'GET', url: '/api/v1/imports' })).json<{ items: unknown[] }>().items).toEqual([]);
    const rep = await h.login(h.users.a.rep);
    expect((await upload(rep, 'x.csv', Buffer.from('Nom\nA\n'))).statusCode).toBe(403);
    expect((await h.request(rep, { method: 'GET', url: `/api/v1/imports/${up.job.id}` })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/imports?filename=x.csv', payload: Buffer.from('Nom\nA\n'), headers: { 'content-type': 'application/octet-stream' } })).statusCode).toBe(401);
  });
});

describe('restart', () => {
  it('resumes an interrupted job from its checkpoint after a restart, with no duplicate', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'geocrm-import-restart-'));
    const config = { cookieSecure: false, sessionDays: 30, loginRateLimit: 10_000, logLevel: 'silent', webDist: '/nonexistent', dataDir };
    const orgB = await h.login(h.users.b.manager);
    const first = await buildApp({ handle: h.handle, logger: false, config });
    await first.ready();
    try {
      const lines = ['Référence;Nom;CP;Ville'];
      for (let i = 0; i < 8000; i++) lines.push(`R-${i};Redémarrage ${i};${['59000', '69001', '33000', '13001'][i % 4] ?? ''};${['Lille', 'Lyon', 'Bordeaux', 'Marseille'][i % 4] ?? ''}`);
      const res = await upload(orgB, 'restart.csv', Buffer.from(lines.join('\n')), first);
      expect(res.statusCode).toBe(201);
      const up = res.json<ImportUploadResult>();
      await start(orgB, up.job.id, { mapping: up.suggestions, matchBy: 'externalId' }, first);
      await waitFor(orgB, up.job.id, (j) => j.processedRows > 0, first);
    } finally {
      // a restart: the runner stops after its current batch; the job stays running with its checkpoint
      await first.close();
    }
    const ids = (await h.request(orgB, { method: 'GET', url: '/api/v1/imports' })).json<{ items: ImportJobDto[] }>().items;
    const interrupted = ids.find((j) => j.fileName === 'restart.csv');
    expect(interrupted?.status, JSON.stringify(interrupted)).toBe('running');
    expect(interrupted?.processedRows).toBeGreaterThan(0);
    expect(interrupted?.processedRows).toBeLessThan(8000);

    // an upload left as a draft for two days is deleted, with its file, when a runner starts
    const draft = await uploaded(manager, 'forgotten.csv', Buffer.from('Nom;CP\nA;59000\n'));
    const stale = await sql<{ file_path: string }>`update import_jobs set created_at = now() - interval '2 days' where id = ${draft.job.id} returning file_path`.execute(h.handle.db);
    const draftFile = stale.rows[0]?.file_path ?? '';
    expect(existsSync(draftFile)).toBe(true);

    const second = await buildApp({ handle: h.handle, logger: false, config });
    await second.ready();
    try {
      const done = await waitFor(orgB, interrupted?.id ?? '', undefined, second);
      expect(done).toMatchObject({ status: 'done', processedRows: 8000, createdCount: 8000, skippedCount: 0 });
      const list = (await second.inject({ method: 'GET', url: '/api/v1/accounts?q=Redémarrage&limit=1', headers: { cookie: orgB } })).json<AccountList>();
      expect(list.total).toBe(8000);
      const csv = (await second.inject({ method: 'GET', url: '/api/v1/exports/accounts?format=csv&q=Redémarrage', headers: { cookie: orgB } })).body;
      const rows = parse<Record<string, string>>(csv, { columns: true, bom: true });
      expect(new Set(rows.map((r) => r['External ID'])).size).toBe(8000);
      expect((await h.request(manager, { method: 'GET', url: `/api/v1/imports/${draft.job.id}` })).statusCode).toBe(404);
      // the row goes first, then the file
      for (let i = 0; i < 100 && existsSync(draftFile); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(draftFile)).toBe(false);
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('crash', () => {
  it('takes over a job whose runner died (no heartbeat for 30 s) and resumes after its checkpoint', async () => {
    const up = await uploaded(manager, 'crash.csv', Buffer.from('Référence;Nom;CP;Ville\nK-1;Crash Un;59000;Lille\nK-2;Crash Deux;69001;Lyon\nK-3;Crash Trois;33000;Bordeaux\n'));
    const options = JSON.stringify({ mapping: up.suggestions, matchBy: 'externalId', allOrNothing: false, defaultKind: 'client' });
    // as a server killed after committing the first row would leave it
    await sql`update import_jobs set status = 'running', options = ${options}::jsonb, runner_id = 'killed', heartbeat_at = now() - interval '1 minute',
      checkpoint_row = 1, processed_rows = 1 where id = ${up.job.id}`.execute(h.handle.db);
    const done = await waitFor(manager, up.job.id);
    expect(done).toMatchObject({ status: 'done', processedRows: 3, createdCount: 2 });
    expect((await report(manager, up.job.id)).map((l) => l['line'])).toEqual(['3', '4']);
    expect((await accounts('q=Crash')).items.map((a) => a.name).sort()).toEqual(['Crash Deux', 'Crash Trois']);
  });
});

describe('export', () => {
  it('exports the filtered accounts as CSV, XLSX and GeoJSON that parse back and import back', async () => {
    const prospects = (await accounts('kind=prospect')).total;
    expect(prospects).toBeGreaterThan(0);
    const csvRes = await h.request(manager, { method: 'GET', url: '/api/v1/exports/accounts?format=csv&kind=prospect' });
    expect(csvRes.statusCode).toBe(200);
    expect(csvRes.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse<Record<string, string>>(csvRes.body, { columns: true, bom: true });
    expect(rows).toHaveLength(prospects);
    expect(rows.every((r) => r['Kind'] === 'prospect')).toBe(true);
    expect(rows.find((r) => r['Name'] === 'Café des Arts')).toBeUndefined();

    const xlsxRes = await h.request(manager, { method: 'GET', url: '/api/v1/exports/accounts?format=xlsx&kind=prospect' });
    expect(xlsxRes.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxRes.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(prospects + 1);
    expect(sheet?.getRow(1).getCell(2).value).toBe('Name');

    const geoRes = await h.request(manager, { method: 'GET', url: '/api/v1/exports/accounts?format=geojson' });
    const fc = JSON.parse(geoRes.body) as { type: string; features: { type: string; geometry: { type: string; coordinates: number[] } | null; properties: { name: string } }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength((await accounts('')).total);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      if (f.geometry) {
        const [lng = NaN, lat = NaN] = f.geometry.coordinates;
        expect(f.geometry.type).toBe('Point');
        expect(Math.abs(lng)).toBeLessThanOrEqual(180);
        expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      }
    }

    // the exported CSV imports back with every column recognised
    const back = await uploaded(manager, 'export.csv', Buffer.from(csvRes.body));
    expect(back.suggestions.slice(0, 17)).toEqual(['externalId', 'name', 'kind', 'status', 'line1', 'line2', 'postcode', 'city', 'country', 'phone', 'email', 'website', 'lat', 'lng', 'tags', 'notes', 'ownerEmail']);
    expect((await h.request(manager, { method: 'GET', url: '/api/v1/exports/accounts?format=csv&kind=spaceship' })).statusCode).toBe(400);
  });
});
