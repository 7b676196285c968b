/**
 * Zoned time: turning instants into the program's local calendar dates and
 * local dates into instants, with Intl.DateTimeFormat (IANA zones, DST aware).
 *
 * A date-only deadline "2026-12-31" in America/Chicago ends at the start of
 * 2027-01-01 local time (exclusive), so 23:59:59.999 local on Dec 31 is inside.
 */
import { addDays, formatLocalDate, isLocalDate, parseLocalDate, type LocalDate } from './calendar.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA time zone name (e.g. "America/Chicago"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(timeZone: string, epochMs: number): WallClock {
  const parts = formatterFor(timeZone).formatToParts(epochMs);
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let bc = false;
  for (const part of parts) {
    switch (part.type) {
      case 'year':
        out.year = Number(part.value);
        break;
      case 'month':
        out.month = Number(part.value);
        break;
      case 'day':
        out.day = Number(part.value);
        break;
      case 'hour':
        out.hour = Number(part.value);
        break;
      case 'minute':
        out.minute = Number(part.value);
        break;
      case 'second':
        out.second = Number(part.value);
        break;
      case 'era':
        bc = part.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  if (bc) out.year = 1 - out.year;
  return out;
}

/** The zone's offset from UTC at an instant, in milliseconds (Chicago in winter: -6 h). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const w = wallClock(timeZone, epochMs);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const whole = epochMs - (((epochMs % 1000) + 1000) % 1000);
  return asUtc - whole;
}

/** The local calendar date of an instant in a time zone. */
export function localDateOf(epochMs: number, timeZone: string): LocalDate {
  const w = wallClock(timeZone, epochMs);
  return formatLocalDate({ year: w.year, month: w.month, day: w.day });
}

/**
 * Today's date in a time zone (a program's zone: the calendar its deadlines
 * are kept in), given the clock's `now`. The one way the server asks "what day
 * is it for this program"; there is no fallback zone.
 */
export function todayIn(timeZone: string, now: Date): LocalDate {
  return localDateOf(now.getTime(), timeZone);
}

/**
 * The first instant of a local date in a zone. Where midnight does not exist
 * (a DST jump at 00:00), this is the first instant that does; for a date the
 * zone skipped entirely, the first instant of the next date it has.
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const p = parseLocalDate(date);
  if (!p) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  const guess = Date.UTC(p.year, p.month - 1, p.day);
  const first = guess - zoneOffsetMs(timeZone, guess);
  const second = guess - zoneOffsetMs(timeZone, first);
  if (second === first) return first;
  // The offset changed between the two guesses: take the earliest candidate that is on `date`.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const c of candidates) if (localDateOf(c, timeZone) === date) return c;
  // Midnight skipped: search forward in 15-minute steps for the first local instant of the day,
  // or, where the zone skipped the whole day (Samoa, 2011-12-30), of the day after it, so the
  // day before still ends where the next existing day starts.
  let t = Math.min(first, second);
  for (let i = 0; i < 4 * 26 && localDateOf(t, timeZone) < date; i += 1) t += 15 * 60 * 1000;
  return t;
}

/**
 * The exclusive end of a local date: the first instant of the next day. A
 * deadline "on D" is met by any instant strictly before this.
 */
export function endOfLocalDay(date: LocalDate, timeZone: string): number {
  return startOfLocalDay(addDays(date, 1), timeZone);
}

/** True when the instant falls on or before the end of the local deadline date. */
export function isOnOrBeforeDeadline(epochMs: number, deadline: LocalDate, timeZone: string): boolean {
  return epochMs < endOfLocalDay(deadline, timeZone);
}

const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses an ISO 8601 instant. With an offset ("Z", "-06:00") it is absolute;
 * without one it is read as wall-clock time in `timeZone`. Returns undefined
 * for anything else.
 */
export function parseInstant(text: string, timeZone: string): number | undefined {
  const m = INSTANT_RE.exec(text);
  if (!m) return undefined;
  const datePart = `${m[1]}-${m[2]}-${m[3]}`;
  if (!parseLocalDate(datePart)) return undefined;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? '0');
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, minute, second, ms);
  const zone = m[8];
  if (zone === 'Z') return wall;
  if (zone) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    if (offsetMin > 18 * 60) return undefined;
    return wall - sign * offsetMin * 60_000;
  }
  // Local wall-clock time in the program zone.
  const first = wall - zoneOffsetMs(timeZone, wall);
  const second2 = wall - zoneOffsetMs(timeZone, first);
  return second2;
}

/**
 * Whether text is an as-of moment the engine can read: a date ("2026-12-31", program-local) or an
 * ISO instant ("2027-01-01T05:30:00Z", "2026-12-31T23:30-06:00"; without an offset, wall-clock time
 * in the program zone). Which day an instant is depends on the zone: see `toLocalDate`.
 */
export function isDateOrInstant(text: string): boolean {
  return toLocalDate(text, 'UTC') !== undefined;
}

/**
 * The program-local calendar date of a record's date, which may be a plain
 * date ("2026-12-31", taken as already local) or an ISO instant
 * ("2027-01-01T05:59:00Z" is 2026-12-31 23:59 in Chicago). Undefined if neither.
 */
export function toLocalDate(text: string, timeZone: string): LocalDate | undefined {
  if (text.length === 10) return isLocalDate(text) ? text : undefined;
  const instant = parseInstant(text, timeZone);
  return instant === undefined ? undefined : localDateOf(instant, timeZone);
}
