import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamPlanJobDto, TeamPlanSaved, TourDto, TourPlan, VisitDto, VisitTypeDto } from '@geocrm/contracts';
import { createRepositories, createTransactor } from '@geocrm/db';
import type { Solution } from '@geocrm/optimizer';
import { departementAreas } from '@geocrm/territory';
import { createToursFeature } from '../src/features/tours/tours.feature.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let manager: string;
let rep: string;
let repId: string;
let techId: string;

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
const friday = addDays(monday, 4);
const nextMonday = addDays(monday, 7);
const parisInstant = (date: string, time: string): string => {
  for (const offset of ['+01:00', '+02:00']) {
    const iso = new Date(`${date}T${time}:00${offset}`).toISOString();
    if (local(iso).time === time) return iso;
  }
  throw new Error('no instant');
};

const WEEKDAYS = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ from: '08:00', to: '19:00' }]]));
const types: Record<string, VisitTypeDto> = {};
const visits: Record<string, string> = {};

const createAccount = async (name: string, lng: number, lat: number, ownerId: string | null, weekly: Record<string, { from: string; to: string }[]> = WEEKDAYS): Promise<string> => {
  const res = await h.request(manager, {
    method: 'POST',
    url: '/api/v1/accounts',
    payload: { kind: 'client', name, ownerId, address: { line1: '1 rue X', line2: '', postcode: '69001', city: 'X', country: 'FR' }, location: { lng, lat }, openingHours: { weekly, exceptions: [] } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
};

const createVisit = async (name: string, payload: Record<string, unknown>): Promise<string> => {
  const res = await h.request(manager, { method: 'POST', url: '/api/v1/visits', payload });
  expect(res.statusCode, res.body).toBe(201);
  visits[name] = res.json<VisitDto>().id;
  return visits[name];
};

const poll = async (id: string, timeoutMs = 60_000): Promise<TeamPlanJobDto> => {
  const until = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    const res = await h.request(manager, { method: 'GET', url: `/api/v1/tours/team-plans/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json<TeamPlanJobDto>();
    seen.push(job.progress.phase);
    if (job.status !== 'running' && job.status !== 'queued') return job;
    if (Date.now() > until) throw new Error(`team plan still running after ${timeoutMs} ms (phases ${seen.join(',')})`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const stopsOf = (plan: TourPlan): { visitId: string; date: string; start: string }[] => plan.days.flatMap((d) => d.stops.map((s) => ({ visitId: s.visitId, date: d.date, start: s.start })));

beforeAll(async () => {
  h = await startHarness();
  manager = await h.login(h.users.a.manager);
  rep = await h.login(h.users.a.rep);
  repId = h.users.a.rep.id;
  techId = h.users.a.technician.id;
  for (const [name, durationMinutes, requiredSkills] of [
    ['Follow-up', 30, []],
    ['Maintenance', 60, ['gas']],
  ] as const) {
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/visit-types', payload: { name, durationMinutes, requiredSkills: [...requiredSkills], defaultPriority: 50 } });
    expect(res.statusCode, res.body).toBe(201);
    types[name] = res.json<VisitTypeDto>();
  }
  const profile = (home: { label: string; location: { lng: number; lat: number } }, skills: string[]) => ({
    home,
    workingHours: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, { from: '08:30', to: '18:00' }])),
    lunch: { from: '12:00', to: '14:00', minutes: 60 },
    maxDailyDrivingMinutes: 360,
    costPerKmCents: 35,
    hotelNightCents: 9000,
    mealCents: 1500,
    skills,
  });
  // the rep lives in Lyon and has the gas skill; the technician lives in Grenoble (about 100 km away) and has not
  for (const [id, body] of [
    [repId, profile({ label: 'Lyon', location: { lng: 4.8467, lat: 45.7578 } }, ['gas'])],
    [techId, profile({ label: 'Grenoble', location: { lng: 5.7245, lat: 45.1885 } }, [])],
  ] as const) {
    const res = await h.request(manager, { method: 'PATCH', url: `/api/v1/rep-profiles/${id}`, payload: body });
    expect(res.statusCode, res.body).toBe(200);
  }
  const followUp = types['Follow-up']?.id;
  const maintenance = types['Maintenance']?.id;
  // Lyon accounts owned by the rep, Grenoble accounts owned by the technician
  const lyon: [string, number, number][] = [
    ['Lyon Part-Dieu', 4.8575, 45.7606],
    ['Lyon Vaise', 4.8047, 45.7745],
    ['Lyon Gerland', 4.8323, 45.7297],
    ['Lyon Bron', 4.9136, 45.7383],
  ];
  const grenoble: [string, number, number][] = [
    ['Grenoble Centre', 5.7272, 45.1885],
    ['Grenoble Echirolles', 5.7209, 45.1452],
    ['Grenoble Meylan', 5.7777, 45.2096],
  ];
  for (const [name, lng, lat] of lyon) {
    const account = await createAccount(name, lng, lat, repId);
    await createVisit(name, { accountId: account, visitTypeId: followUp, window: { from: monday, to: friday } });
  }
  for (const [name, lng, lat] of grenoble) {
    const account = await createAccount(name, lng, lat, techId);
    await createVisit(name, { accountId: account, visitTypeId: followUp, window: { from: monday, to: friday } });
  }
  // a booked appointment with the technician on Wednesday 10:00 in Grenoble
  const appt = await createAccount('Grenoble Appointment', 5.735, 45.19, techId);
  await createVisit('appointment', { accountId: appt, visitTypeId: followUp, appointmentAt: parisInstant(addDays(monday, 2), '10:00'), assignedUserId: techId });
  // a gas maintenance in the technician's territory: the technician lacks the skill
  const gas = await createAccount('Grenoble Boiler', 5.71, 45.18, techId);
  await createVisit('gas', { accountId: gas, visitTypeId: maintenance, window: { from: monday, to: friday } });
  // an account with no owner, near Lyon: goes to the nearest rep
  const stray = await createAccount('Stray Villeurbanne', 4.8801, 45.7719, null);
  await createVisit('stray', { accountId: stray, visitTypeId: followUp, window: { from: monday, to: friday } });
}, 180_000);
afterAll(async () => h.close());

describe('team plans', () => {
  let noCross: TeamPlanJobDto;

  it('plans each rep inside their own territory, off the request, with progress; appointments stay put, skills respected', async () => {
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { userIds: [repId, techId], from: monday, days: 5, timeLimitSeconds: 10 } });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<TeamPlanJobDto>();
    expect(started.status).toBe('running');
    expect(started.result).toBeNull();
    noCross = await poll(started.id);
    expect(noCross.status, noCross.error ?? '').toBe('done');
    expect(noCross.progress).toMatchObject({ phase: 'done', percent: 100, reps: 2, visits: 10 });
    expect(noCross.progress.problemsDone).toBe(noCross.progress.problemsTotal);
    expect(noCross.progress.bestCostCents).toBeGreaterThan(0);
    const result = noCross.result;
    if (!result) throw new Error('no result');
    expect(result.mode).toBe('per_rep');
    expect(result.allowCrossTerritory).toBe(false);
    const byRep = new Map(result.reps.map((r) => [r.userId, new Set(stopsOf(r.plan).map((s) => s.visitId))]));
    const repStops = byRep.get(repId) ?? new Set();
    const techStops = byRep.get(techId) ?? new Set();
    for (const name of ['Lyon Part-Dieu', 'Lyon Vaise', 'Lyon Gerland', 'Lyon Bron', 'stray']) expect(repStops.has(visits[name] ?? '')).toBe(true);
    for (const name of ['Grenoble Centre', 'Grenoble Echirolles', 'Grenoble Meylan', 'appointment']) expect(techStops.has(visits[name] ?? '')).toBe(true);
    // the appointment at its time
    const tech = result.reps.find((r) => r.userId === techId);
    const appt = tech && stopsOf(tech.plan).find((s) => s.visitId === visits['appointment']);
    expect(appt && local(appt.start)).toEqual({ date: addDays(monday, 2), time: '10:00' });
    // the gas visit stays in the technician's territory, who lacks the skill
    expect(result.unassigned).toEqual([expect.objectContaining({ visitId: visits['gas'], userId: techId, reason: 'skills' })]);
    // per rep: the same plan shape as a single rep's; team totals are the sums
    expect(result.reps.map((r) => r.colour)).toHaveLength(2);
    expect(new Set(result.reps.map((r) => r.colour)).size).toBe(2);
    expect(result.totals.visits).toBe(9);
    expect(result.totals.km).toBeCloseTo(result.reps.reduce((s, r) => s + r.plan.totals.km, 0), 0);
    expect(result.totals.candidateVisits).toBe(10);
    expect(result.assignment).toBe('account_owner');
    for (const r of result.reps) expect(r.plan.valid).toBe(true);
  }, 90_000);

  it('with crossing allowed solves the team as one problem: the gas visit goes to the rep who has the skill; the appointment does not move', async () => {
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { userIds: [repId, techId], from: monday, days: 5, allowCrossTerritory: true, timeLimitSeconds: 10 } });
    expect(res.statusCode, res.body).toBe(202);
    const job = await poll(res.json<TeamPlanJobDto>().id);
    expect(job.status, job.error ?? '').toBe('done');
    const result = job.result;
    if (!result) throw new Error('no result');
    expect(result.mode).toBe('team');
    const repPlan = result.reps.find((r) => r.userId === repId);
    const techPlan = result.reps.find((r) => r.userId === techId);
    if (!repPlan || !techPlan) throw new Error('missing rep');
    expect(stopsOf(repPlan.plan).map((s) => s.visitId)).toContain(visits['gas']);
    const appt = stopsOf(techPlan.plan).find((s) => s.visitId === visits['appointment']);
    expect(appt && local(appt.start)).toEqual({ date: addDays(monday, 2), time: '10:00' });
    expect(result.unassigned).toEqual([]);
    expect(result.totals.visits).toBe(10);
  }, 90_000);

  it('saves every rep\'s tour in one action, all or nothing; a second save is refused', async () => {
    // all or nothing: the technician is already booked on the day of the appointment, so nothing is saved
    const blocking = await h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: techId, days: [{ date: addDays(monday, 2), visitIds: [] }] } });
    expect(blocking.statusCode, blocking.body).toBe(201);
    const refused = await h.request(manager, { method: 'POST', url: `/api/v1/tours/team-plans/${noCross.id}/save` });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<{ message: string }>().message).toMatch(/technician a/);
    const none = await h.request(manager, { method: 'GET', url: `/api/v1/tours?userId=${repId}&from=${monday}&to=${friday}` });
    expect(none.json<{ items: unknown[] }>().items).toHaveLength(0);
    const cancelled = await h.request(manager, { method: 'DELETE', url: `/api/v1/tours/${blocking.json<TourDto>().id}` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);

    const saved = await h.request(manager, { method: 'POST', url: `/api/v1/tours/team-plans/${noCross.id}/save` });
    expect(saved.statusCode, saved.body).toBe(201);
    const tours = saved.json<TeamPlanSaved>().tours;
    expect(tours.map((t) => t.userId).sort()).toEqual([repId, techId].sort());
    expect(tours.reduce((s, t) => s + t.totals.visits, 0)).toBe(9);
    // the stray visit (no owner) now belongs to the rep whose tour holds it
    const stray = await h.request(manager, { method: 'GET', url: `/api/v1/visits/${visits['stray'] ?? ''}` });
    expect(stray.json<VisitDto>().assignedUserId).toBe(repId);
    const again = await h.request(manager, { method: 'POST', url: `/api/v1/tours/team-plans/${noCross.id}/save` });
    expect(again.statusCode).toBe(409);
    const job = await h.request(manager, { method: 'GET', url: `/api/v1/tours/team-plans/${noCross.id}` });
    expect(job.json<TeamPlanJobDto>().savedAt).not.toBeNull();
    // saved visits are no longer candidates of a new team plan
    const next = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { from: monday, days: 5, timeLimitSeconds: 5 } });
    const nextJob = await poll(next.json<TeamPlanJobDto>().id);
    expect(nextJob.result?.totals.candidateVisits).toBe(1);
    for (const t of tours) expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/tours/${t.id}` })).statusCode).toBe(200);
  }, 120_000);

  it('refuses field roles, dates in the past, unknown reps and reps without a home, with clear messages', async () => {
    const forbidden = await h.request(rep, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { from: monday, days: 5 } });
    expect(forbidden.statusCode).toBe(403);
    const past = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { from: '2020-01-06', days: 5 } });
    expect(past.statusCode).toBe(400);
    expect(past.json<{ message: string }>().message).toMatch(/in the past/);
    const unknown = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { userIds: ['00000000-0000-4000-8000-000000000000'], from: monday, days: 5 } });
    expect(unknown.statusCode).toBe(404);
    const homeless = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { userIds: [h.users.a.backoffice.id], from: monday, days: 5 } });
    expect(homeless.statusCode).toBe(400);
    expect(homeless.json<{ message: string }>().message).toMatch(/backoffice a has no home location/);
    const tooLong = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { from: monday, days: 6 } });
    expect(tooLong.statusCode).toBe(400);
    const other = await h.login(h.users.b.manager);
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { userIds: [repId], from: monday, days: 1, timeLimitSeconds: 2 } });
    const id = res.json<TeamPlanJobDto>().id;
    expect((await h.request(other, { method: 'GET', url: `/api/v1/tours/team-plans/${id}` })).statusCode).toBe(404);
    await poll(id);
  }, 60_000);
});

