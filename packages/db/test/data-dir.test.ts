import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '@geocrm/domain';
import { createDb } from '../src/create-db.ts';
import { lockDataDir } from '../src/data-dir.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'geocrm-datadir-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs a child Node process that holds the lock on `dir` until killed. */
const holdLockInChild = (dir: string) =>
  new Promise<{ kill: () => void; pid: number }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `import('${join(import.meta.dirname, '../src/data-dir.ts')}').then(m => { m.lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000); })`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve({ kill: () => child.kill('SIGKILL'), pid: child.pid ?? 0 });
    });
    child.on('error', reject);
  });

describe('data folder', () => {
  it('a second process on the same folder fails at once with a clear message; a dead holder’s lock is taken over', async () => {
    const dir = tempDir();
    const holder = await holdLockInChild(dir);
    let error: unknown;
    try {
      lockDataDir(dir);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code === 'UNAVAILABLE').toBe(true);
    expect(String((error as Error).message)).toContain(`in use by another GeoCRM process (pid ${holder.pid})`);
    holder.kill();
    await new Promise((r) => setTimeout(r, 300));
    const release = lockDataDir(dir);
    release();
    expect(existsSync(join(dir, 'geocrm.lock'))).toBe(false);
  });

  it('recovers from an interrupted first start and reopens what it created', async () => {
    const dir = tempDir();
    // what a first start killed during initdb leaves behind
    mkdirSync(join(dir, 'pgdata.initializing-4242', 'base'), { recursive: true });
    writeFileSync(join(dir, 'pgdata.initializing-4242', 'PG_VERSION'), 'garbage');
    const first = await createDb({ dataDir: dir });
    await first.db.schema.createTable('probe').addColumn('v', 'text').execute();
    await first.db.insertInto('probe' as never).values({ v: 'kept' }).execute();
    await first.close();
    expect(existsSync(join(dir, 'pgdata.initializing-4242'))).toBe(false);
    expect(existsSync(join(dir, 'geocrm.lock'))).toBe(false);
    const second = await createDb({ dataDir: dir });
    const rows = await second.db.selectFrom('probe' as never).selectAll().execute();
    expect(rows).toEqual([{ v: 'kept' }]);
    await second.close();
  });
});
