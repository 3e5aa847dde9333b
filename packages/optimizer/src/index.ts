export * from './types.ts';
export { solve } from './solve.ts';
export { validateProblem } from './validate.ts';
export { checkSolution, type CheckResult } from './check/index.ts';
