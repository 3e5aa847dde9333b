import { describe, expect, it } from 'vitest';
import { bodyOfForm, formOfProfile } from './profile-form.ts';
import { visitTypeBody } from './visit-types-page.tsx';
import type { RepProfileDto } from './tours-types.ts';

const profile: RepProfileDto = {
  userId: '00000000-0000-4000-8000-000000000001',
  userName: 'Camille Laurent',
  saved: true,
  home: { label: 'Lille (59000)', location: { lng: 3.05858, lat: 50.63297 } },
  office: null,
  startAt: 'home',
  workingHours: { '1': { from: '08:30', to: '18:30' }, '5': { from: '08:30', to: '17:30' } },
  lunch: { from: '12:00', to: '14:00', minutes: 45 },
  maxDailyDrivingMinutes: 300,
  costPerKmCents: 32,
  hotelNightCents: 9500,
  mealCents: 2000,
  currency: 'EUR',
  skills: ['vente'],
};

describe('rep profile form', () => {
  it('round-trips a profile: money in units, driving in hours, unworked days left out', () => {
    const form = formOfProfile(profile);
    expect(form.costPerKm).toBe('0.32');
    expect(form.maxDrivingHours).toBe('5');
    expect(form.days['2']).toBeNull();
    const { body, errors } = bodyOfForm(form);
    expect(errors).toEqual({});
    expect(body).toEqual({
      home: profile.home,
      office: null,
      startAt: 'home',
      workingHours: profile.workingHours,
      lunch: profile.lunch,
      maxDailyDrivingMinutes: 300,
      costPerKmCents: 32,
      hotelNightCents: 9500,
      mealCents: 2000,
      currency: 'EUR',
      skills: ['vente'],
    });
  });

  it('accepts a decimal comma, an empty driving limit, and names each field that is wrong', () => {
    const form = formOfProfile(profile);
    expect(bodyOfForm({ ...form, hotelNight: '89,90', maxDrivingHours: '' }).body).toMatchObject({ hotelNightCents: 8990, maxDailyDrivingMinutes: null });
    const { errors } = bodyOfForm({ ...form, days: { ...form.days, '1': { from: '18:00', to: '08:00' } }, lunchMinutes: '150', costPerKm: '-1', currency: 'eu', startAt: 'office', maxDrivingHours: '30' });
    expect(Object.keys(errors).sort()).toEqual(['costPerKm', 'currency', 'day1', 'lunch', 'maxDriving', 'office']);
  });
});

describe('visit type row', () => {
  it('builds the body, trimming and de-duplicating skills, or says what is wrong', () => {
    expect(visitTypeBody({ name: ' Maintenance ', duration: '90', skills: 'froid, fours,froid,', priority: '70' })).toEqual({ name: 'Maintenance', durationMinutes: 90, requiredSkills: ['froid', 'fours'], defaultPriority: 70 });
    expect(visitTypeBody({ name: '', duration: '90', skills: '', priority: '70' })).toBe('A name is needed');
    expect(visitTypeBody({ name: 'x', duration: '0', skills: '', priority: '70' })).toMatch(/Duration/);
    expect(visitTypeBody({ name: 'x', duration: '30', skills: '', priority: '101' })).toMatch(/Priority/);
  });
});
