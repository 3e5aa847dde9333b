import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { AccountFilter, AccountRecord, AccountsRepository, ImportsRepository, UsersRepository } from '@geocrm/db';
import type { AccountExportQuery, AccountMapQuery, ExportFormat, SelectionExportBody } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import type { AccountScopes } from '../access/account-scope.ts';
import { parseFilter } from '../accounts/accounts.service.ts';
import { assertSearchArea } from '../accounts/around.service.ts';

const PAGE = 2000;

/** Column headers chosen so that an exported file imports back with every column recognised. */
const HEADERS = [
  'External ID',
  'Name',
  'Kind',
  'Status',
  'Address',
  'Address line 2',
  'Postcode',
  'City',
  'Country',
  'Phone',
  'Email',
  'Website',
  'Latitude',
  'Longitude',
  'Tags',
  'Notes',
  'Owner email',
  'Geocoding precision',
  'GeoCRM id',
  'Updated at',
] as const;

type Cell = string | number | null;

const cells = (a: AccountRecord, externalId: string | undefined, ownerEmail: string | undefined): Cell[] => [
  externalId ?? '',
  a.name,
  a.kind,
  a.status,
  a.address.line1,
  a.address.line2,
  a.address.postcode,
  a.address.city,
  a.address.country,
  a.phone ?? '',
  a.email ?? '',
  a.website ?? '',
  a.location ? a.location.lat : null,
  a.location ? a.location.lng : null,
  a.tags.join(', '),
  a.notes,
  ownerEmail ?? '',
  a.location ? (a.geo.precision ?? '') : '',
  a.id,
  a.updatedAt.toISOString(),
];

/**
 * Text a spreadsheet would run as a formula (`=…`, `@…`, a tab or a carriage return first, or `+`/`-`
 * followed by anything but a number or a phone number) gets a leading apostrophe (OWASP "CSV injection"); phone numbers such as
 * `+33 6…` and negative numbers stay as they are.
 */
export const neutraliseFormula = (text: string): string => (/^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-][\d\s().-]*$/.test(text)) ? `'${text}` : text);

