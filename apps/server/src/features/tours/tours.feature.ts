import type { Repositories, Transactor } from '@geocrm/db';
import { TeamPlanningService, type TeamPlanningDeps } from './team-planning.service.ts';
import { ToursService, type ToursServiceDeps } from './tours.service.ts';
import { VisitsService, type VisitsServiceDeps } from './visits.service.ts';

/** Wires the tours feature (kept here so that app.ts needs only a few lines). */
export const createToursFeature = (
  deps: { repos: Repositories; transaction: Transactor; scopes?: VisitsServiceDeps['scopes'] } & Partial<Pick<ToursServiceDeps, 'solve' | 'timeLimitMs' | 'matrix'>> & {
    team?: Partial<Pick<TeamPlanningDeps, 'concurrency' | 'timeLimitMs'>>;
  },
) => {
  const visits = new VisitsService({ tours: deps.repos.tours, users: deps.repos.users, orgs: deps.repos.orgs, transaction: deps.transaction, ...(deps.scopes ? { scopes: deps.scopes } : {}) });
  const tours = new ToursService({
    tours: deps.repos.tours,
    visits,
    transaction: deps.transaction,
    ...(deps.solve ? { solve: deps.solve } : {}),
    ...(deps.timeLimitMs === undefined ? {} : { timeLimitMs: deps.timeLimitMs }),
    ...(deps.matrix ? { matrix: deps.matrix } : {}),
  });
  const team = new TeamPlanningService({
    tours: deps.repos.tours,
    jobs: deps.repos.planningJobs,
    visits,
    toursService: tours,
    transaction: deps.transaction,
    ...(deps.solve ? { solve: deps.solve } : {}),
    ...(deps.matrix ? { matrix: deps.matrix } : {}),
    ...deps.team,
  });
  return { visits, tours, team };
};
