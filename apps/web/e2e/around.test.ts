import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

const { baseUrl, newPage } = useBrowserSession();

const login = async (page: Page, email = MANAGER_EMAIL) => {
  await submitLogin(page, baseUrl(), email, DEMO_PASSWORD);
  await page.waitForURL(/\/accounts/);
};

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

/** Distances shown in the list, in metres, in list order. */
const shownDistances = async (page: Page): Promise<number[]> =>
  (await page.getByTestId('around-distance').allTextContents()).map((text) => {
    const [, value = '0', unit = 'km'] = /([\d.,]+)\s*(m|km)/.exec(text) ?? [];
    const n = Number(value.replace(/,/g, ''));
    return unit === 'km' ? n * 1000 : n;
  });

describe('nearby in Chromium', () => {
  it('finds the accounts around a town, nearest first, by distance and by driving time, on the map', async () => {
    const page = await newPage();
    await login(page);
    await page.getByTestId('nav-nearby').click();
    await page.getByTestId('around-hint').waitFor();
    await page.getByTestId('around-place').fill('Lyon');
    await page.getByTestId('around-suggestions').getByRole('button').first().click();
    const heading = page.getByTestId('around-heading');
    await heading.waitFor();
    await expect(heading.textContent()).resolves.toMatch(/accounts within 25 km of .*Lyon/);
    const rows = page.getByTestId('around-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    const distances = await shownDistances(page);
    expect(distances.every((d) => d <= 25_000)).toBe(true);
    // nearest first (as displayed, rounded)
    for (let i = 1; i < distances.length; i += 1) expect(distances[i]).toBeGreaterThanOrEqual((distances[i - 1] ?? 0) * 0.95);

    // the same accounts on the map as in the list
    await waitForMapIdle(page);
    const onMap = await page.evaluate(async () => {
      const source = window.__geocrmMap?.getSource('accounts') as unknown as { getData?: () => Promise<{ features?: unknown[] }> } | undefined;
      return (await source?.getData?.())?.features?.length ?? -1;
    });
    expect(onMap).toBe(await rows.count());
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'nearby.png') });

    // the export link downloads the same accounts, by the same criteria
    const href = (await page.getByTestId('around-export-csv').getAttribute('href')) ?? '';
    expect(href).toMatch(/near=/);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    const names = await page.locator('[data-testid="around-row"] a').allTextContents();
    for (const name of names) expect(csv).toContain(name);

    // the demo has a visit history: fewer accounts have not been visited for 90 days
    const countOf = async () => Number(((await heading.textContent()) ?? '').replace(/[^0-9].*$/, '').replace(/\D/g, ''));
    const all = await countOf();
    await page.getByTestId('around-not-visited').selectOption('90');
    await expect.poll(countOf, { timeout: 30_000 }).toBeLessThan(all);
    expect(await countOf()).toBeGreaterThan(0);
    await page.getByTestId('around-not-visited').selectOption('');
    await page.getByTestId('unit-minutes').click();
    await expect.poll(async () => heading.textContent(), { timeout: 30_000 }).toMatch(/within 30 min of driving/);
    await expect.poll(async () => (await page.getByTestId('around-distance').first().textContent()) ?? '', { timeout: 30_000 }).toMatch(/min/);
    await page.context().close();
  });

  it('draws an area with the lasso and tags the accounts inside it', async () => {
    const page = await newPage();
    await login(page);
    await page.goto(`${baseUrl()}/nearby?tool=lasso`);
    const canvas = page.getByTestId('accounts-map');
    await canvas.waitFor();
    await page.waitForFunction(() => Boolean(window.__geocrmMap?.loaded()), undefined, { timeout: 60_000 });
    // frame the Paris region, then draw a square around it
    await page.evaluate(() => window.__geocrmMap?.jumpTo({ center: [2.35, 48.86], zoom: 8 }));
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no map');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (const [dx, dy] of [
      [-180, -140],
      [180, -140],
      [180, 140],
      [-180, 140],
    ] as const) {
      await page.mouse.click(cx + dx, cy + dy);
    }
    await expect(page.getByTestId('lasso-finish').textContent()).resolves.toMatch(/4 points/);
    await page.getByTestId('lasso-finish').click();
    const heading = page.getByTestId('around-heading');
    await heading.waitFor();
    await expect(heading.textContent()).resolves.toMatch(/accounts inside the area/);
    const count = await page.getByTestId('around-row').count();
    expect(count).toBeGreaterThan(0);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'nearby-lasso.png') });

    await page.getByTestId('selection-tag').fill('e2e-lasso');
    await page.getByTestId('selection-tag-apply').click();
    await expect(page.getByTestId('selection-message').textContent()).resolves.toMatch(new RegExp(`${count} changed`));
    const tagged = await page.evaluate(async () => ((await (await fetch('/api/v1/accounts?tag=e2e-lasso&limit=1')).json()) as { total: number }).total);
    expect(tagged).toBe(count);
    await page.context().close();
  });

  it('moves an account’s pin by dragging it on the map; the new place is kept as placed by hand', async () => {
    const page = await newPage();
    await login(page);
    // an automatically placed account with a name of its own
    const account = await page.evaluate(async () => {
      const list = (await (await fetch('/api/v1/accounts?geoManual=false&limit=50&kind=client')).json()) as { items: { id: string; name: string; location: { lng: number; lat: number } | null }[] };
      const names = new Map<string, number>();
      for (const a of list.items) names.set(a.name, (names.get(a.name) ?? 0) + 1);
      return list.items.find((a) => a.location && names.get(a.name) === 1) ?? null;
    });
    if (!account?.location) throw new Error('no account to move');
    const { lng, lat } = account.location;
    await page.goto(`${baseUrl()}/map?q=${encodeURIComponent(account.name)}`);
    await page.waitForFunction(() => Boolean(window.__geocrmMap?.loaded() && window.__geocrmMap.isSourceLoaded('accounts')), undefined, { timeout: 60_000 });
    await page.evaluate(([x, y]) => window.__geocrmMap?.jumpTo({ center: [x, y], zoom: 15 }), [lng, lat] as const);
    await page.waitForFunction(() => Boolean(window.__geocrmMap && !window.__geocrmMap.isMoving() && window.__geocrmMap.areTilesLoaded()), undefined, { timeout: 60_000 });
    const at = await page.evaluate(([x, y]) => {
      const map = window.__geocrmMap;
      if (!map) return null;
      const point = map.project([x, y]);
      const rect = map.getCanvas().getBoundingClientRect();
      return { x: rect.left + point.x, y: rect.top + point.y };
    }, [lng, lat] as const);
    if (!at) throw new Error('no map');
    await expect.poll(async () => {
      await page.mouse.click(at.x, at.y);
      return page.getByTestId('map-popup').count();
    }, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('map-popup-move').click();
    const pin = page.getByTestId('moving-pin');
    await pin.waitFor();
    const box = await pin.boundingBox();
    if (!box) throw new Error('no pin');
    // drag the pin 120 px to the right (about 200 m at zoom 15 in France: MapLibre tiles are 512 px)
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height - 4, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height - 4, { steps: 5 });
    await page.mouse.up();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'map-move-pin.png') });
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/accounts/${account.id}`) && r.request().method() === 'PATCH');
    await page.getByTestId('move-pin-save').click();
    expect((await saved).status()).toBe(200);
    await page.getByTestId('move-pin-bar').waitFor({ state: 'detached' });
    const after = await page.evaluate(async (id) => (await (await fetch(`/api/v1/accounts/${id}`)).json()) as { location: { lng: number; lat: number }; geo: { manual: boolean; source: string } }, account.id);
    expect(after.geo).toMatchObject({ manual: true, source: 'manual' });
    expect(after.location.lng).toBeGreaterThan(lng + 0.0015);
    expect(Math.abs(after.location.lat - lat)).toBeLessThan(0.002);
    await page.context().close();
  });

  it('loads a BAN address file as an administrator; addresses of that street are then placed at the house number', async () => {
    const page = await newPage();
    await login(page, 'admin@demo.geocrm.app');
    await page.getByTestId('nav-geocoding').click();
    await page.getByTestId('address-files-empty').waitFor();
    const header =
      'id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;source_position;source_nom_voie;certification_commune;cad_parcelles';
    const row = (n: number, lon: string, lat: string) =>
      `59138_0190_${String(n).padStart(5, '0')};59138_0190;${n};;Rue Roger Salengro;59217;59138;Cattenières;;;0;0;${lon};${lat};entrée;;;CATTENIERES;RUE ROGER SALENGRO;commune;commune;1;`;
    const csv = [header, row(16, '3.335100', '50.134050'), row(18, '3.335271', '50.134152'), row(20, '3.335400', '50.134250'), row(22, 'bad', '50.1')].join('\n');
    await page.getByTestId('address-file-input').setInputFiles({ name: 'adresses-59.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const result = page.getByTestId('address-file-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toMatch(/3 addresses loaded from adresses-59\.csv; 1 row could not be read:line 5: .*bad/);
    await expect(page.getByTestId('address-file-row').count()).resolves.toBe(1);
    await result.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'address-files.png') });

    const placed = await page.evaluate(async () => {
      const response = await fetch('/api/v1/accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'client', name: 'Chez Roger (e2e)', address: { line1: '18 rue Roger Salengro', line2: '', postcode: '59217', city: 'Cattenières', country: 'FR' } }),
      });
      return ((await response.json()) as { geo: { precision: string; source: string } }).geo;
    });
    expect(placed).toMatchObject({ precision: 'housenumber', source: 'address_points' });
    await page.context().close();
  });
});
