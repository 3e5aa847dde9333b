import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb } from '../src/testing.ts';
import type { DbHandle } from '../src/create-db.ts';
import { createTransactor } from '../src/repositories/index.ts';
import { AccountsRepository } from '../src/repositories/accounts.repository.ts';
import { OrgsRepository } from '../src/repositories/orgs.repository.ts';
import { ToursRepository } from '../src/repositories/tours.repository.ts';
import { UsersRepository } from '../src/repositories/users.repository.ts';

let handle: DbHandle;
let tours: ToursRepository;
let orgA: string;
let orgB: string;
let rep: string;
let repB: string;
let account: string;
let accountB: string;

beforeAll(async () => {
  handle = await createTestDb();
  tours = new ToursRepository(handle.db);
  const orgs = new OrgsRepository(handle.db);
  const users = new UsersRepository(handle.db);
  orgA = (await orgs.create('A')).id;
  orgB = (await orgs.create('B')).id;
  rep = (await users.insert({ orgId: orgA, email: 'r@a.test', name: 'Rep A', role: 'rep', passwordHash: 'x' })).id;
  repB = (await users.insert({ orgId: orgB, email: 'r@b.test', name: 'Rep B', role: 'rep', passwordHash: 'x' })).id;
  const accounts = new AccountsRepository(handle.db);
  account = (await accounts.insert(orgA, { kind: 'client', name: 'Boulangerie', location: { lng: 4.83, lat: 45.76 } }));
  accountB = (await accounts.insert(orgB, { kind: 'client', name: 'Other org', location: { lng: 4.83, lat: 45.76 } }));
});
afterAll(async () => handle.close());

