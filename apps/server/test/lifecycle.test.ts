import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createRepositories, migrateToLatest } from '@geocrm/db';
import { hashPassword } from '../src/features/auth/password.ts';

/**
 * The embedded database's duties, proven on the real server process: a lock on the data folder,
 * clean close on SIGTERM, and no acknowledged write lost when the process is killed with SIGKILL.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = join(ROOT, 'apps/server/src/main.ts');
const EMAIL = 'admin@lifecycle.test';
const PASSWORD = 'lifecycle-password';

let dataDir: string;
const children: ChildProcess[] = [];

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  exited: Promise<number | null>;
}

const env = (): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn' };
  delete e['DATABASE_URL'];
  return e;
};

const spawnServer = (): { child: ChildProcess; output: () => string; exited: Promise<number | null> } => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
};

const startServer = async (): Promise<Server> => {
  const s = spawnServer();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const match = /running at (http:\/\/localhost:\d+)/.exec(s.output());
    if (match?.[1]) return { ...s, url: match[1].replace('localhost', '127.0.0.1') };
    if (s.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const login = async (url: string): Promise<string> => {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'geocrm-lifecycle-'));
  const handle = await createDb({ dataDir });
  await migrateToLatest(handle.db);
  const repos = createRepositories(handle.db);
  const org = await repos.orgs.create('Lifecycle');
  await repos.users.insert({ orgId: org.id, email: EMAIL, name: 'Admin', role: 'admin', passwordHash: await hashPassword(PASSWORD) });
  await handle.close();
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('server lifecycle on the embedded database', () => {
  it('refuses a second process on the same data folder, keeps every acknowledged write through SIGKILL, and closes cleanly on SIGTERM', async () => {
    const first = await startServer();

    // A second process on the same folder stops at once with a clear message.
    const second = spawnServer();
    const code = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toContain('is in use by another GeoCRM process');

    // Writes in flight, four at a time; the process is killed without warning.
    const cookie = await login(first.url);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${first.url}/api/v1/accounts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ kind: 'client', name: `Write ${w}-${i}`, location: { lng: 2 + w / 10, lat: 46 + i / 1000 }, contacts: [{ lastName: `C${i}` }] }),
          });
          if (res.status === 201) acknowledged.push((await res.json() as { id: string }).id);
        } catch {
          return; // connection cut by the kill: not acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(writers);
    expect(existsSync(join(dataDir, 'geocrm.lock'))).toBe(true); // left behind by the killed process

    // The next start works (stale lock taken over, database recovered) and every acknowledged write is there.
    const third = await startServer();
    const cookie3 = await login(third.url);
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await fetch(`${third.url}/api/v1/accounts?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { cookie: cookie3 } });
      const page = (await res.json()) as { items: { id: string; name: string }[]; nextCursor: string | null };
      page.items.forEach((a) => ids.add(a.id));
      cursor = page.nextCursor;
    } while (cursor);
    const missing = acknowledged.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    // every account landed whole, with its contact
    const sample = acknowledged.at(-1) ?? '';
    const detail = (await (await fetch(`${third.url}/api/v1/accounts/${sample}`, { headers: { cookie: cookie3 } })).json()) as { contacts: unknown[] };
    expect(detail.contacts).toHaveLength(1);

    // SIGTERM: clean close, lock released.
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(third.output()).toContain('closed cleanly');
    expect(existsSync(join(dataDir, 'geocrm.lock'))).toBe(false);

    // npm run backup writes a SQL dump of the stopped database.
    const backupFile = join(dataDir, 'manual.sql');
    const backup = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/server/src/cli/backup.ts'), backupFile], { cwd: ROOT, env: env(), stdio: 'ignore' });
    expect(await new Promise((r) => backup.on('exit', r))).toBe(0);
    const dump = readFileSync(backupFile, 'utf8');
    expect(dump.startsWith('-- GeoCRM SQL dump')).toBe(true);
    expect(dump).toContain(acknowledged[0]);
  }, 300_000);
});
