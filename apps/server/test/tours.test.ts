import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepProfileDto, TourDto, TourList, TourPlan, VisitDto, VisitList, VisitTypeDto } from '@geocrm/contracts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let manager: string;
let rep: string;
let repId: string;

const TZ = 'Europe/Paris';
const local = (iso: string): { date: string; time: string } => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
};
const addDays = (date: string, n: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
/** The Monday after today (Paris): tours are planned from today on. */
const monday = (() => {
  const today = local(new Date().toISOString()).date;
  let d = addDays(today, 1);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
})();
const tuesday = addDays(monday, 1);
/** Paris is UTC+1 in winter, UTC+2 in summer: an instant of a local time, found by trying both. */
const parisInstant = (date: string, time: string): string => {
  for (const offset of ['+01:00', '+02:00']) {
    const iso = new Date(`${date}T${time}:00${offset}`).toISOString();
    if (local(iso).time === time) return iso;
  }
  throw new Error('no instant');
};

const WEEKDAYS_9_TO_18 = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }]]));
const accounts: Record<string, string> = {};
const types: Record<string, VisitTypeDto> = {};

const createAccount = async (name: string, lng: number | null, lat: number, weekly: Record<string, { from: string; to: string }[]> = WEEKDAYS_9_TO_18) => {
  const res = await h.request(manager, {
    method: 'POST',
    url: '/api/v1/accounts',
    payload: {
      kind: 'client',
      name,
      ...(lng === null ? { address: { line1: '', line2: '', postcode: '', city: '', country: 'FR' } } : { address: { line1: '1 rue X', line2: '', postcode: '69001', city: 'Lyon', country: 'FR' }, location: { lng, lat } }),
      openingHours: { weekly, exceptions: [] },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  accounts[name] = res.json<{ id: string }>().id;
};

const createVisit = async (cookie: string, payload: Record<string, unknown>) => h.request(cookie, { method: 'POST', url: '/api/v1/visits', payload });

beforeAll(async () => {
  h = await startHarness();
  manager = await h.login(h.users.a.manager);
  rep = await h.login(h.users.a.rep);
  repId = h.users.a.rep.id;
  // around Lyon, a few km apart
  const places: [string, number, number][] = [
    ['Bakery Part-Dieu', 4.8575, 45.7606],
    ['Garage Vaise', 4.8047, 45.7745],
    ['Pharmacy Gerland', 4.8323, 45.7297],
    ['Florist Croix-Rousse', 4.8317, 45.7785],
    ['Hotel Villeurbanne', 4.8801, 45.7719],
    ['Cafe Bron', 4.9136, 45.7383],
    ['Shop Ecully', 4.7768, 45.7747],
    ['Market Venissieux', 4.8866, 45.6975],
    ['Bistro Caluire', 4.8466, 45.7956],
    ['Boutique Oullins', 4.8078, 45.7144],
  ];
  for (const [name, lng, lat] of places) await createAccount(name, lng, lat);
  await createAccount('Afternoon Tuesday Only', 4.8686, 45.7485, { '2': [{ from: '14:00', to: '17:00' }] });
  await createAccount('Closed Weekdays', 4.85, 45.75, { '7': [{ from: '09:00', to: '12:00' }] });
  await createAccount('Marseille Far', 5.3698, 43.2965);
  await createAccount('No Pin', null, 0);
  for (const [name, durationMinutes, requiredSkills] of [
    ['Follow-up', 30, []],
    ['Maintenance', 90, ['gas']],
    ['Electrical install', 60, ['electricity']],
  ] as const) {
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/visit-types', payload: { name, durationMinutes, requiredSkills: [...requiredSkills], defaultPriority: 50 } });
    expect(res.statusCode, res.body).toBe(201);
    types[name] = res.json<VisitTypeDto>();
  }
  const profile = await h.request(manager, {
    method: 'PATCH',
    url: `/api/v1/rep-profiles/${repId}`,
    payload: {
      home: { label: 'Home, Lyon 3e', location: { lng: 4.8467, lat: 45.7578 } },
      workingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:30', to: '18:00' }])),
      lunch: { from: '12:00', to: '14:00', minutes: 60 },
      maxDailyDrivingMinutes: 300,
      costPerKmCents: 35,
      hotelNightCents: 9000,
      mealCents: 1500,
      skills: ['gas'],
    },
  });
  expect(profile.statusCode, profile.body).toBe(200);
});
afterAll(async () => h.close());

describe('rep profiles and visit types', () => {
  it('lets a manager edit a profile, the rep read it, and nobody else', async () => {
    const own = await h.request(rep, { method: 'GET', url: `/api/v1/rep-profiles/${repId}` });
    expect(own.statusCode).toBe(200);
    expect(own.json<RepProfileDto>()).toMatchObject({ saved: true, home: { label: 'Home, Lyon 3e' }, skills: ['gas'], hotelNightCents: 9000 });
    expect((await h.request(rep, { method: 'PATCH', url: `/api/v1/rep-profiles/${repId}`, payload: { skills: ['gas', 'fibre'] } })).statusCode).toBe(403);
    expect((await h.request(rep, { method: 'GET', url: `/api/v1/rep-profiles/${h.users.a.technician.id}` })).statusCode).toBe(403);
    const other = await h.login(h.users.b.manager);
    expect((await h.request(other, { method: 'GET', url: `/api/v1/rep-profiles/${repId}` })).statusCode).toBe(404);
    const badLunch = await h.request(manager, { method: 'PATCH', url: `/api/v1/rep-profiles/${repId}`, payload: { lunch: { from: '12:00', to: '12:30', minutes: 60 } } });
    expect(badLunch.statusCode).toBe(400);
    expect(badLunch.json<{ message: string }>().message).toContain('lunch');
  });

  it('lets managers manage visit types; names are unique; reps only read them', async () => {
    expect((await h.request(rep, { method: 'POST', url: '/api/v1/visit-types', payload: { name: 'Audit', durationMinutes: 20 } })).statusCode).toBe(403);
    const dup = await h.request(manager, { method: 'POST', url: '/api/v1/visit-types', payload: { name: 'follow-up', durationMinutes: 20 } });
    expect(dup.statusCode).toBe(409);
    const list = await h.request(rep, { method: 'GET', url: '/api/v1/visit-types' });
    expect(list.json<{ items: VisitTypeDto[] }>().items.map((t) => t.name)).toEqual(['Electrical install', 'Follow-up', 'Maintenance']);
    const changed = await h.request(manager, { method: 'PATCH', url: `/api/v1/visit-types/${types['Follow-up']?.id ?? ''}`, payload: { durationMinutes: 30 } });
    expect(changed.statusCode).toBe(200);
  });
});

describe('visits: bad input is refused with a clear message and nothing is saved', () => {
  it('names each problem', async () => {
    const count = async () => (await h.request(manager, { method: 'GET', url: '/api/v1/visits' })).json<VisitList>().items.length;
    const before = await count();
    const base = { visitTypeId: types['Follow-up']?.id, assignedUserId: repId };
    const noPin = await createVisit(manager, { ...base, accountId: accounts['No Pin'], window: { from: monday, to: addDays(monday, 4) } });
    expect(noPin.statusCode).toBe(400);
    expect(noPin.json<{ message: string }>().message).toMatch(/"No Pin" has no location/);
    const past = await createVisit(manager, { ...base, accountId: accounts['Garage Vaise'], window: { from: '2020-01-06', to: '2020-01-10' } });
    expect(past.statusCode).toBe(400);
    expect(past.json<{ message: string }>().message).toMatch(/in the past/);
    const pastAppt = await createVisit(manager, { ...base, accountId: accounts['Garage Vaise'], appointmentAt: '2020-01-06T09:00:00Z' });
    expect(pastAppt.json<{ message: string }>().message).toMatch(/in the past/);
    const closed = await createVisit(manager, { ...base, accountId: accounts['Garage Vaise'], appointmentAt: parisInstant(monday, '12:30') });
    expect(closed.statusCode).toBe(400);
    expect(closed.json<{ message: string }>().message).toMatch(/outside the opening hours of "Garage Vaise" \(open 09:00–12:00, 14:00–18:00\)/);
    const endsAfterClosing = await createVisit(manager, { ...base, accountId: accounts['Garage Vaise'], appointmentAt: parisInstant(monday, '11:45') });
    expect(endsAfterClosing.statusCode).toBe(400);
    const both = await createVisit(manager, { ...base, accountId: accounts['Garage Vaise'], appointmentAt: parisInstant(monday, '10:00'), window: { from: monday, to: monday } });
    expect(both.json<{ message: string }>().message).toMatch(/either appointmentAt .* or window/);
    const otherOrg = await createVisit(await h.login(h.users.b.manager), { visitTypeId: types['Follow-up']?.id, accountId: accounts['Garage Vaise'], window: { from: monday, to: monday } });
    expect(otherOrg.statusCode).toBe(404);
    const forOther = await createVisit(rep, { ...base, assignedUserId: h.users.a.technician.id, accountId: accounts['Garage Vaise'], window: { from: monday, to: monday } });
    expect(forOther.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });
});

describe('planning a week', () => {
  let plan: TourPlan;
  const visitIds: Record<string, string> = {};
  let appointmentAt = '';

  beforeAll(async () => {
    const week = { from: monday, to: addDays(monday, 4) };
    const names = ['Bakery Part-Dieu', 'Garage Vaise', 'Pharmacy Gerland', 'Florist Croix-Rousse', 'Hotel Villeurbanne', 'Cafe Bron', 'Shop Ecully', 'Market Venissieux', 'Bistro Caluire', 'Boutique Oullins'];
    for (const [i, name] of names.entries()) {
      const res = await createVisit(manager, { accountId: accounts[name], visitTypeId: (i % 3 === 0 ? types['Maintenance'] : types['Follow-up'])?.id, assignedUserId: repId, window: week });
      expect(res.statusCode, res.body).toBe(201);
      visitIds[name] = res.json<VisitDto>().id;
    }
    appointmentAt = parisInstant(addDays(monday, 2), '10:00');
    const appt = await createVisit(rep, { accountId: accounts['Bakery Part-Dieu'], visitTypeId: types['Follow-up']?.id, appointmentAt });
    expect(appt.statusCode, appt.body).toBe(201);
    visitIds['appointment'] = appt.json<VisitDto>().id;
    for (const [key, account, type] of [
      ['afternoon', 'Afternoon Tuesday Only', 'Follow-up'],
      ['closed', 'Closed Weekdays', 'Follow-up'],
      ['skills', 'Garage Vaise', 'Electrical install'],
    ] as const) {
      const res = await createVisit(manager, { accountId: accounts[account], visitTypeId: types[type]?.id, assignedUserId: repId, window: week });
      expect(res.statusCode, res.body).toBe(201);
      visitIds[key] = res.json<VisitDto>().id;
    }
    // the morning only, on Thursday or Friday
    const morning = await createVisit(manager, { accountId: accounts['Cafe Bron'], visitTypeId: types['Follow-up']?.id, assignedUserId: repId, window: { from: addDays(monday, 3), to: addDays(monday, 4) }, timeOfDay: { from: '09:00', to: '10:30' } });
    expect(morning.statusCode, morning.body).toBe(201);
    visitIds['morning'] = morning.json<VisitDto>().id;
    const res = await h.request(rep, { method: 'POST', url: '/api/v1/tours/plan', payload: { userId: repId, from: monday, days: 5 } });
    expect(res.statusCode, res.body).toBe(200);
    plan = res.json<TourPlan>();
  });

  it('places the visits inside the opening hours, the visit windows and the working hours', () => {
    expect(plan.days.map((d) => d.date)).toEqual([0, 1, 2, 3, 4].map((i) => addDays(monday, i)));
    const stops = plan.days.flatMap((d) => d.stops.map((s) => ({ ...s, date: d.date })));
    expect(stops).toHaveLength(13);
    for (const s of stops) {
      const start = local(s.start);
      const end = local(s.end);
      expect(start.date).toBe(s.date);
      const hours = s.accountName === 'Afternoon Tuesday Only' ? [['14:00', '17:00']] : [['09:00', '12:00'], ['14:00', '18:00']];
      expect(hours.some(([a, b]) => start.time >= (a ?? '') && end.time <= (b ?? '')), `${s.accountName} ${start.time}–${end.time}`).toBe(true);
      expect(s.flags).toEqual([]);
      expect(Date.parse(s.arrival) + s.waitSeconds * 1000).toBe(Date.parse(s.start));
    }
    expect(stops.find((s) => s.visitId === visitIds['afternoon'])?.date).toBe(tuesday);
    const appt = stops.find((s) => s.visitId === visitIds['appointment']);
    expect(appt?.start).toBe(new Date(appointmentAt).toISOString());
    expect(appt?.appointment).toBe(true);
    const morning = stops.find((s) => s.visitId === visitIds['morning']);
    expect([addDays(monday, 3), addDays(monday, 4)]).toContain(morning?.date);
    expect(local(morning?.start ?? '').time >= '09:00' && local(morning?.start ?? '').time <= '10:30').toBe(true);
    for (const d of plan.days) {
      expect(d.flags).toEqual([]);
      if (d.stops.length === 0) continue;
      expect(local(d.departure).time >= '08:30').toBe(true);
      expect(local(d.arrival).time <= '18:00').toBe(true);
      expect(d.lunch).not.toBeNull();
      expect(local(d.lunch?.start ?? '').time >= '12:00' && local(d.lunch?.end ?? '').time <= '14:00').toBe(true);
      expect(d.drivingSeconds).toBe(d.stops.reduce((s, x) => s + x.driveSeconds, 0) + d.returnLeg.driveSeconds);
    }
    expect(plan.valid).toBe(true);
  });

  it('lists a rep only their own visits', async () => {
    const own = (await h.request(rep, { method: 'GET', url: '/api/v1/visits' })).json<VisitList>().items;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((v) => v.assignedUserId === repId)).toBe(true);
    expect((await h.request(rep, { method: 'GET', url: `/api/v1/visits?userId=${h.users.a.technician.id}` })).statusCode).toBe(403);
  });

  it('reports every visit it could not place, with the reason in words', () => {
    const reasons = Object.fromEntries(plan.unplaced.map((u) => [u.visitId, u]));
    expect(reasons[visitIds['closed'] ?? '']?.message).toMatch(/closed/);
    expect(reasons[visitIds['skills'] ?? '']).toMatchObject({ reason: 'skills' });
    expect(reasons[visitIds['skills'] ?? '']?.message).toMatch(/skills/);
    expect(plan.unplaced).toHaveLength(2);
  });

  it('adds up the totals: km × cost + nights × hotel + meals × meal', () => {
    const t = plan.totals;
    expect(t.visits).toBe(13);
    expect(t.distanceMetres).toBe(plan.days.reduce((s, d) => s + d.distanceMetres, 0));
    expect(t.meals).toBe(plan.days.filter((d) => d.stops.length > 0).length);
    expect(t.hotelNights).toBe(0); // all around home: always home at night
    expect(t.costCents).toBe(Math.round((t.distanceMetres / 1000) * 35) + t.hotelNights * 9000 + t.meals * 1500);
  });

  it('saves the plan as a tour, reads it back and lists it; refuses a broken one without saving anything', async () => {
    const days = plan.days.map((d) => ({ date: d.date, visitIds: d.stops.map((s) => s.visitId), night: d.night.stay }));
    const saved = await h.request(rep, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days } });
    expect(saved.statusCode, saved.body).toBe(201);
    const tour = saved.json<TourDto>();
    expect(tour.totals).toMatchObject({ visits: 13, distanceMetres: plan.totals.distanceMetres, costCents: plan.totals.costCents });
    expect(tour.days.flatMap((d) => d.stops.map((s) => s.start))).toEqual(plan.days.flatMap((d) => d.stops.map((s) => s.start)));
    const read = await h.request(manager, { method: 'GET', url: `/api/v1/tours/${tour.id}` });
    expect(read.json<TourDto>()).toEqual(tour);
    const list = async () => (await h.request(manager, { method: 'GET', url: `/api/v1/tours?userId=${repId}&from=${monday}&to=${addDays(monday, 6)}` })).json<TourList>().items;
    expect((await list()).map((x) => x.id)).toEqual([tour.id]);
    const again = await h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days } });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ message: string }>().message).toMatch(/Already on a saved tour: /);
    expect((await list()).map((x) => x.id)).toEqual([tour.id]);
    expect((await h.request(await h.login(h.users.b.manager), { method: 'GET', url: `/api/v1/tours/${tour.id}` })).statusCode).toBe(404);
    expect((await h.request(await h.login(h.users.a.technician), { method: 'GET', url: `/api/v1/tours/${tour.id}` })).statusCode).toBe(403);
    // Monday: the Tuesday-only account first → flagged, refused, nothing saved
    const broken = [{ date: monday, visitIds: [visitIds['afternoon'], ...(days[0]?.visitIds ?? [])] }];
    const refused = await h.request(rep, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days: broken } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ message: string }>().message).toMatch(/Afternoon Tuesday Only is open 14:00–17:00|closed all day/);
    expect(await list()).toHaveLength(1);
  });

  it('re-times a hand-edited order and flags every broken constraint', async () => {
    const wed = plan.days[2];
    const wedIds = wed?.stops.map((s) => s.visitId) ?? [];
    // the appointment moved to the end of a long day, a closed account, a far account
    const far = await createVisit(manager, { accountId: accounts['Marseille Far'], visitTypeId: types['Follow-up']?.id, window: { from: monday, to: addDays(monday, 4) } });
    const res = await h.request(rep, {
      method: 'POST',
      url: '/api/v1/tours/evaluate',
      payload: {
        userId: repId,
        days: [
          { date: monday, visitIds: [visitIds['closed']] },
          { date: addDays(monday, 2), visitIds: [...wedIds.filter((id) => id !== visitIds['appointment']), far.json<VisitDto>().id, visitIds['appointment']] },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const ev = res.json<TourPlan>();
    expect(ev.valid).toBe(false);
    expect(ev.days[0]?.stops[0]?.flags.map((f) => f.code)).toEqual(['closed_at_arrival']);
    expect(ev.days[0]?.stops[0]?.flags[0]?.message).toMatch(/Closed Weekdays is closed all day/);
    const wedDay = ev.days[1];
    expect(wedDay?.stops.at(-1)?.flags.map((f) => f.code)).toContain('late_for_appointment');
    expect(wedDay?.flags.map((f) => f.code).sort()).toEqual(['over_daily_driving', 'over_working_hours']);
    // the same order as planned is valid, with the same times
    const same = await h.request(rep, { method: 'POST', url: '/api/v1/tours/evaluate', payload: { userId: repId, days: [{ date: addDays(monday, 2), visitIds: wedIds }] } });
    expect(same.json<TourPlan>().valid).toBe(true);
    expect(same.json<TourPlan>().days[0]?.stops.map((s) => s.start)).toEqual(wed?.stops.map((s) => s.start));
  });

  it('stays at a hotel when home is far and the next day is out there too', async () => {
    // Marseille visits on Thursday and Friday for a Lyon rep: 4 h of driving from home each way
    const ids: string[] = [];
    for (const [i, day] of [3, 3, 4, 4].entries()) {
      await createAccount(`Marseille ${i}`, 5.37 + i * 0.01, 43.3 + i * 0.005, Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ from: '08:00', to: '19:00' }]])));
      const v = await createVisit(manager, { accountId: accounts[`Marseille ${i}`], visitTypeId: types['Follow-up']?.id, assignedUserId: h.users.a.rep.id, window: { from: addDays(monday, day), to: addDays(monday, day) } });
      ids.push(v.json<VisitDto>().id);
    }
    await h.request(manager, { method: 'PATCH', url: `/api/v1/rep-profiles/${repId}`, payload: { maxDailyDrivingMinutes: 600 } });
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/tours/plan', payload: { userId: repId, from: addDays(monday, 3), days: 2, visitIds: ids } });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<TourPlan>();
    expect(p.unplaced).toEqual([]);
    expect(p.days[0]?.night.stay).toBe('hotel');
    expect(p.days[1]?.startsFrom.kind).toBe('hotel');
    expect(p.totals.hotelNights).toBe(1);
    expect(p.totals.costCents).toBe(Math.round((p.totals.distanceMetres / 1000) * 35) + 9000 + 2 * 1500);
    await h.request(manager, { method: 'PATCH', url: `/api/v1/rep-profiles/${repId}`, payload: { maxDailyDrivingMinutes: 300 } });
  });
});

