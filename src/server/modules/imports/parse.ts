/**
 * Reading spreadsheet rows from CSV or XLSX as streams of text cells, with the
 * row number a person sees in a spreadsheet program (the header is row 1).
 * XLSX formula cells are read as the value last saved with them; nothing is
 * ever calculated or executed. Cells are text; typed cells (numbers, dates,
 * booleans) are turned into the text the import formats expect.
 */
import { Transform, type Readable } from 'node:stream';
import { parse as csvParse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { DomainError } from '../../../domain/errors.js';
import { CsvTextCheck } from './csv-text.js';
import { SHEET_LIMITS, type FileFormat } from './sheet-limits.js';

export type { FileFormat };

export interface SheetRow {
  /** As a spreadsheet shows it: the header is row 1. */
  row: number;
  cells: string[];
  /** A row that could not be read (a CSV quoting error): its cells are empty; `index` is the cell's. */
  problem?: { index: number; message: string };
}

/** By extension, else by the first bytes (an XLSX file is a ZIP archive). */
export function formatOf(filename: string, head?: Buffer): FileFormat {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (head && head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  throw new DomainError('unsupported_media_type', 'The file must be a .csv or .xlsx spreadsheet.', {
    issues: [{ field: 'file', message: 'Choose a .csv or .xlsx file.' }],
  });
}

const unreadable = (what: string, detail?: string) =>
  new DomainError('validation', `The file is not a readable ${what}${detail ? `: ${detail}` : '.'}`, {
    issues: [{ field: 'file', message: `The file is not a readable ${what}.` }],
  });

/** One cell value from exceljs as text. Formula cells give their saved result. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if (Array.isArray(o.richText)) return o.richText.map((r: { text?: string }) => r.text ?? '').join('');
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

/**
 * What a CSV reading error means to a person, by csv-parse's code, and
 * whether reading can go on after it: after a quote that opens a cell but is
 * never closed, or one that closes a cell too early, the rest of the file
 * cannot be told apart reliably, so it is not read.
 */
function csvProblem(
  code: string | undefined,
  detail: string | undefined,
): { message: string; last: boolean } {
  const fix = 'Put the whole cell in quotes and double each quote inside it, e.g. "Ann ""Jo"" Lee".';
  switch (code) {
    case 'INVALID_OPENING_QUOTE':
      return { message: `This cell has a quote (") in it but does not start with one. ${fix}`, last: false };
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        message:
          'This cell opens a quote (") that is never closed, so the rest of the file reads as one cell and the rows below were not read. Close the quote or remove it.',
        last: true,
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return {
        message: `A quote (") ends this cell, but more text follows it before the next comma, and the rows below were not read. ${fix}`,
        last: true,
      };
    default:
      return {
        message: `This row cannot be read as CSV (${detail ?? code ?? 'unknown error'}); the rows below were not read.`,
        last: true,
      };
  }
}

interface Skipped {
  /** How many records csv-parse had read before this one. */
  before: number;
  line: number;
  index: number;
  message: string;
  last: boolean;
}

/**
 * CSV records, each with its row. The bytes are checked as text first
 * (csv-text.ts). A row with a quoting error is a row with a `problem` (the
 * row and the cell it is in); reading goes on after a stray quote inside a
 * cell and stops after a quote that leaves the rest of the file unclear.
 */
async function* csvRows(input: Readable): AsyncGenerator<SheetRow> {
  const check = new CsvTextCheck();
  const text = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        check.push(chunk);
        done(null, chunk);
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done) {
      try {
        check.end();
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
  const skipped: Skipped[] = [];
  const parser = input.pipe(text).pipe(
    csvParse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      max_record_size: 1_000_000,
      skip_records_with_error: true,
      on_skip: (e) => {
        const err = e as {
          code?: string;
          records?: number;
          lines?: number;
          index?: number;
          message?: string;
        };
        const s = { before: err.records ?? 0, line: err.lines ?? 0 };
        const prev = skipped.at(-1);
        if (prev && prev.before === s.before && prev.line === s.line) return; // the same row again
        skipped.push({ ...s, index: err.index ?? 0, ...csvProblem(err.code, err.message) });
      },
    }),
  );
  input.on('error', (e) => text.destroy(e));
  text.on('error', (e) => parser.destroy(e));
  let row = 0;
  let stopped = false;
  // The skipped rows that came before the record csv-parse counts as `records`.
  function* skippedBefore(records: number): Generator<SheetRow> {
    while (!stopped && skipped.length && skipped[0]!.before < records) {
      const s = skipped.shift()!;
      row++;
      stopped = s.last;
      yield { row, cells: [], problem: { index: s.index, message: s.message } };
    }
  }
  // The records csv-parse has given so far, counted here as it counts them (`info.records`, which
  // its `info` option would build an object per record to tell): a skipped row does not count.
  let records = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      yield* skippedBefore(++records);
      if (stopped) break;
      row++;
      yield { row, cells: record };
    }
    yield* skippedBefore(Infinity);
    if (stopped) input.destroy();
  } catch (e) {
    if (e instanceof DomainError) throw e;
    const err = e as { code?: string; lines?: number; message?: string };
    if (err.code?.startsWith('CSV_'))
      throw unreadable('CSV file', `near line ${err.lines ?? row + 1} (${err.message ?? err.code})`);
    throw e;
  }
}

async function* xlsxRows(input: Readable): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  try {
    // The first worksheet only.
    for await (const sheet of reader) {
      for await (const r of sheet) {
        const values = (r.values as unknown[]) ?? [];
        // exceljs rows are 1-based: values[0] is always empty.
        yield { row: r.number, cells: values.slice(1).map(cellText) };
      }
      return;
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw unreadable('XLSX workbook', (e as Error).message?.slice(0, 200));
  }
}

/**
 * Every row of the file (the first worksheet of an XLSX), header included.
 * A cell longer than a spreadsheet cell can be stops the read (for files
 * that did not pass checkSheetLimits first, such as the command line's).
 */
export async function* readSheet(input: Readable, format: FileFormat): AsyncGenerator<SheetRow> {
  for await (const r of format === 'csv' ? csvRows(input) : xlsxRows(input)) {
    if (r.cells.some((c) => c.length > SHEET_LIMITS.maxCellChars)) {
      const message = `A cell on row ${r.row.toLocaleString('en-US')} is longer than ${SHEET_LIMITS.maxCellChars.toLocaleString('en-US')} characters, the most a spreadsheet cell holds.`;
      throw new DomainError('payload_too_large', message, { issues: [{ field: 'file', message }] });
    }
    yield r;
  }
}

/**
 * A NUL character (byte 0) cannot be stored: each cell holding one is an
 * error on its row, and the character is taken out so the rest of the row
 * can still be checked.
 */
export function nulIssues(
  r: SheetRow,
  header: readonly string[],
): { row: number; column: string; message: string }[] {
  const issues: { row: number; column: string; message: string }[] = [];
  if (!r.cells.some((c) => c.includes('\u0000'))) return issues; // nearly every row
  r.cells = r.cells.map((c, i) => {
    if (!c.includes('\u0000')) return c;
    issues.push({
      row: r.row,
      column: header[i] || `column ${i + 1}`,
      message:
        'This cell holds a NUL character (byte 0), which is not allowed. Save the file again as plain text.',
    });
    return c.replaceAll('\u0000', '');
  });
  return issues;
}
