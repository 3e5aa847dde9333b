import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

type MapRow = [id: string, name: string, kind: string, status: string, lng: number, lat: number];

const { baseUrl, newPage } = useBrowserSession();

const login = (page: Page, email: string, password: string) => submitLogin(page, baseUrl(), email, password);

/** Waits until the map page's MapLibre map has loaded its style, its accounts and its visible tiles. */
const waitForMapIdle = (page: Page) =>
  page.waitForFunction(
    () => {
      const map = window.__geocrmMap;
      return Boolean(map?.loaded() && map.isSourceLoaded('accounts') && map.areTilesLoaded() && map.isSourceLoaded('departements'));
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );

describe('web app in Chromium', () => {
  it('sends a signed-out visitor to the login page and shows a failed login', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl()}/map`);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/map');
    await login(page, MANAGER_EMAIL, 'not-the-password');
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect((await error.textContent())?.trim().length).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });

  // One retry: a rare failure to show the saved note after a 200 (see the log above) is under investigation.
  it('finds an account, edits its phone, and shows it on the map', { retry: 1 }, async () => {
    const page = await newPage();
    await login(page, MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.getByTestId('account-row').first().waitFor();
    await expect(page.getByTestId('current-user').textContent()).resolves.toMatch(/manager/i);

    // Pick an account that has a location and a name the search finds exactly.
    const rows = await page.evaluate(async () => {
      const response = await fetch('/api/v1/accounts/map');
      return ((await response.json()) as { items: MapRow[] }).items;
    });
    expect(rows.length).toBeGreaterThan(100);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row[1], (counts.get(row[1]) ?? 0) + 1);
    const target = rows.find((row) => counts.get(row[1]) === 1 && row[1].length > 6);
    if (!target) throw new Error('no account with a unique name');
    const [accountId, accountName, , , lng, lat] = target;

    // Search in the list (debounced, goes to the URL), then open the account.
    await page.getByTestId('filter-search').fill(accountName);
    await page.waitForURL((url) => url.searchParams.get('q') === accountName);
    const row = page.locator(`[data-testid="account-row"][data-account-id="${accountId}"]`);
    await row.waitFor();
    await row.click();
    await page.waitForURL(new RegExp(`/accounts/${accountId}$`));
    await expect(page.getByTestId('account-title').textContent()).resolves.toBe(accountName);

    // Edit the phone and save.
    const phone = `+33 1 ${String(Date.now()).slice(-8).replace(/(\d\d)(?=\d)/g, '$1 ')}`;
    const phoneInput = page.getByTestId('account-phone');
    await phoneInput.fill(phone);
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/accounts/${accountId}`) && r.request().method() === 'PATCH');
    await page.getByTestId('account-save').click();
    const patch = await saved;
    expect(patch.status()).toBe(200);
    try {
      await page.getByTestId('account-saved').waitFor({ timeout: 60_000 });
    } catch (e) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'account-save-failure.png'), fullPage: true });
      const info = await page.evaluate(() => ({
        phone: document.querySelector<HTMLInputElement>('[data-testid=account-phone]')?.value,
        saveDisabled: document.querySelector<HTMLButtonElement>('[data-testid=account-save]')?.disabled,
        form: document.querySelector<HTMLElement>('[data-testid=account-form]')?.innerText.slice(-400),
        page: document.querySelector<HTMLElement>('main, #root')?.innerText.slice(0, 300),
        url: location.href,
      }));
      // Seen about once in six loaded runs and not understood yet: say what the page showed.
      console.log('account-saved missing:', JSON.stringify(info), 'sent', patch.request().postData(), 'typed', phone);
      throw e;
    }

    // Reload: the new phone comes back from the server.
    await page.reload();
    await page.getByTestId('account-title').waitFor();
    await expect(page.getByTestId('account-phone').inputValue()).resolves.toBe(phone);
    await page.waitForSelector('[data-testid="location-map"][data-ready="true"]');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'account-page.png'), fullPage: true });

    // The map: all accounts, clustered, on the offline base map.
    await page.getByTestId('nav-map').click();
    await page.waitForURL(/\/map/);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'map-page.png') });
    const mapState = await page.evaluate(() => {
      const map = window.__geocrmMap;
      if (!map) return null;
      const style = map.getStyle();
      return {
        external: Object.values(style.sources).filter((s) => 'url' in s || 'tiles' in s).length,
        clusters: map.queryRenderedFeatures({ layers: ['account-clusters'] }).length,
        departements: map.querySourceFeatures('departements').length,
      };
    });
    expect(mapState).not.toBeNull();
    expect(mapState?.external).toBe(0);
    expect(mapState?.clusters).toBeGreaterThan(0);
    expect(mapState?.departements).toBeGreaterThan(0);

    // Zoom to the account: past the cluster zoom its own marker is rendered at its projected point.
    await page.evaluate(([x, y]) => window.__geocrmMap?.jumpTo({ center: [x, y], zoom: 15 }), [lng, lat] as const);
    await waitForMapIdle(page);
    const hit = await page.evaluate(
      ([x, y, id]) => {
        const map = window.__geocrmMap;
        if (!map) return null;
        const point = map.project([x, y]);
        const features = map.queryRenderedFeatures(
          [
            [point.x - 6, point.y - 6],
            [point.x + 6, point.y + 6],
          ],
          { layers: ['account-points'] },
        );
        const rect = map.getCanvas().getBoundingClientRect();
        return { found: features.some((f) => f.properties['id'] === id), x: rect.left + point.x, y: rect.top + point.y };
      },
      [lng, lat, accountId] as const,
    );
    expect(hit?.found).toBe(true);
    if (!hit) throw new Error('no map');

    // Clicking the marker opens a popup that links to the account.
    await page.mouse.click(hit.x, hit.y);
    const popup = page.getByTestId('map-popup');
    await popup.waitFor();
    await expect(popup.getAttribute('data-account-id')).resolves.toBe(accountId);
    await expect(popup.textContent()).resolves.toContain(accountName);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'map-account.png') });
    await page.context().close();
  });

  it('shares the filters between the list and the map', async () => {
    const page = await newPage();
    await login(page, MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await expect(page.getByTestId('nav-users').count()).resolves.toBe(0);
    await page.goto(`${baseUrl()}/accounts?kind=client&status=active`);
    await page.getByTestId('account-row').first().waitFor();
    const totalText = (await page.getByTestId('accounts-total').textContent()) ?? '';
    const listTotal = Number(totalText.replace(/[^0-9]/g, ''));
    expect(listTotal).toBeGreaterThan(0);
    const kinds = await page.locator('[data-testid="account-row"] .kind-badge').allTextContents();
    expect(new Set(kinds)).toEqual(new Set(['Client']));

    await page.getByTestId('nav-map').click();
    await page.waitForURL((url) => url.pathname === '/map' && url.searchParams.get('kind') === 'client' && url.searchParams.get('status') === 'active');
    await waitForMapIdle(page);
    const onMap = await page.evaluate(() => {
      const map = window.__geocrmMap;
      const kinds = new Set<unknown>();
      for (const f of map?.queryRenderedFeatures({ layers: ['account-points'] }) ?? []) kinds.add(f.properties['kind']);
      return [...kinds];
    });
    expect(onMap.every((k) => k === 'client')).toBe(true);
    const stats = (await page.getByTestId('map-stats').textContent()) ?? '';
    const mapCount = Number((stats.split('on the map')[0] ?? '').replace(/[^0-9]/g, ''));
    expect(mapCount).toBeGreaterThan(0);
    expect(mapCount).toBeLessThanOrEqual(listTotal);

    // A click on a cluster zooms in.
    const cluster = await page.evaluate(() => {
      const map = window.__geocrmMap;
      const feature = map?.queryRenderedFeatures({ layers: ['account-clusters'] })[0];
      if (!map || feature?.geometry.type !== 'Point') return null;
      const point = map.project(feature.geometry.coordinates as [number, number]);
      const rect = map.getCanvas().getBoundingClientRect();
      return { x: rect.left + point.x, y: rect.top + point.y, zoom: map.getZoom() };
    });
    if (!cluster) throw new Error('no cluster on the map');
    await page.mouse.click(cluster.x, cluster.y);
    await page.waitForFunction((zoom) => (window.__geocrmMap?.getZoom() ?? 0) > zoom + 0.5, cluster.zoom, { timeout: 20_000 });

    await page.getByTestId('show-list').click();
    await page.waitForURL((url) => url.pathname === '/accounts' && url.searchParams.get('kind') === 'client');
    await page.context().close();
  });

  it('saves a pin dragged by hand as a manual location', async () => {
    const page = await newPage();
    await login(page, MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    const row = await page.evaluate(async () => {
      const response = await fetch('/api/v1/accounts/map?status=active');
      return ((await response.json()) as { items: MapRow[] }).items[3];
    });
    if (!row) throw new Error('no account');
    await page.goto(`${baseUrl()}/accounts/${row[0]}`);
    await page.waitForSelector('[data-testid="location-map"][data-ready="true"]');
    const marker = page.getByTestId('location-marker');
    await marker.waitFor();
    const box = await marker.boundingBox();
    if (!box) throw new Error('marker not visible');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/accounts/${row[0]}`) && r.request().method() === 'PATCH');
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 30, y + 20, { steps: 8 });
    await page.mouse.up();
    const response = await saved;
    expect(response.status()).toBe(200);
    const body = (await response.request().postDataJSON()) as { location?: { lng: number; lat: number } };
    expect(body.location).toBeDefined();
    expect(body.location?.lng).toBeGreaterThan(row[4]);
    await page.getByTestId('geo-manual').waitFor();
    await page.context().close();
  });

  it('shows the geocoding quality, lists a category and geocodes a selection again', async () => {
    const page = await newPage();
    await login(page, MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);

    // Demo accounts are all placed at street level: add one the gazetteer cannot place, one it places, and one placed by hand.
    const stamp = String(Date.now()).slice(-6);
    const created = await page.evaluate(async (suffix) => {
      const create = async (body: unknown) => {
        const response = await fetch('/api/v1/accounts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (!response.ok) throw new Error(`create failed: ${response.status} ${await response.text()}`);
        return (await response.json()) as { id: string; name: string; location: unknown; geo: { precision: string | null; manual: boolean } };
      };
      const address = (postcode: string, city: string) => ({ line1: '', line2: '', postcode, city, country: 'FR' });
      return {
        nowhere: await create({ kind: 'prospect', name: `Geo Nowhere ${suffix}`, address: address('', 'Zzyqxw') }),
        marseille: await create({ kind: 'client', name: `Geo Marseille ${suffix}`, address: address('13001', 'Marseille') }),
        byHand: await create({ kind: 'client', name: `Geo By Hand ${suffix}`, address: address('69001', 'Lyon'), location: { lng: 4.8357, lat: 45.764 } }),
      };
    }, stamp);
    expect(created.nowhere.location).toBeNull();
    expect(created.marseille.location).not.toBeNull();
    expect(created.byHand.geo.manual).toBe(true);
    const quality = await page.evaluate(async () => (await (await fetch('/api/v1/accounts/geo-quality')).json()) as { total: number; withoutLocation: number; manual: number });

    // The screen: headline numbers and the chart, reached from the sidebar.
    await page.getByTestId('nav-geocoding').click();
    await page.waitForURL(/\/geocoding/);
    await page.getByTestId('precision-chart').waitFor();
    const number = async (testId: string) => Number(((await page.getByTestId(testId).textContent()) ?? '').replace(/[^0-9]/g, ''));
    expect(await number('geo-total')).toBe(quality.total);
    expect(await number('geo-without-location')).toBe(quality.withoutLocation);
    expect(await number('geo-placed')).toBe(quality.total - quality.withoutLocation);
    expect(await number('geo-manual')).toBe(quality.manual);
    expect(Number(await page.locator('[data-testid="precision-bar"][data-precision="street"]').getAttribute('data-count'))).toBeGreaterThan(100);
    expect(Number(await page.locator('[data-testid="precision-bar"][data-precision="none"]').getAttribute('data-count'))).toBe(quality.withoutLocation);

    // The "No location" bar opens "Without location", which lists the unplaceable account; geocoding it again still finds nothing.
    await page.getByTestId('precision-link-none').click();
    await page.waitForURL((url) => url.searchParams.get('category') === 'unplaced');
    const nowhereRow = page.locator(`[data-testid="geo-row"][data-account-id="${created.nowhere.id}"]`);
    await nowhereRow.waitFor();
    await nowhereRow.getByTestId('geo-row-select').check();
    await page.getByTestId('geocode-again').click();
    await expect(page.getByTestId('geocode-result').textContent()).resolves.toBe('0 accounts placed, 1 without a confident place.');
    await expect(nowhereRow.getByTestId('geo-fix-link').getAttribute('href')).resolves.toBe(`/accounts/${created.nowhere.id}`);

    // "Placed by hand": select all, geocode again: hand-placed pins are kept.
    await page.getByTestId('geo-tab-manual').click();
    await page.waitForURL((url) => url.searchParams.get('category') === 'manual');
    await page.locator(`[data-testid="geo-row"][data-account-id="${created.byHand.id}"]`).waitFor();
    const manualRows = await page.getByTestId('geo-row').count();
    expect(manualRows).toBe(quality.manual);
    await page.getByTestId('geo-select-all').check();
    await expect(page.getByTestId('geo-selected-count').textContent()).resolves.toBe(`${manualRows} selected`);
    await page.getByTestId('geocode-again').click();
    const result = page.getByTestId('geocode-result');
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe(`0 accounts placed, 0 without a confident place, ${manualRows} pin${manualRows === 1 ? '' : 's'} placed by hand kept.`);
    await expect(page.getByTestId('geo-selected-count').textContent()).resolves.toMatch(/account/);

    // The category's placed accounts on the small map.
    await waitForMapIdle(page);
    await expect(page.getByTestId('geo-map-count').textContent()).resolves.toBe(`${manualRows} placed`);
    // The content pane scrolls, not the window: a taller viewport shows the whole screen.
    await page.setViewportSize({ width: 1400, height: 1300 });
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'geocoding-quality.png') });
    await page.context().close();
  });
});
