import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Address, Placement } from './apply-batch.ts';

const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });
`;

interface Pending {
  readonly resolve: (results: Placement[] | undefined) => void;
}

/**
 * Places many addresses with the embedded gazetteer on worker threads (the accounts API's own code
 * path, see geocode-worker.ts), so that an import geocodes the next batch while the database writes
 * the current one. Answers undefined where workers cannot start (a test runner without the
 * TypeScript loader) or when one fails: the caller then places the addresses itself.
 */
export class GeocodePool {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #workerUrl: URL | undefined;
  readonly #count: number;
  #next = 0;
  #broken = false;

  /** Workers start at the first call (an app that never imports never loads them). */
  constructor(options: { workers?: number; workerUrl?: URL } = {}) {
    this.#workerUrl = options.workerUrl;
    this.#count = options.workers ?? Math.max(1, Math.min(2, availableParallelism()));
    if (!this.#workerUrl || this.#count === 0) this.#broken = true;
  }

  #spawn(url: URL): void {
    try {
      // The server runs TypeScript through tsx, whose loader a worker thread does not inherit: a
      // small bootstrap registers it in the worker, then loads the worker module.
      const workerData = { tsx: import.meta.resolve('tsx/esm/api'), entry: url.href };
      for (let i = 0; i < this.#count; i++) {
        const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
        worker.unref();
        worker.on('message', (message: { id: number; results: Placement[] }) => {
          const pending = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          pending?.resolve(message.results);
        });
        worker.on('error', () => this.#fallBack());
        worker.on('exit', (code) => {
          if (code !== 0) this.#fallBack();
        });
        this.#workers.push(worker);
      }
    } catch {
      this.#fallBack();
    }
  }

  /** A worker failed: everything waiting gets undefined (the caller places it), and so will everything to come. */
  #fallBack(): void {
    this.#broken = true;
    for (const worker of this.#workers) void worker.terminate();
    this.#workers.length = 0;
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of waiting) p.resolve(undefined);
  }

  /** Places addresses in order (null where an address cannot be placed), or undefined without workers. */
  async geocodeMany(addresses: readonly Address[]): Promise<Placement[] | undefined> {
    if (!this.#broken && this.#workers.length === 0 && this.#workerUrl) this.#spawn(this.#workerUrl);
    if (this.#broken || this.#workers.length === 0) return undefined;
    if (addresses.length === 0) return [];
    const size = Math.ceil(addresses.length / this.#workers.length);
    const parts = await Promise.all(
      this.#workers.map((worker, i) => {
        const slice = addresses.slice(i * size, (i + 1) * size);
        if (slice.length === 0) return Promise.resolve<Placement[] | undefined>([]);
        const id = this.#next++;
        return new Promise<Placement[] | undefined>((resolve) => {
          this.#pending.set(id, { resolve });
          worker.postMessage({ id, addresses: slice });
        });
      }),
    );
    return parts.some((p) => p === undefined) ? undefined : parts.flatMap((p) => p ?? []);
  }

  async close(): Promise<void> {
    this.#broken = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#workers.length = 0;
  }
}
