import type { AccountKind } from '@geocrm/domain';
import type { ImportOptions } from '@geocrm/contracts';
import { namePostcodeKey, type AccountWrite, type ImportReportRow, type MatchedAccount, type Repositories } from '@geocrm/db';
import type { ImportRow, MappedRow } from './row-mapper.ts';

export type Address = { line1: string; line2: string; postcode: string; city: string; country: string };
export type Placement = Required<Pick<AccountWrite, 'location' | 'geo'>> | null;

/** The key of an address in a placements map. */
export const addressKey = (a: Address): string => [a.line1, a.line2, a.postcode, a.city, a.country].join('\u0000');

/**
 * Thrown before anything is written when the batch needs addresses placed that were not given: the
 * caller geocodes them outside the transaction (a geocoder may read the database or the network)
 * and runs the batch again.
 */
export class NeedPlacements extends Error {
  readonly addresses: Address[];
  constructor(addresses: Address[]) {
    super(`${addresses.length} addresses to place`);
    this.addresses = addresses;
  }
}
type GeoWrite = NonNullable<AccountWrite['geo']>;

/** Coordinates given in a file are a person's placement: nothing automatic moves them later. */
const IMPORTED_GEO: GeoWrite = { precision: 'housenumber', source: 'import', manual: true, score: null };
const NO_GEO: GeoWrite = { precision: null, source: null, manual: false, score: null };
const EMPTY_ADDRESS: Address = { line1: '', line2: '', postcode: '', city: '', country: 'FR' };

const sameAddress = (a: Address, b: Address): boolean =>
  a.line1 === b.line1 && a.line2 === b.line2 && a.postcode === b.postcode && a.city === b.city && a.country === b.country;

/** The address an account created from this row gets. */
export const createAddress = (row: ImportRow): Address => ({ ...EMPTY_ADDRESS, ...row.address });

export interface BatchLine {
  readonly line: number;
  readonly mapped: MappedRow;
}

export interface BatchResult {
  readonly report: ImportReportRow[];
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
}

interface Pending {
  readonly line: number;
  readonly name: string;
}

/** The key that finds the account a row updates, or undefined when the row can only create. */
const matchKey = (row: ImportRow, options: ImportOptions): string | undefined => {
  if (options.matchBy === 'externalId') return row.externalId;
  if (options.matchBy === 'namePostcode' && row.name !== undefined && row.address.postcode !== undefined) return namePostcodeKey(row.name, row.address.postcode);
  return undefined;
};

const commonWrite = (row: ImportRow): AccountWrite => ({
  ...(row.kind === undefined ? {} : { kind: row.kind }),
  ...(row.status === undefined ? {} : { status: row.status }),
  ...(row.name === undefined ? {} : { name: row.name }),
  ...(row.ownerId === undefined ? {} : { ownerId: row.ownerId }),
  ...(row.tags === undefined ? {} : { tags: row.tags }),
  ...(row.phone === undefined ? {} : { phone: row.phone }),
  ...(row.email === undefined ? {} : { email: row.email }),
  ...(row.website === undefined ? {} : { website: row.website }),
  ...(row.notes === undefined ? {} : { notes: row.notes }),
});

/**
 * Writes one batch of rows through the accounts repository (so that accounts are geocoded exactly
 * as when created through the API: the same geocoder, a given pin wins, a pin placed by hand is
 * never moved), inside the caller's transaction. Returns one report line per row.
 */