const csvCell = (value: Cell): string => {
  if (value === null) return '';
  const text = typeof value === 'string' ? neutraliseFormula(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

type ExportRow = { account: AccountRecord; externalId: string | undefined; ownerEmail: string | undefined };

/** The rows as an XLSX workbook, streamed. */
const xlsx = (pages: AsyncGenerator<ExportRow[]>): Readable => {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Accounts');
  void (async () => {
    try {
      sheet.addRow([...HEADERS]).commit();
      for await (const page of pages) {
        for (const { account, externalId, ownerEmail } of page) sheet.addRow(cells(account, externalId, ownerEmail)).commit();
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return out;
};

/** Exports the accounts matching the list's filters as CSV, XLSX or GeoJSON, streamed page by page. */
export class AccountExporter {
  readonly #accounts: AccountsRepository;
  readonly #imports: ImportsRepository;
  readonly #users: UsersRepository;
  readonly #scopes: AccountScopes;
  constructor(deps: { accounts: AccountsRepository; imports: ImportsRepository; users: UsersRepository; scopes: AccountScopes }) {
    this.#scopes = deps.scopes;
    this.#accounts = deps.accounts;
    this.#imports = deps.imports;
    this.#users = deps.users;
  }

  /** Every matching account, in pages, with its external id and its owner's e-mail. */
  async *#records(actor: Actor, asked: AccountFilter): AsyncGenerator<ExportRow[]> {
    // Only what the actor may read leaves the server.
    const filter: AccountFilter = { ...asked, ...(await this.#scopes.readFilter(actor)) };
    const emails = new Map((await this.#users.list(actor.orgId)).map((u) => [u.id, u.email]));
    let after: { value: string; id: string } | undefined;
    for (;;) {
      const page = await this.#accounts.list(actor.orgId, filter, { sort: 'name', descending: false, limit: PAGE, ...(after ? { after } : {}) });
      const externalIds = await this.#imports.externalIdsOf(actor.orgId, page.items.map((a) => a.id));
      yield page.items.map((account) => ({ account, externalId: externalIds.get(account.id), ownerEmail: account.ownerId ? emails.get(account.ownerId) : undefined }));
      if (!page.lastKey) return;
      after = page.lastKey;
    }
  }

  export(actor: Actor, query: AccountExportQuery): { contentType: string; fileName: string; body: Readable } {
    const stamp = new Date().toISOString().slice(0, 10);
    const { format, ...filterQuery }: { format: ExportFormat } & AccountMapQuery = query;
    // Parsed now, so that a bad filter is a 400 and not a broken download.
    const filter = parseFilter(filterQuery);
    return this.#render(format, `accounts-${stamp}`, () => this.#records(actor, filter));
  }

  /**
   * Exactly what the Nearby list shows for a lasso or a corridor: the same search as `POST /accounts/within`
   * (same geometry checks, filters, access scope and limit), so the same accounts in the same order.
   */
  async exportSelection(actor: Actor, body: SelectionExportBody): Promise<{ contentType: string; fileName: string; body: Readable }> {
    await assertSearchArea(this.#accounts, body.geometry, body.widthKm);
    const filter: AccountFilter = { ...parseFilter(body.filter ?? {}), ...(await this.#scopes.readFilter(actor)) };
    const geojson = JSON.stringify(body.geometry);
    const limit = body.limit ?? 500;
    const line = body.geometry.type === 'LineString';
    const found = line
      ? await this.#accounts.alongLine(actor.orgId, filter, geojson, (body.widthKm ?? 0) * 1000, limit, 1)
      : await this.#accounts.withinPolygon(actor.orgId, filter, geojson, limit, 1);
    const emails = new Map((await this.#users.list(actor.orgId)).map((u) => [u.id, u.email]));
    const externalIds = await this.#imports.externalIdsOf(actor.orgId, found.items.map((a) => a.id));
    const page = found.items.map((account) => ({ account, externalId: externalIds.get(account.id), ownerEmail: account.ownerId ? emails.get(account.ownerId) : undefined }));
    async function* one(): AsyncGenerator<ExportRow[]> {
      yield await Promise.resolve(page);
    }
    const stamp = new Date().toISOString().slice(0, 10);
    return this.#render(body.format, `accounts-${line ? 'corridor' : 'area'}-${stamp}`, one);
  }

  #render(format: ExportFormat, baseName: string, pages: () => AsyncGenerator<ExportRow[]>): { contentType: string; fileName: string; body: Readable } {
    if (format === 'xlsx') {
      return { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${baseName}.xlsx`, body: xlsx(pages()) };
    }
    const records = pages();
    if (format === 'geojson') {
      async function* geojson(): AsyncGenerator<string> {
        yield '{"type":"FeatureCollection","features":[';
        let first = true;
        for await (const page of records) {
          const parts = page.map(({ account: a, externalId, ownerEmail }) =>
            JSON.stringify({
              type: 'Feature',
              id: a.id,
              geometry: a.location ? { type: 'Point', coordinates: [a.location.lng, a.location.lat] } : null,
              properties: {
                externalId: externalId ?? null,
                name: a.name,
                kind: a.kind,
                status: a.status,
                address: a.address,
                phone: a.phone,
                email: a.email,
                website: a.website,
                tags: a.tags,
                notes: a.notes,
                ownerEmail: ownerEmail ?? null,
                geo: a.geo,
                updatedAt: a.updatedAt.toISOString(),
              },
            }),
          );
          if (parts.length === 0) continue;
          yield (first ? '\n' : ',\n') + parts.join(',\n');
          first = false;
        }
        yield '\n]}\n';
      }
      return { contentType: 'application/geo+json', fileName: `${baseName}.geojson`, body: Readable.from(geojson()) };
    }
    async function* csv(): AsyncGenerator<string> {
      yield `\uFEFF${HEADERS.map(csvCell).join(',')}\r\n`;
      for await (const page of records) {
        if (page.length === 0) continue;
        yield page.map(({ account, externalId, ownerEmail }) => cells(account, externalId, ownerEmail).map(csvCell).join(',')).join('\r\n') + '\r\n';
      }
    }
    return { contentType: 'text/csv; charset=utf-8', fileName: `${baseName}.csv`, body: Readable.from(csv()) };
  }
}

