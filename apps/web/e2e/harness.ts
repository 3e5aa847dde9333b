import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(WEB_DIR, '../..');
export const SCREENSHOT_DIR = join(WEB_DIR, 'e2e', 'screenshots');
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** From docs/ARCHITECTURE.md: with these MapLibre's WebGL renders in software and screenshots show the map. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
];

export const DEMO_PASSWORD = 'demo-password';
export const MANAGER_EMAIL = 'manager@demo.geocrm.app';

const newestMtime = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
};

/** Builds apps/web/dist when it is missing or older than the sources. */
export const ensureBuilt = async (): Promise<void> => {
  const index = join(WEB_DIR, 'dist', 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => join(WEB_DIR, p)).filter((p) => existsSync(p));
  const sourceTime = Math.max(...sources.map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= sourceTime) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), root: WEB_DIR, logLevel: 'warn' });
};

const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });

export interface RunningServer {
  readonly baseUrl: string;
  readonly stop: () => Promise<void>;
}

const waitForHealth = async (baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) {
        const body = (await response.json()) as { status?: string };
        if (body.status === 'ok') return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The server did not answer /api/health within ${timeoutMs / 1000} s:\n${output()}`);
};

/**
 * Starts the real server (embedded database in a fresh temp dir, demo data seeded on first start).
 * Set GEOCRM_E2E_BASE_URL to test a server that is already running instead.
 */
export const startServer = async (): Promise<RunningServer> => {
  const external = process.env['GEOCRM_E2E_BASE_URL'];
  if (external) return { baseUrl: external.replace(/\/$/, ''), stop: () => Promise.resolve() };

  const main = join(REPO_DIR, 'apps', 'server', 'src', 'main.ts');
  if (!existsSync(main)) throw new Error(`The server entry point ${main} does not exist yet.`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'geocrm-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'test' };
  delete env['DATABASE_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', main], { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, child, () => log, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
};

export const launchBrowser = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (browser tests never download a browser).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
};

/** A fresh browser context at the size the screenshots are taken at. */
export const openPage = async (browser: Browser | undefined, options: { height?: number; acceptDownloads?: boolean } = {}): Promise<Page> => {
  if (!browser) throw new Error('browser not started');
  const context = await browser.newContext({
    viewport: { width: 1400, height: options.height ?? 900 },
    deviceScaleFactor: 1,
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
};

/** Fills and submits the login form (does not wait for what follows). */
export const submitLogin = async (page: Page, baseUrl: string, email: string, password: string): Promise<void> => {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
};

/**
 * The browser and the GeoCRM server of one test file: built, launched and started before its tests,
 * closed after. Fails loudly (never skips) when Chromium is missing: CI installs it.
 */
export const useBrowserSession = (): { baseUrl: () => string; newPage: (options?: { height?: number; acceptDownloads?: boolean }) => Promise<Page> } => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
    await ensureBuilt();
    server = await startServer();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    baseUrl: () => {
      if (!server) throw new Error('server not started');
      return server.baseUrl;
    },
    newPage: (options) => openPage(browser, options),
  };
};
