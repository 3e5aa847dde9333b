import { AppError } from '@geocrm/domain';
import type { AccountRecord, AccountsRepository } from '@geocrm/db';
import type {
  AccountAround,
  AccountAroundQuery,
  AccountNearDto,
  AccountWithin,
  AccountWithinBody,
  BulkAccountsBody,
  BulkAccountsResult,
  SearchGeometry,
} from '@geocrm/contracts';
import { canEditAnyAccount } from '@geocrm/domain';
import type { Actor } from '../auth/auth.service.ts';
import type { AccountScopes } from '../access/account-scope.ts';
import { parseFilter, toAccountDto } from './accounts.service.ts';

/** Places a free-text address or town; null when it cannot be placed with confidence. */
export type TextLocator = (text: string) => { lng: number; lat: number; label: string } | null;

export interface DriveTime {
  /** Estimated whole seconds from `from` to each point of `to` (one model for the whole list). */
  readonly seconds: (from: { lng: number; lat: number }, to: readonly { lng: number; lat: number }[]) => number[];
  /** Largest straight-line distance (metres) that can be driven within `seconds`. */
  readonly radiusFor: (seconds: number) => number;
}

const near = (a: AccountRecord & { distanceMeters: number; alongMeters?: number }, durationSeconds: number | null = null): AccountNearDto => ({
  ...toAccountDto(a),
  distanceMeters: Math.round(a.distanceMeters * 10) / 10,
  durationSeconds,
  alongMeters: a.alongMeters === undefined ? null : Math.round(a.alongMeters),
});

const sameCoordinates = (a: readonly number[] | undefined, b: readonly number[] | undefined): boolean => a?.[0] === b?.[0] && a?.[1] === b?.[1];

/** Shape checks PostGIS would answer with an obscure message; self-intersection is checked by the database. */
const checkShape = (geometry: SearchGeometry, widthKm: number | undefined): void => {
  if (geometry.type === 'LineString') {
    if (widthKm === undefined) throw new AppError('VALIDATION', 'A line needs widthKm: how far from it an account may be', { details: { field: 'widthKm' } });
    return;
  }
  if (widthKm !== undefined) throw new AppError('VALIDATION', 'widthKm applies to a line only; a polygon is searched as drawn', { details: { field: 'widthKm' } });
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  polygons.forEach((rings, p) =>
    rings.forEach((ring, r) => {
      if (!sameCoordinates(ring[0], ring.at(-1))) {
        const where = polygons.length > 1 ? `polygon ${p + 1}, ring ${r + 1}` : `ring ${r + 1}`;
        throw new AppError('VALIDATION', `The polygon is not closed (${where}): its last position must repeat the first`, { details: { field: 'geometry' } });
      }
    }),
  );
};

/**
 * A lasso or a corridor as `POST /accounts/within` (and the export of its selection) accept it: a line
 * needs a width, a polygon none and must be closed and simple (self-intersection is checked by the database).
 */
export const assertSearchArea = async (accounts: AccountsRepository, geometry: SearchGeometry, widthKm: number | undefined): Promise<void> => {
  checkShape(geometry, widthKm);
  if (geometry.type === 'LineString') return;
  const problem = await accounts.checkGeometry(JSON.stringify(geometry));
  if (problem) {
    const at = problem.at ? ` near ${problem.at.lat.toFixed(5)}, ${problem.at.lng.toFixed(5)}` : '';
    const crossing = /self-intersection|ring self/i.test(problem.reason);
    throw new AppError('VALIDATION', crossing ? `The polygon crosses itself${at}: draw it again without crossing lines` : `The polygon is not valid (${problem.reason})${at}`, {
      details: { field: 'geometry', reason: problem.reason, ...(problem.at ? { at: problem.at } : {}) },
    });
  }
};

/**
 * Searches by place — around a point, an account or an address, inside a drawn polygon, along a
 * route — and changes a selection made that way.
 */
export class AroundService {
  readonly #accounts: AccountsRepository;
  readonly #locate: TextLocator;
  readonly #drive: DriveTime;
  readonly #scopes: AccountScopes;
  constructor(deps: { accounts: AccountsRepository; locate: TextLocator; drive: DriveTime; scopes: AccountScopes }) {
    this.#accounts = deps.accounts;
    this.#scopes = deps.scopes;
    this.#locate = deps.locate;
    this.#drive = deps.drive;
  }

