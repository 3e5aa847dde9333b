import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

const { baseUrl, newPage } = useBrowserSession();

interface Person {
  readonly userId: string;
  readonly name: string;
  readonly role: string;
  readonly skills: string[];
  readonly home: { lng: number; lat: number } | null;
}
interface AccountItem {
  readonly id: string;
  readonly name: string;
  readonly location: { lng: number; lat: number } | null;
}

const MAINTENANCE = 'maintenance-fours';

const getJson = async <T,>(page: Page, path: string): Promise<T> => {
  const res = await page.request.get(`${baseUrl()}/api/v1${path}`);
  if (!res.ok()) throw new Error(`${path}: ${String(res.status())} ${await res.text()}`);
  return (await res.json()) as T;
};
const postJson = async <T,>(page: Page, path: string, data: unknown): Promise<T> => {
  const res = await page.request.post(`${baseUrl()}/api/v1${path}`, { data });
  if (!res.ok()) throw new Error(`${path}: ${String(res.status())} ${await res.text()}`);
  return (await res.json()) as T;
};

/** The map is loaded, still, and has drawn its sources. */
const waitForMapIdle = (page: Page, source: string) =>
  page.waitForFunction(
    (src) => {
      const map = window.__geocrmMap;
      return Boolean(map?.loaded() && !map.isMoving() && map.getSource(src) && map.isSourceLoaded(src) && map.areTilesLoaded());
    },
    source,
    { timeout: 60_000, polling: 250 },
  );

const renderedColours = (page: Page, layer: string) =>
  page.evaluate((id) => [...new Set((window.__geocrmMap?.queryRenderedFeatures({ layers: [id] }) ?? []).map((f) => String(f.properties['colour'])))], layer);

const nextMonday = (): string => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

