import { AppError, lngLat } from '@geocrm/domain';
import { createEstimatedMatrixProvider, type MatrixProvider } from '@geocrm/geo';
import type { AccountSource, AssignableAccountRecord, AssignmentRepository, TerritoriesRepository, Transactor } from '@geocrm/db';
import type { AccountOwnersBody, AccountOwnersPreview, AppliedCount, ApplyAccountOwnersBody } from '@geocrm/contracts';
import type { Actor } from '../auth/auth.service.ts';
import { assertDispatcher, colourOf } from './tasks.service.ts';

export interface OwnersServiceDeps {
  readonly assignment: AssignmentRepository;
  readonly territories: TerritoriesRepository;
  readonly transaction: Transactor;
  readonly matrix?: MatrixProvider;
}

type Assigned = AccountOwnersPreview['assignments'][number];
type Left = AccountOwnersPreview['unassigned'][number];

/**
 * Nearest rep with spare capacity. Accounts are taken in order of regret (how much worse their
 * second-best rep is than their best), so that the accounts with one obvious rep get it before a
 * rep fills up; each goes to the nearest rep (estimated drive time from home) with room left.
 */
export const nearestWithCapacity = (
  accounts: readonly { id: string }[],
  reps: readonly { id: string; room: number }[],
  seconds: (account: number, rep: number) => number | null,
): { owner: Map<string, { rep: number; seconds: number }>; full: Set<string> } => {
  const room = reps.map((r) => r.room);
  const order = accounts.map((_, a) => {
    const times = reps.map((_r, r) => seconds(a, r) ?? Infinity).sort((x, y) => x - y);
    const best = times[0] ?? Infinity;
    const second = times[1] ?? best;
    return { a, regret: second - best };
  });
  order.sort((x, y) => y.regret - x.regret || x.a - y.a);
  const owner = new Map<string, { rep: number; seconds: number }>();
  const full = new Set<string>();
  for (const { a } of order) {
    const account = accounts[a];
    if (!account) continue;
    let best = -1;
    let bestTime = Infinity;
    for (let r = 0; r < reps.length; r++) {
      const t = seconds(a, r);
      if (t === null || (room[r] ?? 0) <= 0) continue;
      if (t < bestTime) {
        best = r;
        bestTime = t;
      }
    }
    if (best < 0) full.add(account.id);
    else {
      owner.set(account.id, { rep: best, seconds: bestTime });
      room[best] = (room[best] ?? 0) - 1;
    }
  }
  return { owner, full };
};

/** Owners for a batch of accounts: preview, then apply (all or nothing). */
export class OwnersService {
  readonly #repo: AssignmentRepository;
  readonly #territories: TerritoriesRepository;
  readonly #transaction: Transactor;
  readonly #matrix: MatrixProvider;

  constructor(deps: OwnersServiceDeps) {
    this.#repo = deps.assignment;
    this.#territories = deps.territories;
    this.#transaction = deps.transaction;
    this.#matrix = deps.matrix ?? createEstimatedMatrixProvider();
  }

