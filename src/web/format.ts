const dateOnly = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
// A calendar date ("2026-07-01", already in the program's zone) names a day, not an instant: it is
// shown as that day wherever the browser is (read as UTC midnight in the browser's zone, it
// would show as June 30 in Kansas).
const calendarDay = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
const number = new Intl.NumberFormat('en-US');

// ---- Instants in a named time zone ------------------------------------------
// Every time the web shows is in a session's or a program's zone and says which zone it is in
// ("1:00 PM CST"); a time is never shown in the browser's zone unlabelled.

/**
 * The browser's own zone, for the few times that belong to no session or program (an audit
 * entry, an e-mail written): they are still labelled with its abbreviation.
 */
export const browserZone: string = new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const formats = new Map<string, Intl.DateTimeFormat>();
/** A cached formatter in the zone (an unknown zone falls back to the browser's, still labelled). */
export function zoned(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat('en-US', options);
    }
    formats.set(key, f);
  }
  return f;
}

/** "CDT" for America/Chicago in summer, "CST" in winter (the abbreviation at that instant). */
export function zoneAbbreviation(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return timeZone;
  const parts = zoned(timeZone, { timeZoneName: 'short', hour: 'numeric' }).formatToParts(d);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** "Mon, Apr 12, 2027" in the zone. */
export function dayText(iso: string, timeZone: string): string {
  return zoned(timeZone, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(
    new Date(iso),
  );
}

/** "9:00 AM" in the zone (no label: put the zone after it, as whenText does). */
export function timeText(iso: string, timeZone: string): string {
  return zoned(timeZone, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** "Apr 1, 2027, 5:00 PM CDT": an instant in the zone, with the zone's abbreviation. */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${zoned(timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(d)} ${zoneAbbreviation(iso, timeZone)}`;
}

/** "1:00 PM CST": the time of day in the zone, with its abbreviation. */
export function formatTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${timeText(iso, timeZone)} ${zoneAbbreviation(iso, timeZone)}`;
}

const usZoneNames: Record<string, string> = {
  'America/New_York': 'Eastern Time',
  'America/Detroit': 'Eastern Time',
  'America/Indiana/Indianapolis': 'Eastern Time',
  'America/Kentucky/Louisville': 'Eastern Time',
  'America/Chicago': 'Central Time',
  'America/Indiana/Knox': 'Central Time',
  'America/Menominee': 'Central Time',
  'America/North_Dakota/Center': 'Central Time',
  'America/Denver': 'Mountain Time',
  'America/Boise': 'Mountain Time',
  'America/Phoenix': 'Mountain Time (Arizona)',
  'America/Los_Angeles': 'Pacific Time',
  'America/Anchorage': 'Alaska Time',
  'America/Juneau': 'Alaska Time',
  'Pacific/Honolulu': 'Hawaii Time',
  'America/Puerto_Rico': 'Atlantic Time',
  'Pacific/Guam': 'Chamorro Time',
  'Pacific/Pago_Pago': 'Samoa Time',
  UTC: 'Coordinated Universal Time (UTC)',
};

/** "Central Time" for America/Chicago; a zone without a plain name is shown by its IANA name. */
export function zoneName(timeZone: string): string {
  return usZoneNames[timeZone] ?? timeZone;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? calendarDay.format(d) : dateOnly.format(d);
}

export function formatNumber(n: number): string {
  return number.format(n);
}

/** "1–25 of 312" */
export function rangeText(page: number, pageSize: number, total: number): string {
  if (total === 0) return '0 of 0';
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return `${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`;
}

/** "1 hour", "4 hours", "2.5 credits": an amount in a program's unit of credit. */
export function amountIn(n: number, unit: { singular: string; plural: string }): string {
  return `${formatNumber(n)} ${n === 1 ? unit.singular : unit.plural}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
