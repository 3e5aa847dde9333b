import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

/**
 * A Nominatim speaking its real protocol, in this process: a house for most addresses, nothing for
 * one in 25, a 503 for another one in 25. The server under test is started with GEOCODER=nominatim
 * pointing here (the environment is read when it is spawned, after this listens).
 */
let nominatim: Server;
beforeAll(async () => {
  nominatim = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const q = url.searchParams.get('q') ?? '';
    let hash = 0;
    for (const c of q) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    setTimeout(() => {
      if (hash % 25 === 1) {
        response.writeHead(503).end('Service Unavailable');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      if (hash % 25 === 0) {
        response.end('[]');
        return;
      }
      const number = /^(\d+)/.exec(q.trim())?.[1] ?? '1';
      const postcode = /\b(\d{5})\b/.exec(q)?.[1] ?? '';
      response.end(
        JSON.stringify([
          {
            place_id: hash,
            osm_type: 'node',
            osm_id: hash,
            lat: String(43 + (hash % 5000) / 1000),
            lon: String(-1 + (hash % 7000) / 1000),
            category: 'place',
            type: 'house',
            place_rank: 30,
            importance: 0.00001,
            addresstype: 'place',
            name: '',
            display_name: `${q}, France`,
            address: { house_number: number, road: 'Rue', postcode, country: 'France', country_code: 'fr' },
          },
        ]),
      );
    }, 5);
  });
  await new Promise<void>((resolve) => nominatim.listen(0, '127.0.0.1', resolve));
  const port = (nominatim.address() as AddressInfo).port;
  process.env['GEOCODER'] = 'nominatim';
  process.env['GEOCODER_URL'] = `http://127.0.0.1:${port}`;
  process.env['GEOCODER_USER_AGENT'] = 'GeoCRM e2e (geocode jobs)';
  process.env['GEOCODER_RATE_PER_SEC'] = '80';
  process.env['GEOCODER_RETRIES'] = '0';
});
afterAll(async () => {
  await new Promise((resolve) => nominatim.close(resolve));
});

const session = useBrowserSession();

describe('re-geocoding in Chromium', () => {
  it('starts a background job from the Geocoding page, shows its progress, cancels it, runs another to the end with its summary', async () => {
    const page = await session.newPage({ height: 1500 });
    await submitLogin(page, session.baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.goto(`${session.baseUrl()}/geocoding`);
    await page.getByTestId('regeo-card').waitFor();
    // the configured online geocoder is the default choice
    await page.locator('[data-testid="regeo-provider"] option[value="nominatim"]').waitFor({ state: 'attached' });
    await expect(page.getByTestId('regeo-provider').inputValue()).resolves.toBe('nominatim');
    await page.getByTestId('regeo-precision').selectOption('housenumber');

    // the demo's 2,000 accounts are at street level: all of them, at 80 addresses a second
    await page.getByTestId('regeo-start').click();
    await page.locator('[data-testid="regeo-job"][data-status="running"]').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="regeo-progress"]')?.getAttribute('aria-valuenow') ?? 0) >= 3, undefined, { timeout: 30_000 });
    await expect(page.getByTestId('regeo-progress-text').textContent()).resolves.toMatch(/of 2,000 done/);
    await expect(page.getByTestId('regeo-start').isDisabled()).resolves.toBe(true);
    await page.getByTestId('regeo-card').screenshot({ path: join(SCREENSHOT_DIR, 'regeocode-running.png') });

    await page.getByTestId('regeo-cancel').click();
    await page.locator('[data-testid="regeo-job"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
    const cancelledAt = Number((await page.getByTestId('regeo-placed').textContent())?.replace(/\D/g, ''));
    expect(cancelledAt).toBeGreaterThan(0);
    expect(cancelledAt).toBeLessThan(2000);

    // the same scope again: only the accounts still at street level, to the end
    await page.getByTestId('regeo-start').click();
    await page.locator('[data-testid="regeo-job"][data-status="done"]').waitFor({ timeout: 120_000 });
    const text = (await page.getByTestId('regeo-progress-text').textContent()) ?? '';
    const total = Number(/of ([\d,]+) done/.exec(text)?.[1]?.replace(/,/g, ''));
    expect(total).toBe(2000 - cancelledAt);
    await expect(page.getByTestId('regeo-done').textContent()).resolves.toMatch(/Finished/);
    const notFound = Number(await page.getByTestId('regeo-not-found').textContent());
    const failed = Number(await page.getByTestId('regeo-failed').textContent());
    expect(notFound).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
    await page.getByTestId('regeo-problems').waitFor();
    await expect(page.getByTestId('regeo-problems').textContent()).resolves.toMatch(/No confident place|Failed/);
    await expect(page.getByTestId('regeo-by-precision').textContent()).resolves.toMatch(/House number/);
    await page.getByTestId('regeo-card').screenshot({ path: join(SCREENSHOT_DIR, 'regeocode-done.png') });
    await page.close();
  });
});