describe('assignment in Chromium', () => {
  it('assigns service tasks automatically over a week (routes per technician on the map, table, left out with reasons, apply) and gives new accounts owners', async () => {
    const page = await newPage({ height: 1000 });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);

    // Service calls near the demo's technician and three maintenance reps (6 each), and one needing a skill none of them has.
    const people = (await getJson<{ items: Person[] }>(page, '/assignment/technicians')).items;
    const technician = people.find((p) => p.role === 'technician' && p.home);
    const reps = people.filter((p) => p.role === 'rep' && p.home && p.skills.includes(MAINTENANCE)).slice(0, 3);
    if (!technician) throw new Error('the demo has no technician with a home');
    expect(reps).toHaveLength(3);
    const team = [technician, ...reps];
    let created = 0;
    for (const p of team) {
      const near = await getJson<{ items: AccountItem[] }>(page, `/accounts?near=${String(p.home?.lng)},${String(p.home?.lat)},30&limit=6`);
      for (const [i, a] of near.items.entries()) {
        await postJson(page, '/assignment/tasks', {
          accountId: a.id,
          title: i % 2 ? `Oven service ${a.name}` : `Fridge check ${a.name}`,
          durationMinutes: 45 + (i % 3) * 30,
          requiredSkills: i % 2 ? [MAINTENANCE] : [],
          priority: 30 + i * 10,
          ...(i === 0 ? { dueDate: nextMonday() } : {}),
        });
        created += 1;
      }
    }
    const sales = (await getJson<{ items: AccountItem[] }>(page, `/accounts?near=${String(technician.home?.lng)},${String(technician.home?.lat)},30&limit=7`)).items[6];
    if (!sales) throw new Error('no account');
    await postJson(page, '/assignment/tasks', { accountId: sales.id, title: 'Sales demo', durationMinutes: 30, requiredSkills: ['vente'] });
    created += 1;

    await page.getByTestId('nav-assignment').click();
    await page.getByTestId('assignment-page').waitFor();
    await expect.poll(async () => page.getByTestId('assign-task-row').count(), { timeout: 30_000 }).toBe(created);
    // filters: by skill, then by text
    await page.getByTestId('assign-filter-skill').selectOption('vente');
    await expect.poll(async () => page.getByTestId('assign-task-row').count()).toBe(1);
    await page.getByTestId('assign-filter-skill').selectOption('');
    await page.getByTestId('assign-filter-text').fill('Oven');
    await expect.poll(async () => page.getByTestId('assign-task-row').count()).toBeLessThan(created);
    await page.getByTestId('assign-filter-text').fill('');

    // the technician is ticked by default; add the three reps
    const boxes = page.getByTestId('assign-person');
    for (const r of reps) await page.locator('label.assign-person', { hasText: r.name }).getByTestId('assign-person').check();
    expect(await boxes.and(page.locator(':checked')).count()).toBe(4);
    await page.getByTestId('assign-from').fill(nextMonday());
    await page.getByTestId('assign-days').fill('5');
    await page.getByTestId('assign-run').click();
    await page.getByTestId('assign-preview').waitFor({ timeout: 120_000 });

    // all but the sales demo, save one or two whose account's demo opening hours or place leave no room
    const assigned = Number(await page.getByTestId('assign-assigned').textContent());
    expect(assigned).toBeGreaterThanOrEqual(created - 3);
    const left = page.getByTestId('assign-unassigned-item');
    expect(await left.count()).toBe(created - assigned);
    const reasons = await left.allTextContents();
    expect(reasons.find((r) => r.includes('Sales demo'))).toContain('No technician in the plan has the required skills');
    for (const r of reasons) expect(r).toMatch(/: \S/);
    expect(await page.getByTestId('assign-tech-row').count()).toBe(4);
    expect(await page.getByTestId('assign-spread').textContent()).toMatch(/spread [\d.]+–[\d.]+ h/);
    await waitForMapIdle(page, 'assign-routes');
    await expect.poll(async () => (await renderedColours(page, 'assign-route-line')).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'assignment-preview.png') });

    // one technician brought forward
    await page.getByTestId('assign-tech-row').first().click();
    expect(await page.getByTestId('assign-tech-row').first().getAttribute('class')).toContain('focused');

    await page.getByTestId('assign-apply').click();
    await page.getByTestId('assign-applied').waitFor();
    expect(await page.getByTestId('assign-applied').textContent()).toBe(`${String(assigned)} tasks assigned.`);
    await page.getByTestId('assign-filter-status').selectOption('assigned');
    await expect.poll(async () => page.getByTestId('assign-task-row').count(), { timeout: 30_000 }).toBe(assigned);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'assignment-applied.png') });

    // New accounts without owner near two reps' homes: owners by nearest rep, at most current + 3 each.
    const fresh: string[] = [];
    for (const [k, r] of reps.slice(0, 2).entries()) {
      for (let i = 0; i < 5; i++) {
        const res = await postJson<{ id: string }>(page, '/accounts', {
          kind: 'prospect',
          name: `New prospect ${String(k + 1)}-${String(i + 1)}`,
          address: { line1: '', line2: '', postcode: '', city: '', country: 'FR' },
          location: { lng: (r.home?.lng ?? 2) + 0.04 * (i - 2), lat: (r.home?.lat ?? 46) + 0.03 * ((i % 2) - 0.5) },
        });
        fresh.push(res.id);
      }
    }
    await page.getByTestId('assign-tab-accounts').click();
    await page.getByTestId('owners-source-ids').check();
    await page.getByTestId('owners-ids').fill(fresh.join('\n'));
    await page.getByTestId('owners-method').selectOption('nearest');
    await page.getByTestId('owners-run').click();
    await page.getByTestId('owners-preview').waitFor({ timeout: 60_000 });
    expect(Number(await page.getByTestId('owners-assigned').textContent())).toBe(10);
    expect(await page.getByTestId('owners-rep-row').count()).toBeGreaterThanOrEqual(2);
    await waitForMapIdle(page, 'assign-points');
    await expect.poll(async () => (await renderedColours(page, 'assign-point')).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'assignment-owners.png') });
    await page.getByTestId('owners-apply').click();
    await page.getByTestId('owners-applied').waitFor();
    const owned = await getJson<{ items: AccountItem[] }>(page, '/accounts?ownerId=none&q=New%20prospect&limit=50');
    expect(owned.items.filter((a) => a.name.startsWith('New prospect'))).toHaveLength(0);
  });
});
