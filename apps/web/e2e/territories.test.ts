import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

const { baseUrl, newPage } = useBrowserSession();

/** The map has its territory areas coloured and is not moving. */
const waitForMapIdle = (page: Page) =>
  page.waitForFunction(
    () => {
      const map = window.__geocrmMap;
      return Boolean(map?.loaded() && !map.isMoving() && map.isSourceLoaded('territory-areas') && map.areTilesLoaded());
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );

/** Colours of the rendered territory fills (distinct). */
const renderedColours = (page: Page) =>
  page.evaluate(() => {
    const map = window.__geocrmMap;
    const features = map?.queryRenderedFeatures({ layers: ['territory-fill'] }) ?? [];
    return [...new Set(features.map((f) => String(f.properties['colour'])))];
  });

describe('territories in Chromium', () => {
  it('designs 8 territories on départements, shows the balance and the coloured map, moves an area, saves the plan', async () => {
    const page = await newPage();
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.getByTestId('nav-territories').click();
    await page.getByTestId('territories-page').waitFor();
    await page.getByTestId('territory-k').fill('8');
    await page.getByTestId('territory-measure').selectOption('accounts');
    await page.getByTestId('territory-design').click();
    await page.getByTestId('territory-balance-chart').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('territory-bar').count()).toBe(8);
    await expect.poll(async () => (await page.getByTestId('metric-contiguity').textContent())?.trim()).toBe('0');
    // Balanced within ±5 % on the demo accounts, and the design ran to its end.
    expect(Number.parseFloat((await page.getByTestId('metric-max-deviation').textContent()) ?? '100')).toBeLessThanOrEqual(5);
    expect(await page.getByTestId('territory-notice').textContent()).not.toMatch(/stopped|cancelled/);
    await waitForMapIdle(page);
    await expect.poll(async () => (await renderedColours(page)).length, { timeout: 20_000 }).toBe(8);

    // Click the map in the middle of France (Cher), then another territory: the balance changes at once.
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'territories-designed.png') });
    const bars = () => page.getByTestId('territory-bar').allTextContents();
    const before = await bars();
    const point = await page.evaluate(() => {
      const map = window.__geocrmMap;
      const p = map?.project([2.35, 46.6]);
      return p ? { x: p.x, y: p.y } : null;
    });
    if (!point) throw new Error('no map');
    const canvas = page.getByTestId('territories-map').locator('canvas');
    await canvas.click({ position: { x: point.x, y: point.y } });
    await page.getByTestId('territory-move').waitFor();
    await page.getByTestId('territory-move-to').and(page.locator(':not([disabled])')).first().click();
    await expect.poll(bars).not.toEqual(before);
    // …and the server's metrics of the edited plan follow (cut edges, contiguity).
    await expect.poll(async () => (await page.getByTestId('metric-contiguity').textContent())?.trim()).toMatch(/^\d+$/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'territories-moved.png') });

    // Give territory 1 a rep; the saved plan keeps it.
    await page.getByTestId('territory-reps-assign').locator('summary').click();
    const firstRep = page.getByTestId('territory-rep').first();
    await firstRep.selectOption({ index: 1 });
    const repId = await firstRep.inputValue();
    expect(repId).not.toBe('');
    await page.getByTestId('territory-plan-name').fill('Eight regions');
    await page.getByTestId('territory-save').click();
    await page.getByTestId('territory-notice').filter({ hasText: 'Saved' }).waitFor();
    await page.getByTestId('territory-plan-item').filter({ hasText: 'Eight regions' }).waitFor();
    expect(await page.getByTestId('territory-rep').first().inputValue()).toBe(repId);
    await page.getByText('1 of 8 assigned').waitFor();
    // On a saved plan a rep change is stored at once: reopening the plan shows it.
    const secondRep = page.getByTestId('territory-rep').nth(1);
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/territories/plans/'));
    await secondRep.selectOption({ index: 2 });
    const secondId = await secondRep.inputValue();
    await page.getByText('2 of 8 assigned').waitFor();
    expect((await patched).status()).toBe(200);
    await page.getByTestId('territory-plan-item').filter({ hasText: 'Eight regions' }).getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('territory-notice').filter({ hasText: 'Opened' }).waitFor();
    expect(await page.getByTestId('territory-rep').nth(1).inputValue()).toBe(secondId);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'territories.png') });

    // Lock the moved area where it is, redesign near the saved plan: it stays in its territory.
    const colourAt = () =>
      page.evaluate(({ x, y }) => String(window.__geocrmMap?.queryRenderedFeatures([x, y], { layers: ['territory-fill'] })[0]?.properties['colour']), point);
    const lockedColour = await colourAt();
    await canvas.click({ position: { x: point.x, y: point.y } });
    await page.getByTestId('territory-lock').click();
    await page.getByTestId('territory-lock').filter({ hasText: 'Unlock' }).waitFor();
    await page.getByTestId('territory-design').click();
    await page.getByTestId('territory-notice').filter({ hasText: 'Designed' }).waitFor({ timeout: 60_000 });
    await waitForMapIdle(page);
    expect(await colourAt()).toBe(lockedColour);
    await page.getByText('1 locked (dashed)').waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'territories-locked.png') });
  }, 180_000);

  it('publishes a plan (counts per territory), shows its coverage (areas without a rep hatched, accounts not visited as dots, listed); reps then see only their share', async () => {
    const page = await newPage({ height: 900 });
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    const totalAs = (p: Page) => p.evaluate(async () => ((await (await fetch('/api/v1/accounts?limit=1')).json()) as { total: number }).total);
    const allAccounts = await totalAs(page);
    await page.getByTestId('nav-territories').click();
    await page.getByTestId('territories-page').waitFor();
    await page.getByTestId('territory-k').fill('8');
    await page.getByTestId('territory-design').click();
    await page.getByTestId('territory-balance-chart').waitFor({ timeout: 60_000 });
    await page.getByTestId('territory-reps-assign').locator('summary').click();
    await page.getByTestId('territory-rep').nth(1).selectOption({ index: 1 });
    await page.getByTestId('territory-plan-name').fill('Published regions');
    await page.getByTestId('territory-save').click();
    const item = page.getByTestId('territory-plan-item').filter({ hasText: 'Published regions' });
    await item.waitFor();

    await item.getByTestId('territory-publish').click();
    await page.getByTestId('territory-publish-confirm').waitFor();
    await page.getByTestId('territory-publish-confirm-button').click();
    const result = page.getByTestId('publish-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toMatch(/Published “Published regions”: \d+ accounts in territories/);
    expect(await result.locator('tr').count()).toBe(8);
    await item.getByTestId('territory-plan-published').waitFor();

    await page.getByTestId('territory-tab-coverage').click();
    await page.getByTestId('coverage-panel').waitFor();
    await expect.poll(async () => Number(await page.getByTestId('coverage-no-rep-count').textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('coverage-no-territory-count').textContent())).toBe(0);
    expect(await page.getByTestId('coverage-territories-without-rep').locator('li').count()).toBe(7);
    await page.getByTestId('coverage-days').selectOption('30');
    await expect.poll(async () => Number(await page.getByTestId('coverage-not-visited-count').textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('coverage-account').count()).toBeGreaterThan(0);
    await waitForMapIdle(page);
    const rendered = (layer: string) => page.evaluate((id) => window.__geocrmMap?.queryRenderedFeatures({ layers: [id] }).length ?? 0, layer);
    await expect.poll(() => rendered('coverage-hatch'), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => rendered('coverage-dots'), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'territories-coverage.png') });

    // The demo manager manages every rep: they still see accounts; a rep sees fewer than everybody.
    expect(await totalAs(page)).toBeGreaterThan(0);
    const repPage = await newPage();
    await submitLogin(repPage, baseUrl(), 'rep01@demo.geocrm.app', DEMO_PASSWORD);
    await repPage.waitForURL(/\/accounts/);
    const repTotal = await totalAs(repPage);
    expect(repTotal).toBeGreaterThan(0);
    expect(repTotal).toBeLessThan(allAccounts);

    // Withdrawing the publication brings the rule without territories back.
    await page.getByTestId('territory-tab-design').click();
    await item.getByTestId('territory-unpublish').click();
    await page.getByTestId('territory-notice').filter({ hasText: 'no longer published' }).waitFor();
    expect(await totalAs(repPage)).toBe(allAccounts);
  }, 240_000);

  it('an admin sets a user’s manager (the team a published plan shows the manager) on the users page', async () => {
    const page = await newPage();
    await submitLogin(page, baseUrl(), 'admin@demo.geocrm.app', DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-page').waitFor();
    const row = page.getByTestId('user-row').filter({ hasText: 'rep01@demo.geocrm.app' });
    const select = row.getByTestId('user-manager');
    // the demo seed makes the demo manager every field person's manager
    expect(await select.locator('option:checked').textContent()).toBe('Marc Durand');
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes('/users/'));
    await select.selectOption({ label: 'Alice Admin' });
    expect((await patched).status()).toBe(200);
    await page.reload();
    await page.getByTestId('users-page').waitFor();
    await expect.poll(async () => page.getByTestId('user-row').filter({ hasText: 'rep01@demo.geocrm.app' }).getByTestId('user-manager').locator('option:checked').textContent()).toBe('Alice Admin');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'users-manager.png') });
  }, 60_000);
});
