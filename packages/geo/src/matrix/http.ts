import { AppError } from '@geocrm/domain';

/** Options shared by the routing-engine providers. */
export interface HttpProviderOptions {
  /** Engine root, e.g. `http://osrm:5000` (a trailing slash is ignored). */
  readonly baseUrl: string;
  /** Per attempt, headers and body included. Default 30,000 ms. */
  readonly timeoutMs?: number;
  /** Extra attempts after a network error, a timeout, HTTP 408, 429 or 5xx. Default 2. */
  readonly retries?: number;
  /** First retry delay; doubles on each retry (a `Retry-After` header wins, capped at 30 s). Default 500 ms. */
  readonly retryDelayMs?: number;
  /** Blocks requested at the same time. Default 2. */
  readonly concurrency?: number;
  /** Extra request headers (an API key for a hosted engine…). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Defaults to the global fetch (Node ≥ 20). */
  readonly fetch?: typeof fetch;
}

export interface ResolvedHttpOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly concurrency: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: typeof fetch;
}

const invalid = (provider: string, message: string, details: Record<string, unknown>): AppError =>
  new AppError('VALIDATION', `${provider}: ${message}`, { details: { provider, ...details } });

const isInt = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;

/** @throws AppError VALIDATION on a bad URL or meaningless numbers. */
export const resolveHttpOptions = (provider: string, options: HttpProviderOptions): ResolvedHttpOptions => {
  const { baseUrl, timeoutMs = 30_000, retries = 2, retryDelayMs = 500, concurrency = 2, headers = {} } = options;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new AppError('VALIDATION', `${provider}: baseUrl is not a URL`, { details: { provider, baseUrl }, cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(provider, 'baseUrl must be http(s)', { baseUrl });
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw invalid(provider, 'timeoutMs must be a positive number', { timeoutMs });
  if (!isInt(retries, 0) || retries > 10) throw invalid(provider, 'retries must be an integer from 0 to 10', { retries });
  if (!(retryDelayMs >= 0) || !Number.isFinite(retryDelayMs)) throw invalid(provider, 'retryDelayMs must be ≥ 0', { retryDelayMs });
  if (!isInt(concurrency, 1) || concurrency > 32) throw invalid(provider, 'concurrency must be an integer from 1 to 32', { concurrency });
  return { baseUrl: baseUrl.replace(/\/+$/, ''), timeoutMs, retries, retryDelayMs, concurrency, headers, fetch: options.fetch ?? fetch };
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_RETRY_AFTER_MS = 30_000;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const retryAfterMs = (header: string | null): number | undefined => {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - Date.now()), MAX_RETRY_AFTER_MS);
};

/** A final (non-retried) HTTP answer: 2xx, or an error status the engine explains in its body. */
export interface HttpAnswer {
  readonly status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  readonly body: unknown;
}

const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One HTTP request with a per-attempt timeout and exponential backoff on network errors,
 * timeouts, 408, 429 and 5xx. Other statuses are returned for the caller to interpret.
 * @throws the signal's reason when `signal` aborts; AppError UNAVAILABLE when every attempt failed.
 */
export const requestWithRetries = async (
  provider: string,
  http: ResolvedHttpOptions,
  url: string,
  init: { readonly method: 'GET' | 'POST'; readonly body?: string },
  signal?: AbortSignal,
): Promise<HttpAnswer> => {
  const attempts = http.retries + 1;
  let lastProblem = '';
  let lastStatus: number | undefined;
  let lastCause: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(http.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let delay = http.retryDelayMs * 2 ** attempt;
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...http.headers };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const response = await http.fetch(url, { method: init.method, headers, body: init.body ?? null, signal: combined });
      const text = await response.text();
      if (!RETRYABLE_STATUS.has(response.status)) return { status: response.status, body: parseBody(text) };
      lastStatus = response.status;
      lastProblem = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      lastCause = undefined;
      delay = retryAfterMs(response.headers.get('retry-after')) ?? delay;
    } catch (error) {
      signal?.throwIfAborted();
      lastStatus = undefined;
      lastCause = error;
      lastProblem = timeout.aborted ? `no answer within ${http.timeoutMs} ms` : `network error: ${describe(error)}`;
    }
    if (attempt < attempts - 1) await sleep(delay, signal);
  }
  throw new AppError('UNAVAILABLE', `${provider} travel matrix unavailable after ${attempts} attempt(s): ${lastProblem}`, {
    details: { provider, attempts, ...(lastStatus === undefined ? {} : { status: lastStatus }) },
    cause: lastCause,
  });
};

/**
 * Runs tasks with at most `concurrency` at once, in order of the list. On the first failure the
 * others are aborted (through the signal they receive) and that failure is thrown.
 */
export const runPool = async <T>(
  tasks: readonly ((signal: AbortSignal) => Promise<T>)[],
  concurrency: number,
  signal?: AbortSignal,
): Promise<T[]> => {
  const stop = new AbortController();
  const taskSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (!task) continue;
      try {
        results[index] = await task(taskSignal);
      } catch (error) {
        if (failure === undefined) {
          failure = { error };
          stop.abort(new Error('another block failed'));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
};
