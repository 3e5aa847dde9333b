import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type AppErrorCode } from '@geocrm/domain';
import type { Problem, Solution, SolveOptions } from './types.ts';

type Reply = { ok: true; solution: Solution } | { ok: false; error: { code: AppErrorCode; message: string; details: Record<string, unknown> | undefined } };

/**
 * The worker runs TypeScript from source: a tiny eval'd bootstrap registers tsx, then imports
 * worker.ts. (`execArgv: ['--import', 'tsx']` does not apply tsx's hooks to a worker's entry on
 * Node 20, so the bootstrap does it explicitly.)
 */
const bootstrap = (): string => {
  // the ESM build of tsx/esm/api sits next to the CommonJS one that require.resolve finds
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
};

/**
 * Solves in a worker thread so that the caller's event loop stays free. Aborting
 * `options.signal` makes the worker return its best solution so far.
 */
export const solveInWorker = (problem: Problem, options: SolveOptions = {}): Promise<Solution> =>
  new Promise<Solution>((resolvePromise, reject) => {
    const stop = new SharedArrayBuffer(4);
    const flag = new Int32Array(stop);
    const worker = new Worker(bootstrap(), { eval: true, execArgv: [] });
    const onAbort = (): void => {
      Atomics.store(flag, 0, 1);
    };
    const { signal, ...rest } = options;
    if (signal?.aborted === true) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const done = (): void => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
    };
    worker.once('message', (reply: Reply) => {
      done();
      if (reply.ok) resolvePromise(reply.solution);
      else reject(new AppError(reply.error.code, reply.error.message, reply.error.details === undefined ? {} : { details: reply.error.details }));
    });
    worker.once('error', (e) => {
      if (settled) return;
      done();
      reject(e);
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new AppError('INTERNAL', `optimizer worker exited with code ${code}`));
    });
    worker.postMessage({ problem, options: rest, stop });
  });