  async preview(actor: Actor, body: AccountOwnersBody): Promise<AccountOwnersPreview> {
    assertDispatcher(actor, 'assign account owners');
    const source: AccountSource = body.source;
    if (source.kind === 'import' && !(await this.#repo.importExists(actor.orgId, source.jobId))) throw new AppError('NOT_FOUND', 'Import not found', { details: { field: 'source.jobId' } });
    const reps = await this.#repo.fieldUsers(actor.orgId, body.userIds ? { ids: body.userIds } : { roles: ['rep'] });
    if (body.userIds) {
      const missing = body.userIds.filter((id) => !reps.some((u) => u.id === id));
      if (missing.length) throw new AppError('NOT_FOUND', `Unknown or inactive user(s): ${missing.join(', ')}`, { details: { field: 'userIds', missing } });
    }
    if (!reps.length) throw new AppError('VALIDATION', 'Nobody to give accounts to: the organisation has no active rep', { details: { field: 'userIds' } });
    const all = await this.#repo.accountsFrom(actor.orgId, source);
    if (source.kind === 'ids') {
      const missing = source.ids.filter((id) => !all.some((a) => a.id === id));
      if (missing.length) throw new AppError('NOT_FOUND', `Account(s) not found: ${missing.join(', ')}`, { details: { field: 'source.ids', missing } });
    }
    const reassign = body.reassignOwned === true;
    const unassigned: Left[] = [];
    const accounts: AssignableAccountRecord[] = [];
    for (const a of all) {
      if (a.ownerId !== null && !reassign) unassigned.push({ accountId: a.id, accountName: a.name, location: a.location, reason: 'has_owner', message: 'Already has an owner (tick "reassign" to change it)' });
      else accounts.push(a);
    }
    const counts = await this.#repo.ownedCounts(actor.orgId, reps.map((r) => r.id));
    // accounts of the batch that are being reassigned no longer count for their current owner
    for (const a of accounts) if (a.ownerId !== null && counts.has(a.ownerId)) counts.set(a.ownerId, (counts.get(a.ownerId) ?? 1) - 1);
    const repIndex = new Map(reps.map((r, i) => [r.id, i]));
    const assignments: Assigned[] = [];
    let territorySource: AccountOwnersPreview['territorySource'] = null;

    if (body.method === 'territory') {
      const isPublished = (await this.#territories.publishedPlanId(actor.orgId)) !== undefined;
      const published = isPublished ? await this.#territories.territoryOfAccounts(actor.orgId, accounts.map((a) => a.id)) : null;
      territorySource = published ? 'published' : 'owner';
      const byOwner = published ? null : await this.#repo.nearestOwnerOf(actor.orgId, accounts.map((a) => a.id), reps.map((r) => r.id));
      for (const a of accounts) {
        const rep = published ? published.get(a.id)?.repUserId : byOwner?.get(a.id);
        if (rep === undefined || rep === null) {
          const why = published
            ? published.has(a.id)
              ? `Its territory (${published.get(a.id)?.name ?? ''}) has no rep`
              : 'The account lies in no territory of the published plan (or has no location)'
            : a.location === null
              ? 'No location: place it on the map first'
              : 'No account nearby has an owner among the chosen reps (no territory is published: the owner of the nearest account stands for it)';
          unassigned.push({ accountId: a.id, accountName: a.name, location: a.location, reason: published ? 'no_territory' : a.location === null ? 'no_location' : 'no_territory', message: why });
        } else if (!repIndex.has(rep)) {
          unassigned.push({ accountId: a.id, accountName: a.name, location: a.location, reason: 'rep_not_chosen', message: 'Its territory belongs to a rep who is not in the chosen list' });
        } else assignments.push({ accountId: a.id, accountName: a.name, location: a.location, userId: rep, driveMinutes: null });
      }
    } else {
      const placed = accounts.filter((a) => a.location !== null);
      for (const a of accounts) if (a.location === null) unassigned.push({ accountId: a.id, accountName: a.name, location: null, reason: 'no_location', message: 'No location: place it on the map first' });
      const homed = reps.map((r, i) => ({ r, i })).filter((x) => x.r.home !== null);
      if (!homed.length) throw new AppError('VALIDATION', 'None of the chosen reps has a home location: set them in the profiles first', { details: { field: 'userIds' } });
      const durations = placed.length
        ? (
            await this.#matrix.matrix(
              homed.map((x) => lngLat(x.r.home?.lng ?? 0, x.r.home?.lat ?? 0)),
              placed.map((a) => lngLat(a.location?.lng ?? 0, a.location?.lat ?? 0)),
            )
          ).durations
        : [];
      const cap = body.maxAccountsPerRep;
      const room = homed.map((x) => ({ id: x.r.id, room: cap === undefined ? Infinity : Math.max(0, cap - (counts.get(x.r.id) ?? 0)) }));
      const { owner, full } = nearestWithCapacity(placed, room, (a, r) => durations[r]?.[a] ?? null);
      for (const a of placed) {
        const o = owner.get(a.id);
        const rep = o ? homed[o.rep]?.r : undefined;
        if (o && rep) assignments.push({ accountId: a.id, accountName: a.name, location: a.location, userId: rep.id, driveMinutes: Math.round(o.seconds / 6) / 10 });
        else unassigned.push({ accountId: a.id, accountName: a.name, location: a.location, reason: full.has(a.id) ? 'no_capacity' : 'unreachable', message: full.has(a.id) ? `Every rep is at the limit of ${cap ?? 0} accounts` : 'No road route from any rep’s home' });
      }
    }
    const added = new Map<string, number>();
    for (const a of assignments) added.set(a.userId, (added.get(a.userId) ?? 0) + 1);
    return {
      method: body.method,
      territorySource,
      accounts: all.length,
      assignments,
      reps: reps.map((r, i) => ({ userId: r.id, name: r.name, colour: colourOf(i), home: r.home, before: counts.get(r.id) ?? 0, added: added.get(r.id) ?? 0, capacity: body.maxAccountsPerRep ?? null })),
      unassigned,
    };
  }

  async apply(actor: Actor, body: ApplyAccountOwnersBody): Promise<AppliedCount> {
    assertDispatcher(actor, 'assign account owners');
    const ids = body.assignments.map((a) => a.accountId);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) throw new AppError('VALIDATION', `Account ${twice} appears twice`, { details: { field: 'assignments' } });
    const userIds = [...new Set(body.assignments.map((a) => a.userId))];
    return this.#transaction(async (repos) => {
      const users = await repos.assignment.fieldUsers(actor.orgId, { ids: userIds });
      const gone = userIds.filter((id) => !users.some((u) => u.id === id));
      if (gone.length) throw new AppError('NOT_FOUND', `Unknown or inactive user(s): ${gone.join(', ')}`, { details: { missing: gone } });
      const locked = await repos.assignment.lockAccounts(actor.orgId, ids);
      const missing = ids.filter((id) => !locked.has(id));
      if (missing.length) throw new AppError('NOT_FOUND', `Account(s) not found: ${missing.join(', ')}`, { details: { missing } });
      const applied = await repos.assignment.setOwners(actor.orgId, body.assignments);
      return { applied };
    });
  }
}
