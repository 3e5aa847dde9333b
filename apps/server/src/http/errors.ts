import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, isAppError, type AppErrorCode } from '@geocrm/domain';

const STATUS: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INFEASIBLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION',
  429: 'RATE_LIMITED',
};

/** Fastify's own client errors (bad JSON, body too large, bad content type) in our words. */
const fromFastify = (error: FastifyError): AppError => {
  if (error.validation) {
    return new AppError('VALIDATION', `Invalid request: ${error.message}`, {
      details: {
        issues: error.validation.map((v) => ({
          path: `${error.validationContext ?? ''}${v.instancePath}`,
          message: v.message ?? 'is invalid',
          ...(v.params['additionalProperty'] === undefined ? {} : { field: v.params['additionalProperty'] }),
        })),
      },
    });
  }
  const status = error.statusCode ?? 500;
  const code = CODE_BY_STATUS[status];
  if (!code) return new AppError('INTERNAL', 'Internal error', { cause: error });
  const messages: Partial<Record<string, string>> = {
    FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object',
    FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type; send application/json',
  };
  return new AppError(code, messages[error.code] ?? (status === 429 ? 'Too many requests; try again later' : error.message));
};

/**
 * The one place errors become HTTP responses: `{ code, message, details? }`. Internal errors
 * are logged with their cause and answered with a generic message: no SQL, no stack.
 */
export const registerErrorHandling = (app: FastifyInstance): void => {
  app.setErrorHandler((raw: FastifyError | AppError, request, reply) => {
    const error = isAppError(raw) ? raw : fromFastify(raw);
    const status = STATUS[error.code];
    if (status >= 500) request.log.error({ err: raw }, 'request failed');
    else request.log.info({ code: error.code, msg: error.message }, 'client error');
    const body = status >= 500 && error.code === 'INTERNAL' ? { code: error.code, message: 'Internal error' } : { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
    if (error.code === 'RATE_LIMITED' && isAppError(raw) && typeof raw.details?.['retryAfterSeconds'] === 'number') {
      void reply.header('retry-after', String(raw.details['retryAfterSeconds']));
    }
    return reply.status(status).send(body);
  });
};
