import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AddressGeocoder } from '../accounts/accounts.service.ts';

type Address = Parameters<AddressGeocoder>[0];
export type Placement = ReturnType<AddressGeocoder>;

interface Pending {
  readonly resolve: (results: Placement[]) => void;
  readonly addresses: Address[];
}

/**
 * Geocodes many addresses with the gazetteer on worker threads, so that an import geocodes the next
 * batch while the database writes the current one. Where workers cannot start (a test runner
 * without the TypeScript loader), or when one fails, it geocodes on the calling thread with the
 * same function: results are the same either way.
 */
export class GeocodePool {
  readonly #inline: AddressGeocoder;
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #broken = false;

  readonly #workerUrl: URL | undefined;
  readonly #count: number;

  /** Workers start at the first call (an app that never imports never loads them). */
  constructor(inline: AddressGeocoder, options: { workers?: number; workerUrl?: URL } = {}) {
    this.#inline = inline;
    this.#workerUrl = options.workerUrl;
    this.#count = options.workers ?? Math.max(1, Math.min(2, availableParallelism()));
    if (!this.#workerUrl || this.#count === 0) this.#broken = true;
  }

  #spawn(url: URL): void {
    try {
      for (let i = 0; i < this.#count; i++) {
        const worker = new Worker(url);
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

  /** A worker failed: everything waiting and everything to come is geocoded on this thread. */
  #fallBack(): void {
    if (this.#broken && this.#pending.size === 0) return;
    this.#broken = true;
    for (const worker of this.#workers) void worker.terminate();
    this.#workers.length = 0;
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of waiting) p.resolve(p.addresses.map((a) => this.#inline(a)));
  }

  /** Geocodes addresses in order; null where an address cannot be placed with confidence. */
  geocodeMany(addresses: readonly Address[]): Promise<Placement[]> {
    if (!this.#broken && this.#workers.length === 0 && this.#workerUrl) this.#spawn(this.#workerUrl);
    if (this.#broken || this.#workers.length === 0 || addresses.length === 0) return Promise.resolve(addresses.map((a) => this.#inline(a)));
    const size = Math.ceil(addresses.length / this.#workers.length);
    const parts = this.#workers.map((worker, i) => {
      const slice = addresses.slice(i * size, (i + 1) * size);
      if (slice.length === 0) return Promise.resolve([]);
      const id = this.#next++;
      return new Promise<Placement[]>((resolve) => {
        this.#pending.set(id, { resolve, addresses: slice });
        worker.postMessage({ id, addresses: slice });
      });
    });
    return Promise.all(parts).then((results) => results.flat());
  }

  async close(): Promise<void> {
    this.#broken = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#workers.length = 0;
  }
}
