/** Plain-language pieces: numbers, units, lists and dates as an official reads them. */
import { formatLongDate, type LocalDate } from '../time/index.js';

/** 150 hundredths → "1.5"; 7200 → "72". */
export function fmtAmount(hundredths: number): string {
  const whole = Math.trunc(hundredths / 100);
  const rest = Math.abs(hundredths % 100);
  if (rest === 0) return String(whole);
  const frac = rest % 10 === 0 ? String(rest / 10) : String(rest).padStart(2, '0');
  return `${hundredths < 0 && whole === 0 ? '-' : ''}${whole}.${frac}`;
}

export function unitWord(hundredths: number, unit: { singular: string; plural: string }): string {
  return hundredths === 100 ? unit.singular : unit.plural;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return n === 1 ? singular : pluralForm;
}

function joinWith(items: readonly string[], word: string): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length === 2) return `${items[0]} ${word} ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, ${word} ${items[items.length - 1]}`;
}

export const joinAnd = (items: readonly string[]): string => joinWith(items, 'and');
export const joinOr = (items: readonly string[]): string => joinWith(items, 'or');

export const longDate = (d: LocalDate): string => formatLongDate(d);
