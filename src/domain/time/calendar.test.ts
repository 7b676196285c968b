import { describe, expect, it } from 'vitest';
import {
  addOffset,
  compareDates,
  daysInMonth,
  formatLocalDate,
  fromEpochDay,
  isLeapYear,
  isLocalDate,
  maxDate,
  minDate,
  monthName,
  parseLocalDate,
  subtractOffset,
  toEpochDay,
} from './calendar.js';

const platformDay = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;

describe('calendar rules', () => {
  it('has leap years every 4 years, except centuries not divisible by 400', () => {
    expect([1900, 1996, 2000, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([
      false,
      true,
      true,
      false,
      true,
      false,
      true,
    ]);
  });

  it('knows the length of every month', () => {
    const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    expect(months.map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
  });

  it('rejects impossible dates and accepts the extremes of real ones', () => {
    expect(parseLocalDate('0001-01-01')).toEqual({ year: 1, month: 1, day: 1 });
    expect(parseLocalDate('2026-04-30')).toEqual({ year: 2026, month: 4, day: 30 });
    expect(parseLocalDate('2026-12-31')).toEqual({ year: 2026, month: 12, day: 31 });
    for (const bad of ['0000-06-15', '2026-00-10', '2026-13-10', '2026-06-00', '2026-04-31', '2026-06-31']) {
      expect(parseLocalDate(bad)).toBeUndefined();
      expect(isLocalDate(bad)).toBe(false);
    }
    expect(isLocalDate(20261231)).toBe(false);
    expect(isLocalDate(undefined)).toBe(false);
  });

  it('writes years before 1000 with four digits', () => {
    expect(formatLocalDate({ year: 5, month: 1, day: 2 })).toBe('0005-01-02');
    expect(fromEpochDay(toEpochDay('0005-01-02'))).toBe('0005-01-02');
  });

  it('converts day numbers at the end of 400-year and 100-year cycles', () => {
    const dates: [number, number, number][] = [
      [1600, 2, 29],
      [1600, 3, 1],
      [1700, 2, 28],
      [1700, 3, 1],
      [1899, 12, 31],
      [1900, 2, 28],
      [1900, 3, 1],
      [1999, 12, 31],
      [2000, 2, 29],
      [2000, 3, 1],
      [2100, 2, 28],
      [2100, 3, 1],
      [2399, 12, 31],
      [2400, 2, 29],
      [2400, 3, 1],
    ];
    for (const [y, m, d] of dates) {
      const text = formatLocalDate({ year: y, month: m, day: d });
      expect(toEpochDay(text)).toBe(platformDay(y, m, d));
      expect(fromEpochDay(platformDay(y, m, d))).toBe(text);
    }
  });

  it('refuses to do arithmetic on a date that does not exist, naming it', () => {
    expect(() => toEpochDay('2026-02-30')).toThrow(
      new RangeError('Not a calendar date (YYYY-MM-DD): 2026-02-30'),
    );
  });

  it('adds and subtracts offsets of years, months and days', () => {
    expect(addOffset('2026-01-31', { days: 5 })).toBe('2026-02-05');
    expect(addOffset('2026-01-31', { months: 1, days: 1 })).toBe('2026-03-01');
    expect(addOffset('2024-02-29', { years: 1 })).toBe('2025-02-28');
    expect(addOffset('2026-05-10', {})).toBe('2026-05-10');
    expect(subtractOffset('2026-03-31', { months: 1, days: 1 })).toBe('2026-02-27');
    expect(subtractOffset('2026-03-31', { days: 31 })).toBe('2026-02-28');
    expect(subtractOffset('2026-03-31', { years: 2 })).toBe('2024-03-31');
    expect(subtractOffset('2026-03-31', { months: 13 })).toBe('2025-02-28');
  });

  it('compares, and picks the earlier or later of two dates', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(minDate('2026-01-01', '2026-01-02')).toBe('2026-01-01');
    expect(minDate('2026-01-02', '2026-01-01')).toBe('2026-01-01');
    expect(maxDate('2026-01-01', '2026-01-02')).toBe('2026-01-02');
    expect(maxDate('2026-01-02', '2026-01-01')).toBe('2026-01-02');
  });

  it('names months, and shows a number it cannot name', () => {
    expect(monthName(1)).toBe('January');
    expect(monthName(12)).toBe('December');
    expect(monthName(13)).toBe('13');
    expect(monthName(0)).toBe('0');
  });
});
