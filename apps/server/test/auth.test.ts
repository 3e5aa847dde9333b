import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ loginRateLimit: 5 });
});
afterAll(async () => h.close());

describe('auth', () => {
  it('logs in with an httpOnly SameSite cookie, answers /me, and logs out', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'Manager@A.test', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: 'manager@a.test', role: 'manager' }, org: { name: 'Org A' } });
    expect(JSON.stringify(res.json())).not.toContain('password');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = `geocrm_session=${res.cookies[0]?.value ?? ''}`;
    const me = await h.request(cookie, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ user: { email: string } }>().user.email).toBe('manager@a.test');
    expect((await h.request(cookie, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await h.request(cookie, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('refuses a wrong password or an unknown e-mail with the same 401', async () => {
    const wrong = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'rep@a.test', password: 'nope-nope-nope' }, remoteAddress: '10.0.0.2' });
    const unknown = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ghost@a.test', password: 'nope-nope-nope' }, remoteAddress: '10.0.0.2' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong e-mail or password' });
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('rate-limits login attempts per client address', async () => {
    const attempt = () => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'rep@a.test', password: 'guess-guess-1' }, remoteAddress: '10.9.9.9' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json<{ code: string }>().code).toBe('RATE_LIMITED');
    // even the right password waits
    const right = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'rep@a.test', password: PASSWORD }, remoteAddress: '10.9.9.9' });
    expect(right.statusCode).toBe(429);
  });

  it('answers 401 to every API route without a session', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/v1/auth/me'],
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users'],
      ['GET', '/api/v1/accounts'],
      ['GET', '/api/v1/accounts/map'],
      ['GET', '/api/v1/accounts/tags'],
      ['POST', '/api/v1/accounts'],
      ['GET', `/api/v1/accounts/${h.users.a.rep.id}`],
      ['GET', '/api/v1/geo/boundaries/fr-regions'],
    ];
    for (const [method, url] of routes) {
      const res = await h.app.inject({ method: method as 'GET', url, cookies: { geocrm_session: 'forged-token' }, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json<{ code: string }>().code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves health, the OpenAPI document and the docs page', async () => {
    expect((await h.app.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok' });
    const spec = (await h.app.inject({ url: '/openapi.json' })).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/accounts/', '/api/v1/accounts/{id}', '/api/v1/users/']));
    const docs = await h.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});
