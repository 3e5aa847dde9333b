import { resolve } from 'node:path';
import { AppError } from '@geocrm/domain';
import { geocoderConfigFromEnv, matrixProviderConfigFromEnv, type GeocoderConfig, type MatrixProviderConfig } from '@geocrm/geo';

/** Everything the server reads from the environment. The only reader of `process.env`. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** Set the Secure flag on the session cookie (behind HTTPS). */
  readonly cookieSecure: boolean;
  readonly sessionDays: number;
  /** Login attempts allowed per client address per minute. */
  readonly loginRateLimit: number;
  readonly logLevel: string;
  /** Create the demo organisation on an empty database. */
  readonly seedDemo: boolean;
  /** Built web app to serve, if present. */
  readonly webDist: string;
  /** GEOCODER (embedded | nominatim | photon | ban | pelias) and its GEOCODER_* settings. */
  readonly geocoder: GeocoderConfig;
  /** MATRIX_PROVIDER (estimated | osrm | valhalla) and OSRM_* / VALHALLA_* / MATRIX_*: travel times for tours. */
  readonly matrix: MatrixProviderConfig;
  /** SMTP_URL (smtp:// or smtps://; unset: `.eml` files in DATA_DIR/outbox) and MAIL_FROM. */
  readonly mail: MailConfig;
}

export interface MailConfig {
  readonly smtpUrl: string | undefined;
  readonly from: string;
}

/** SMTP_URL must be a parseable smtp:// or smtps:// URL with a host: a typo fails at startup, not at the first send. */
export const mailConfigFromEnv = (env: NodeJS.ProcessEnv): MailConfig => {
  const raw = env['SMTP_URL'] || undefined;
  if (raw !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || !['smtp:', 'smtps:'].includes(url.protocol) || url.hostname === '') {
      throw new AppError('VALIDATION', `SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465, got "${raw.replace(/\/\/[^@/]*@/, '//***@')}"`);
    }
  }
  return { smtpUrl: raw, from: env['MAIL_FROM'] || 'GeoCRM <no-reply@geocrm.local>' };
};

const int = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AppError('VALIDATION', `${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
};

const bool = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new AppError('VALIDATION', `${name} must be true or false, got "${raw}"`);
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config => ({
  port: int(env, 'PORT', 3000, 0, 65535),
  host: env['HOST'] ?? '0.0.0.0',
  dataDir: resolve(cwd, env['DATA_DIR'] ?? 'data'),
  databaseUrl: env['DATABASE_URL'] || undefined,
  cookieSecure: bool(env, 'COOKIE_SECURE', false),
  sessionDays: int(env, 'SESSION_DAYS', 30, 1, 365),
  loginRateLimit: int(env, 'LOGIN_RATE_LIMIT', 10, 1, 100_000),
  logLevel: env['LOG_LEVEL'] ?? 'info',
  seedDemo: bool(env, 'SEED_DEMO', true),
  webDist: resolve(import.meta.dirname, '../../web/dist'),
  geocoder: geocoderConfigFromEnv(env),
  matrix: matrixProviderConfigFromEnv(env),
  mail: mailConfigFromEnv(env),
});
