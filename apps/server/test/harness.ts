import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createRepositories, type DbHandle } from '@geocrm/db';
import { createTestDb } from '@geocrm/db/testing';
import type { Role } from '@geocrm/domain';
import type { GeocoderConfig } from '@geocrm/geo';
import { buildApp, type AppDeps } from '../src/app.ts';
import { hashPassword } from '../src/features/auth/password.ts';

export const PASSWORD = 'correct-horse-battery';

export interface TestUser {
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly role: Role;
}

export interface Harness {
  readonly app: FastifyInstance;
  readonly handle: DbHandle;
  /** Two organisations, each with one user per role: `users.a.admin`, `users.b.rep`… */
  readonly users: Record<'a' | 'b', Record<Role, TestUser>>;
  login(user: TestUser): Promise<string>;
  request(cookie: string | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const ROLES_TO_CREATE: readonly Role[] = ['admin', 'manager', 'rep', 'technician', 'backoffice'];

/** A real app on a fresh real database (PGlite, or DATABASE_URL's server) with two organisations. */
export const startHarness = async (
  options: { loginRateLimit?: number; extend?: (app: FastifyInstance) => void; geocoder?: GeocoderConfig; config?: Partial<Pick<AppDeps['config'], 'dataDir' | 'mail'>> } = {},
): Promise<Harness> => {
  const handle = await createTestDb();
  const repos = createRepositories(handle.db);
  const hash = await hashPassword(PASSWORD);
  const users = { a: {}, b: {} } as Record<'a' | 'b', Record<Role, TestUser>>;
  for (const key of ['a', 'b'] as const) {
    const org = await repos.orgs.create(`Org ${key.toUpperCase()}`);
    for (const role of ROLES_TO_CREATE) {
      const email = `${role}@${key}.test`;
      const u = await repos.users.insert({ orgId: org.id, email, name: `${role} ${key}`, role, passwordHash: hash });
      users[key][role] = { id: u.id, orgId: org.id, email, role };
    }
  }
  const app = await buildApp({
    handle,
    logger: false,
    config: { cookieSecure: false, sessionDays: 30, loginRateLimit: options.loginRateLimit ?? 10_000, logLevel: 'silent', webDist: '/nonexistent', ...(options.geocoder ? { geocoder: options.geocoder } : {}), ...options.config },
  });
  options.extend?.(app);
  await app.ready();
  const cookies = new Map<string, string>();
  return {
    app,
    handle,
    users,
    async login(user) {
      const cached = cookies.get(user.email);
      if (cached) return cached;
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login failed for ${user.email}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'geocrm_session');
      if (!cookie) throw new Error('no session cookie');
      const header = `geocrm_session=${cookie.value}`;
      cookies.set(user.email, header);
      return header;
    },
    request(cookie, opts) {
      return app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(cookie ? { cookie } : {}) } });
    },
    async close() {
      await app.close();
      await handle.close();
    },
  };
};
