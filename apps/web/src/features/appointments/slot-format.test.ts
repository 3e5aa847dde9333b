import { describe, expect, it } from 'vitest';
import { addDays, clockOf, dayLabel, minutesOfDay, money, signedMinutes } from './slot-format.ts';

describe('slot formatting', () => {
  it('shows instants in the organisation time zone, not the browser one', () => {
    expect(clockOf('2026-11-30T08:37:00.000Z', 'Europe/Paris')).toBe('09:37');
    expect(clockOf('2026-07-01T08:37:00.000Z', 'Europe/Paris')).toBe('10:37');
    expect(minutesOfDay('2026-11-30T08:37:00.000Z', 'Europe/Paris')).toBe(9 * 60 + 37);
  });
  it('labels days and amounts', () => {
    expect(dayLabel('2026-11-30')).toBe('Mon 30 Nov');
    expect(addDays('2026-11-30', 2)).toBe('2026-12-02');
    expect(signedMinutes(12)).toBe('+12 min');
    expect(signedMinutes(-5)).toBe('-5 min');
    expect(money(481, 'EUR')).toBe('€5');
  });
});
