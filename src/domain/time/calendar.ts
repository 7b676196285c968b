/**
 * Calendar arithmetic on local dates ("YYYY-MM-DD"), with no time of day and no
 * time zone. Pure integer arithmetic on day numbers (days since 1970-01-01),
 * so it is fast and never depends on the machine's zone.
 */

/** A calendar date in the program's time zone, written "YYYY-MM-DD". */
export type LocalDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Splits a local date; returns undefined when the text is not a real calendar date. */
export function parseLocalDate(text: string): DateParts | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function isLocalDate(text: unknown): text is LocalDate {
  return typeof text === 'string' && parseLocalDate(text) !== undefined;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

export function formatLocalDate(parts: DateParts): LocalDate {
  return `${pad4(parts.year)}-${pad2(parts.month)}-${pad2(parts.day)}`;
}

/** Day number of a civil date (days since 1970-01-01), proleptic Gregorian. */
export function epochDayOf(parts: DateParts): number {
  const y = parts.month <= 2 ? parts.year - 1 : parts.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (parts.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + parts.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number (inverse of epochDayOf). */
export function partsOfEpochDay(epochDay: number): DateParts {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

function mustParse(date: LocalDate): DateParts {
  const parts = parseLocalDate(date);
  if (!parts) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return parts;
}

export function toEpochDay(date: LocalDate): number {
  return epochDayOf(mustParse(date));
}

export function fromEpochDay(epochDay: number): LocalDate {
  return formatLocalDate(partsOfEpochDay(epochDay));
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/**
 * Adds calendar months; a day that does not exist in the target month is
 * clamped to its last day (Jan 31 + 1 month = Feb 28 or 29).
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const p = mustParse(date);
  const index = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return formatLocalDate({ year, month, day: Math.min(p.day, daysInMonth(year, month)) });
}

/** Adds calendar years; Feb 29 becomes Feb 28 in a non-leap year. */
export function addYears(date: LocalDate, years: number): LocalDate {
  return addMonths(date, years * 12);
}

export interface DateOffset {
  years?: number | undefined;
  months?: number | undefined;
  days?: number | undefined;
}

/** Applies years, then months, then days. */
export function addOffset(date: LocalDate, offset: DateOffset): LocalDate {
  let d = date;
  const months = (offset.years ?? 0) * 12 + (offset.months ?? 0);
  if (months !== 0) d = addMonths(d, months);
  if (offset.days) d = addDays(d, offset.days);
  return d;
}

/** Subtracts an offset (the look-back direction). */
export function subtractOffset(date: LocalDate, offset: DateOffset): LocalDate {
  return addOffset(date, {
    years: -(offset.years ?? 0),
    months: -(offset.months ?? 0),
    days: -(offset.days ?? 0),
  });
}

/** Days from a to b (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** Whole years from a to b (a birthday-style count; 0 when b is before a's first anniversary). */
export function fullYearsBetween(a: LocalDate, b: LocalDate): number {
  let years = mustParse(b).year - mustParse(a).year;
  // addYears clamps Feb 29 to Feb 28, so a Feb 29 start has its anniversary on Feb 28.
  if (addYears(a, years) > b) years -= 1;
  return Math.max(0, years);
}

/** The given month and day in a year; Feb 29 is clamped to Feb 28 outside leap years. */
export function dateInYear(year: number, month: number, day: number): LocalDate {
  return formatLocalDate({ year, month, day: Math.min(day, daysInMonth(year, month)) });
}

export function yearOf(date: LocalDate): number {
  return mustParse(date).year;
}

/** Local dates compare correctly as strings; these helpers only make intent explicit. */
export const compareDates = (a: LocalDate, b: LocalDate): number => (a < b ? -1 : a > b ? 1 : 0);
export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a <= b ? a : b);
export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b);

const MONTHS = [
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
];

/** "December 31, 2026": how dates are written to officials. */
export function formatLongDate(date: LocalDate): string {
  const p = mustParse(date);
  return `${MONTHS[p.month - 1]} ${p.day}, ${p.year}`;
}

export function monthName(month: number): string {
  return MONTHS[month - 1] ?? String(month);
}
