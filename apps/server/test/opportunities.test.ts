import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpportunitiesResponse, TourDto, TourPlan, VisitDto } from '@geocrm/contracts';
import { startHarness, type Harness } from './harness.ts';
import { setUpLyon, type Fixture } from './slots-fixture.ts';

let h: Harness;
let f: Fixture;

beforeAll(async () => {
  h = await startHarness();
  f = await setUpLyon(h);
});
afterAll(async () => h.close());

const list = (payload: Record<string, unknown>, cookie = f.rep) => h.request(cookie, { method: 'POST', url: '/api/v1/opportunities', payload });
const insert = (payload: Record<string, unknown>, cookie = f.rep) => h.request(cookie, { method: 'POST', url: '/api/v1/opportunities/insert', payload });
const plan = () => ({ userId: f.repId, days: [{ date: f.monday, visitIds: f.mondayVisits }] });

describe('opportunities on the way', () => {
  it('lists the accounts in the corridor that fit the day, ranked by worth per detour minute, with why', async () => {
    const res = await list({ plan: plan(), dayIndex: 0, widthKm: 3 });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<OpportunitiesResponse>();
    expect(body.visitType.name).toBe('Follow-up');
    const names = body.items.map((i) => i.accountName);
    // worth visiting, near the route
    expect(names).toEqual(expect.arrayContaining(['Florist Croix-Rousse', 'Cafe Perrache', 'Boiler Brotteaux', 'Caller Villeurbanne']));
    // not: already on the day, closed that day, a competitor, far away, without a pin
    for (const n of ['Bakery Part-Dieu', 'Garage Vaise', 'Pharmacy Gerland', 'Closed Mondays', 'Competitor Nearby', 'Marseille Far', 'No Pin']) expect(names).not.toContain(n);
    expect(body.notFitting).toBeGreaterThanOrEqual(1);
    const ratios = body.items.map((i) => i.worthPerDetourMinute);
    expect(ratios).toEqual([...ratios].sort((a, b) => b - a));
    const florist = body.items.find((i) => i.accountName === 'Florist Croix-Rousse');
    expect(florist?.reasons.join(' | ')).toMatch(/Potential 80,000 €.*Never visited/);
    const boiler = body.items.find((i) => i.accountName === 'Boiler Brotteaux');
    expect(boiler?.reasons.join(' | ')).toMatch(/Maintenance due/);
    // a richer account with the same recency is worth more
    const cafe = body.items.find((i) => i.accountName === 'Cafe Perrache');
    expect(florist?.worth ?? 0).toBeGreaterThan(cafe?.worth ?? 0);
    for (const i of body.items) {
      expect(i.position).toBeGreaterThanOrEqual(0);
      expect(i.position).toBeLessThanOrEqual(3);
      expect(i.detourMinutes).toBeGreaterThanOrEqual(0);
      expect(i.distanceFromRouteKm).toBeLessThanOrEqual(3);
    }
  });

  it('inserts one in a click: the visit created, the day re-timed and valid (the shape of /tours/evaluate)', async () => {
    const { items } = (await list({ plan: plan(), dayIndex: 0 })).json<OpportunitiesResponse>();
    const pick = items[0];
    if (!pick) throw new Error('no opportunity');
    const res = await insert({ plan: plan(), dayIndex: 0, accountId: pick.accountId });
    expect(res.statusCode, res.body).toBe(200);
    const timed = res.json<TourPlan>();
    expect(timed.valid).toBe(true);
    const stops = timed.days[0]?.stops ?? [];
    expect(stops).toHaveLength(4);
    expect(stops[pick.position]?.accountId).toBe(pick.accountId);
    expect(stops[pick.position]?.start).toBe(pick.start);
    const visit = (await h.request(f.rep, { method: 'GET', url: `/api/v1/visits/${stops[pick.position]?.visitId ?? ''}` })).json<VisitDto>();
    expect(visit).toMatchObject({ accountId: pick.accountId, assignedUserId: f.repId, window: { from: f.monday, to: f.monday }, status: 'planned' });
    // the unsaved plan is the caller's: the saved tour is untouched
    expect((await h.request(f.rep, { method: 'GET', url: `/api/v1/tours/${f.tour.id}` })).json<TourDto>().days[0]?.stops).toHaveLength(3);
  });

  it('fills a saved tour: the tour is rewritten in the same transaction', async () => {
    const res = await list({ tourId: f.tour.id, date: f.monday });
    expect(res.statusCode, res.body).toBe(200);
    const pick = res.json<OpportunitiesResponse>().items.find((i) => i.accountName === 'Florist Croix-Rousse');
    if (!pick) throw new Error('florist not proposed');
    const done = await insert({ tourId: f.tour.id, date: f.monday, accountId: pick.accountId, position: pick.position });
    expect(done.statusCode, done.body).toBe(200);
    const tour = (await h.request(f.rep, { method: 'GET', url: `/api/v1/tours/${f.tour.id}` })).json<TourDto>();
    expect(tour.days[0]?.stops).toHaveLength(4);
    expect(tour.totals.visits).toBe(4);
    const plan = done.json<TourPlan>();
    expect(tour.days[0]?.stops.map((s) => s.start)).toEqual(plan.days[0]?.stops.map((s) => s.start));
    // it is no longer an opportunity
    const again = (await list({ tourId: f.tour.id, date: f.monday })).json<OpportunitiesResponse>();
    expect(again.items.map((i) => i.accountId)).not.toContain(pick.accountId);
    expect((await insert({ tourId: f.tour.id, date: f.monday, accountId: pick.accountId })).statusCode).toBe(409);
  });

  it('refuses what does not fit, with the reason, and creates nothing', async () => {
    const far = await insert({ plan: plan(), dayIndex: 0, accountId: f.accounts['Marseille Far'] });
    expect(far.statusCode, far.body).toBe(422);
    expect(far.json<{ message: string }>().message).toMatch(/"Marseille Far" does not fit in the day of/);
    const closed = await insert({ plan: plan(), dayIndex: 0, accountId: f.accounts['Closed Mondays'] });
    expect(closed.statusCode).toBe(422);
    expect(closed.json<{ message: string }>().message).toMatch(/Closed Mondays is closed all day/);
    const visits = (await h.request(f.manager, { method: 'GET', url: `/api/v1/visits?accountId=${f.accounts['Marseille Far'] ?? ''}` })).json<{ items: unknown[] }>();
    expect(visits.items).toHaveLength(0);
    const noPin = await insert({ plan: plan(), dayIndex: 0, accountId: f.accounts['No Pin'] });
    expect(noPin.json<{ message: string }>().message).toMatch(/has no location/);
    const past = await list({ plan: { userId: f.repId, days: [{ date: '2020-01-06', visitIds: [] }] } });
    expect(past.json<{ message: string }>().message).toMatch(/2020-01-06 is in the past/);
    const neither = await list({ widthKm: 2 });
    expect(neither.json<{ message: string }>().message).toMatch(/Give the day to fill/);
    // a rep fills only their own days
    expect((await list({ plan: { userId: f.techId, days: [{ date: f.monday, visitIds: [] }] } })).statusCode).toBe(403);
  });
});
