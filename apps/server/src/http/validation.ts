import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const make = (coerce: boolean) => {
  const options: Options = { removeAdditional: false, useDefaults: true, allErrors: false, coerceTypes: coerce ? 'array' : false, strict: false };
  const ajv = new Ajv(options);
  addFormats.default(ajv);
  return ajv;
};

/**
 * Bodies are validated as sent: a number is not a string, and unknown fields are refused.
 * Query strings and path parameters are text by nature, so they are coerced to the schema's types.
 */
export const registerValidation = (app: FastifyInstance): void => {
  const strict = make(false);
  const coercing = make(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
};
