import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDetailDto } from '@geocrm/contracts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let accountA: AccountDetailDto;
let repOwned: AccountDetailDto;

beforeAll(async () => {
  h = await startHarness({
    extend: (app) => {
      app.get('/api/test-boom', () => {
        throw new Error('relation "secret_table" does not exist at SELECT password_hash FROM users');
      });
    },
  });
  const manager = await h.login(h.users.a.manager);
  accountA = (await h.request(manager, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'Secret client of A', phone: '01 00 00 00 00', contacts: [{ lastName: 'Dupont' }] } })).json();
  const rep = await h.login(h.users.a.rep);
  repOwned = (await h.request(rep, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'prospect', name: 'Rep prospect' } })).json();
});
afterAll(async () => h.close());

describe('tenancy', () => {
  it('another organisation can neither read nor change an account, even knowing its id: 404 and nothing changed', async () => {
    const intruder = await h.login(h.users.b.admin);
    const id = accountA.id;
    const contactId = accountA.contacts[0]?.id ?? '';
    const attempts = [
      { method: 'GET', url: `/api/v1/accounts/${id}` },
      { method: 'PATCH', url: `/api/v1/accounts/${id}`, payload: { name: 'pwned' } },
      { method: 'DELETE', url: `/api/v1/accounts/${id}` },
      { method: 'POST', url: `/api/v1/accounts/${id}/contacts`, payload: { lastName: 'Intrus' } },
      { method: 'PATCH', url: `/api/v1/accounts/${id}/contacts/${contactId}`, payload: { lastName: 'Intrus' } },
      { method: 'DELETE', url: `/api/v1/accounts/${id}/contacts/${contactId}` },
      { method: 'PATCH', url: `/api/v1/users/${h.users.a.rep.id}`, payload: { role: 'admin' } },
    ] as const;
    for (const attempt of attempts) {
      const res = await h.request(intruder, attempt);
      expect(res.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
      expect(res.json<{ code: string }>().code).toBe('NOT_FOUND');
    }
    const list = (await h.request(intruder, { method: 'GET', url: '/api/v1/accounts?q=Secret' })).json<{ total: number }>();
    expect(list.total).toBe(0);
    const map = (await h.request(intruder, { method: 'GET', url: '/api/v1/accounts/map' })).json<{ total: number }>();
    expect(map.total).toBe(0);
    const users = (await h.request(intruder, { method: 'GET', url: '/api/v1/users' })).json<{ items: { orgId: string }[] }>();
    expect(users.items.every((u) => u.orgId === h.users.b.admin.orgId)).toBe(true);
    // an owner from another organisation cannot be assigned
    const owner = await h.request(intruder, { method: 'POST', url: '/api/v1/accounts', payload: { kind: 'client', name: 'x', ownerId: h.users.a.rep.id } });
    expect(owner.statusCode).toBe(400);

    const manager = await h.login(h.users.a.manager);
    const after = (await h.request(manager, { method: 'GET', url: `/api/v1/accounts/${id}` })).json<AccountDetailDto>();
    expect(after).toEqual(accountA);
    const rep = (await h.request(manager, { method: 'GET', url: `/api/v1/users` })).json<{ items: { id: string; role: string }[] }>();
    expect(rep.items.find((u) => u.id === h.users.a.rep.id)?.role).toBe('rep');
  });
});

describe('roles', () => {
  it('a rep cannot do admin actions (403)', async () => {
    const rep = await h.login(h.users.a.rep);
    const create = await h.request(rep, { method: 'POST', url: '/api/v1/users', payload: { email: 'new@a.test', name: 'New', role: 'admin', password: 'long-enough-pw' } });
    expect(create.statusCode).toBe(403);
    expect(create.json<{ code: string }>().code).toBe('FORBIDDEN');
    const promote = await h.request(rep, { method: 'PATCH', url: `/api/v1/users/${h.users.a.rep.id}`, payload: { role: 'admin' } });
    expect(promote.statusCode).toBe(403);
    expect((await h.request(rep, { method: 'DELETE', url: `/api/v1/accounts/${repOwned.id}` })).statusCode).toBe(403);
    const manager = await h.login(h.users.a.manager);
    expect((await h.request(manager, { method: 'POST', url: '/api/v1/users', payload: { email: 'new@a.test', name: 'New', role: 'rep', password: 'long-enough-pw' } })).statusCode).toBe(403);
  });

  it('a rep reads every account but changes only their own; a manager changes any', async () => {
    const rep = await h.login(h.users.a.rep);
    expect((await h.request(rep, { method: 'GET', url: `/api/v1/accounts/${accountA.id}` })).statusCode).toBe(200);
    expect((await h.request(rep, { method: 'PATCH', url: `/api/v1/accounts/${accountA.id}`, payload: { phone: '02' } })).statusCode).toBe(403);
    expect(repOwned.ownerId).toBe(h.users.a.rep.id);
    expect((await h.request(rep, { method: 'PATCH', url: `/api/v1/accounts/${repOwned.id}`, payload: { phone: '02 11 22 33 44' } })).json<AccountDetailDto>().phone).toBe('02 11 22 33 44');
    expect((await h.request(rep, { method: 'PATCH', url: `/api/v1/accounts/${repOwned.id}`, payload: { ownerId: h.users.a.manager.id } })).statusCode).toBe(403);
    const manager = await h.login(h.users.a.manager);
    expect((await h.request(manager, { method: 'PATCH', url: `/api/v1/accounts/${repOwned.id}`, payload: { ownerId: h.users.a.technician.id } })).json<AccountDetailDto>().ownerId).toBe(h.users.a.technician.id);
  });

  it('an admin manages users: create, log in as them, change role, deactivate (ends sessions), keep one admin', async () => {
    const admin = await h.login(h.users.a.admin);
    const created = await h.request(admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'Newbie@A.test', name: 'Newbie', role: 'rep', password: 'a-long-password' } });
    expect(created.statusCode).toBe(201);
    const newbie = created.json<{ id: string; email: string }>();
    expect(newbie.email).toBe('newbie@a.test');
    expect((await h.request(admin, { method: 'POST', url: '/api/v1/users', payload: { email: 'newbie@a.test', name: 'Again', role: 'rep', password: 'a-long-password' } })).statusCode).toBe(409);
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'newbie@a.test', password: 'a-long-password' } });
    expect(login.statusCode).toBe(200);
    const cookie = `geocrm_session=${login.cookies[0]?.value ?? ''}`;
    expect((await h.request(admin, { method: 'PATCH', url: `/api/v1/users/${newbie.id}`, payload: { role: 'technician' } })).json<{ role: string }>().role).toBe('technician');
    expect((await h.request(admin, { method: 'PATCH', url: `/api/v1/users/${newbie.id}`, payload: { active: false } })).statusCode).toBe(200);
    expect((await h.request(cookie, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'newbie@a.test', password: 'a-long-password' } })).statusCode).toBe(401);
    const demote = await h.request(admin, { method: 'PATCH', url: `/api/v1/users/${h.users.a.admin.id}`, payload: { role: 'manager' } });
    expect(demote.statusCode).toBe(409);
  });
});

describe('errors', () => {
  it('never sends internal error text to a client', async () => {
    const res = await h.app.inject({ url: '/api/test-boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'INTERNAL', message: 'Internal error' });
    expect(res.body).not.toMatch(/secret_table|SELECT|stack|at /);
  });
});
