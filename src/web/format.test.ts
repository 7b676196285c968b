import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTime, zoneAbbreviation, zoneName } from './format';

// The browser running these tests may be anywhere; every expectation names its zone, so none
// depends on it (the old formatDateTime used the browser's zone and printed no label).
describe('times carry their zone', () => {
  const winter = '2027-01-15T19:00:00Z'; // 1:00 PM in Chicago (CST)
  const summer = '2027-07-15T18:00:00Z'; // 1:00 PM in Chicago (CDT)

  it('formatDateTime shows the instant in the zone given, with its abbreviation', () => {
    expect(formatDateTime(winter, 'America/Chicago')).toBe('Jan 15, 2027, 1:00 PM CST');
    expect(formatDateTime(summer, 'America/Chicago')).toBe('Jul 15, 2027, 1:00 PM CDT');
    expect(formatDateTime(winter, 'America/Denver')).toBe('Jan 15, 2027, 12:00 PM MST');
    expect(formatDateTime(winter, 'America/New_York')).toBe('Jan 15, 2027, 2:00 PM EST');
  });

  it('the day is the day in the zone, not in UTC', () => {
    // 03:30 UTC on the 16th is still the evening of the 15th in Chicago.
    expect(formatDateTime('2027-01-16T03:30:00Z', 'America/Chicago')).toBe('Jan 15, 2027, 9:30 PM CST');
  });

  it('formatTime shows the time of day with its abbreviation', () => {
    expect(formatTime(winter, 'America/Chicago')).toBe('1:00 PM CST');
    expect(formatTime(summer, 'America/Los_Angeles')).toBe('11:00 AM PDT');
  });

  it('nothing, or text that is not a time, is shown as it is', () => {
    expect(formatDateTime(null, 'America/Chicago')).toBe('');
    expect(formatDateTime(undefined, 'America/Chicago')).toBe('');
    expect(formatDateTime('soon', 'America/Chicago')).toBe('soon');
    expect(formatTime('', 'America/Chicago')).toBe('');
  });

  it('an unknown zone still gets a label', () => {
    expect(formatDateTime(winter, 'Not/AZone')).toMatch(/, \d{1,2}:\d{2} [AP]M \S+$/);
  });

  it('the abbreviation follows daylight saving', () => {
    expect(zoneAbbreviation(winter, 'America/Chicago')).toBe('CST');
    expect(zoneAbbreviation(summer, 'America/Chicago')).toBe('CDT');
    expect(zoneAbbreviation(summer, 'America/Phoenix')).toBe('MST');
  });

  it('US zones read as plain names; others as their IANA name', () => {
    expect(zoneName('America/Chicago')).toBe('Central Time');
    expect(zoneName('America/New_York')).toBe('Eastern Time');
    expect(zoneName('America/Denver')).toBe('Mountain Time');
    expect(zoneName('America/Los_Angeles')).toBe('Pacific Time');
    expect(zoneName('Europe/Paris')).toBe('Europe/Paris');
  });
});
