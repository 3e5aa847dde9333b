import type { ErrorBody } from './types.ts';

/** An error answered by the API: `message` is written for the user. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called on any 401 except on the login call itself (the app redirects to /login). */
export const onUnauthorized = (listener: UnauthorizedListener): (() => void) => {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
};

export type QueryValue = string | number | readonly string[] | undefined | null;

/** Builds `?a=1&b=x,y` leaving out empty values; lists are comma-separated as the API expects. */
export const toQueryString = (params: Record<string, QueryValue>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};

const isErrorBody = (value: unknown): value is ErrorBody =>
  typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';

interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  /** A file sent as is (uploads), with its content type. */
  readonly file?: { readonly data: Blob; readonly type: string };
  readonly signal?: AbortSignal | undefined;
  /** Do not broadcast a 401 (the login form handles it itself). */
  readonly quiet401?: boolean;
}

/** Calls `/api/v1${path}` with the session cookie; throws ApiError on any non-2xx answer. */
export const api = async <T>(path: string, options: RequestOptions = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method: options.method ?? 'GET', credentials: 'same-origin', headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  } else if (options.file) {
    headers['content-type'] = options.file.type;
    init.body = options.file.data;
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'UNAVAILABLE', message: 'The server cannot be reached. Check your connection.' });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) {
      for (const listener of unauthorizedListeners) listener();
    }
    const body: ErrorBody = isErrorBody(payload)
      ? payload
      : { code: 'INTERNAL', message: `The server answered ${response.status} ${response.statusText}`.trim() };
    throw new ApiError(response.status, body);
  }
  return payload as T;
};

/** A message for the user from anything thrown. */
export const errorMessage = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
};

/**
 * Field errors from a validation error's `details`, keyed by field path (e.g. `email`, `address.postcode`).
 * Accepts the shapes a server may use: `{ fields: { name: msg } }`, `{ errors: [{ path|instancePath, message }] }`,
 * `{ field, ... }` or a flat `{ name: msg }`.
 */
export const fieldErrors = (error: unknown): Record<string, string> => {
  if (!(error instanceof ApiError) || !error.details) return {};
  const details = error.details;
  const out: Record<string, string> = {};
  const normalise = (path: string): string => path.replace(/^\/?(body\/?)?/, '').replace(/^\./, '').replaceAll('/', '.');
  const fields = details['fields'];
  if (fields && typeof fields === 'object') {
    for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
      if (typeof value === 'string') out[normalise(key)] = value;
    }
  }
  const errors = details['errors'] ?? details['issues'];
  if (Array.isArray(errors)) {
    for (const item of errors as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const record = item as Record<string, unknown>;
      const rawPath = record['path'] ?? record['instancePath'] ?? record['field'];
      const path = Array.isArray(rawPath) ? rawPath.join('.') : typeof rawPath === 'string' ? rawPath : '';
      const message = typeof record['message'] === 'string' ? record['message'] : 'Invalid value';
      const key = normalise(path) || '_';
      // Keep the first (most specific) message: AJV adds 'must match a schema in anyOf' after it.
      out[key] ??= message;
    }
  }
  if (typeof details['field'] === 'string') out[normalise(details['field'])] = error.message;
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string' && !['field', 'code'].includes(key) && !(key in out)) out[normalise(key)] = value;
  }
  return out;
};
