/**
 * The edges of reading and writing dates and instants: what is refused, how each part is written,
 * the twelve month names, and the first instant of days whose midnight a zone skips.
 */
import { describe, expect, it } from 'vitest';
import {
  compareDates,
  formatLocalDate,
  formatLongDate,
  isLocalDate,
  maxDate,
  minDate,
  monthName,
  parseLocalDate,
} from './calendar.js';
import { localDateOf, parseInstant, startOfLocalDay, todayIn } from './zone.js';

describe('local dates, strictly', () => {
  it('takes exactly YYYY-MM-DD and nothing around it', () => {
    expect(parseLocalDate('2027-03-04')).toEqual({ year: 2027, month: 3, day: 4 });
    for (const bad of [
      'x2027-03-04',
      '2027-03-04x',
      '27-03-04',
      '2027-3-04',
      '2027-03-4',
      '2027-0a-04',
      '2027-03-0b',
      'abcd-03-04',
    ])
      expect(isLocalDate(bad), bad).toBe(false);
  });
  it('writes every part with its zeros', () => {
    expect(formatLocalDate({ year: 987, month: 3, day: 4 })).toBe('0987-03-04');
    expect(formatLocalDate({ year: 2027, month: 11, day: 10 })).toBe('2027-11-10');
  });
  it('names the twelve months', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(monthName)).toEqual([
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ]);
    expect(monthName(13)).toBe('13');
    expect(formatLongDate('2027-09-05')).toBe('September 5, 2027');
  });
  it('orders dates, and picks the earlier and the later', () => {
    expect(compareDates('2027-01-02', '2027-01-10')).toBe(-1);
    expect(compareDates('2027-01-10', '2027-01-02')).toBe(1);
    expect(compareDates('2027-01-10', '2027-01-10')).toBe(0);
    expect(minDate('2027-01-10', '2027-01-02')).toBe('2027-01-02');
    expect(minDate('2027-01-02', '2027-01-10')).toBe('2027-01-02');
    expect(maxDate('2027-01-10', '2027-01-02')).toBe('2027-01-10');
    expect(maxDate('2027-01-02', '2027-01-10')).toBe('2027-01-10');
  });
});

describe('instants, strictly', () => {
  const chicago = 'America/Chicago';
  it('reads every form the format allows', () => {
    expect(parseInstant('2027-03-04T05:06:07Z', chicago)).toBe(Date.UTC(2027, 2, 4, 5, 6, 7));
    expect(parseInstant('2027-03-04 05:06Z', chicago)).toBe(Date.UTC(2027, 2, 4, 5, 6, 0));
    expect(parseInstant('2027-03-04T05:06:07.5Z', chicago)).toBe(Date.UTC(2027, 2, 4, 5, 6, 7, 500));
    expect(parseInstant('2027-03-04T05:06:07.123456789Z', chicago)).toBe(Date.UTC(2027, 2, 4, 5, 6, 7, 123));
    expect(parseInstant('2027-03-04T05:06:07+0130', chicago)).toBe(Date.UTC(2027, 2, 4, 3, 36, 7));
    expect(parseInstant('2027-03-04T05:06:07-06:00', chicago)).toBe(Date.UTC(2027, 2, 4, 11, 6, 7));
    // No offset: wall-clock time in the zone (CST, UTC-6, in early March).
    expect(parseInstant('2027-03-04T05:06:07', chicago)).toBe(Date.UTC(2027, 2, 4, 11, 6, 7));
  });
  it('refuses anything else', () => {
    for (const bad of [
      'x2027-03-04T05:06Z',
      '2027-03-04T05:06Zx',
      '2027-3-04T05:06Z',
      '2027-03-4T05:06Z',
      '2027-03-04X05:06Z',
      '2027-03-04T5:06Z',
      '2027-03-04T05:6Z',
      '2027-03-04T05:06:7Z',
      '2027-03-04T05:06:07.Z',
      '2027-03-04T05:06:07.1234567890Z',
      '2027-03-04T05:06+1',
      '2027-03-04T05:06+19:00',
      '2027-03-04T24:00Z',
      '2027-02-30T05:06Z',
    ])
      expect(parseInstant(bad, chicago), bad).toBeUndefined();
  });
});

describe('days in a zone', () => {
  it("today is the zone's date, not UTC's", () => {
    expect(todayIn('America/Chicago', new Date(Date.UTC(2027, 0, 1, 3)))).toBe('2026-12-31');
    expect(todayIn('Asia/Tokyo', new Date(Date.UTC(2026, 11, 31, 16)))).toBe('2027-01-01');
  });
  it('starts a day at midnight where midnight exists', () => {
    expect(startOfLocalDay('2027-03-14', 'America/Chicago')).toBe(Date.UTC(2027, 2, 14, 6));
    expect(startOfLocalDay('2027-03-15', 'America/Chicago')).toBe(Date.UTC(2027, 2, 15, 5));
    expect(startOfLocalDay('2027-11-07', 'America/Chicago')).toBe(Date.UTC(2027, 10, 7, 5));
  });
  it('starts a day at its first instant where the clocks jumped over midnight', () => {
    // Brazil began summer time at 00:00 on 2018-11-04: the day began at 01:00 local (03:00 UTC).
    const start = startOfLocalDay('2018-11-04', 'America/Sao_Paulo');
    expect(start).toBe(Date.UTC(2018, 10, 4, 3));
    expect(localDateOf(start, 'America/Sao_Paulo')).toBe('2018-11-04');
    expect(localDateOf(start - 1, 'America/Sao_Paulo')).toBe('2018-11-03');
    // Cuba jumped from 00:00 to 01:00 on 2027-03-14 (second Sunday of March).
    const havana = startOfLocalDay('2027-03-14', 'America/Havana');
    expect(localDateOf(havana, 'America/Havana')).toBe('2027-03-14');
    expect(localDateOf(havana - 1, 'America/Havana')).toBe('2027-03-13');
  });
});
