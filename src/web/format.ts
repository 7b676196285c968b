const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
// A calendar date ("2026-07-01", already in the program's zone) names a day, not an instant: it is
// shown as that day wherever the browser is (read as UTC midnight in the browser's zone, it
// would show as June 30 in Kansas).
const calendarDay = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
const number = new Intl.NumberFormat('en-US');

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
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

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