describe('team plan jobs: cancel and restart', () => {
  /** A solver that only answers when it is stopped (the real one answers with its best so far). */
  const stalling = (problem: { jobs: readonly unknown[] }, options: { signal?: AbortSignal }): Promise<Solution> =>
    new Promise((resolve) => {
      const answer = (): void =>
        resolve({ summary: { cost: 0, routes: 0, unassigned: problem.jobs.length, setup: 0, service: 0, duration: 0, waitingTime: 0, priority: 0, distance: 0, computingTimeMs: 0 }, routes: [], unassigned: [], nights: [] });
      if (options.signal?.aborted === true) answer();
      options.signal?.addEventListener('abort', answer, { once: true });
    });

  it('DELETE cancels a running plan: its solver is stopped, the job says cancelled and keeps no result', async () => {
    const repos = createRepositories(h.handle.db);
    const { team } = createToursFeature({ repos, transaction: createTransactor(h.handle.db), solve: stalling });
    const actor = { userId: h.users.a.manager.id, orgId: h.users.a.manager.orgId, role: 'manager' as const, name: 'm' };
    const job = await team.start(actor, { userIds: [repId, techId], from: monday, days: 5 });
    // the job runs until it reaches the solver, which waits for the cancel
    for (let i = 0; i < 100 && (await team.get(actor, job.id)).progress.phase !== 'solving'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await team.get(actor, job.id)).progress).toMatchObject({ phase: 'solving', problemsDone: 0 });
    const cancelled = await team.cancel(actor, job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.result).toBeNull();
    await expect(team.cancel(actor, job.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('DELETE over HTTP on a finished plan answers 409', async () => {
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { userIds: [repId], from: monday, days: 1, timeLimitSeconds: 2 } });
    const id = res.json<TeamPlanJobDto>().id;
    await poll(id);
    expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/tours/team-plans/${id}` })).statusCode).toBe(409);
  });

  it('a job left running by a stopped server is marked failed (interrupted) at the next start and when read', async () => {
    const repos = createRepositories(h.handle.db);
    const orgId = h.users.a.manager.orgId;
    const progress = { phase: 'solving', percent: 40 };
    const crashed = await repos.planningJobs.insert(orgId, { createdBy: h.users.a.manager.id, request: { from: monday, days: 5 }, runnerId: 'dead-runner', progress });
    const alsoCrashed = await repos.planningJobs.insert(orgId, { createdBy: h.users.a.manager.id, request: { from: monday, days: 5 }, runnerId: 'dead-runner', progress });
    const old = new Date(Date.now() - 120_000);
    await h.handle.db.updateTable('planning_jobs' as never).set({ heartbeat_at: old } as never).execute();
    // a restart: a new server's start-up recovery
    const { team } = createToursFeature({ repos, transaction: createTransactor(h.handle.db) });
    expect(await team.recover()).toBeGreaterThanOrEqual(2);
    const read = await h.request(manager, { method: 'GET', url: `/api/v1/tours/team-plans/${crashed}` });
    expect(read.json<TeamPlanJobDto>().status).toBe('failed');
    expect(read.json<TeamPlanJobDto>().error).toMatch(/^Interrupted/);
    expect(read.json<TeamPlanJobDto>().progress).toMatchObject({ phase: 'solving', percent: 40 });
    expect((await repos.planningJobs.get(orgId, alsoCrashed))?.status).toBe('failed');
    // a live job's heartbeat keeps it running
    const live = await repos.planningJobs.insert(orgId, { createdBy: h.users.a.manager.id, request: { from: monday, days: 5 }, runnerId: 'live-runner', progress });
    expect(await team.recover()).toBe(0);
    expect((await repos.planningJobs.get(orgId, live))?.status).toBe('running');
    await repos.planningJobs.cancel(orgId, live);
  });
});

describe('changing and cancelling a saved tour', () => {
  let tourId: string;
  const wed = addDays(nextMonday, 2);
  const thu = addDays(nextMonday, 3);

  beforeAll(async () => {
    const followUp = types['Follow-up']?.id;
    for (const [name, lng, lat] of [
      ['Change A', 4.85, 45.76],
      ['Change B', 4.83, 45.75],
      ['Change C', 4.87, 45.74],
    ] as const) {
      const account = await createAccount(name, lng, lat, repId);
      await createVisit(name, { accountId: account, visitTypeId: followUp, window: { from: nextMonday, to: addDays(nextMonday, 4) } });
    }
    const closed = await createAccount('Change Closed Wednesday', 4.84, 45.75, repId, { '1': [{ from: '08:00', to: '19:00' }] });
    await createVisit('Change Closed', { accountId: closed, visitTypeId: followUp, window: { from: nextMonday, to: addDays(nextMonday, 4) } });
    const res = await h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days: [{ date: wed, visitIds: [visits['Change A'], visits['Change B']] }] } });
    expect(res.statusCode, res.body).toBe(201);
    tourId = res.json<TourDto>().id;
  });

  it('PATCH replaces the days, re-timed by the server; a removed visit goes back to open', async () => {
    const res = await h.request(manager, {
      method: 'PATCH',
      url: `/api/v1/tours/${tourId}`,
      payload: { days: [{ date: wed, visitIds: [visits['Change C'], visits['Change A']] }, { date: thu, visitIds: [] }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const tour = res.json<TourDto>();
    expect(tour.to).toBe(thu);
    expect(tour.days[0]?.stops.map((s) => s.visitId)).toEqual([visits['Change C'], visits['Change A']]);
    expect(tour.totals.visits).toBe(2);
    const first = tour.days[0]?.stops[0];
    const second = tour.days[0]?.stops[1];
    expect(first && second && first.departure <= second.arrival).toBe(true);
    // B is free again: another tour of another day may take it... but not the same rep's days already booked
    const clash = await h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days: [{ date: thu, visitIds: [visits['Change B']] }] } });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<{ message: string }>().message).toMatch(/Already booked on these dates/);
    const free = await h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days: [{ date: addDays(nextMonday, 4), visitIds: [visits['Change B']] }] } });
    expect(free.statusCode, free.body).toBe(201);
    expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/tours/${free.json<TourDto>().id}` })).statusCode).toBe(200);
  });

  it('PATCH refuses a broken constraint with 422 naming it, and changes nothing', async () => {
    const res = await h.request(manager, { method: 'PATCH', url: `/api/v1/tours/${tourId}`, payload: { days: [{ date: wed, visitIds: [visits['Change Closed']] }] } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<{ message: string }>().message).toMatch(/Change Closed Wednesday/);
    const tour = await h.request(manager, { method: 'GET', url: `/api/v1/tours/${tourId}` });
    expect(tour.json<TourDto>().days[0]?.stops.map((s) => s.visitId)).toEqual([visits['Change C'], visits['Change A']]);
  });

  it('a field role changes only their own tours; another org gets 404', async () => {
    const tech = await h.login(h.users.a.technician);
    expect((await h.request(tech, { method: 'PATCH', url: `/api/v1/tours/${tourId}`, payload: { days: [{ date: wed, visitIds: [] }] } })).statusCode).toBe(403);
    expect((await h.request(tech, { method: 'DELETE', url: `/api/v1/tours/${tourId}` })).statusCode).toBe(403);
    const other = await h.login(h.users.b.manager);
    expect((await h.request(other, { method: 'DELETE', url: `/api/v1/tours/${tourId}` })).statusCode).toBe(404);
  });

  it('DELETE cancels: status cancelled, totals kept, its visits can be planned again; a cancelled tour cannot be changed', async () => {
    const res = await h.request(rep, { method: 'DELETE', url: `/api/v1/tours/${tourId}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TourDto>()).toMatchObject({ status: 'cancelled', totals: { visits: 2 } });
    const again = await h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days: [{ date: wed, visitIds: [visits['Change A'], visits['Change C']] }] } });
    expect(again.statusCode, again.body).toBe(201);
    const patch = await h.request(manager, { method: 'PATCH', url: `/api/v1/tours/${tourId}`, payload: { days: [{ date: wed, visitIds: [] }] } });
    expect(patch.statusCode).toBe(409);
    expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/tours/${again.json<TourDto>().id}` })).statusCode).toBe(200);
  });
});

