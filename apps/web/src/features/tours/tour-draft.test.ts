import { describe, expect, it } from 'vitest';
import { addVisit, draftBody, draftOfBody, draftsEqual, findStop, moveStop, moveStopToDay, nudgeStop, offTour, removeStop, setNight, type TourDraft } from './tour-draft.ts';
import { addDays, clock, dayLabel, durationText, isoWeekday, kmText, nextMonday } from './tour-format.ts';

const draft: TourDraft = {
  userId: 'u1',
  days: [
    { date: '2026-11-30', visitIds: ['a', 'b', 'c'], night: 'home' },
    { date: '2026-12-01', visitIds: ['d', 'e'], night: 'hotel' },
  ],
};
const ids = (d: TourDraft) => d.days.map((x) => x.visitIds.join(''));

describe('tour draft edits', () => {
  it('moves a stop up and down inside its day, and not past either end', () => {
    expect(ids(nudgeStop(draft, { day: 0, index: 1 }, -1))).toEqual(['bac', 'de']);
    expect(ids(nudgeStop(draft, { day: 0, index: 1 }, 1))).toEqual(['acb', 'de']);
    expect(nudgeStop(draft, { day: 0, index: 0 }, -1)).toBe(draft);
    expect(nudgeStop(draft, { day: 1, index: 1 }, 1)).toBe(draft);
  });

  it('moves a stop to a position (drag and drop), inside a day or to another one', () => {
    expect(ids(moveStop(draft, { day: 0, index: 0 }, { day: 0, index: 2 }))).toEqual(['bca', 'de']);
    expect(ids(moveStop(draft, { day: 0, index: 2 }, { day: 1, index: 1 }))).toEqual(['ab', 'dce']);
    expect(ids(moveStop(draft, { day: 1, index: 0 }, { day: 0, index: 99 }))).toEqual(['abcd', 'e']);
    // out of range: nothing changes
    expect(moveStop(draft, { day: 3, index: 0 }, { day: 0, index: 0 })).toBe(draft);
    expect(moveStop(draft, { day: 0, index: 5 }, { day: 1, index: 0 })).toBe(draft);
    expect(moveStop(draft, { day: 0, index: 0 }, { day: 4, index: 0 })).toBe(draft);
  });

  it('moves a stop to the end of another day; the same day changes nothing', () => {
    expect(ids(moveStopToDay(draft, { day: 0, index: 0 }, 1))).toEqual(['bc', 'dea']);
    expect(moveStopToDay(draft, { day: 0, index: 0 }, 0)).toBe(draft);
  });

  it('removes a stop and adds a visit back, at the end or at a position; adding one already on the tour moves it', () => {
    const removed = removeStop(draft, { day: 0, index: 1 });
    expect(ids(removed)).toEqual(['ac', 'de']);
    expect(ids(addVisit(removed, 'b', 1))).toEqual(['ac', 'deb']);
    expect(ids(addVisit(removed, 'b', 1, 0))).toEqual(['ac', 'bde']);
    expect(ids(addVisit(draft, 'a', 1))).toEqual(['bc', 'dea']);
    expect(addVisit(draft, 'x', 7)).toBe(draft);
    expect(removeStop(draft, { day: 0, index: 9 })).toBe(draft);
  });

  it('never changes the draft it is given', () => {
    const before = JSON.stringify(draft);
    moveStop(draft, { day: 0, index: 0 }, { day: 1, index: 0 });
    removeStop(draft, { day: 1, index: 0 });
    addVisit(draft, 'z', 0);
    setNight(draft, 0, 'hotel');
    expect(JSON.stringify(draft)).toBe(before);
  });

  it('sets the night, finds stops, compares drafts and builds the request body', () => {
    const hotel = setNight(draft, 0, 'hotel');
    expect(hotel.days[0]?.night).toBe('hotel');
    expect(draftsEqual(draft, hotel)).toBe(false);
    expect(draftsEqual(draft, { ...draft, days: draft.days.map((d) => ({ ...d, visitIds: [...d.visitIds] })) })).toBe(true);
    expect(findStop(draft, 'e')).toEqual({ day: 1, index: 1 });
    expect(findStop(draft, 'zz')).toBeUndefined();
    expect(draftsEqual(draftOfBody(draftBody(draft)), draft)).toBe(true);
    expect(draftOfBody({ userId: 'u1', days: [{ date: '2026-11-30', visitIds: ['a'] }] }).days[0]?.night).toBe('home');
    expect(draftBody(draft)).toEqual({
      userId: 'u1',
      days: [
        { date: '2026-11-30', visitIds: ['a', 'b', 'c'], night: 'home' },
        { date: '2026-12-01', visitIds: ['d', 'e'], night: 'hotel' },
      ],
    });
  });

  it('lists the candidates off the tour: the optimiser’s reason first, then those taken off by hand, then those not selected', () => {
    const candidates = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => ({ id, accountName: `Account ${id.toUpperCase()}`, visitTypeName: 'Suivi' }));
    const edited = removeStop(draft, { day: 0, index: 2 }); // c taken off
    const unplaced = [
      { visitId: 'f', accountId: 'af', accountName: 'Account F', reason: 'no_room', message: 'Not enough time' },
      { visitId: 'g', accountId: 'ag', accountName: 'Account G', reason: 'closed', message: 'Closed' },
    ];
    const selected = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const off = offTour(candidates, selected, edited, unplaced);
    expect(off.map((o) => [o.visitId, o.reason])).toEqual([
      ['f', 'no_room'],
      ['g', 'closed'],
      ['c', 'removed'],
      ['h', 'not_selected'],
    ]);
    // a reopened saved tour says why the other candidates are not on it
    expect(offTour(candidates, new Set(['a', 'b', 'd', 'e']), draft, [], { reason: 'not_on_tour', message: 'Not on this tour' }).map((o) => [o.visitId, o.reason])).toEqual([
      ['f', 'not_on_tour'],
      ['g', 'not_on_tour'],
      ['h', 'not_on_tour'],
    ]);
    // an unplaced visit added by hand is no longer off the tour
    expect(offTour(candidates, selected, addVisit(edited, 'f', 0), unplaced).map((o) => o.visitId)).toEqual(['g', 'c', 'h']);
  });
});

describe('tour formats', () => {
  it('formats durations, distances, days and clock times', () => {
    expect(durationText(0)).toBe('0 min');
    expect(durationText(45 * 60)).toBe('45 min');
    expect(durationText(65 * 60)).toBe('1 h 05');
    expect(kmText(928)).toBe('0.9 km');
    expect(kmText(228_216)).toBe('228 km');
    expect(clock('2026-11-30T07:32:14.000Z', 'Europe/Paris')).toBe('08:32');
    expect(dayLabel('2026-11-30')).toBe('Mon 30 Nov');
  });

  it('counts days and finds the next Monday', () => {
    expect(addDays('2026-11-30', 4)).toBe('2026-12-04');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(nextMonday('2026-11-23')).toBe('2026-11-30');
    expect(nextMonday('2026-11-29')).toBe('2026-11-30');
    expect(nextMonday('2026-11-28')).toBe('2026-11-30');
  });
});
