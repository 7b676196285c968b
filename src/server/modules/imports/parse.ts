/**
 * Reading spreadsheet rows from CSV or XLSX as streams of text cells, with the
 * row number a person sees in a spreadsheet program (the header is row 1).
 * XLSX formula cells are read as the value last saved with them; nothing is
 * ever calculated or executed. Cells are text; typed cells (numbers, dates,
 * booleans) are turned into the text the import formats expect.
 */
import type { Readable } from 'node:stream';
import { parse as csvParse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { DomainError } from '../../../domain/errors.js';
import { SHEET_LIMITS, type FileFormat } from './sheet-limits.js';

export type { FileFormat };

export interface SheetRow {
  /** As a spreadsheet shows it: the header is row 1. */
  row: number;
  cells: string[];
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

async function* csvRows(input: Readable): AsyncGenerator<SheetRow> {
  const parser = input.pipe(
    csvParse({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: 1_000_000 }),
  );
  input.on('error', (e) => parser.destroy(e));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
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
