import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AccountList, EmergencyDto, TourDto, TourPlan, UserList } from '@geocrm/contracts';
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

/** A demo rep's Monday, optimised and saved (valid stops only). */
const saveDemoDay = async (page: Page): Promise<TourDto> => {
  const users = (await (await page.request.get(`${baseUrl()}/api/v1/users`)).json()) as UserList;
  const rep = users.items.find((u) => u.role === 'rep');
  if (!rep) throw new Error('no demo rep');
  const plan = await post<TourPlan>(page, '/tours/plan', { userId: rep.id, from: nextMonday(), days: 1 });
  let days = plan.days.filter((d) => d.stops.length > 0).map((d) => ({ date: d.date, visitIds: d.stops.map((s) => s.visitId), night: 'home' as const }));
  for (let pass = 0; pass < 3; pass++) {
    const timed = await post<TourPlan>(page, '/tours/evaluate', { userId: rep.id, days });
    if (timed.valid) break;
    days = timed.days.map((d) => ({ date: d.date, visitIds: d.stops.filter((s) => s.flags.length === 0).map((s) => s.visitId), night: 'home' as const })).filter((d) => d.visitIds.length > 0);
  }
  expect(days.length).toBe(1);
  return post<TourDto>(page, '/tours', { userId: rep.id, days });
};

describe('prepare and announce a tour day in Chromium', () => {
  it('downloads the sheet and the calendar, shows directions, notifies customers and sends a presence notice', async () => {
    const page = await newPage({ height: 1300, acceptDownloads: true });
    await submitLogin(page, baseUrl(), MANAGER_EMAIL, DEMO_PASSWORD);
    await page.waitForURL(/\/accounts/);
    const tour = await saveDemoDay(page);
    const date = tour.days[0]?.date ?? '';
    const stops = tour.days[0]?.stops.length ?? 0;
    expect(stops).toBeGreaterThan(0);

    await page.goto(`${baseUrl()}/tours/${tour.id}/announce`);
    await page.getByTestId('tour-day-actions').waitFor();
    expect(await page.getByTestId('announce-stops').locator('li').count()).toBe(stops);
    expect(await page.getByTestId(`announce-day-${date}`).getAttribute('class')).toBe('active');

    // Tour sheet: a real PDF download
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('announce-sheet').click()]);
    expect(pdf.suggestedFilename()).toMatch(/^tour-.*\.pdf$/);
    const pdfBytes = readFileSync((await pdf.path()) ?? '');
    expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Calendar: one event per stop
    const [ics] = await Promise.all([page.waitForEvent('download'), page.getByTestId('announce-calendar').click()]);
    const icsText = readFileSync((await ics.path()) ?? '', 'utf8');
    expect(icsText.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(icsText.match(/BEGIN:VEVENT/g)?.length).toBe(stops);

    // Directions
    await page.getByTestId('announce-directions').click();
    await page.getByTestId('announce-directions-panel').waitFor();
    expect(await page.getByTestId('announce-google').first().getAttribute('href')).toMatch(/^https:\/\/www\.google\.com\/maps\/dir\/\?api=1&origin=/);
    expect(await page.getByTestId('announce-waze').count()).toBe(stops);

    // Notify customers: preview, then send, then the result (the embedded mailer writes to the outbox)
    await page.getByTestId('announce-notify').click();
    await page.getByTestId('announce-notify-preview').click();
    const previewText = (await page.getByTestId('announce-notify-preview-result').textContent()) ?? '';
    expect(previewText).toMatch(/would go out/);
    const wouldSend = await page.getByTestId('announce-notify-preview-result-sent').locator('li').count();
    expect(wouldSend).toBeGreaterThan(0);
    await page.getByTestId('announce-notify-send').click();
    await page.getByTestId('announce-notify-result').waitFor();
    expect((await page.getByTestId('announce-notify-result').textContent()) ?? '').toMatch(/written to the outbox/);
    expect(await page.getByTestId('announce-notify-result-sent').locator('li').count()).toBe(wouldSend);

    // Presence notice: a distance, the preview, then send
    await page.getByTestId('announce-presence').click();
    await page.getByTestId('announce-presence-width').fill('3');
    await page.getByTestId('announce-presence-preview').click();
    await page.getByTestId('announce-presence-preview-result').waitFor();
    const counts = (await page.getByTestId('announce-presence-counts').textContent()) ?? '';
    expect(counts).toMatch(/accounts? within 3 km/);
    const recipients = await page.getByTestId('announce-presence-recipients').locator('li').count();
    expect(recipients).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'announce-presence-preview.png'), fullPage: true });
    await page.getByTestId('announce-presence-send').click();
    await page.getByTestId('announce-presence-result').waitFor();
    expect(await page.getByTestId('announce-presence-result-sent').locator('li').count()).toBe(recipients);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'announce.png'), fullPage: true });

    // Sending the presence notice again tells nobody twice
    await page.getByTestId('announce-presence-width').fill('3');
    await page.getByTestId('announce-presence-preview').click();
    await page.getByTestId('announce-presence-counts').filter({ hasText: `${recipients} already told` }).waitFor();

    // The demo's equipment: an urgent call far from the technician's home finds maintenance due on the way
    const users = (await (await page.request.get(`${baseUrl()}/api/v1/users`)).json()) as UserList;
    const tech = users.items.find((u) => u.role === 'technician');
    const machines = (await (await page.request.get(`${baseUrl()}/api/v1/accounts?kind=equipment&limit=100`)).json()) as AccountList;
    let best = 0;
    for (const m of machines.items.slice(0, 20)) {
      const e = await post<EmergencyDto>(page, '/announce/emergency', { accountId: m.id, technicianId: tech?.id, date: nextMonday(), dueWithinDays: 365, widthKm: 10 });
      best = Math.max(best, e.proposals.length);
      if (e.proposals.length > 1) {
        expect(e.proposals[0]?.detourMinutes).toBe(0);
        break;
      }
    }
    expect(best).toBeGreaterThan(1);
  });
});
