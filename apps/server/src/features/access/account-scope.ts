import { AppError, FIELD_ROLES, type Role } from '@geocrm/domain';
import { inAccountScope, type AccountScopeFilter, type AccountsRepository, type TerritoriesRepository } from '@geocrm/db';
import type { Actor } from '../auth/auth.service.ts';

/**
 * Which accounts an actor may read and change. `null` = every account of the organisation;
 * otherwise the accounts owned by one of `ownerIds` or lying in one of `territoryIds`.
 *
 * The rule (issue 6, F-TER-2):
 * - admin and back-office: everything, always.
 * - No published territory plan in the organisation (the rule before territories): every role
 *   reads everything; field roles (rep, technician) change only the accounts they own; managers
 *   change everything.
 * - A published plan: a field role reads and changes the accounts of the territories they are the
 *   rep of, plus the accounts they own. A manager reads and changes those of their team — the
 *   users whose `manager_id` is them (direct reports) — plus their own: accounts owned by any of
 *   them, and the published territories whose rep is any of them.
 */
export interface AccountScope {
  readonly read: AccountScopeFilter | null;
  readonly write: AccountScopeFilter | null;
  /** True when a published territory plan governs the scope. */
  readonly territorial: boolean;
}

/** The facts about one account the rule needs. */
export interface ScopedAccount {
  readonly ownerId: string | null;
  readonly territoryId: string | null;
}

const isFieldRole = (role: Role): boolean => FIELD_ROLES.includes(role);
const seesEverything = (role: Role): boolean => role === 'admin' || role === 'backoffice';

/** The rule as a pure function of the role and the facts read from the database. */
export const scopeFrom = (actor: Pick<Actor, 'userId' | 'role'>, facts: { readonly published: boolean; readonly team: readonly string[]; readonly territoryIds: readonly string[] }): AccountScope => {
  if (seesEverything(actor.role)) return { read: null, write: null, territorial: facts.published };
  if (!facts.published) {
    return { read: null, write: isFieldRole(actor.role) ? { ownerIds: [actor.userId], territoryIds: [] } : null, territorial: false };
  }
  const scope: AccountScopeFilter = {
    ownerIds: actor.role === 'manager' ? [actor.userId, ...facts.team] : [actor.userId],
    territoryIds: facts.territoryIds,
  };
  return { read: scope, write: scope, territorial: true };
};

/**
 * Computes an actor's account scope once per request (memoised on the request's actor object) and
 * answers the questions every account route asks. Lists and searches pass `read` to the
 * repository's filter (SQL); single-account routes check the record they loaded.
 */
export class AccountScopes {
  readonly #territories: TerritoriesRepository;
  readonly #accounts: AccountsRepository;
  readonly #cache = new WeakMap<Actor, Promise<AccountScope>>();

  constructor(deps: { territories: TerritoriesRepository; accounts: AccountsRepository }) {
    this.#territories = deps.territories;
    this.#accounts = deps.accounts;
  }

  of(actor: Actor): Promise<AccountScope> {
    let scope = this.#cache.get(actor);
    if (!scope) {
      scope = seesEverything(actor.role)
        ? this.#territories.publishedPlanId(actor.orgId).then((id) => scopeFrom(actor, { published: id !== undefined, team: [], territoryIds: [] }))
        : this.#territories.accessFacts(actor.orgId, actor.userId, actor.role === 'manager').then((facts) => scopeFrom(actor, facts));
      this.#cache.set(actor, scope);
    }
    return scope;
  }

  /** The repository filter for what the actor may read (undefined: everything). */
  async readFilter(actor: Actor): Promise<{ scope?: AccountScopeFilter }> {
    const { read } = await this.of(actor);
    return read ? { scope: read } : {};
  }

  /** Out of sight is not found: an account the actor may not read answers 404, as if it did not exist. */
  async assertReadable(actor: Actor, account: ScopedAccount): Promise<void> {
    if (!inAccountScope((await this.of(actor)).read, account)) throw new AppError('NOT_FOUND', 'Account not found');
  }

  /** 404 when out of sight, 403 when visible but not the actor's to change (a rep, no published plan, someone else's account). */
  async assertWritable(actor: Actor, account: ScopedAccount): Promise<void> {
    const scope = await this.of(actor);
    if (!inAccountScope(scope.read, account)) throw new AppError('NOT_FOUND', 'Account not found');
    if (!inAccountScope(scope.write, account)) throw new AppError('FORBIDDEN', 'You can only change accounts you own');
  }

  async canWrite(actor: Actor, account: ScopedAccount): Promise<boolean> {
    return inAccountScope((await this.of(actor)).write, account);
  }

  /**
   * For other features (tours, visits, opportunities): of these account ids, the ones the actor may
   * read. Unknown ids and other organisations' ids are left out too.
   */
  async visibleIds(actor: Actor, accountIds: readonly string[]): Promise<Set<string>> {
    const { read } = await this.of(actor);
    const facts = await this.#accounts.addressesOf(actor.orgId, [...new Set(accountIds)]);
    return new Set(facts.filter((a) => inAccountScope(read, a)).map((a) => a.id));
  }

  /** For other features: 404 unless the actor may read this account (e.g. before creating a visit for it). */
  async assertCanSee(actor: Actor, accountId: string): Promise<void> {
    if (!(await this.visibleIds(actor, [accountId])).has(accountId)) throw new AppError('NOT_FOUND', 'Account not found');
  }
}