describe('double booking under concurrency', () => {
  const day = addDays(nextMonday, 1);

  it('concurrent saves of the same visit: exactly one succeeds, the others get 409', async () => {
    const account = await createAccount('Race Visit', 4.85, 45.755, null);
    const visit = await createVisit('race', { accountId: account, visitTypeId: types['Follow-up']?.id, window: { from: nextMonday, to: addDays(nextMonday, 4) } });
    // the same visit on the rep's Tuesday and on the technician's Tuesday, five times each, all at once
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: i % 2 ? repId : techId, days: [{ date: day, visitIds: [visit] }] } })),
    );
    const codes = attempts.map((a) => a.statusCode).sort();
    expect(codes.filter((c) => c === 201), codes.join(',')).toHaveLength(1);
    expect(codes.filter((c) => c === 409), attempts.map((a) => a.body).join('\n')).toHaveLength(9);
    const won = attempts.find((a) => a.statusCode === 201)?.json<TourDto>().id ?? '';
    expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/tours/${won}` })).statusCode).toBe(200);
  });

  it('concurrent saves of the same rep and day with different visits: exactly one succeeds', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const account = await createAccount(`Race Day ${i}`, 4.84 + i * 0.01, 45.75, repId);
      ids.push(await createVisit(`raceDay${i}`, { accountId: account, visitTypeId: types['Follow-up']?.id, window: { from: nextMonday, to: addDays(nextMonday, 4) } }));
    }
    const attempts = await Promise.all(ids.map((v) => h.request(manager, { method: 'POST', url: '/api/v1/tours', payload: { userId: repId, days: [{ date: day, visitIds: [v] }] } })));
    const codes = attempts.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 201), codes.join(',')).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(3);
    const won = attempts.find((a) => a.statusCode === 201)?.json<TourDto>().id ?? '';
    expect((await h.request(manager, { method: 'DELETE', url: `/api/v1/tours/${won}` })).statusCode).toBe(200);
  });

  it('the database itself refuses a second active stop of a visit and a second planned tour of a rep on a date', async () => {
    const transaction = createTransactor(h.handle.db);
    const orgId = h.users.a.manager.orgId;
    const visit = visits['race'] ?? '';
    const tour = (userId: string, date: string, visitIds: string[]) => ({
      userId,
      dateFrom: date,
      dateTo: date,
      createdBy: h.users.a.manager.id,
      totals: { distanceMetres: 0, drivingSeconds: 0, visits: visitIds.length, hotelNights: 0, meals: 0, costCents: 0, currency: 'EUR' },
      days: [
        {
          date,
          startAt: new Date(`${date}T08:00:00Z`),
          endAt: new Date(`${date}T17:00:00Z`),
          distanceMetres: 0,
          drivingSeconds: 0,
          lunch: null,
          night: 'home' as const,
          nightLocation: null,
          stops: visitIds.map((v, seq) => ({
            seq,
            visitId: v,
            arrivalAt: new Date(`${date}T09:00:00Z`),
            startAt: new Date(`${date}T09:00:00Z`),
            endAt: new Date(`${date}T09:30:00Z`),
            departureAt: new Date(`${date}T09:30:00Z`),
            driveSeconds: 0,
            driveMetres: 0,
            waitSeconds: 0,
          })),
        },
      ],
    });
    const insert = (t: ReturnType<typeof tour>) => transaction((repos) => repos.tours.insertTour(orgId, t));
    const first = await insert(tour(repId, day, [visit]));
    // bypassing the service's checks: the unique index and the exclusion constraint answer
    await expect(insert(tour(techId, day, [visit]))).rejects.toMatchObject({ code: '23505' });
    await expect(insert(tour(repId, day, []))).rejects.toMatchObject({ code: '23P01' });
    await transaction((repos) => repos.tours.cancelTour(orgId, first));
    const second = await insert(tour(techId, day, [visit]));
    await transaction((repos) => repos.tours.cancelTour(orgId, second));
  });
});

describe('territories: a published plan decides whose visit it is', () => {
  it('a visit goes to the rep of the published territory its account lies in (before the account owner)', async () => {
    const account = await createAccount('Territory Voiron', 5.59, 45.364, techId); // Isère (38), owned by the technician
    const visit = await createVisit('territory', { accountId: account, visitTypeId: types['Follow-up']?.id, window: { from: nextMonday, to: addDays(nextMonday, 4) } });
    // the plan: Isère to the rep, everything else to the technician
    const assignment = Object.fromEntries(departementAreas().areas.map((area) => [area.id, area.id === '38' ? 1 : 0]));
    const saved = await h.request(manager, {
      method: 'POST',
      url: '/api/v1/territories/plans',
      payload: { name: 'Team plan territories', measure: 'population', assignment, territories: [{ name: 'Elsewhere', repId: techId }, { name: 'Isère', repId }] },
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const published = await h.request(manager, { method: 'POST', url: `/api/v1/territories/plans/${saved.json<{ id: string }>().id}/publish`, payload: {} });
    expect(published.statusCode, published.body).toBe(200);

    const res = await h.request(manager, { method: 'POST', url: '/api/v1/tours/team-plans', payload: { userIds: [repId, techId], from: nextMonday, days: 5, timeLimitSeconds: 5 } });
    expect(res.statusCode, res.body).toBe(202);
    const job = await poll(res.json<TeamPlanJobDto>().id);
    const result = job.result;
    if (!result) throw new Error(job.error ?? 'no result');
    expect(result.assignment).toBe('territory');
    const onRep = result.reps.find((r) => r.userId === repId);
    const placedWithRep = onRep ? stopsOf(onRep.plan).some((s) => s.visitId === visit) : false;
    const unplacedWithRep = result.unassigned.some((u) => u.visitId === visit && u.userId === repId);
    expect(placedWithRep || unplacedWithRep).toBe(true);
    const onTech = result.reps.find((r) => r.userId === techId);
    expect(onTech ? stopsOf(onTech.plan).some((s) => s.visitId === visit) : false).toBe(false);
  }, 60_000);
});
