import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BookSlotResponse, OpportunitiesResponse, TourDto, TourPlan, UserList } from '@geocrm/contracts';
import { DEMO_PASSWORD, MANAGER_EMAIL, SCREENSHOT_DIR, submitLogin, useBrowserSession } from './harness.ts';

const { baseUrl, newPage } = useBrowserSession();

const nextMonday = (): string => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() !== 1);
  return d.toISOString().slice(0, 10);
};

const post = async <T>(page: Page, path: string, data: unknown): Promise<T> => {
  const res = await page.request.post(`${baseUrl()}/api/v1${path}`, { data });
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
};

/** The slot map has drawn its route and base map (MapLibre idle after the slot was set). */
const waitForSlotMap = (page: Page) =>
  page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="slot-map"]');
      return el?.getAttribute('data-drawn') === 'true' && document.querySelector('[data-testid="slot-pin-new"]') !== null;
    },
    undefined,
    { timeout: 60_000, polling: 250 },
  );

describe('appointments in Chromium', () => {
  it('proposes the best slots for a customer across the saved tours and books one', async () => {
    const page = await newPage({ height: 1000 });
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);

    // A rep's week planned and saved (the demo has reps with homes and two weeks of open visits).
    const monday = nextMonday();
    const users = (await (await page.request.get(`${baseUrl()}/api/v1/users`)).json()) as UserList;
    const rep = users.items.find((u) => u.role === 'rep');
    if (!rep) throw new Error('no demo rep');
    const plan = await post<TourPlan>(page, '/tours/plan', { userId: rep.id, from: monday, days: 5 });
    // a partly planned week: the first three visits of each day (room left for appointments), home every
    // night; a stop this makes late (a visit wanted in the morning now reached after noon) is left out
    let days = plan.days.filter((d) => d.stops.length > 0).map((d) => ({ date: d.date, visitIds: d.stops.slice(0, 3).map((s) => s.visitId), night: 'home' as const }));
    for (let pass = 0; pass < 3; pass++) {
      const timed = await post<TourPlan>(page, '/tours/evaluate', { userId: rep.id, days });
      if (timed.valid) break;
      days = timed.days.map((d) => ({ date: d.date, visitIds: d.stops.filter((s) => s.flags.length === 0).map((s) => s.visitId), night: 'home' as const })).filter((d) => d.visitIds.length > 0);
    }
    expect(days.length).toBeGreaterThan(0);
    const tour = await post<TourDto>(page, '/tours', { userId: rep.id, days });
    // A customer on the way of that tour: the one the opportunities list ranks first on its first day that has one.
    let customer: OpportunitiesResponse['items'][number] | undefined;
    for (const day of tour.days) {
      customer ??= (await post<OpportunitiesResponse>(page, '/opportunities', { tourId: tour.id, date: day.date, widthKm: 10 })).items[0];
    }
    if (!customer) throw new Error('no account on the way of any day');

    // The back-office screen: search the account, the slots come at once.
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.getByTestId('nav-appointments').click();
    try {
      await page.getByTestId('appointments-page').waitFor({ timeout: 60_000 });
    } catch (error) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'appointments-failed.png') });
      throw new Error(`the appointments page did not show; page errors: ${pageErrors.join(' | ')}`, { cause: error });
    }
    await page.getByTestId('appt-account').fill(customer.accountName.slice(0, 24));
    await page.getByTestId('appt-account-suggestions').getByRole('button', { name: customer.accountName }).first().click();
    await page.getByTestId('appt-account-picked').waitFor();
    await page.getByTestId('appt-type').selectOption({ label: 'Suivi client (30 min)' });
    await page.getByTestId('appt-from').fill(tour.from);
    await page.getByTestId('appt-to').fill(tour.to);
    await page.getByTestId('appt-rep').selectOption(rep.id);
    try {
      await page.getByTestId('appt-heading').filter({ hasText: 'best slot' }).waitFor({ timeout: 30_000 });
    } catch (error) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'appointments-failed.png') });
      throw new Error(`no slots shown; the page said: ${(await page.getByTestId('appt-results').textContent()) ?? ''}`, { cause: error });
    }
    const slots = page.getByTestId('appt-slot');
    expect(await slots.count()).toBeGreaterThan(0);
    await waitForSlotMap(page);
    // the timeline shows the day with the new appointment among the tour's stops
    expect(await page.getByTestId('slot-stop-new').count()).toBe(1);
    expect(await page.getByTestId('slot-stop').count()).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'appointments-slots.png') });

    // Book the best one: confirmation with the day and time, the saved tour has the fixed appointment.
    const firstTime = (await slots.first().locator('.appt-slot-time').textContent())?.trim() ?? '';
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/appointments'));
    await slots.first().getByTestId('appt-book').click();
    const response = await answer;
    expect(response.status()).toBe(201);
    const booked = (await response.json()) as BookSlotResponse;
    const confirmation = page.getByTestId('appt-confirmation');
    await confirmation.waitFor();
    expect(await confirmation.textContent()).toContain(customer.accountName);
    expect(await confirmation.textContent()).toContain(firstTime);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'appointments-booked.png') });
    // the saved tour of that rep now holds the fixed appointment, at its time
    expect(booked.visit).toMatchObject({ accountId: customer.accountId, assignedUserId: rep.id, visitTypeName: 'Suivi client' });
    const after = (await (await page.request.get(`${baseUrl()}/api/v1/tours/${booked.tour.id}`)).json()) as TourDto;
    expect(after.userId).toBe(rep.id);
    expect(after.days.some((d) => d.stops.some((s) => s.visitId === booked.visit.id && s.start === booked.visit.appointmentAt))).toBe(true);
  }, 180_000);
});
