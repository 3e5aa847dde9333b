import {
  ACCOUNT_KINDS,
  ACCOUNT_STATUSES,
  AppError,
  GEO_PRECISIONS,
  canDeleteAccounts,
  canEditAnyAccount,
  type AccountKind,
  type AccountStatus,
  type GeoPrecision,
} from '@geocrm/domain';
import { inAccountScope } from '@geocrm/db';
import type {
  AccountFilter,
  AccountRecord,
  AccountSortKey,
  AccountWrite,
  AccountsRepository,
  ContactRecord,
  ContactsRepository,
  Transactor,
  UsersRepository,
} from '@geocrm/db';
import type {
  AccountDetailDto,
  AccountDto,
  AccountList,
  AccountListQuery,
  AccountMapQuery,
  ContactDto,
  GeoQualityDto,
  RegeocodeBody,
  RegeocodeResult,
  CreateAccountBody,
  CreateContactBody,
  UpdateAccountBody,
  UpdateContactBody,
} from '@geocrm/contracts';
import type { GeocoderName } from '@geocrm/geo';
import type { Actor } from '../auth/auth.service.ts';
import type { AccountScope, AccountScopes } from '../access/account-scope.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

const EMPTY_ADDRESS = { line1: '', line2: '', postcode: '', city: '', country: 'FR' };

type Address = typeof EMPTY_ADDRESS;
type GeoWrite = NonNullable<AccountWrite['geo']>;

/** Places an address with the offline gazetteer, synchronously; null when it cannot be placed with enough confidence. */
export type AddressGeocoder = (address: Address) => { location: { lng: number; lat: number }; geo: GeoWrite } | null;

/** Places an organisation's address (with a chosen provider, else the configured one); null when it cannot be placed with enough confidence. */
export type AccountPlacer = (orgId: string, address: Address, provider?: GeocoderName) => Promise<{ location: { lng: number; lat: number }; geo: GeoWrite } | null>;

const MANUAL_GEO: GeoWrite = { precision: 'housenumber', source: 'manual', manual: true, score: null };
const NO_GEO: GeoWrite = { precision: null, source: null, manual: false, score: null };

const sameAddress = (a: Address, b: Address): boolean =>
  a.line1 === b.line1 && a.line2 === b.line2 && a.postcode === b.postcode && a.city === b.city && a.country === b.country;

