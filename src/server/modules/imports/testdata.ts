/** Generated import files for tests and the import benchmark (never loaded by the app). */
import { importColumns } from '../../../contract/imports.js';
import type { Cell } from './write.js';

export const KS = 'ks-county-election-official';
/** Kansas county FIPS codes are the odd numbers 20001–20209. */
export const ksCounty = (i: number) => String(20001 + 2 * (i % 105));

export const header = (kind: keyof typeof importColumns) => importColumns[kind].map((c) => c.name);

export function officialRows(n: number, o: { enrolledOn?: string; prefix?: string } = {}): Cell[][] {
  const prefix = o.prefix ?? 'OFF';
  return Array.from({ length: n }, (_, i) => [
    `${prefix}-${String(i + 1).padStart(5, '0')}`,
    ['Ana', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay'][i % 6]!,
    `Imported${i + 1}`,
    null,
    `${prefix.toLowerCase()}${i + 1}@county.example.gov`,
    null,
    i % 3 === 0 ? 'County Clerk' : 'Deputy County Clerk',
    ksCounty(i),
    null,
    null,
    `${KS}:${o.enrolledOn ?? '2024-01-15'}`,
    null,
  ]);
}

const ksCourses = ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03', 'KS-Y2-01'];

/** Attendance rows for the officials above: course, date and credits (hours). */
export function creditRows(
  n: number,
  officials: number,
  /** `start`: the index of the first row, for a file written in parts (rows start… start + n − 1). */
  o: { prefix?: string; officialPrefix?: string; start?: number } = {},
): Cell[][] {
  const prefix = o.prefix ?? 'CR';
  const op = o.officialPrefix ?? 'OFF';
  return Array.from({ length: n }, (_, k) => {
    const i = k + (o.start ?? 0);
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    return [
      `${prefix}-${String(i + 1).padStart(6, '0')}`,
      `${op}-${String((i % officials) + 1).padStart(5, '0')}`,
      null,
      KS,
      ksCourses[i % ksCourses.length]!,
      null,
      `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      180,
      null,
      'no',
      null,
      null,
      i % 10 === 0 ? `Sign-in sheet ${i}` : null,
    ];
  });
}
