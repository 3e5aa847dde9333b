import type { Repositories, Transactor } from '@geocrm/db';
import type { MatrixProvider } from '@geocrm/geo';
import { AutoAssignService } from './auto-assign.service.ts';
import type { Solver } from './auto-assign.ts';
import { OwnersService } from './owners.service.ts';
import { TasksService } from './tasks.service.ts';

export interface AssignmentFeature {
  readonly tasks: TasksService;
  readonly auto: AutoAssignService;
  readonly owners: OwnersService;
}

/** Wires the assignment feature (kept here so that app.ts needs only a few lines). */
export const createAssignmentFeature = (deps: { repos: Repositories; transaction: Transactor; matrix?: MatrixProvider; solve?: Solver; now?: () => Date }): AssignmentFeature => {
  const tasks = new TasksService({ assignment: deps.repos.assignment, tours: deps.repos.tours, orgs: deps.repos.orgs, ...(deps.now ? { now: deps.now } : {}) });
  const opts = { ...(deps.matrix ? { matrix: deps.matrix } : {}) };
  const auto = new AutoAssignService({ assignment: deps.repos.assignment, tours: deps.repos.tours, territories: deps.repos.territories, tasks, transaction: deps.transaction, ...opts, ...(deps.solve ? { solve: deps.solve } : {}) });
  const owners = new OwnersService({ assignment: deps.repos.assignment, territories: deps.repos.territories, transaction: deps.transaction, ...opts });
  return { tasks, auto, owners };
};