export const applyBatch = async (
  repos: Repositories,
  orgId: string,
  lines: readonly BatchLine[],
  options: ImportOptions,
  /** Placements computed beforehand, by address key (null: the address cannot be placed). */
  placements: ReadonlyMap<string, Placement>,
): Promise<BatchResult> => {
  const missing = new Map<string, Address>();
  const geocode = (address: Address): Placement => {
    const key = addressKey(address);
    const placed = placements.get(key);
    if (placed === undefined) {
      missing.set(key, address);
      return null;
    }
    return placed;
  };
  const report: ImportReportRow[] = [];
  let created = 0;
  let updated = 0;
  let skipped = 0;
  const skip = (line: number, name: string, reason: string) => {
    report.push({ line, outcome: 'skipped', accountId: null, name, reason });
    skipped++;
  };

  const valid: { line: number; row: ImportRow }[] = [];
  for (const { line, mapped } of lines) {
    if (mapped.ok) valid.push({ line, row: mapped.row });
    else skip(line, mapped.name, mapped.reason);
  }

  // Existing accounts this batch refers to: by its match key, and by external id (which must stay unique).
  const externalIds = valid.flatMap((v) => (v.row.externalId === undefined ? [] : [v.row.externalId]));
  const byExternalId = new Map<string, MatchedAccount>((await repos.imports.findByExternalIds(orgId, externalIds)).map((a) => [a.externalId ?? '', a]));
  const byKey = new Map<string, MatchedAccount[]>();
  if (options.matchBy === 'externalId') for (const [key, account] of byExternalId) byKey.set(key, [account]);
  if (options.matchBy === 'namePostcode') {
    const pairs = valid.flatMap((v) => (v.row.name !== undefined && v.row.address.postcode !== undefined ? [{ name: v.row.name, postcode: v.row.address.postcode }] : []));
    for (const account of await repos.imports.findByNamePostcode(orgId, pairs)) {
      const key = namePostcodeKey(account.name, account.address.postcode);
      byKey.set(key, [...(byKey.get(key) ?? []), account]);
    }
  }

  const creates: (AccountWrite & { kind: AccountKind; name: string })[] = [];
  const createMeta: Pending[] = [];
  const createdKeys = new Map<string, number>();
  const usedExternalIds = new Map<string, string>(); // external id → account id, after this batch
  for (const [externalId, account] of byExternalId) usedExternalIds.set(externalId, account.id);
  /** Rows that update an account created earlier in this same batch: applied after the inserts. */
  const deferred: { line: number; row: ImportRow; createIndex: number }[] = [];
  const updates: { line: number; name: string; id: string; write: AccountWrite }[] = [];

  for (const { line, row } of valid) {
    const key = matchKey(row, options);
    const matches = key === undefined ? [] : (byKey.get(key) ?? []);
    if (matches.length > 1) {
      skip(line, row.name ?? '', `${matches.length} accounts have this name and postcode: match by external id to tell them apart`);
      continue;
    }
    const target = matches[0];
    if (target) {
      if (row.externalId !== undefined && usedExternalIds.has(row.externalId) && usedExternalIds.get(row.externalId) !== target.id) {
        skip(line, row.name ?? target.name, `External id "${row.externalId}" already belongs to another account`);
        continue;
      }
      const address: Address = { ...target.address, ...row.address };
      let placement: Pick<AccountWrite, 'location' | 'geo'> = {};
      if (row.location) placement = { location: row.location, geo: IMPORTED_GEO };
      else if (!target.manual && !sameAddress(address, target.address)) placement = geocode(address) ?? { location: null, geo: NO_GEO };
      const externalId = row.externalId !== undefined && row.externalId !== target.externalId ? { externalId: row.externalId } : {};
      const write: AccountWrite = { ...commonWrite(row), ...(sameAddress(address, target.address) ? {} : { address }), ...placement, ...externalId };
      updates.push({ line, name: row.name ?? target.name, id: target.id, write });
      // a later row of the batch with the same key sees this one's address
      const next: MatchedAccount = { ...target, name: row.name ?? target.name, address, manual: target.manual || row.location !== undefined };
      if (key !== undefined) byKey.set(key, [next]);
      if (row.externalId !== undefined) usedExternalIds.set(row.externalId, target.id);
      continue;
    }
    const earlier = key === undefined ? undefined : createdKeys.get(key);
    if (earlier !== undefined) {
      deferred.push({ line, row, createIndex: earlier });
      continue;
    }
    if (row.name === undefined) {
      skip(line, '', 'Name is empty: a new account needs a name');
      continue;
    }
    if (row.externalId !== undefined && usedExternalIds.has(row.externalId)) {
      skip(line, row.name, `External id "${row.externalId}" already belongs to another account`);
      continue;
    }
    const address = createAddress(row);
    // A pin given in the file wins; otherwise the address is geocoded, as for an account created in the app.
    const placed = row.location ? { location: row.location, geo: IMPORTED_GEO } : geocode(address);
    creates.push({ ...commonWrite(row), kind: row.kind ?? options.defaultKind, name: row.name, address, ...(placed ?? {}), ...(row.externalId === undefined ? {} : { externalId: row.externalId }) });
    createMeta.push({ line, name: row.name });
    if (key !== undefined) createdKeys.set(key, creates.length - 1);
    if (row.externalId !== undefined) usedExternalIds.set(row.externalId, `pending:${creates.length - 1}`);
  }

  const deferredWrites = deferred.map((d) => {
    const first = creates[d.createIndex];
    const firstAddress = first?.address ?? EMPTY_ADDRESS;
    const address: Address = { ...firstAddress, ...d.row.address };
    const keepPin = first?.geo?.manual === true || sameAddress(address, firstAddress);
    const placement = d.row.location ? { location: d.row.location, geo: IMPORTED_GEO } : keepPin ? {} : (geocode(address) ?? { location: null, geo: NO_GEO });
    return { ...d, write: { ...commonWrite(d.row), address, ...placement } satisfies AccountWrite, name: d.row.name ?? first?.name ?? '' };
  });
  // Nothing is written until every address this batch needs is placed.
  if (missing.size > 0) throw new NeedPlacements([...missing.values()]);

  // The external id is written with the account (an update afterwards would touch every index twice).
  const ids = await repos.accounts.insertMany(orgId, creates);
  ids.forEach((id, i) => {
    const meta = createMeta[i];
    if (!meta) return;
    report.push({ line: meta.line, outcome: 'created', accountId: id, name: meta.name, reason: '' });
    created++;
  });
  for (const u of updates) {
    await repos.accounts.update(orgId, u.id, u.write);
    report.push({ line: u.line, outcome: 'updated', accountId: u.id, name: u.name, reason: '' });
    updated++;
  }
  for (const d of deferredWrites) {
    const id = ids[d.createIndex];
    if (id === undefined) continue;
    await repos.accounts.update(orgId, id, d.write);
    report.push({ line: d.line, outcome: 'updated', accountId: id, name: d.name, reason: `Same key as line ${createMeta[d.createIndex]?.line ?? '?'} of this file` });
    updated++;
  }
  report.sort((a, b) => a.line - b.line);
  return { report, created, updated, skipped };
};
