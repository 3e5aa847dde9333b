import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountWithin } from '@geocrm/contracts';
import { createRepositories } from '@geocrm/db';
import { startHarness, type Harness } from '../../../test/harness.ts';
import { neutraliseFormula } from './account-export.ts';

describe('CSV export', () => {
  it('never lets a spreadsheet run a cell as a formula, and leaves phone numbers and plain text alone', () => {
    for (const formula of ['=HYPERLINK("http://evil","x")', '@SUM(A1)', '+cmd|calc', '-2+3+cmd|calc', '\t=1', '\r=1']) {
      expect(neutraliseFormula(formula).startsWith("'")).toBe(true);
    }
    for (const text of ['+33 6 12 34 56 78', '-12.5', 'Boulangerie = bonne', 'Jean-Marc', '']) expect(neutraliseFormula(text)).toBe(text);
  });
});

describe('export of a lasso or a corridor selection', () => {
  let h: Harness;
  let cookie: string;
  beforeAll(async () => {
    h = await startHarness();
    cookie = await h.login(h.users.a.manager);
    const repos = createRepositories(h.handle.db);
    const orgId = h.users.a.manager.orgId;
    // a row of accounts east of Lille, one off the line, one without the tag
    for (let i = 0; i < 12; i++) {
      await repos.accounts.insert(orgId, {
        kind: 'client',
        name: `Sélection ${String(i).padStart(2, '0')}`,
        tags: ['lasso'],
        address: { line1: `${i} rue du Test`, line2: '', postcode: '59000', city: 'Lille', country: 'FR' },
        location: { lng: 3.0 + i * 0.01, lat: 50.63 + (i % 3) * 0.001 },
        geo: { precision: 'housenumber', source: 'ban', manual: false, score: 0.9 },
      });
    }
    await repos.accounts.insert(orgId, { kind: 'client', name: 'Hors ligne', tags: ['lasso'], location: { lng: 3.05, lat: 50.7 }, geo: { precision: 'street', source: 'ban', manual: false, score: 0.9 } });
    await repos.accounts.insert(orgId, { kind: 'client', name: 'Sans tag', location: { lng: 3.05, lat: 50.631 }, geo: { precision: 'street', source: 'ban', manual: false, score: 0.9 } });
  });
  afterAll(async () => h.close());

  const polygon = { type: 'Polygon', coordinates: [[[2.99, 50.62], [3.08, 50.62], [3.08, 50.64], [2.99, 50.64], [2.99, 50.62]]] };
  const line = { type: 'LineString', coordinates: [[2.99, 50.631], [3.12, 50.631]] };

  const listed = async (body: object) => {
    const res = await h.request(cookie, { method: 'POST', url: '/api/v1/accounts/within', payload: body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<AccountWithin>().items.map((a) => a.id);
  };
  const exported = (body: object) => h.request(cookie, { method: 'POST', url: '/api/v1/exports/accounts/selection', payload: body });
  const csvIds = (text: string) => parse<Record<string, string>>(text, { columns: true, bom: true }).map((r) => r['GeoCRM id']);

  it('gives exactly the accounts the list shows, in its order, as CSV, GeoJSON and XLSX', async () => {
    for (const search of [
      { geometry: polygon, filter: { tag: 'lasso' } },
      { geometry: polygon, filter: { tag: 'lasso' }, limit: 5 },
      { geometry: line, widthKm: 0.5, filter: { tag: 'lasso' } },
      { geometry: line, widthKm: 0.5 },
    ]) {
      const ids = await listed(search);
      expect(ids.length).toBeGreaterThan(0);
      const csv = await exported({ ...search, format: 'csv' });
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.headers['content-disposition']).toMatch(/accounts-(area|corridor)-.*\.csv/);
      expect(csvIds(csv.body)).toEqual(ids);

      const geojson = await exported({ ...search, format: 'geojson' });
      expect(geojson.headers['content-type']).toMatch(/geo\+json/);
      expect(geojson.json<{ features: { id: string }[] }>().features.map((f) => f.id)).toEqual(ids);

      const xlsx = await exported({ ...search, format: 'xlsx' });
      expect(xlsx.statusCode).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('Accounts');
      const idColumn = (sheet?.getRow(1).values as unknown[]).indexOf('GeoCRM id');
      const rows: string[] = [];
      sheet?.eachRow((row, n) => {
        if (n > 1) rows.push(row.getCell(idColumn).text);
      });
      expect(rows).toEqual(ids);
    }
    expect(csvIds((await exported({ geometry: line, widthKm: 0.5, filter: { tag: 'lasso' }, format: 'csv' })).body)).not.toContain(undefined);
  });

  it('refuses the shapes the search refuses, with the same message', async () => {
    const crossing = { type: 'Polygon', coordinates: [[[3, 50.6], [3.1, 50.7], [3.1, 50.6], [3, 50.7], [3, 50.6]]] };
    const search = await h.request(cookie, { method: 'POST', url: '/api/v1/accounts/within', payload: { geometry: crossing } });
    const res = await exported({ geometry: crossing, format: 'csv' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toBe(search.json<{ message: string }>().message);
    expect(res.json<{ message: string }>().message).toMatch(/crosses itself/);
    expect((await exported({ geometry: line, format: 'csv' })).json<{ message: string }>().message).toMatch(/widthKm/);
    expect((await exported({ geometry: polygon, format: 'pdf' })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/exports/accounts/selection', payload: { geometry: polygon, format: 'csv' } })).statusCode).toBe(401);
  });
});
