import { expect } from 'vitest';
import type { TourDto, VisitDto, VisitTypeDto } from '@geocrm/contracts';
import type { Harness } from './harness.ts';

/** Shared set-up of the opportunities and appointment tests: accounts around Lyon, two field users, a saved Monday. */
export const TZ = 'Europe/Paris';
export const local = (iso: string): { date: string; time: string } => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
};
export const addDays = (date: string, n: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
/** The Monday after today (Paris). */
export const nextMonday = (): string => {
  let d = addDays(local(new Date().toISOString()).date, 1);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = addDays(d, 1);
  return d;
};
export const parisInstant = (date: string, time: string): string => {
  for (const offset of ['+01:00', '+02:00']) {
    const iso = new Date(`${date}T${time}:00${offset}`).toISOString();
    if (local(iso).time === time) return iso;
  }
  throw new Error('no instant');
};

export const WEEKDAYS_9_TO_18 = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }]]));

export interface Fixture {
  readonly manager: string;
  readonly backoffice: string;
  readonly rep: string;
  readonly repId: string;
  readonly techId: string;
  readonly monday: string;
  readonly accounts: Record<string, string>;
  readonly types: Record<string, VisitTypeDto>;
  /** The rep's planned Monday visits, in tour order. */
  readonly mondayVisits: string[];
  readonly tour: TourDto;
}

export const setUpLyon = async (h: Harness): Promise<Fixture> => {
  const manager = await h.login(h.users.a.manager);
  const backoffice = await h.login(h.users.a.backoffice);
  const rep = await h.login(h.users.a.rep);
  const repId = h.users.a.rep.id;
  const techId = h.users.a.technician.id;
  const monday = nextMonday();
  const accounts: Record<string, string> = {};
  const types: Record<string, VisitTypeDto> = {};
  const createAccount = async (name: string, lng: number | null, lat: number, extra: Record<string, unknown> = {}, weekly: Record<string, { from: string; to: string }[]> = WEEKDAYS_9_TO_18) => {
    const res = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/accounts',
      payload: {
        kind: 'client',
        name,
        ...(lng === null ? { address: { line1: '', line2: '', postcode: '', city: '', country: 'FR' } } : { address: { line1: '1 rue X', line2: '', postcode: '69001', city: 'Lyon', country: 'FR' }, location: { lng, lat } }),
        openingHours: { weekly, exceptions: [] },
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    accounts[name] = res.json<{ id: string }>().id;
  };
  // the rep's Monday: three stops around Lyon
  await createAccount('Bakery Part-Dieu', 4.8575, 45.7606);
  await createAccount('Garage Vaise', 4.8047, 45.7745);
  await createAccount('Pharmacy Gerland', 4.8323, 45.7297);
  // on the way, of different worth
  await createAccount('Florist Croix-Rousse', 4.8317, 45.7785, { customFields: { potentialEur: 80_000 } });
  await createAccount('Cafe Perrache', 4.8262, 45.7489, { customFields: { revenueEur: 3_000 } });
  await createAccount('Boiler Brotteaux', 4.8521, 45.7671, { kind: 'equipment', customFields: { nextMaintenance: addDays(monday, 10) } });
  await createAccount('Closed Mondays', 4.84, 45.755, {}, { '2': [{ from: '09:00', to: '18:00' }] });
  await createAccount('Competitor Nearby', 4.845, 45.76, { kind: 'competitor' });
  // off the route
  await createAccount('Marseille Far', 5.3698, 43.2965);
  await createAccount('No Pin', null, 0);
  // the account the customer calls about, owned by the rep
  await createAccount('Caller Villeurbanne', 4.8801, 45.7719, { ownerId: repId });
  for (const [name, durationMinutes, requiredSkills] of [
    ['Follow-up', 30, []],
    ['Maintenance', 90, ['gas']],
  ] as const) {
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/visit-types', payload: { name, durationMinutes, requiredSkills: [...requiredSkills], defaultPriority: 50 } });
    expect(res.statusCode, res.body).toBe(201);
    types[name] = res.json<VisitTypeDto>();
  }
  const profile = {
    workingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:30', to: '18:00' }])),
    lunch: { from: '12:00', to: '14:00', minutes: 60 },
    maxDailyDrivingMinutes: 300,
    costPerKmCents: 35,
  };
  for (const [userId, home] of [
    [repId, { label: 'Home, Lyon 3e', location: { lng: 4.8467, lat: 45.7578 } }],
    [techId, { label: 'Home, Bron', location: { lng: 4.9136, lat: 45.7383 } }],
  ] as const) {
    const res = await h.request(manager, { method: 'PATCH', url: `/api/v1/rep-profiles/${userId}`, payload: { ...profile, home, skills: userId === techId ? ['gas'] : [] } });
    expect(res.statusCode, res.body).toBe(200);
  }
  const mondayVisits: string[] = [];
  for (const name of ['Bakery Part-Dieu', 'Garage Vaise', 'Pharmacy Gerland']) {
    const res = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/visits',
      payload: { accountId: accounts[name], visitTypeId: types['Follow-up']?.id, assignedUserId: repId, window: { from: monday, to: monday } },
    });
    expect(res.statusCode, res.body).toBe(201);
    mondayVisits.push(res.json<VisitDto>().id);
  }
  const saved = await h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days: [{ date: monday, visitIds: mondayVisits }] } });
  expect(saved.statusCode, saved.body).toBe(201);
  return { manager, backoffice, rep, repId, techId, monday, accounts, types, mondayVisits, tour: saved.json<TourDto>() };
};
