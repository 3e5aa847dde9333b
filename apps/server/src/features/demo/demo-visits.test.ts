import { describe, expect, it } from 'vitest';
import { addDays, isoWeekday, localOf, openAt } from '../tours/time.ts';
import { generateDemoData } from './demo-data.ts';
import { demoPlaces } from './demo-seed.ts';
import { DEMO_VISIT_HORIZON_DAYS, DEMO_VISIT_TYPES, demoProfiles, generateDemoVisits, MAINTENANCE_SKILL } from './demo-visits.ts';

const data = generateDemoData(demoPlaces());
const today = '2026-11-23';
const zone = 'Europe/Paris';
const visits = generateDemoVisits(data, today, zone);

describe('demo visits', () => {
  it('is the same every time', () => {
    expect(generateDemoVisits(data, today, zone)).toEqual(visits);
  });

  it('gives every rep about 60 open visits, mostly on accounts they own, one visit per account', () => {
    const reps = data.users.filter((u) => u.role === 'rep');
    for (const rep of reps) {
      const own = visits.filter((v) => v.userKey === rep.key);
      expect(own.length, rep.key).toBeGreaterThanOrEqual(55);
      expect(own.length).toBeLessThanOrEqual(60);
      expect(own.filter((v) => data.accounts[v.accountIndex]?.ownerKey === rep.key).length).toBeGreaterThanOrEqual(35);
      expect(new Set(own.map((v) => v.accountIndex)).size).toBe(own.length);
    }
    expect(new Set(visits.map((v) => v.accountIndex)).size).toBe(visits.length);
    expect(visits.filter((v) => v.userKey === 'tech').length).toBeGreaterThan(10);
  });

  it('spreads windows over the coming two weeks and books some appointments inside opening hours and working days', () => {
    const last = addDays(today, DEMO_VISIT_HORIZON_DAYS);
    const windows = visits.flatMap((v) => (v.window ? [v.window] : []));
    expect(windows.every((w) => w.from > today && w.to <= last && w.from <= w.to)).toBe(true);
    const booked = visits.filter((v) => v.appointmentAt !== null);
    expect(booked.length).toBeGreaterThan(40);
    for (const v of booked) {
      const at = v.appointmentAt ?? 0;
      const account = data.accounts[v.accountIndex];
      const minutes = DEMO_VISIT_TYPES.find((t) => t.key === v.type)?.durationMinutes ?? 0;
      if (!account) throw new Error('no account');
      expect(openAt(account.openingHours, at, minutes * 60, zone), account.name).toBe(true);
      const local = localOf(at, zone);
      expect(local.date > today && local.date <= last).toBe(true);
      expect(isoWeekday(local.date)).toBeLessThanOrEqual(5);
      expect(local.minutes % 15).toBe(0);
    }
  });

  it('gives maintenance only to people with the skill, on equipment', () => {
    const skilled = new Set(demoProfiles(data).flatMap((p) => (p.skills.includes(MAINTENANCE_SKILL) ? [p.userKey] : [])));
    expect(skilled.size).toBeGreaterThan(3);
    for (const v of visits.filter((x) => x.type === 'maintenance')) {
      expect(skilled.has(v.userKey)).toBe(true);
      expect(data.accounts[v.accountIndex]?.kind).toBe('equipment');
    }
    expect(new Set(visits.map((v) => v.type)).size).toBe(3);
  });
});
