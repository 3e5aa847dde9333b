import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { AnnounceStopRecord, AnnounceTourDayRecord } from '@geocrm/db';
import { renderCalendar } from './calendar.ts';
import { directionsFor } from './directions.ts';
import { fill } from './format.ts';

const at = (h: number, m = 0) => new Date(Date.UTC(2026, 10, 30, h, m));
const stop = (i: number, extra: Partial<AnnounceStopRecord['account']> = {}): AnnounceStopRecord => ({
  seq: i,
  visitId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  visitType: 'Maintenance préventive',
  visitNotes: '',
  appointment: false,
  arrival: at(7 + i),
  start: at(7 + i),
  end: at(7 + i, 30),
  departure: at(7 + i, 30),
  driveMetres: 1000,
  driveSeconds: 120,
  account: { id: `a${i}`, name: `Account ${i}`, address: `${i} rue X, 69001 Lyon`, phone: null, email: null, optOut: false, location: { lng: 4.8 + i / 100, lat: 45.7 + i / 100 }, notes: '', contacts: [], ...extra },
});
const dayWith = (stops: AnnounceStopRecord[]): AnnounceTourDayRecord => ({
  tourId: 't',
  tourStatus: 'planned',
  userId: 'u',
  userName: 'Rep',
  userEmail: 'rep@x.test',
  home: { label: 'Home', lng: 4.8, lat: 45.7 },
  orgName: 'Org',
  timeZone: 'Europe/Paris',
  locale: 'fr',
  day: { date: '2026-11-30', start: at(7), end: at(20), distanceMetres: 1, drivingSeconds: 1, lunch: null, night: 'home', nightLocation: null },
  stops,
});

describe('directions', () => {
  it('splits a long day into Google legs of at most 9 waypoints that join end to start; Waze gets every placed stop', () => {
    const stops = Array.from({ length: 12 }, (_, i) => stop(i));
    stops[5] = stop(5, { location: null });
    const d = directionsFor(dayWith(stops));
    // home + 11 placed stops + home = 13 points → legs of ≤ 11 points
    expect(d.google).toHaveLength(2);
    const legs = d.google.map((u) => new URL(u).searchParams);
    for (const l of legs) expect((l.get('waypoints') ?? '').split('|').length).toBeLessThanOrEqual(9);
    expect(legs[1]?.get('origin')).toBe(legs[0]?.get('destination'));
    expect(legs[0]?.get('origin')).toBe('45.700000,4.800000');
    expect(legs[1]?.get('destination')).toBe('45.700000,4.800000');
    expect(d.waze).toHaveLength(11);
    expect(d.unplaced).toEqual(['Account 5']);
  });
});

describe('calendar', () => {
  it('folds long lines with accents at 75 octets without breaking a character; the text survives a real parser', () => {
    const long = 'Contrôle de la chaudière, vérification des sécurités, ramonage conseillé — prévoir l’échelle et les joints (réf. 4589-É)';
    const ics = renderCalendar(dayWith([{ ...stop(0), visitNotes: long }]));
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics) as unknown[]).getFirstSubcomponent('vevent') ?? undefined);
    expect(event.description).toContain(long);
    expect(event.summary).toBe('1. Account 0');
  });
});

describe('templates', () => {
  it('fills known names and leaves unknown ones visible', () => {
    expect(fill('{{a}} et {{ b }} mais {{c}}', { a: '1', b: '2' })).toBe('1 et 2 mais {{c}}');
  });
});
