import type { FastifyInstance } from 'fastify';
import type { Repositories, Transactor } from '@geocrm/db';
import { AccountScopes } from '../access/account-scope.ts';
import { GeocodeJobRunner } from './geocode-job-runner.ts';
import { GeocodeJobsService } from './geocode-jobs.service.ts';
import type { Geocoding } from './geocoding.ts';

export interface GeocodeJobsFeature {
  readonly service: GeocodeJobsService;
  readonly runner: GeocodeJobRunner;
}

/**
 * Wires background geocoding and ties its runner to the app's life: it starts when the app is ready
 * (resuming a job a restart interrupted) and stops, after its current address, when the app closes.
 */
export const createGeocodeJobsFeature = (
  app: FastifyInstance,
  deps: { repos: Repositories; transaction: Transactor; geocoding: Geocoding; pollMs?: number; staleMs?: number },
): GeocodeJobsFeature => {
  const runner = new GeocodeJobRunner({
    jobs: deps.repos.geocodeJobs,
    transaction: deps.transaction,
    geocode: (orgId, address, provider) => deps.geocoding.placeForJob(orgId, address, provider),
    log: app.log,
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
    ...(deps.staleMs === undefined ? {} : { staleMs: deps.staleMs }),
  });
  const service = new GeocodeJobsService({
    jobs: deps.repos.geocodeJobs,
    transaction: deps.transaction,
    runner,
    providers: () => deps.geocoding.providers,
    scopes: new AccountScopes({ territories: deps.repos.territories, accounts: deps.repos.accounts }),
  });
  app.addHook('onReady', async () => {
    // address-file loads a stopped server left half-read: their staged points are dropped
    await deps.repos.geocodeJobs.failUnfinishedLoads(new Date(Date.now() - 10 * 60_000), 'The server stopped during the load; nothing was loaded. Load the file again.');
    runner.start();
  });
  app.addHook('onClose', async () => {
    await runner.stop();
  });
  return { service, runner };
};