describe('ToursRepository', () => {
  it('gives defaults before a profile exists, then keeps the home on the user row', async () => {
    const before = await tours.getProfile(orgA, rep);
    expect(before).toMatchObject({ saved: false, home: null, lunch: { from: '12:00', to: '14:00', minutes: 60 } });
    expect(before?.workingHours['1']).toEqual({ from: '08:30', to: '18:00' });
    await tours.upsertProfile(orgA, rep, { home: { label: 'Lyon', location: { lng: 4.85, lat: 45.75 } }, skills: ['gas'], workingHours: { '2': { from: '09:00', to: '17:00' } } });
    await tours.upsertProfile(orgA, rep, { costPerKmCents: 35 });
    const after = await tours.getProfile(orgA, rep);
    expect(after).toMatchObject({ saved: true, home: { label: 'Lyon', location: { lng: 4.85, lat: 45.75 } }, skills: ['gas'], costPerKmCents: 35, workingHours: { '2': { from: '09:00', to: '17:00' } } });
    const user = await handle.db.selectFrom('users').select('home_label').where('id', '=', rep).executeTakeFirstOrThrow();
    expect(user.home_label).toBe('Lyon');
    expect(await tours.getProfile(orgB, rep)).toBeUndefined();
  });

  it('keeps visit type names unique per organisation (case-insensitive)', async () => {
    await tours.insertVisitType(orgA, { name: 'Follow-up', durationMinutes: 30, requiredSkills: [], defaultPriority: 40 });
    expect(await tours.visitTypeNameTaken(orgA, 'follow-UP')).toBe(true);
    expect(await tours.visitTypeNameTaken(orgB, 'follow-up')).toBe(false);
    await expect(tours.insertVisitType(orgA, { name: 'FOLLOW-UP', durationMinutes: 30, requiredSkills: [], defaultPriority: 40 })).rejects.toThrow();
  });

  it('stores visits, refuses half-defined ones and references across organisations', async () => {
    const type = await tours.insertVisitType(orgA, { name: 'Maintenance', durationMinutes: 90, requiredSkills: ['gas'], defaultPriority: 60 });
    const base = { accountId: account, visitTypeId: type.id, assignedUserId: rep, timeFrom: null, timeTo: null, priority: 60, notes: '', createdBy: rep };
    const id = await tours.insertVisit(orgA, { ...base, appointmentAt: null, windowFrom: '2030-01-07', windowTo: '2030-01-11' });
    const appt = await tours.insertVisit(orgA, { ...base, appointmentAt: new Date('2030-01-09T09:00:00Z'), windowFrom: null, windowTo: null });
    await expect(tours.insertVisit(orgA, { ...base, appointmentAt: new Date('2030-01-09T09:00:00Z'), windowFrom: '2030-01-07', windowTo: '2030-01-11' })).rejects.toThrow();
    await expect(tours.insertVisit(orgA, { ...base, accountId: accountB, appointmentAt: null, windowFrom: '2030-01-07', windowTo: '2030-01-11' })).rejects.toThrow();
    await expect(tours.insertVisit(orgB, { ...base, assignedUserId: repB, appointmentAt: null, windowFrom: '2030-01-07', windowTo: '2030-01-11' })).rejects.toThrow();
    const found = await tours.planningVisits(orgA, { userId: rep, statuses: ['planned'], from: '2030-01-09', to: '2030-01-09', timeZone: 'Europe/Paris' });
    expect(found.map((v) => v.id).sort()).toEqual([id, appt].sort());
    expect(found.find((v) => v.id === id)).toMatchObject({ windowFrom: '2030-01-07', windowTo: '2030-01-11', durationMinutes: 90, requiredSkills: ['gas'], accountLocation: { lng: 4.83, lat: 45.76 } });
    expect(await tours.planningVisits(orgA, { userId: rep, from: '2030-01-12', timeZone: 'Europe/Paris' })).toEqual([]);
    expect(await tours.updateVisit(orgB, id, { status: 'done' })).toBe(false);
    expect(await tours.updateVisit(orgA, id, { status: 'done' })).toBe(true);
    expect((await tours.getVisit(orgA, id))?.status).toBe('done');
  });

  it('saves a tour with days and stops in one transaction, or nothing', async () => {
    const type = await tours.insertVisitType(orgA, { name: 'Prospecting', durationMinutes: 45, requiredSkills: [], defaultPriority: 50 });
    const visit = await tours.insertVisit(orgA, {
      accountId: account, visitTypeId: type.id, assignedUserId: rep, appointmentAt: null, windowFrom: '2030-02-04', windowTo: '2030-02-05', timeFrom: null, timeTo: null, priority: 50, notes: '', createdBy: rep,
    });
    const t = (h: number) => new Date(`2030-02-04T${String(h).padStart(2, '0')}:00:00Z`);
    const stop = { seq: 0, visitId: visit, arrivalAt: t(9), startAt: t(9), endAt: t(10), departureAt: t(10), driveSeconds: 600, driveMetres: 8000, waitSeconds: 0 };
    const tour = {
      userId: rep, dateFrom: '2030-02-04', dateTo: '2030-02-05', createdBy: rep,
      totals: { distanceMetres: 16000, drivingSeconds: 1200, visits: 1, hotelNights: 1, meals: 1, costCents: 9000, currency: 'EUR' },
      days: [{ date: '2030-02-04', startAt: t(8), endAt: t(11), distanceMetres: 8000, drivingSeconds: 600, lunch: null, night: 'hotel' as const, nightLocation: { lng: 4.83, lat: 45.76 }, stops: [stop] }],
    };
    const transaction = createTransactor(handle.db);
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from tours`.execute(handle.db)).rows[0]?.n);
    const before = await count();
    // a stop on a day that was not written: the whole tour is refused
    await expect(transaction((r) => r.tours.insertTour(orgA, { ...tour, days: [{ ...tour.days[0], date: '2030-02-04', stops: [stop, { ...stop, seq: 0 }] }] as typeof tour.days }))).rejects.toThrow();
    expect(await count()).toBe(before);
    const id = await transaction((r) => r.tours.insertTour(orgA, tour));
    const saved = await tours.getTour(orgA, id);
    expect(saved).toMatchObject({ userId: rep, dateFrom: '2030-02-04', dateTo: '2030-02-05', status: 'planned', totals: tour.totals });
    expect(saved?.days[0]).toMatchObject({ date: '2030-02-04', night: 'hotel', nightLocation: { lng: 4.83, lat: 45.76 }, stops: [stop] });
    expect(await tours.getTour(orgB, id)).toBeUndefined();
    expect((await tours.listTours(orgA, { userId: rep, from: '2030-02-05', to: '2030-03-01' })).map((x) => x.id)).toContain(id);
    expect(await tours.listTours(orgA, { userId: rep, from: '2030-02-06' })).toEqual([]);
  });
});
