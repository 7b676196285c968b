import { describe, expect, it } from 'vitest';
import {
  endOfLocalDay,
  isOnOrBeforeDeadline,
  isValidTimeZone,
  localDateOf,
  parseInstant,
  startOfLocalDay,
  zoneOffsetMs,
} from './zone.js';

const CHI = 'America/Chicago';

describe('zoned time edge cases', () => {
  it('refuses a time zone that is not a string', () => {
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false);
    expect(isValidTimeZone(42 as unknown as string)).toBe(false);
  });

  it('reads wall clocks before the common era (BC years)', () => {
    const tenBc = Date.parse('-000009-06-01T12:00:00Z'); // 10 BC is astronomical year -9
    expect(zoneOffsetMs('UTC', tenBc)).toBe(0);
    expect(zoneOffsetMs('Asia/Tokyo', Date.parse('2026-06-01T12:00:00Z'))).toBe(9 * 3_600_000);
  });

  it('names a bad date when asked for the start of its day', () => {
    expect(() => startOfLocalDay('2026-02-30', CHI)).toThrow(
      new RangeError('Not a calendar date (YYYY-MM-DD): 2026-02-30'),
    );
  });

  it('starts a day at its second midnight candidate when the first is still the day before', () => {
    // São Paulo set clocks back from 00:00 to 23:00 on 2019-02-17: local midnight is 03:00Z.
    expect(startOfLocalDay('2019-02-17', 'America/Sao_Paulo')).toBe(Date.UTC(2019, 1, 17, 3));
    // Cairo set clocks back at midnight on 1970-10-01: the day starts at the first 00:00 (+03:00).
    expect(startOfLocalDay('1970-10-01', 'Africa/Cairo')).toBe(Date.UTC(1970, 8, 30, 21));
    // Havana goes back from 01:00 to 00:00 on 2026-11-01: midnight happens twice, the first one counts.
    expect(startOfLocalDay('2026-11-01', 'America/Havana')).toBe(Date.UTC(2026, 10, 1, 4));
  });

  it('parses instants with offsets, fractions and limits', () => {
    expect(parseInstant('2026-12-31T10:00:00Z', CHI)).toBe(Date.UTC(2026, 11, 31, 10));
    expect(parseInstant('2026-12-31T10:00Z', CHI)).toBe(Date.UTC(2026, 11, 31, 10));
    expect(parseInstant('2026-12-31T10:00:00.5Z', CHI)).toBe(Date.UTC(2026, 11, 31, 10, 0, 0, 500));
    expect(parseInstant('2026-12-31T10:00:00.123456789Z', CHI)).toBe(Date.UTC(2026, 11, 31, 10, 0, 0, 123));
    expect(parseInstant('2026-12-31T10:00:00+05:30', CHI)).toBe(Date.UTC(2026, 11, 31, 4, 30));
    expect(parseInstant('2026-12-31T10:00:00-0330', CHI)).toBe(Date.UTC(2026, 11, 31, 13, 30));
    expect(parseInstant('2026-12-31T10:00:00+18:00', CHI)).toBe(Date.UTC(2026, 11, 30, 16));
    expect(parseInstant('2026-12-31T10:00:00+18:01', CHI)).toBeUndefined();
    expect(parseInstant('2026-12-31T10:00:00-19:00', CHI)).toBeUndefined();
    expect(parseInstant('2026-12-31T23:59:59Z', CHI)).toBe(Date.UTC(2026, 11, 31, 23, 59, 59));
    expect(parseInstant('2026-12-31T10:60:00Z', CHI)).toBeUndefined();
    expect(parseInstant('2026-12-31T10:00:60Z', CHI)).toBeUndefined();
    expect(parseInstant('2026-02-30T10:00:00Z', CHI)).toBeUndefined();
  });

  it('reads a wall time just after the spring-forward gap in the program zone', () => {
    // 2026-03-08 03:30 CDT (clocks jumped from 02:00 CST to 03:00 CDT) is 08:30Z.
    expect(parseInstant('2026-03-08T03:30', CHI)).toBe(Date.UTC(2026, 2, 8, 8, 30));
    expect(parseInstant('2026-03-08T01:30', CHI)).toBe(Date.UTC(2026, 2, 8, 7, 30));
    expect(localDateOf(Date.UTC(2026, 2, 8, 8, 30), CHI)).toBe('2026-03-08');
  });
});

describe('a local date that a zone skipped entirely', () => {
  it('ends the day before at the first instant of the day after (Samoa skipped 2011-12-30)', () => {
    // Apia went from 2011-12-29 24:00 (-10:00) straight to 2011-12-31 00:00 (+14:00), at 10:00Z.
    const apia = 'Pacific/Apia';
    const jump = Date.UTC(2011, 11, 30, 10);
    expect(endOfLocalDay('2011-12-29', apia)).toBe(jump);
    expect(startOfLocalDay('2011-12-30', apia)).toBe(jump);
    expect(startOfLocalDay('2011-12-31', apia)).toBe(jump);
    // A deadline on Dec 29 is not met at 01:00 on Dec 31 local time.
    expect(isOnOrBeforeDeadline(jump + 3_600_000, '2011-12-29', apia)).toBe(false);
    expect(localDateOf(jump + 3_600_000, apia)).toBe('2011-12-31');
  });

  it('does the same for Kwajalein, which skipped 1993-08-21', () => {
    const kwaj = 'Pacific/Kwajalein';
    expect(endOfLocalDay('1993-08-20', kwaj)).toBe(startOfLocalDay('1993-08-22', kwaj));
  });
});
