import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
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
  // first: the re-geocoding test below moves demo accounts (its fake provider places them elsewhere)
  it('exports exactly what a lasso and a corridor found on the Nearby screen, as CSV and GeoJSON', async () => {
    const page = await session.newPage({ height: 1000, acceptDownloads: true });
    await submitLogin(page, session.baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    const names = async () => page.locator('[data-testid="around-row"] .name-cell a').allTextContents();
    const download = async (testId: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
      return { name: file.suggestedFilename(), text: readFileSync((await file.path()) ?? '', 'utf8') };
    };
    const draw = async (tool: 'lasso' | 'corridor', points: readonly (readonly [number, number])[]) => {
      await page.goto(`${session.baseUrl()}/nearby?tool=${tool}`);
      await page.getByTestId('accounts-map').waitFor();
      await page.waitForFunction(() => Boolean(window.__geocrmMap?.loaded()), undefined, { timeout: 60_000 });
      // over Paris at zoom 9, and still there once the page's own moves (a fit to results) are over
      await page.waitForFunction(
        () => {
          const map = window.__geocrmMap;
          if (!map || map.isMoving()) return false;
          const c = map.getCenter();
          if (Math.abs(c.lng - 2.35) < 1e-3 && Math.abs(c.lat - 48.86) < 1e-3 && Math.abs(map.getZoom() - 9) < 1e-3) return true;
          map.jumpTo({ center: [2.35, 48.86], zoom: 9 });
          return false;
        },
        undefined,
        { timeout: 60_000, polling: 250 },
      );
      const box = await page.getByTestId('accounts-map').boundingBox();
      if (!box) throw new Error('no map');
      for (const [dx, dy] of points) await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
    };

    // the lasso: a square around central Paris
    await draw('lasso', [[-150, -120], [150, -120], [150, 120], [-150, 120]]);
    await page.getByTestId('lasso-finish').click();
    await page.getByTestId('around-heading').waitFor();
    const inArea = await names();
    expect(inArea.length).toBeGreaterThan(0);
    const csv = await download('around-export-csv');
    expect(csv.name).toMatch(/^accounts-area-.*\.csv$/);
    const rows = csv.text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(rows[0]).toMatch(/^External ID,Name,/);
    // the list's names, in the list's order (names are plain in the demo: no comma to quote)
    expect(rows.slice(1).map((r) => r.split(',')[1])).toEqual(inArea);

    // the corridor: a line across Paris, 1 km each side
    await draw('corridor', [[-250, 0], [0, -30], [250, 10]]);
    await page.getByTestId('corridor-width').fill('1');
    await expect(page.getByTestId('corridor-finish').textContent()).resolves.toMatch(/3 points/);
    await page.getByTestId('corridor-finish').click();
    const heading = page.getByTestId('around-heading');
    await heading.waitFor();
    await expect(heading.textContent()).resolves.toMatch(/within 1 km of the line/);
    await page.locator('[data-testid="around-row"]').first().waitFor({ timeout: 30_000 });
    const along = await names();
    expect(along.length).toBeGreaterThan(0);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'nearby-corridor-export.png') });
    const geojson = await download('around-export-geojson');
    expect(geojson.name).toMatch(/^accounts-corridor-.*\.geojson$/);
    const features = (JSON.parse(geojson.text) as { features: { properties: { name: string } }[] }).features;
    expect(features.map((f) => f.properties.name)).toEqual(along);
    await page.close();
  });

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

  it('shows the progress of a large address file while it loads, then the result', async () => {
    const header =
      'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';
    const lines = [header];
    for (let i = 1; i <= 150_000; i++) {
      const street = `Rue numéro ${Math.floor(i / 200)}`;
      lines.push(
        `59350_${String(Math.floor(i / 200)).padStart(4, '0')}_${String(i % 200).padStart(5, '0')};;${i % 200};;${street};59000;59350;Lille;;;0;0;${(3.0 + (i % 997) / 10_000).toFixed(6)};${(50.6 + (i % 991) / 10_000).toFixed(6)};entrée;;;LILLE;${street.toUpperCase()};commune;commune;1;`,
      );
    }
    const page = await session.newPage({ height: 900 });
    await submitLogin(page, session.baseUrl(), 'admin@demo.geocrm.app', DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.goto(`${session.baseUrl()}/geocoding`);
    await page.getByTestId('address-files').waitFor();
    await page.getByTestId('address-file-input').setInputFiles({ name: 'adresses-59-e2e.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await page.getByTestId('address-file-progress').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => /[1-9][\d,]* addresses/.test(document.querySelector('[data-testid="address-file-progress-text"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    await page.getByTestId('address-files').screenshot({ path: join(SCREENSHOT_DIR, 'address-file-progress.png') });
    await page.getByTestId('address-file-result').waitFor({ timeout: 300_000 });
    await expect(page.getByTestId('address-file-result').textContent()).resolves.toMatch(/150,000 addresses loaded from adresses-59-e2e\.csv/);
    await expect(page.getByTestId('address-file-progress').count()).resolves.toBe(0);
    await page.getByTestId('address-files').screenshot({ path: join(SCREENSHOT_DIR, 'address-file-loaded.png') });
    await page.close();
  });
});

/** The map has loaded its style, the result points and the search area, and is not moving. */
const waitForMapIdle = (page: Page) =>
  page.waitForFunction(
    () => {
      const map = window.__geocrmMap;
      return Boolean(map?.loaded() && !map.isMoving() && map.isSourceLoaded('accounts') && map.getSource('search-area') && map.areTilesLoaded());
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );
