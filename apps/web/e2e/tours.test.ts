import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

const session = useBrowserSession();
const { baseUrl } = session;
/** A page with generous waits: the machine may be loaded (2 cores shared with other work). */
const newPage = async () => {
  const page = await session.newPage();
  page.setDefaultTimeout(90_000);
  return page;
};

/** The map has the routes drawn and is not moving. */
const waitForMapIdle = (page: Page) =>
  page.waitForFunction(
    () => {
      const map = window.__geocrmMap;
      return Boolean(map?.loaded() && !map.isMoving() && map.getSource('tour-routes') && map.isSourceLoaded('tour-routes') && map.areTilesLoaded());
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );

/** Distinct colours of the route lines the map renders. */
const routeColours = (page: Page) =>
  page.evaluate(() => {
    const features = window.__geocrmMap?.queryRenderedFeatures({ layers: ['tour-route-line'] }) ?? [];
    return [...new Set(features.map((f) => String(f.properties['colour'])))];
  });

/** No re-timing under way (the timeline is not busy). */
const waitForTimed = (page: Page) => page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null, undefined, { timeout: 60_000, polling: 200 });

const dayAt = (page: Page, index: number) => page.getByTestId('tour-day').nth(index);
const stopTimes = async (page: Page, day: number) => (await dayAt(page, day).getByTestId('tour-stop-times').allTextContents()).join(' | ');
/** The index of the day with the most stops. */
const busiestDay = async (page: Page): Promise<number> => {
  const counts = await page.getByTestId('tour-day').evaluateAll((days) => days.map((d) => d.querySelectorAll('[data-testid="tour-stop"]').length));
  return counts.indexOf(Math.max(...counts));
};
const flagCount = async (page: Page) => (await page.getByTestId('tour-day-flag').count()) + (await page.getByTestId('tour-stop-flag').count());

/** Takes stops off (a flagged stop, else the last stop of a flagged day) until every constraint holds. */
const removeFlagged = async (page: Page): Promise<void> => {
  for (let i = 0; i < 15 && (await flagCount(page)) > 0; i++) {
    const before = await page.getByTestId('tour-stop').count();
    const flaggedStop = page.locator('[data-testid="tour-stop"].flagged').first();
    if ((await flaggedStop.count()) > 0) await flaggedStop.getByTestId('tour-stop-remove').click();
    else await page.getByTestId('tour-day').filter({ has: page.getByTestId('tour-day-flag') }).first().getByTestId('tour-stop-remove').last().click();
    await expect.poll(() => page.getByTestId('tour-stop').count(), { timeout: 60_000 }).toBe(before - 1);
    await waitForTimed(page);
  }
  expect(await flagCount(page)).toBe(0);
};

