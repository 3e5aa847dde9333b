/** Worker-thread entry: solves one problem sent by `solveInWorker`. */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '@geocrm/domain';
import { solveWithStop } from './solve.ts';
import type { Problem, SolveOptions } from './types.ts';

interface Request {
  readonly problem: Problem;
  readonly options: Omit<SolveOptions, 'signal'>;
  readonly stop: SharedArrayBuffer;
}

parentPort?.once('message', (req: Request) => {
  const flag = new Int32Array(req.stop);
  try {
    const solution = solveWithStop(req.problem, req.options, () => Atomics.load(flag, 0) !== 0);
    parentPort?.postMessage({ ok: true, solution });
  } catch (e) {
    const error = isAppError(e)
      ? { code: e.code, message: e.message, details: e.details }
      : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), details: undefined };
    parentPort?.postMessage({ ok: false, error });
  }
});
