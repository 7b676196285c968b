import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  dateInYear,
  daysBetween,
  endOfLocalDay,
  fromEpochDay,
  fullYearsBetween,
  isLocalDate,
  isOnOrBeforeDeadline,
  isValidTimeZone,
  localDateOf,
  parseInstant,
  startOfLocalDay,
  toEpochDay,
  toLocalDate,
  zoneOffsetMs,
} from './index.js';

const CHI = 'America/Chicago';

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-1-01')).toBe(false);
    expect(isLocalDate('2026-12-31T00:00')).toBe(false);
  });

  it('round-trips day numbers against the platform calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (day) => {
        const iso = fromEpochDay(day);
        expect(iso).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        expect(toEpochDay(iso)).toBe(day);
      }),
    );
  });

  it('adds months and years clamping to the end of the month', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-03-15', -3)).toBe('2024-12-15');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(dateInYear(2025, 2, 29)).toBe('2025-02-28');
  });

  it('counts whole years of service like birthdays', () => {
    expect(fullYearsBetween('2020-05-10', '2025-05-09')).toBe(4);
    expect(fullYearsBetween('2020-05-10', '2025-05-10')).toBe(5);
    expect(fullYearsBetween('2020-02-29', '2021-02-28')).toBe(1);
    expect(fullYearsBetween('2025-05-10', '2020-05-10')).toBe(0);
  });
});

describe('time zones', () => {
  it('knows IANA zones', () => {
    expect(isValidTimeZone(CHI)).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('gives Chicago offsets across daylight saving time', () => {
    expect(zoneOffsetMs(CHI, Date.UTC(2026, 0, 15, 12))).toBe(-6 * 3_600_000);
    expect(zoneOffsetMs(CHI, Date.UTC(2026, 6, 15, 12))).toBe(-5 * 3_600_000);
  });

  it('ends a date-only deadline at the next local midnight, not UTC', () => {
    // Dec 31, 2026 in Chicago ends at 2027-01-01T06:00Z.
    expect(endOfLocalDay('2026-12-31', CHI)).toBe(Date.UTC(2027, 0, 1, 6));
    const justInside = Date.UTC(2027, 0, 1, 5, 59, 59, 999); // 23:59:59.999 local on Dec 31
    const firstOutside = Date.UTC(2027, 0, 1, 6); // 00:00 local on Jan 1
    expect(isOnOrBeforeDeadline(justInside, '2026-12-31', CHI)).toBe(true);
    expect(isOnOrBeforeDeadline(firstOutside, '2026-12-31', CHI)).toBe(false);
    // In UTC terms both instants are already "2027-01-01": the zone is what makes the first one count.
    expect(new Date(justInside).toISOString().startsWith('2027-01-01')).toBe(true);
  });

  it('handles days that are 23 or 25 hours long', () => {
    const spring = endOfLocalDay('2026-03-08', CHI) - startOfLocalDay('2026-03-08', CHI);
    const fall = endOfLocalDay('2026-11-01', CHI) - startOfLocalDay('2026-11-01', CHI);
    expect(spring).toBe(23 * 3_600_000);
    expect(fall).toBe(25 * 3_600_000);
  });

  it('starts a day at the first instant that exists when midnight is skipped', () => {
    // São Paulo moved clocks from 00:00 to 01:00 on 2018-11-04.
    expect(startOfLocalDay('2018-11-04', 'America/Sao_Paulo')).toBe(Date.UTC(2018, 10, 4, 3));
  });

  it('reads record dates as program-local dates', () => {
    expect(toLocalDate('2026-12-31', CHI)).toBe('2026-12-31');
    expect(toLocalDate('2026-12-31T23:59:00-06:00', CHI)).toBe('2026-12-31');
    expect(toLocalDate('2027-01-01T00:00:00-06:00', CHI)).toBe('2027-01-01');
    expect(toLocalDate('2027-01-01T05:59:59Z', CHI)).toBe('2026-12-31');
    expect(toLocalDate('2027-01-01T06:00:00Z', CHI)).toBe('2027-01-01');
    expect(toLocalDate('2026-12-31T23:59:59.999', CHI)).toBe('2026-12-31'); // no offset: local wall time
    expect(toLocalDate('2027-01-01T00:00', CHI)).toBe('2027-01-01');
    expect(toLocalDate('2026-02-30', CHI)).toBeUndefined();
    expect(toLocalDate('yesterday', CHI)).toBeUndefined();
    expect(parseInstant('2026-12-31T25:00:00Z', CHI)).toBeUndefined();
  });

  it('agrees with itself: the local date of a day start is that day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30_000 }),
        fc.constantFrom(CHI, 'America/New_York', 'Pacific/Honolulu', 'Australia/Lord_Howe'),
        (day, tz) => {
          const date = fromEpochDay(day);
          expect(localDateOf(startOfLocalDay(date, tz), tz)).toBe(date);
          expect(localDateOf(endOfLocalDay(date, tz) - 1, tz)).toBe(date);
        },
      ),
      { numRuns: 200 },
    );
  });
});
