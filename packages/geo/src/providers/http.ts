import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '@geocrm/domain';

/**
 * Spaces the start of calls at least `1 / ratePerSecond` apart, in arrival order, across every
 * concurrent caller (a token bucket of capacity one). `pause(ms)` holds everyone back, e.g. after a 429.
 */
export interface RateLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
  pause(ms: number): void;
}

/** A rate of 0, a negative or non-finite rate means no limit. */
export const createRateLimiter = (ratePerSecond: number, now: () => number = () => performance.now()): RateLimiter => {
  const interval = Number.isFinite(ratePerSecond) && ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
  let nextSlot = Number.NEGATIVE_INFINITY;
  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const t = now();
      const at = Math.max(t, nextSlot);
      nextSlot = at + interval;
      if (at > t) await delay(at - t, undefined, signal ? { signal } : {});
      // a timer that fired late (busy event loop) must not bring the next request closer than the interval
      const fired = now();
      if (fired + interval > nextSlot) nextSlot = fired + interval;
    },
    pause(ms) {
      nextSlot = Math.max(nextSlot, now() + ms);
    },
  };
};

export interface HttpClientOptions {
  /** Provider name, for error details. */
  readonly provider: string;
  /** Root of the API, with or without a path (`https://data.geopf.fr/geocodage`). */
  readonly baseUrl: string;
  /** Sent as `User-Agent` when non-empty. */
  readonly userAgent?: string;
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number;
  /** Attempts after the first on 429, 5xx, timeouts and network errors. Default 2. */
  readonly retries?: number;
  /** First backoff; doubles each retry, with jitter (×0.5–1). Default 500 ms. */
  readonly backoffMs?: number;
  /** Default 8 s. */
  readonly maxBackoffMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails at once. Default 30 s. */
  readonly maxRetryAfterMs?: number;
  /** Requests per second across all calls of this client; 0 = unlimited. */
  readonly ratePerSecond?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** For tests: the jitter source. */
  readonly random?: () => number;
}

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

export interface HttpJsonClient {
  readonly baseUrl: string;
  readonly limiter: RateLimiter;
  /** GET `path` (relative to the base URL) with `params`; resolves to the parsed JSON body. */
  getJson(path: string, params: QueryParams, signal?: AbortSignal): Promise<unknown>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export const parseRetryAfter = (value: string | null, nowMs: number = Date.now()): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
};

export const buildUrl = (baseUrl: string, path: string, params: QueryParams): URL => {
  const url = new URL(path.replace(/^\/+/, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  return url;
};

type Failure = { readonly kind: 'timeout' | 'network'; readonly cause: unknown } | { readonly kind: 'status'; readonly status: number; readonly retryAfterMs: number | undefined };

const failureError = (provider: string, failure: Failure, attempts: number): AppError => {
  if (failure.kind === 'status' && failure.status === 429) {
    return new AppError('RATE_LIMITED', 'The geocoding service is rate limiting us; try again later', {
      details: { provider, status: 429, attempts, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) },
    });
  }
  const message = failure.kind === 'timeout' ? 'The geocoding service did not answer in time' : 'The geocoding service is unavailable';
  return new AppError('UNAVAILABLE', message, {
    details: {
      provider,
      reason: failure.kind,
      attempts,
      ...(failure.kind === 'status' ? { status: failure.status, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) } : {}),
    },
    ...(failure.kind === 'status' ? {} : { cause: failure.cause }),
  });
};

/**
 * A JSON-over-HTTP client with what a public geocoder requires: a User-Agent, a per-attempt
 * timeout, retries with exponential backoff and jitter on 429 / 5xx / timeouts / network errors
 * (honouring Retry-After), and a rate limit shared by all concurrent calls (retries included).
 */
export const createHttpJsonClient = (options: HttpClientOptions): HttpJsonClient => {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = Math.max(0, options.retries ?? 2);
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 8000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const random = options.random ?? Math.random;
  const limiter = createRateLimiter(options.ratePerSecond ?? 0);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.userAgent) headers['user-agent'] = options.userAgent;
  const backoff = (attempt: number): number => Math.min(maxBackoffMs, backoffMs * 2 ** attempt) * (0.5 + 0.5 * random());

  const getJson = async (path: string, params: QueryParams, signal?: AbortSignal): Promise<unknown> => {
    const url = buildUrl(options.baseUrl, path, params);
    let failure: Failure = { kind: 'network', cause: undefined };
    let attempts = 0;
    for (let attempt = 0; attempt <= retries; attempt++) {
      await limiter.acquire(signal);
      attempts++;
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: combined });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failure = { kind: timeout.aborted ? 'timeout' : 'network', cause: error };
        if (attempt < retries) await delay(backoff(attempt), undefined, signal ? { signal } : {});
        continue;
      }
      if (response.ok) {
        try {
          return await response.json();
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          if (timeout.aborted) {
            failure = { kind: 'timeout', cause: error };
            continue;
          }
          throw new AppError('UNAVAILABLE', 'The geocoding service sent an unreadable answer', { details: { provider: options.provider, reason: 'invalid-json' }, cause: error });
        }
      }
      await response.body?.cancel().catch(() => undefined);
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      if (!RETRYABLE_STATUS.has(response.status)) {
        if (response.status === 400 || response.status === 422) {
          throw new AppError('VALIDATION', 'The geocoding service rejected this address', { details: { provider: options.provider, status: response.status } });
        }
        throw new AppError('UNAVAILABLE', 'The geocoding service is unavailable', { details: { provider: options.provider, reason: 'status', status: response.status } });
      }
      failure = { kind: 'status', status: response.status, retryAfterMs };
      if (response.status === 429) limiter.pause(retryAfterMs ?? backoff(attempt));
      if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) break;
      if (attempt < retries) await delay(Math.max(retryAfterMs ?? 0, backoff(attempt)), undefined, signal ? { signal } : {});
    }
    throw failureError(options.provider, failure, attempts);
  };

  return { baseUrl: options.baseUrl, limiter, getJson };
};
