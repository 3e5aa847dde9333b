/** The closed set of error codes any layer may raise. Only the server maps them to HTTP. */
export const APP_ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'INFEASIBLE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export interface AppErrorOptions {
  /** Structured details safe to show a client (e.g. which field failed). */
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
}

/**
 * The one error type of GeoCRM. `message` is written for the user and is sent to clients;
 * anything internal goes in `cause`, which is logged and never sent.
 *
 * @example
 * throw new AppError('NOT_FOUND', 'Account not found');
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }
}

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;
