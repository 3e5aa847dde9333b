import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookSlotResponse, SlotsResponse, TourDto, VisitList } from '@geocrm/contracts';
import { startHarness, type Harness } from './harness.ts';
import { addDays, local, parisInstant, setUpLyon, type Fixture } from './slots-fixture.ts';

let h: Harness;
let f: Fixture;

beforeAll(async () => {
  h = await startHarness();
  f = await setUpLyon(h);
});
afterAll(async () => h.close());

const propose = (payload: Record<string, unknown>, cookie = f.backoffice) => h.request(cookie, { method: 'POST', url: '/api/v1/appointments/slots', payload });
const book = (payload: Record<string, unknown>, cookie = f.backoffice) => h.request(cookie, { method: 'POST', url: '/api/v1/appointments', payload });
const tourOf = async (id: string) => (await h.request(f.manager, { method: 'GET', url: `/api/v1/tours/${id}` })).json<TourDto>();

describe('appointment slots', () => {
  it('proposes the cheapest slots across the saved tour and free days, each bookable and breaking nothing', async () => {
    const res = await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: f.types['Follow-up']?.id, from: f.monday, to: addDays(f.monday, 1), count: 4 });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<SlotsResponse>();
    expect(body.items).toHaveLength(4);
    // the rep's saved Monday and both free Tuesdays, the technician's free Monday: 4 rep-days
    expect(body.daysSearched).toBe(4);
    const [first] = body.items;
    // inserting into the saved Monday of the owner is cheaper than driving out on a free day
    expect(first).toMatchObject({ userId: f.repId, date: f.monday, tourId: f.tour.id, ownerFit: true });
    const free = body.items.find((s) => s.tourId === null && s.userId === f.repId);
    expect(free, 'the rep\'s free Tuesday is proposed').toBeDefined();
    expect(first?.extraKm ?? 0).toBeLessThan(free?.extraKm ?? 0);
    // ranked by added cost, the owner first at equal cost, fewer shifted visits first
    const ranks = body.items.map((s) => s.rankCents);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const s of body.items) expect(s.rankCents).toBeGreaterThanOrEqual(s.extraCostCents);
    for (const s of body.items) {
      const t = local(s.start);
      expect(t.date).toBe(s.date);
      // inside the account's hours (09–12, 14–18) for a 30 min visit
      expect((t.time >= '09:00' && t.time <= '11:30') || (t.time >= '14:00' && t.time <= '17:30'), t.time).toBe(true);
      expect(s.day.stops.filter((x) => x.isNew)).toHaveLength(1);
      for (const m of s.moves) expect(m.appointment).toBe(false);
    }
    // the saved day's other stops are in the timeline, with how much they shift
    expect(first?.day.stops.filter((x) => !x.isNew).map((x) => x.visitId).sort()).toEqual([...f.mondayVisits].sort());
    expect(first?.reasons.join(' ')).toMatch(/owns this account/);
  });

  it('books a slot: a fixed appointment, the saved tour re-timed; the same time again is refused and nothing is half-saved', async () => {
    const slots = (await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: f.types['Follow-up']?.id, from: f.monday, to: f.monday, userId: f.repId, count: 1 })).json<SlotsResponse>();
    const slot = slots.items[0];
    if (!slot) throw new Error('no slot');
    const res = await book({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: f.types['Follow-up']?.id, userId: f.repId, start: slot.start, notes: 'Booked on the phone' });
    expect(res.statusCode, res.body).toBe(201);
    const booked = res.json<BookSlotResponse>();
    expect(booked.visit).toMatchObject({ appointmentAt: slot.start, assignedUserId: f.repId, status: 'planned', notes: 'Booked on the phone' });
    expect(booked.tour.id).toBe(f.tour.id);
    const day = booked.tour.days.find((d) => d.date === f.monday);
    expect(day?.stops).toHaveLength(4);
    const stop = day?.stops.find((s) => s.visitId === booked.visit.id);
    expect(stop?.start).toBe(slot.start);
    expect(booked.tour.totals.visits).toBe(4);
    expect(booked.tour.totals.distanceMetres).toBeGreaterThan(f.tour.totals.distanceMetres);
    // every other stop where the proposal said it would be
    for (const s of slot.day.stops.filter((x) => !x.isNew)) expect(day?.stops.find((x) => x.visitId === s.visitId)?.start).toBe(s.start);

    // someone else books the same rep at the same time: refused, no visit created
    const before = (await h.request(f.manager, { method: 'GET', url: `/api/v1/visits?accountId=${f.accounts['Cafe Perrache'] ?? ''}` })).json<VisitList>().items.length;
    const again = await book({ accountId: f.accounts['Cafe Perrache'], visitTypeId: f.types['Follow-up']?.id, userId: f.repId, start: slot.start });
    expect(again.statusCode, again.body).toBe(422);
    expect(again.json<{ message: string }>().message).toMatch(/no longer free/);
    const after = (await h.request(f.manager, { method: 'GET', url: `/api/v1/visits?accountId=${f.accounts['Cafe Perrache'] ?? ''}` })).json<VisitList>().items.length;
    expect(after).toBe(before);
    expect((await tourOf(f.tour.id)).days[0]?.stops).toHaveLength(4);

    // the next proposal on Monday works around the booked appointment, which never moves
    const next = (await propose({ accountId: f.accounts['Cafe Perrache'], visitTypeId: f.types['Follow-up']?.id, from: f.monday, to: f.monday, userId: f.repId, count: 1 })).json<SlotsResponse>();
    expect(next.items[0]?.start).not.toBe(slot.start);
    for (const m of next.items[0]?.moves ?? []) expect(m.visitId).not.toBe(booked.visit.id);
  });

  it('books a free day as a new one-day tour', async () => {
    const tuesday = addDays(f.monday, 1);
    const slots = (await propose({ accountId: f.accounts['Florist Croix-Rousse'], visitTypeId: f.types['Maintenance']?.id, from: tuesday, to: tuesday })).json<SlotsResponse>();
    // only the technician has the gas skill
    expect(slots.skipped.map((s) => s.userId)).toContain(f.repId);
    expect(slots.items.every((s) => s.userId === f.techId && s.tourId === null)).toBe(true);
    const slot = slots.items[0];
    if (!slot) throw new Error('no slot');
    const res = await book({ accountId: f.accounts['Florist Croix-Rousse'], visitTypeId: f.types['Maintenance']?.id, userId: f.techId, start: slot.start });
    expect(res.statusCode, res.body).toBe(201);
    const booked = res.json<BookSlotResponse>();
    expect(booked.tour).toMatchObject({ userId: f.techId, from: tuesday, to: tuesday });
    expect(booked.tour.days[0]?.stops.map((s) => s.start)).toEqual([slot.start]);
  });

  it("offers a day inside a saved tour's dates that has no day yet as an empty day of that tour (one tour per rep and date)", async () => {
    const [wed, thu, fri] = [2, 3, 4].map((n) => addDays(f.monday, n));
    const ids: string[] = [];
    for (const [name, date] of [['Garage Vaise', wed], ['Pharmacy Gerland', fri]] as const) {
      const v = await h.request(f.manager, { method: 'POST', url: '/api/v1/visits', payload: { accountId: f.accounts[name], visitTypeId: f.types['Follow-up']?.id, assignedUserId: f.repId, window: { from: date, to: date } } });
      ids.push(v.json<{ id: string }>().id);
    }
    const saved = await h.request(f.manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: f.repId, days: [{ date: wed, visitIds: [ids[0]] }, { date: fri, visitIds: [ids[1]] }] } });
    expect(saved.statusCode, saved.body).toBe(201);
    const slots = (await propose({ accountId: f.accounts['Cafe Perrache'], visitTypeId: f.types['Follow-up']?.id, from: thu, to: thu, userId: f.repId })).json<SlotsResponse>();
    const slot = slots.items[0];
    const tourId = saved.json<TourDto>().id;
    expect(slot).toMatchObject({ date: thu, tourId });
    const res = await book({ accountId: f.accounts['Cafe Perrache'], visitTypeId: f.types['Follow-up']?.id, userId: f.repId, start: slot?.start });
    expect(res.statusCode, res.body).toBe(201);
    const tour = res.json<BookSlotResponse>().tour;
    expect(tour).toMatchObject({ id: tourId, from: wed, to: fri });
    expect(tour.days.map((d) => [d.date, d.stops.length])).toEqual([[wed, 1], [thu, 1], [fri, 1]]);
  });

  it('two bookings of the same slot at the same moment: one lands, the other is refused, nothing half-saved', async () => {
    const date = addDays(f.monday, 7);
    const slots = (await propose({ accountId: f.accounts['Boiler Brotteaux'], visitTypeId: f.types['Follow-up']?.id, from: date, to: date, userId: f.repId, count: 1 })).json<SlotsResponse>();
    const slot = slots.items[0];
    if (!slot) throw new Error('no slot');
    expect(slot.tourId).toBeNull();
    const [a, b] = await Promise.all(
      ['Boiler Brotteaux', 'Florist Croix-Rousse'].map((name) => book({ accountId: f.accounts[name], visitTypeId: f.types['Follow-up']?.id, userId: f.repId, start: slot.start })),
    );
    const codes = [a?.statusCode, b?.statusCode].sort();
    expect(codes[0], `${a?.body ?? ''} ${b?.body ?? ''}`).toBe(201);
    expect([409, 422]).toContain(codes[1]);
    const tours = (await h.request(f.manager, { method: 'GET', url: `/api/v1/tours?userId=${f.repId}&from=${date}&to=${date}` })).json<{ items: { id: string }[] }>().items;
    expect(tours).toHaveLength(1);
    const tour = await tourOf(tours[0]?.id ?? '');
    expect(tour.days.flatMap((d) => d.stops)).toHaveLength(1);
  });

  it('names what is wrong: no location, past dates, a rep without a home, outside opening hours, missing skills', async () => {
    const type = f.types['Follow-up']?.id;
    const noPin = await propose({ accountId: f.accounts['No Pin'], visitTypeId: type, from: f.monday, to: f.monday });
    expect(noPin.statusCode).toBe(400);
    expect(noPin.json<{ message: string }>().message).toMatch(/"No Pin" has no location/);
    const past = await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: type, from: '2020-01-06', to: '2020-01-07' });
    expect(past.statusCode).toBe(400);
    expect(past.json<{ message: string }>().message).toMatch(/2020-01-06 is in the past/);
    const reversed = await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: type, from: addDays(f.monday, 2), to: f.monday });
    expect(reversed.json<{ message: string }>().message).toMatch(/before from/);
    const homeless = await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: type, from: f.monday, to: f.monday, userId: h.users.a.manager.id });
    expect(homeless.statusCode).toBe(400);
    expect(homeless.json<{ message: string }>().message).toMatch(/has no home location/);
    const skills = await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: f.types['Maintenance']?.id, from: f.monday, to: f.monday, userId: f.repId });
    expect(skills.json<{ message: string }>().message).toMatch(/lacks the skill\(s\) gas/);
    const closed = await propose({ accountId: f.accounts['Closed Mondays'], visitTypeId: type, from: f.monday, to: f.monday });
    expect(closed.json<{ message: string }>().message).toMatch(/closed on every day/);
    const evening = await book({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: type, userId: f.repId, start: parisInstant(f.monday, '19:00') });
    expect(evening.statusCode).toBe(400);
    expect(evening.json<{ message: string }>().message).toMatch(/19:00 is outside the opening hours of "Caller Villeurbanne" \(open 09:00–12:00, 14:00–18:00\)/);
    const lastYear = await book({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: type, userId: f.repId, start: '2020-01-06T10:00:00.000Z' });
    expect(lastYear.json<{ message: string }>().message).toMatch(/in the past/);
    // a rep books only for themselves
    expect((await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: type, from: f.monday, to: f.monday, userId: f.techId }, f.rep)).statusCode).toBe(403);
    // another organisation sees nothing
    const other = await h.login(h.users.b.backoffice);
    expect((await propose({ accountId: f.accounts['Caller Villeurbanne'], visitTypeId: type, from: f.monday, to: f.monday }, other)).statusCode).toBe(404);
  });
});