export const toAccountDto = (a: AccountRecord): AccountDto => ({
  id: a.id,
  kind: a.kind,
  status: a.status,
  name: a.name,
  ownerId: a.ownerId,
  ownerName: a.ownerName,
  tags: a.tags,
  customFields: a.customFields,
  phone: a.phone,
  email: a.email,
  website: a.website,
  address: a.address,
  location: a.location,
  geo: a.geo,
  openingHours: { weekly: a.openingHours.weekly, exceptions: a.openingHours.exceptions.map((e) => ({ ...e, intervals: [...e.intervals] })) } as AccountDto['openingHours'],
  preferredVisitDays: a.preferredVisitDays,
  notes: a.notes,
  lastVisitAt: a.lastVisitAt?.toISOString() ?? null,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

export const toContactDto = (c: ContactRecord): ContactDto => ({ ...c });

const listParam = <T extends string>(raw: string | undefined, allowed: readonly T[], name: string): T[] | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const values = raw.split(',').map((v) => v.trim()).filter(Boolean);
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) throw new AppError('VALIDATION', `Unknown ${name} "${v}"; expected one of ${allowed.join(', ')}`, { details: { field: name } });
  }
  return values as T[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns the shared query-string filters into a repository filter; rejects anything malformed. */
export const parseFilter = (query: AccountMapQuery): AccountFilter => {
  const kinds = listParam<AccountKind>(query.kind, ACCOUNT_KINDS, 'kind');
  const statuses = listParam<AccountStatus>(query.status, ACCOUNT_STATUSES, 'status');
  let ownerId: string | null | undefined;
  if (query.ownerId === 'none') ownerId = null;
  else if (query.ownerId !== undefined && query.ownerId !== '') {
    if (!UUID.test(query.ownerId)) throw new AppError('VALIDATION', 'ownerId must be a user id or "none"', { details: { field: 'ownerId' } });
    ownerId = query.ownerId;
  }
  const tags = query.tag?.split(',').map((t) => t.trim()).filter(Boolean);
  let bbox: [number, number, number, number] | undefined;
  if (query.bbox !== undefined && query.bbox !== '') {
    const parts = query.bbox.split(',').map(Number);
    const [minLng, minLat, maxLng, maxLat] = parts;
    const valid =
      parts.length === 4 &&
      parts.every(Number.isFinite) &&
      minLng !== undefined && minLat !== undefined && maxLng !== undefined && maxLat !== undefined &&
      minLng >= -180 && maxLng <= 180 && minLat >= -90 && maxLat <= 90 && minLng <= maxLng && minLat <= maxLat;
    if (!valid || minLng === undefined || minLat === undefined || maxLng === undefined || maxLat === undefined) {
      throw new AppError('VALIDATION', 'bbox must be minLng,minLat,maxLng,maxLat with valid WGS84 coordinates', { details: { field: 'bbox' } });
    }
    bbox = [minLng, minLat, maxLng, maxLat];
  }
  let near: AccountFilter['near'];
  if (query.near !== undefined && query.near !== '') {
    const [lng, lat, radiusKm, ...rest] = query.near.split(',').map(Number);
    if (rest.length || lng === undefined || lat === undefined || radiusKm === undefined || ![lng, lat, radiusKm].every(Number.isFinite) || Math.abs(lng) > 180 || Math.abs(lat) > 90 || !(radiusKm > 0 && radiusKm <= 500)) {
      throw new AppError('VALIDATION', 'near must be lng,lat,radiusKm with valid WGS84 coordinates and a radius above 0 and at most 500 km', { details: { field: 'near' } });
    }
    near = { lng, lat, radiusMeters: radiusKm * 1000 };
  }
  const q = query.q?.trim();
  const geoPrecisions = listParam<GeoPrecision | 'none'>(query.geoPrecision, [...GEO_PRECISIONS, 'none'], 'geoPrecision');
  return {
    ...(geoPrecisions ? { geoPrecisions } : {}),
    ...(query.geoScoreBelow === undefined ? {} : { geoScoreBelow: query.geoScoreBelow }),
    ...(query.geoManual === undefined ? {} : { geoManual: query.geoManual }),
    ...(query.notVisitedDays === undefined ? {} : { notVisitedDays: query.notVisitedDays }),
    ...(near ? { near } : {}),
    ...(kinds ? { kinds } : {}),
    ...(statuses ? { statuses } : {}),
    ...(ownerId === undefined ? {} : { ownerId }),
    ...(tags?.length ? { tags } : {}),
    ...(q ? { q } : {}),
    ...(bbox ? { bbox } : {}),
  };
};

/** Those who change only the accounts they own (reps, technicians). */
const isFieldRole = (actor: Actor): boolean => !canEditAnyAccount(actor.role);
const canDelete = (actor: Actor): boolean => canDeleteAccounts(actor.role);

export class AccountsService {
  readonly #accounts: AccountsRepository;
  readonly #contacts: ContactsRepository;
  readonly #users: UsersRepository;
  readonly #transaction: Transactor;
  readonly #geocode: AccountPlacer;
  readonly #scopes: AccountScopes;
  constructor(deps: { accounts: AccountsRepository; contacts: ContactsRepository; users: UsersRepository; transaction: Transactor; geocode: AccountPlacer; scopes: AccountScopes }) {
    this.#geocode = deps.geocode;
    this.#scopes = deps.scopes;
    this.#accounts = deps.accounts;
    this.#contacts = deps.contacts;
    this.#users = deps.users;
    this.#transaction = deps.transaction;
  }

  async list(actor: Actor, query: AccountListQuery): Promise<AccountList> {
    const filter = { ...parseFilter(query), ...(await this.#scopes.readFilter(actor)) };
    const sortParam = query.sort ?? (filter.q ? 'relevance' : 'name');
    const descending = sortParam.startsWith('-');
    const sort = sortParam.replace(/^-/, '') as AccountSortKey;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sortParam);
    const page = await this.#accounts.list(actor.orgId, filter, {
      // relevance is always best match first
      sort,
      descending: sort === 'relevance' ? false : descending,
      limit: query.limit ?? 50,
      ...(after ? { after } : {}),
    });
    return { items: page.items.map(toAccountDto), total: page.total, nextCursor: page.lastKey ? encodeCursor(sortParam, page.lastKey) : null };
  }

  /** The map's points as ready-to-send JSON text (shape: AccountMap), built by the database. */
  async mapJson(actor: Actor, query: AccountMapQuery): Promise<string> {
    const filter = { ...parseFilter(query), ...(await this.#scopes.readFilter(actor)) };
    const { json, total, withLocation } = await this.#accounts.mapPointsJson(actor.orgId, filter);
    return `{"items":${json},"total":${total},"withoutLocation":${total - withLocation}}`;
  }

  async tags(actor: Actor) {
    return { items: await this.#accounts.tags(actor.orgId, (await this.#scopes.of(actor)).read ?? undefined) };
  }

  async get(actor: Actor, id: string): Promise<AccountDetailDto> {
    const account = await this.#accounts.get(actor.orgId, id);
    if (!account) throw new AppError('NOT_FOUND', 'Account not found');
    await this.#scopes.assertReadable(actor, account);
    const contacts = await this.#contacts.listForAccount(actor.orgId, id);
    return { ...toAccountDto(account), contacts: contacts.map(toContactDto) };
  }

  /** The owner must be a user of the organisation; a field role may only name themselves. */
  async checkOwner(actor: Actor, ownerId: string | null | undefined): Promise<void> {
    if (ownerId === undefined || ownerId === null) return;
    if (isFieldRole(actor) && ownerId !== actor.userId) throw new AppError('FORBIDDEN', 'You can only assign accounts to yourself');
    const owner = await this.#users.get(actor.orgId, ownerId);
    if (!owner) throw new AppError('VALIDATION', 'Unknown owner: no such user in your organisation', { details: { field: 'ownerId' } });
  }

  /** The actor's write scope decides (see access/account-scope.ts): out of sight is 404, visible but not theirs 403. */
  async #editable(actor: Actor, id: string): Promise<AccountRecord> {
    const account = await this.#accounts.get(actor.orgId, id);
    if (!account) throw new AppError('NOT_FOUND', 'Account not found');
    await this.#scopes.assertWritable(actor, account);
    return account;
  }

  /**
   * Inside a write's transaction: the account as written must still be the actor's to change (its
   * territory follows its location). Refused (and rolled back) otherwise, so that nobody creates or
   * moves an account out of their own sight.
   */
  async #stillWritable(actor: Actor, scope: AccountScope, repos: { accounts: AccountsRepository }, id: string): Promise<void> {
    const written = await repos.accounts.get(actor.orgId, id);
    if (written && !inAccountScope(scope.write, written)) {
      throw new AppError('FORBIDDEN', 'This account would lie outside your territories: give it an owner you manage, or ask your manager');
    }
  }

  async create(actor: Actor, body: CreateAccountBody): Promise<AccountDetailDto> {
    const ownerId = body.ownerId === undefined ? (isFieldRole(actor) ? actor.userId : null) : body.ownerId;
    await this.checkOwner(actor, ownerId);
    const { contacts = [], location, ...rest } = body;
    const address = body.address ?? EMPTY_ADDRESS;
    // A pin given by a person wins; otherwise the address is geocoded (offline gazetteer by default).
    const placed = location ? { location, geo: MANUAL_GEO } : await this.#geocode(actor.orgId, address);
    const write: AccountWrite & { kind: AccountKind; name: string } = { ...rest, ownerId, address, ...(placed ?? {}) };
    // The account and its contacts land together or not at all.
    // The scope is read before the transaction (PGlite has one connection: no other query may run inside it).
    const scope = await this.#scopes.of(actor);
    const id = await this.#transaction(async (repos) => {
      const newId = await repos.accounts.insert(actor.orgId, write);
      await this.#stillWritable(actor, scope, repos, newId);
      for (const c of contacts) await repos.contacts.insert(actor.orgId, newId, c);
      return newId;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, body: UpdateAccountBody): Promise<AccountDetailDto> {
    const current = await this.#editable(actor, id);
    if (body.ownerId !== undefined && body.ownerId !== current.ownerId) {
      if (isFieldRole(actor)) throw new AppError('FORBIDDEN', 'Only a manager can reassign an account');
      await this.checkOwner(actor, body.ownerId);
    }
    const { location, ...rest } = body;
    let placement: Pick<AccountWrite, 'location' | 'geo'> = {};
    if (location === null) placement = { location: null, geo: NO_GEO };
    else if (location !== undefined) placement = { location, geo: MANUAL_GEO };
    else if (body.address && !current.geo.manual && !sameAddress(body.address, current.address)) {
      // A new address moves an automatic pin (or clears it when the new address cannot be placed);
      // a pin placed by hand is never overwritten.
      placement = (await this.#geocode(actor.orgId, body.address)) ?? { location: null, geo: NO_GEO };
    }
    const write: AccountWrite = { ...rest, ...placement };
    const scope = await this.#scopes.of(actor);
    await this.#transaction(async (repos) => {
      if (!(await repos.accounts.update(actor.orgId, id, write))) throw new AppError('NOT_FOUND', 'Account not found');
      await this.#stillWritable(actor, scope, repos, id);
    });
    return this.get(actor, id);
  }

  async geoQuality(actor: Actor): Promise<GeoQualityDto> {
    return this.#accounts.geoQuality(actor.orgId, (await this.#scopes.of(actor)).read ?? undefined);
  }

  /**
   * Geocodes a selection again (e.g. after fixing addresses, or with another provider). Pins placed
   * by hand are never moved; accounts the caller may not change are skipped, not an error.
   */
  async regeocode(actor: Actor, body: RegeocodeBody): Promise<RegeocodeResult> {
    const found = await this.#accounts.addressesOf(actor.orgId, body.ids);
    const result = { placed: 0, unplaced: 0, skippedManual: 0, skipped: body.ids.length - found.length };
    const provider = body.provider === undefined || body.provider === 'gazetteer' ? (body.provider && 'embedded') : body.provider;
    // Geocode first (an online provider takes its time), then write every change in one transaction.
    const changes: { id: string; write: AccountWrite }[] = [];
    for (const account of found) {
      if (!(await this.#scopes.canWrite(actor, account))) result.skipped++;
      else if (account.manual) result.skippedManual++;
      else {
        const placed = await this.#geocode(actor.orgId, account.address, provider);
        changes.push({ id: account.id, write: placed ?? { location: null, geo: NO_GEO } });
        if (placed) result.placed++;
        else result.unplaced++;
      }
    }
    await this.#transaction(async (repos) => {
      // a pin placed by hand meanwhile is kept: the update only touches automatic placements
      for (const change of changes) await repos.accounts.update(actor.orgId, change.id, change.write);
    });
    return result;
  }

  async delete(actor: Actor, id: string): Promise<void> {
    if (!canDelete(actor)) throw new AppError('FORBIDDEN', 'Only a manager or an administrator can delete accounts');
    await this.#editable(actor, id);
    if (!(await this.#accounts.delete(actor.orgId, id))) throw new AppError('NOT_FOUND', 'Account not found');
  }

  async addContact(actor: Actor, accountId: string, body: CreateContactBody): Promise<ContactDto> {
    await this.#editable(actor, accountId);
    const contact = await this.#contacts.insert(actor.orgId, accountId, body);
    if (contact.isPrimary) await this.#contacts.clearPrimary(actor.orgId, accountId, contact.id);
    return toContactDto(contact);
  }

  async updateContact(actor: Actor, accountId: string, contactId: string, body: UpdateContactBody): Promise<ContactDto> {
    await this.#editable(actor, accountId);
    const contact = await this.#contacts.update(actor.orgId, accountId, contactId, body);
    if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
    if (body.isPrimary === true) await this.#contacts.clearPrimary(actor.orgId, accountId, contactId);
    return toContactDto(contact);
  }

  async deleteContact(actor: Actor, accountId: string, contactId: string): Promise<void> {
    await this.#editable(actor, accountId);
    if (!(await this.#contacts.delete(actor.orgId, accountId, contactId))) throw new AppError('NOT_FOUND', 'Contact not found');
  }
}