describe('tours in Chromium', () => {
  it('plans a week for a demo rep: routes on the map, timeline, a reorder re-timed, a broken constraint flagged and refused, a valid tour saved and reopened', async () => {
    const page = await newPage();
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.getByTestId('nav-tours').click();
    await page.getByTestId('tours-page').waitFor();
    expect(await page.getByTestId('tours-team-link').getAttribute('href')).toBe('/tours/team');

    // Camille Laurent (Lille), the week after next Monday: the demo gives her ~60 open visits over two weeks.
    const rep = page.getByTestId('tours-rep');
    const camille = await rep.locator('option', { hasText: 'Camille Laurent' }).getAttribute('value');
    if (!camille) throw new Error('no demo rep Camille Laurent');
    await rep.selectOption(camille);
    await page.getByTestId('tours-days').selectOption('5');
    expect(await rep.inputValue()).toBe(camille);
    expect(new URL(page.url()).searchParams.get('rep')).toBe(camille);
    await expect.poll(async () => Number((await page.getByTestId('tours-candidates-summary').textContent())?.match(/of (\d+) open visits/)?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThan(25);
    const candidates = await page.getByTestId('tours-candidate').count();
    expect(await page.getByTestId('tours-candidate').and(page.locator(':checked')).count()).toBe(candidates);

    await page.getByTestId('tours-optimise').click();
    // the optimiser runs ~1–2 s: the progress shows meanwhile (caught when the page is not slower than that)
    if (await page.getByTestId('tours-progress').waitFor({ timeout: 5_000 }).then(() => true, () => false)) await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-planning.png') });
    await page.getByTestId('tour-timeline').waitFor({ timeout: 120_000 });
    await page.getByTestId('tours-notice').filter({ hasText: 'Optimised' }).waitFor();
    expect(await rep.inputValue()).toBe(camille);
    const days = await page.getByTestId('tour-day').count();
    expect(days).toBe(5);
    const visits = Number(await page.getByTestId('totals-visits').textContent());
    expect(visits).toBeGreaterThan(20);
    expect(await page.getByTestId('tour-stop').count()).toBe(visits);
    // every visit left over is listed with its reason
    const unplaced = await page.getByTestId('tours-unplaced-item').count();
    expect(unplaced).toBe(candidates - visits);
    for (const item of await page.getByTestId('tours-unplaced-item').all()) expect((await item.getAttribute('data-reason')) ?? '').not.toBe('');
    expect(await page.getByTestId('tour-lunch').count()).toBeGreaterThan(0);

    // the map: one colour per day, one numbered marker per stop, the home base
    await waitForMapIdle(page);
    await expect.poll(async () => (await routeColours(page)).length, { timeout: 30_000 }).toBe(days);
    expect(await page.getByTestId('tour-stop-marker').count()).toBe(visits);
    expect(await page.locator('.tour-marker-base').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-planned.png') });
    // a stop clicked on the map is highlighted in the timeline
    await page.getByTestId('tour-stop-marker').last().click();
    await page.locator('[data-testid="tour-stop"].highlighted').waitFor();

    // Reorder by keyboard on the busiest day: its first stop goes down one place; the times are recomputed.
    const busy = await busiestDay(page);
    const busyDay = dayAt(page, busy);
    const busyLabel = ((await busyDay.getByTestId('tour-day-focus').textContent()) ?? '').trim();
    const busyDate = (await busyDay.getAttribute('data-date')) ?? '';
    expect(await busyDay.getByTestId('tour-stop').count()).toBeGreaterThan(2);
    const before = await stopTimes(page, busy);
    const firstName = await busyDay.getByTestId('tour-stop-name').first().textContent();
    await busyDay.getByTestId('tour-stop-down').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => busyDay.getByTestId('tour-stop-name').nth(1).textContent(), { timeout: 60_000 }).toBe(firstName);
    await page.getByTestId('tours-notice').filter({ hasText: 'times recomputed' }).waitFor({ timeout: 60_000 });
    await waitForTimed(page);
    expect(await stopTimes(page, busy)).not.toBe(before);

    // Pile other days' stops onto it until a constraint breaks: it is flagged, and saving is refused.
    for (let i = 0; i < 12 && (await flagCount(page)) === 0; i++) {
      const count = await busyDay.getByTestId('tour-stop').count();
      const from = page.locator(`[data-testid="tour-day"]:not([data-date="${busyDate}"])`).filter({ has: page.getByTestId('tour-stop') }).first();
      await from.getByTestId('tour-stop-move-day').first().selectOption({ label: busyLabel });
      await expect.poll(() => busyDay.getByTestId('tour-stop').count(), { timeout: 60_000 }).toBe(count + 1);
      await waitForTimed(page);
    }
    expect(await flagCount(page)).toBeGreaterThan(0);
    expect(await page.getByTestId('tour-validity').textContent()).toMatch(/broken constraint/);
    await page.getByTestId('tours-save').click();
    const refused = page.getByTestId('tours-save-error');
    await refused.waitFor({ timeout: 60_000 });
    expect(await refused.textContent()).toMatch(/breaks \d+ constraint/);
    await busyDay.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-flagged.png') });

    // Take the broken parts off, add a visit left over back to a day, and save.
    await removeFlagged(page);
    const offBefore = await page.getByTestId('tours-unplaced-item').count();
    expect(offBefore).toBeGreaterThan(0);
    await page.getByTestId('tours-unplaced-add').first().selectOption({ index: 5 });
    await expect.poll(() => page.getByTestId('tours-unplaced-item').count(), { timeout: 60_000 }).toBe(offBefore - 1);
    await waitForTimed(page);
    await removeFlagged(page);
    await page.getByTestId('tours-save').click();
    await page.getByTestId('tours-notice').filter({ hasText: 'Tour saved' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('tours-save').textContent()).toBe('Saved');
    await page.getByTestId('tours-saved-item').first().waitFor();
    // a saved day can be prepared and announced (tour sheet, calendar, directions, customers told)
    const announce = page.getByTestId('tour-day-announce').first();
    await announce.locator('summary').click();
    await announce.getByTestId('tour-day-actions').waitFor();
    expect(await announce.getByTestId('announce-sheet').getAttribute('href')).toMatch(/sheet\.pdf/);
    await announce.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-announce.png') });
    await announce.locator('summary').click();

    // Reopen it from the list: the same days, re-timed.
    const savedStops = await page.getByTestId('tour-stop').count();
    await page.getByTestId('tours-optimise').click();
    await page.getByTestId('tours-notice').filter({ hasText: 'Optimised' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('tours-saved-open').first().click();
    await page.getByTestId('tours-notice').filter({ hasText: 'Opened the saved tour' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('tour-stop').count()).toBe(savedStops);
    expect(await page.getByTestId('tours-save').textContent()).toBe('Saved');
    expect(await page.getByTestId('tours-unplaced-item').first().getAttribute('data-reason')).toBe('not_on_tour');
    await waitForMapIdle(page);
    await page.getByTestId('tours-saved').scrollIntoViewIfNeeded();
    await page.getByTestId('tour-totals').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-saved.png') });

    // Drag the second stop of the busiest day onto its first stop: it takes its place, re-timed.
    const dragDay = dayAt(page, await busiestDay(page));
    const names = () => dragDay.getByTestId('tour-stop-name').allTextContents();
    const order = await names();
    await dragDay.getByTestId('tour-stop').nth(1).scrollIntoViewIfNeeded();
    await dragDay.getByTestId('tour-stop').nth(1).dragTo(dragDay.getByTestId('tour-stop').first());
    await expect.poll(names, { timeout: 60_000 }).toEqual([order[1], order[0], ...order.slice(2)]);
    await waitForTimed(page);

    // Bring the busiest day forward on the map and send the rep to a hotel after it: the night shows on the map and in the totals.
    const second = dayAt(page, await busiestDay(page));
    const secondStops = await second.getByTestId('tour-stop').count();
    await second.getByTestId('tour-day-focus').click();
    await expect.poll(() => page.locator('[data-testid="tour-stop-marker"]:not(.dimmed)').count(), { timeout: 30_000 }).toBe(secondStops);
    await second.getByTestId('tour-night').selectOption('hotel');
    await page.getByTestId('tour-hotel-marker').waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await page.getByTestId('totals-nights').textContent())?.trim(), { timeout: 60_000 }).toBe('1');
    expect(await page.getByTestId('tours-save').textContent()).toBe('Save changes');
    await waitForTimed(page);
    await waitForMapIdle(page);
    await second.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-hotel-night.png') });

    // Opportunities on the way: free some time on that day, list what fits along its route, add the best one.
    for (let i = 0; i < 3; i++) {
      const count = await second.getByTestId('tour-stop').count();
      await second.getByTestId('tour-stop-remove').last().click();
      await expect.poll(() => second.getByTestId('tour-stop').count(), { timeout: 60_000 }).toBe(count - 1);
      await waitForTimed(page);
    }
    await second.getByTestId('tour-opportunities-toggle').click();
    const summary = second.getByTestId('opportunities-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.textContent()).toMatch(/worth adding on/);
    const offered = await second.getByTestId('opportunity').count();
    if (offered > 0) {
      const count = await second.getByTestId('tour-stop').count();
      await second.getByTestId('opportunity-add').first().click();
      await expect.poll(() => second.getByTestId('tour-stop').count(), { timeout: 60_000 }).toBe(count + 1);
      await page.getByTestId('tours-notice').filter({ hasText: 'Visit added' }).waitFor();
    }
    await second.getByTestId('opportunities-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-opportunities.png') });

    // The saved tour takes the changes (PATCH), then is cancelled: kept in the list as cancelled.
    await waitForTimed(page);
    await removeFlagged(page);
    expect(await page.getByTestId('tours-save').textContent()).toBe('Save changes');
    await page.getByTestId('tours-save').click();
    await page.getByTestId('tours-notice').filter({ hasText: 'Saved tour changed' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('tours-save').textContent()).toBe('Saved');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('tours-cancel').click();
    await page.getByTestId('tours-notice').filter({ hasText: 'Tour cancelled' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="tours-saved-item"][data-status="cancelled"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('tours-save').textContent()).toBe('Save tour');
    // a page with a WebGL map keeps rendering in software: close it for the next test
    await page.context().close();
  }, 420_000);

  it('shows a rep profile a manager edits and the visit types; a rep plans only their own days and reads their profile', async () => {
    const page = await newPage();
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    await page.getByTestId('nav-tours').click();
    await page.getByTestId('tours-profile-link').click();
    await page.getByTestId('rep-profile-form').waitFor();
    expect(await page.getByTestId('profile-home').inputValue()).not.toBe('');
    await page.getByTestId('profile-max-driving').fill('4.5');
    // the office from the geocoder's suggestions
    await page.getByTestId('profile-office').fill('Aix-en-Provence');
    await page.getByTestId('profile-office-suggestions').getByRole('button').first().click();
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').waitFor({ timeout: 60_000 });
    await page.reload();
    await page.getByTestId('rep-profile-form').waitFor();
    expect(await page.getByTestId('profile-max-driving').inputValue()).toBe('4.5');
    expect(await page.getByTestId('profile-office').inputValue()).toMatch(/Aix-en-Provence/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-profile.png') });
    await page.getByTestId('profile-skills').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-profile-costs.png') });

    await page.goto(`${baseUrl()}/tours/visit-types`);
    await page.getByTestId('visit-type-row').first().waitFor();
    const names = await page.getByTestId('visit-type-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(names).toEqual(expect.arrayContaining(['Prospection', 'Suivi client', 'Maintenance four']));
    const newRow = page.getByTestId('visit-type-new');
    await newRow.getByTestId('visit-type-name').fill('Démonstration');
    await newRow.getByTestId('visit-type-duration').fill('60');
    await newRow.getByTestId('visit-type-skills').fill('vente');
    await newRow.getByTestId('visit-type-save').click();
    await page.getByTestId('visit-types-notice').filter({ hasText: 'Démonstration' }).waitFor({ timeout: 60_000 });
    await page.getByTestId('visit-type-row').nth(3).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'tours-visit-types.png') });

    await page.context().close();
    const repPage = await newPage();
    await submitLogin(repPage, baseUrl(), 'rep01@demo.geocrm.app', DEMO_PASSWORD);
    await repPage.waitForURL(/\/accounts/);
    await repPage.getByTestId('nav-tours').click();
    await repPage.getByTestId('tours-page').waitFor();
    expect(await repPage.getByTestId('tours-rep').count()).toBe(0);
    await repPage.getByText('Planning Camille Laurent').waitFor();
    await repPage.getByTestId('tours-profile-link').click();
    await repPage.getByTestId('rep-profile-form').waitFor();
    expect(await repPage.getByTestId('profile-save').count()).toBe(0);
    expect(await repPage.getByTestId('profile-max-driving').isDisabled()).toBe(true);
    await repPage.context().close();
  }, 300_000);
});
