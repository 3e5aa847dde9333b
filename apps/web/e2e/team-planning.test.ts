import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

const { baseUrl, newPage } = useBrowserSession();

/** The map has the team's routes drawn and is not moving. */
const waitForMapIdle = (page: Page) =>
  page.waitForFunction(
    () => {
      const map = window.__geocrmMap;
      return Boolean(map?.loaded() && !map.isMoving() && map.getSource('team-routes') && map.isSourceLoaded('team-routes') && map.areTilesLoaded());
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );

/** Distinct colours of the route lines the map renders. */
const routeColours = (page: Page) =>
  page.evaluate(() => {
    const features = window.__geocrmMap?.queryRenderedFeatures({ layers: ['team-route-line'] }) ?? [];
    return [...new Set(features.map((f) => String(f.properties['colour'])))];
  });

describe('team planning in Chromium', () => {
  it('plans every demo rep at once with a progress bar, shows each rep’s routes in their colour and the table, saves all; a second plan is cancelled', async () => {
    const page = await newPage({ height: 1000 });
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.getByTestId('nav-tours').click();
    await page.getByTestId('tours-team-link').click();
    await page.getByTestId('team-planning-page').waitFor();
    await page.waitForURL(/\/tours\/team$/);
    const reps = await page.getByTestId('team-rep-checkbox').count();
    expect(reps).toBeGreaterThanOrEqual(10);

    // every rep, next Monday, 5 days, each in their own territory
    await page.getByTestId('team-plan').click();
    const progress = page.getByTestId('team-progress');
    await progress.waitFor({ timeout: 30_000 });
    const seen = new Set<string>();
    const phases = page.getByTestId('team-progress-phase');
    // the bar while it runs: record what it says until the result is there
    const result = page.getByTestId('team-result');
    for (let i = 0; i < 600 && !(await result.isVisible()); i++) {
      if (await phases.isVisible()) seen.add(`${(await phases.textContent()) ?? ''}|${(await page.getByRole('progressbar').getAttribute('aria-valuenow')) ?? ''}`);
      if (i === 4) await page.screenshot({ path: join(SCREENSHOT_DIR, 'team-planning-progress.png') });
      await page.waitForTimeout(250);
    }
    await result.waitFor({ timeout: 5_000 });
    expect([...seen].some((s) => s.startsWith('Optimising|'))).toBe(true);
    expect(new Set([...seen].map((s) => s.split('|')[1])).size).toBeGreaterThan(1);

    // the table: one row per rep; team totals
    await expect.poll(() => page.getByTestId('team-rep-row').count()).toBe(reps);
    const visits = await page.getByTestId('team-total-visits').textContent();
    expect(Number(visits?.split('/')[0]?.trim())).toBeGreaterThan(50);
    expect(await page.getByTestId('team-total-km').textContent()).toMatch(/\d km/);
    await expect.poll(() => page.getByTestId('team-unassigned').count()).toBe(1);

    // the map: every rep's routes in their own colour
    await waitForMapIdle(page);
    await expect.poll(async () => (await routeColours(page)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(Math.min(8, reps));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'team-planning.png') });

    // one rep brought forward
    await page.getByTestId('team-rep-row').first().click();
    await expect.poll(() => page.locator('tr.focused').count()).toBe(1);

    // save all: one tour per rep with visits
    await page.getByTestId('team-save').click();
    await page.getByTestId('team-saved').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('team-saved').textContent()).toMatch(/Saved \d+ tours/);
    expect(await page.getByTestId('team-save').textContent()).toBe('Saved');

    // a second plan (crossing allowed) cancelled while it runs
    await page.getByTestId('team-cross').check();
    await page.getByTestId('team-plan').click();
    await page.getByTestId('team-cancel').click({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('team-progress-phase').textContent(), { timeout: 30_000 }).toBe('cancelled');
    await expect.poll(() => page.getByTestId('team-plan').isEnabled()).toBe(true);
  }, 300_000);
});
