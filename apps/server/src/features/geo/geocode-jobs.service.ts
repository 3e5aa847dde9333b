import { AppError, canEditAnyAccount, GEO_PRECISIONS, type GeoPrecision } from '@geocrm/domain';
import type { AccountFilter, GeocodeJobRecord, GeocodeJobsRepository, Transactor } from '@geocrm/db';
import type { GeocodeJobBody, GeocodeJobDto, GeocodeJobItemList, GeocodeJobItemsQuery, GeocodeJobScope } from '@geocrm/contracts';
import type { GeocoderName } from '@geocrm/geo';
import type { Actor } from '../auth/auth.service.ts';
import { parseFilter } from '../accounts/accounts.service.ts';
import type { AccountScopes } from '../access/account-scope.ts';
import type { GeocodeJobRunner } from './geocode-job-runner.ts';

/** Accounts listed per page when a job is created. */
const PAGE = 2000;

const requireManager = (actor: Actor): void => {
  if (!canEditAnyAccount(actor.role)) throw new AppError('FORBIDDEN', 'Only a manager, an administrator or the back office can geocode accounts in bulk');
};

/** The list filter a scope stands for. */
export const scopeFilter = (scope: GeocodeJobScope): AccountFilter => {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'belowPrecision': {
      // coarser than the precision asked, or not placed at all
      const coarser = GEO_PRECISIONS.slice(GEO_PRECISIONS.indexOf(scope.precision) + 1);
      return { geoPrecisions: [...coarser, 'none'] as (GeoPrecision | 'none')[] };
    }
    case 'ids':
      return { ids: scope.ids };
    case 'filter':
      return parseFilter(scope.filter);
  }
};

/**
 * Re-geocoding as a background job: start (a scope of accounts, a provider), follow, cancel, read
 * the result per account. The work is done by the {@link GeocodeJobRunner}.
 */
export class GeocodeJobsService {
  readonly #jobs: GeocodeJobsRepository;
  readonly #transaction: Transactor;
  readonly #runner: GeocodeJobRunner;
  readonly #providers: () => readonly GeocoderName[];
  readonly #scopes: AccountScopes;

  constructor(deps: { jobs: GeocodeJobsRepository; transaction: Transactor; runner: GeocodeJobRunner; providers: () => readonly GeocoderName[]; scopes: AccountScopes }) {
    this.#scopes = deps.scopes;
    this.#jobs = deps.jobs;
    this.#transaction = deps.transaction;
    this.#runner = deps.runner;
    this.#providers = deps.providers;
  }

  async #dto(job: GeocodeJobRecord): Promise<GeocodeJobDto> {
    const { counts } = job;
    let etaSeconds: number | null = null;
    if (job.status === 'running' && job.startedAt && job.processed > 0) {
      // the pace since it started (after a restart this includes the pause: an overestimate)
      const perItem = (Date.now() - job.startedAt.getTime()) / 1000 / job.processed;
      etaSeconds = Math.round(perItem * (job.total - job.processed));
    }
    return {
      id: job.id,
      status: job.status,
      provider: job.provider,
      scope: job.scope as unknown as GeocodeJobScope,
      total: job.total,
      processed: job.processed,
      ...counts,
      placedByPrecision: await this.#jobs.placedByPrecision(job.orgId, job.id),
      etaSeconds,
      error: job.error,
      createdByName: job.createdByName,
      createdAt: job.createdAt.toISOString(),
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
    };
  }

  async start(actor: Actor, body: GeocodeJobBody): Promise<GeocodeJobDto> {
    requireManager(actor);
    const available = this.#providers();
    const provider = body.provider ?? available.at(-1) ?? 'embedded';
    if (!available.includes(provider)) {
      throw new AppError('VALIDATION', `The geocoder "${provider}" is not configured; available: ${available.join(', ')}`, { details: { field: 'provider' } });
    }
    // only the accounts the actor may change (a manager's team once territories are published)
    const { write } = await this.#scopes.of(actor);
    const filter: AccountFilter = { ...scopeFilter(body.scope), ...(write ? { scope: write } : {}) };
    const open = (await this.#jobs.list(actor.orgId, 5)).find((j) => j.status === 'queued' || j.status === 'running');
    if (open) throw new AppError('CONFLICT', 'A geocoding job is already running for this organisation: wait for it or cancel it', { details: { jobId: open.id } });
    // The job and the list of its accounts land together: a job never starts half-listed.
    const id = await this.#transaction(async (repos) => {
      const jobId = await repos.geocodeJobs.create(actor.orgId, { provider, scope: body.scope, createdBy: actor.userId });
      let seq = 0;
      let after: { value: string; id: string } | undefined;
      for (;;) {
        const page = await repos.accounts.list(actor.orgId, filter, { sort: 'createdAt', descending: false, limit: PAGE, ...(after ? { after } : {}) });
        await repos.geocodeJobs.addItems(actor.orgId, jobId, seq, page.items.map((a) => a.id));
        seq += page.items.length;
        if (!page.lastKey) break;
        after = page.lastKey;
      }
      if (seq === 0) throw new AppError('VALIDATION', 'No account matches this scope: nothing to geocode', { details: { field: 'scope' } });
      return jobId;
    });
    this.#runner.wake();
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<GeocodeJobDto> {
    requireManager(actor);
    const job = await this.#jobs.get(actor.orgId, id);
    if (!job) throw new AppError('NOT_FOUND', 'Geocoding job not found');
    return this.#dto(job);
  }

  async list(actor: Actor): Promise<{ items: GeocodeJobDto[] }> {
    requireManager(actor);
    const jobs = await this.#jobs.list(actor.orgId, 10);
    const items: GeocodeJobDto[] = [];
    for (const job of jobs) items.push(await this.#dto(job));
    return { items };
  }

  async items(actor: Actor, id: string, query: GeocodeJobItemsQuery): Promise<GeocodeJobItemList> {
    requireManager(actor);
    if (!(await this.#jobs.get(actor.orgId, id))) throw new AppError('NOT_FOUND', 'Geocoding job not found');
    const limit = query.limit ?? 100;
    const rows = await this.#jobs.items(actor.orgId, id, { limit: limit + 1, ...(query.outcome ? { outcome: query.outcome } : {}), ...(query.after === undefined ? {} : { afterSeq: query.after }) });
    const page = rows.slice(0, limit);
    return {
      items: page.flatMap((r) => (r.outcome === null ? [] : [{ ...r, outcome: r.outcome }])),
      next: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
    };
  }

  /** Stops a job; the accounts already done keep their new pins. */
  async cancel(actor: Actor, id: string): Promise<void> {
    requireManager(actor);
    const job = await this.#jobs.get(actor.orgId, id);
    if (!job) throw new AppError('NOT_FOUND', 'Geocoding job not found');
    if (!(await this.#jobs.cancel(actor.orgId, id))) throw new AppError('CONFLICT', `The job has already ended (${job.status})`);
    this.#runner.cancel(id);
  }
}
