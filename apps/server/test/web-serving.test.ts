import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '@geocrm/db/testing';
import type { DbHandle } from '@geocrm/db';
import { buildApp } from '../src/app.ts';

let app: FastifyInstance;
let handle: DbHandle;
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'geocrm-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>GeoCRM</title>');
  handle = await createTestDb();
  app = await buildApp({ handle, logger: false, config: { cookieSecure: false, sessionDays: 1, loginRateLimit: 10, logLevel: 'silent', webDist: dist } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await handle.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('serves files, falls back to index.html for app routes, and keeps API 404s as JSON', async () => {
    expect((await app.inject({ url: '/' })).body).toContain('<title>GeoCRM</title>');
    const deep = await app.inject({ url: '/accounts/123?x=1' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toMatch(/text\/html/);
    // a file built after start is served without a restart
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'assets', 'app-123.js'), 'console.log(1)');
    const asset = await app.inject({ url: '/assets/app-123.js' });
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.body).toBe('console.log(1)');
    const api = await app.inject({ url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toEqual({ code: 'NOT_FOUND', message: 'No route GET /api/v1/nothing-here' });
  });
});
