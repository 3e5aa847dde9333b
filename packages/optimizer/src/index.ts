export * from './types.ts';
export { solve } from './solve.ts';
export { solveInWorker } from './solve-in-worker.ts';
export { validateProblem } from './validate.ts';
export { fromVroom, toVroom, type VroomRoute, type VroomSolution, type VroomStep } from './vroom.ts';
export { checkSolution, type CheckResult } from './check/index.ts';
