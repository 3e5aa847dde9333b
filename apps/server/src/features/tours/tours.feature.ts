import type { Repositories, Transactor } from '@geocrm/db';
import { ToursService, type ToursServiceDeps } from './tours.service.ts';
import { VisitsService } from './visits.service.ts';

/** Wires the tours feature (kept here so that app.ts needs only a few lines). */
export const createToursFeature = (deps: { repos: Repositories; transaction: Transactor } & Partial<Pick<ToursServiceDeps, 'solve' | 'timeLimitMs' | 'matrix'>>) => {
  const visits = new VisitsService({ tours: deps.repos.tours, users: deps.repos.users, orgs: deps.repos.orgs, transaction: deps.transaction });
  const tours = new ToursService({
    tours: deps.repos.tours,
    visits,
    transaction: deps.transaction,
    ...(deps.solve ? { solve: deps.solve } : {}),
    ...(deps.timeLimitMs === undefined ? {} : { timeLimitMs: deps.timeLimitMs }),
    ...(deps.matrix ? { matrix: deps.matrix } : {}),
  });
  return { visits, tours };
};