describe('planning: bad input, tenancy and roles', () => {
  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = await h.request(undefined, { method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    for (const p of ['/api/v1/tours/plan', '/api/v1/tours/evaluate', '/api/v1/tours/', '/api/v1/tours/{id}', '/api/v1/rep-profiles/{userId}', '/api/v1/visit-types/', '/api/v1/visits/']) {
      expect(paths).toContain(p);
    }
  });

  const plan = (cookie: string, payload: Record<string, unknown>) => h.request(cookie, { method: 'POST', url: '/api/v1/tours/plan', payload });

  it('refuses more than 5 days, dates in the past and a rep without a home', async () => {
    const six = await plan(manager, { userId: repId, from: monday, days: 6 });
    expect(six.statusCode).toBe(400);
    expect(JSON.stringify(six.json())).toContain('days');
    const past = await plan(manager, { userId: repId, from: '2020-01-06', days: 1 });
    expect(past.statusCode).toBe(400);
    expect(past.json<{ message: string }>().message).toMatch(/2020-01-06 is in the past/);
    const homeless = await plan(manager, { userId: h.users.a.technician.id, from: monday, days: 1 });
    expect(homeless.statusCode).toBe(400);
    expect(homeless.json<{ message: string }>().message).toMatch(/technician a has no home location/);
  });

  it('lets a rep plan only their own days, and hides other organisations', async () => {
    expect((await plan(rep, { userId: h.users.a.technician.id, from: monday, days: 1 })).statusCode).toBe(403);
    expect((await plan(await h.login(h.users.b.manager), { userId: repId, from: monday, days: 1 })).statusCode).toBe(404);
    const visitOfA = (await h.request(manager, { method: 'GET', url: '/api/v1/visits' })).json<VisitList>().items[0]?.id;
    expect(visitOfA).toBeDefined();
    const foreign = await plan(await h.login(h.users.b.rep), { userId: h.users.b.rep.id, from: monday, days: 1, visitIds: [visitOfA] });
    expect(foreign.statusCode).toBe(404);
  });
});