  async #centre(actor: Actor, query: AccountAroundQuery): Promise<{ lng: number; lat: number; label: string }> {
    const given = [query.lng !== undefined || query.lat !== undefined, query.accountId !== undefined, query.address !== undefined].filter(Boolean).length;
    if (given !== 1) {
      throw new AppError('VALIDATION', 'Give exactly one centre: lng and lat, accountId, or address', { details: { field: 'lng' } });
    }
    if (query.accountId !== undefined) {
      const account = await this.#accounts.get(actor.orgId, query.accountId);
      if (!account) throw new AppError('NOT_FOUND', 'Account not found');
      await this.#scopes.assertReadable(actor, account);
      if (!account.location) throw new AppError('VALIDATION', `"${account.name}" has no location: place it on the map first`, { details: { field: 'accountId' } });
      return { ...account.location, label: account.name };
    }
    if (query.address !== undefined) {
      const place = this.#locate(query.address);
      if (!place) throw new AppError('VALIDATION', `No place found for "${query.address}"`, { details: { field: 'address' } });
      return place;
    }
    if (query.lng === undefined || query.lat === undefined) {
      throw new AppError('VALIDATION', 'lng and lat go together', { details: { field: query.lng === undefined ? 'lng' : 'lat' } });
    }
    return { lng: query.lng, lat: query.lat, label: `${query.lat.toFixed(5)}, ${query.lng.toFixed(5)}` };
  }

  async around(actor: Actor, query: AccountAroundQuery): Promise<AccountAround> {
    if ((query.radiusKm === undefined) === (query.minutes === undefined)) {
      throw new AppError('VALIDATION', 'Give either radiusKm or minutes (of estimated driving)', { details: { field: 'radiusKm' } });
    }
    const centre = await this.#centre(actor, query);
    const filter = { ...parseFilter(query), ...(await this.#scopes.readFilter(actor)) };
    const limit = query.limit ?? 200;
    const countUpTo = query.countUpTo ?? 2000;
    if (query.minutes === undefined) {
      const radiusMeters = (query.radiusKm ?? 0) * 1000;
      const page = await this.#accounts.around(actor.orgId, filter, centre, radiusMeters, limit, countUpTo);
      return { centre, radiusMeters, minutes: null, items: page.items.map((a) => near(a)), total: page.total, totalCapped: page.totalCapped };
    }
    // The estimate grows with distance: the radius it allows is exact, so the radius search is the answer.
    const seconds = query.minutes * 60;
    const radiusMeters = Math.round(this.#drive.radiusFor(seconds));
    const page = await this.#accounts.around(actor.orgId, filter, centre, radiusMeters, limit, countUpTo);
    const driven = this.#drive.seconds(centre, page.items.flatMap((a) => (a.location ? [a.location] : [])));
    let next = 0;
    const items = page.items.map((a) => near(a, a.location ? (driven[next++] ?? null) : null));
    return { centre, radiusMeters, minutes: query.minutes, items, total: page.total, totalCapped: page.totalCapped };
  }

  async within(actor: Actor, body: AccountWithinBody): Promise<AccountWithin> {
    await assertSearchArea(this.#accounts, body.geometry, body.widthKm);
    const geojson = JSON.stringify(body.geometry);
    const filter = { ...parseFilter(body.filter ?? {}), ...(await this.#scopes.readFilter(actor)) };
    const limit = body.limit ?? 500;
    const countUpTo = body.countUpTo ?? 2000;
    if (body.geometry.type === 'LineString') {
      const page = await this.#accounts.alongLine(actor.orgId, filter, geojson, (body.widthKm ?? 0) * 1000, limit, countUpTo);
      return { items: page.items.map((a) => near(a)), total: page.total, totalCapped: page.totalCapped };
    }
    const page = await this.#accounts.withinPolygon(actor.orgId, filter, geojson, limit, countUpTo);
    return { items: page.items.map((a) => near(a)), total: page.total, totalCapped: page.totalCapped };
  }

  /** Only accounts in the actor's write scope change (the others are counted as skipped); field roles may not reassign. */
  async bulk(actor: Actor, body: BulkAccountsBody, checkOwner: (ownerId: string | null | undefined) => Promise<void>): Promise<BulkAccountsResult> {
    if (body.ownerId === undefined && !body.addTags?.length && !body.removeTags?.length) {
      throw new AppError('VALIDATION', 'Nothing to change: give ownerId, addTags or removeTags', { details: { field: 'ownerId' } });
    }
    const fieldRole = !canEditAnyAccount(actor.role);
    if (body.ownerId !== undefined) {
      if (fieldRole) throw new AppError('FORBIDDEN', 'Only a manager can reassign accounts');
      await checkOwner(body.ownerId);
    }
    const updated = await this.#accounts.bulkUpdate(
      actor.orgId,
      body.ids,
      {
        ...(body.ownerId === undefined ? {} : { ownerId: body.ownerId }),
        ...(body.addTags ? { addTags: body.addTags } : {}),
        ...(body.removeTags ? { removeTags: body.removeTags } : {}),
      },
      (await this.#scopes.of(actor)).write ?? undefined,
    );
    return { updated, skipped: body.ids.length - updated };
  }
}
