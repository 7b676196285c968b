/**
 * One tabular export for every list and report: columns and rows in, a CSV
 * (RFC 4180, UTF-8 with a byte-order mark so Excel reads the accents) or an
 * XLSX workbook out. Text that a spreadsheet would run as a formula (starting
 * with = + - @, tab or carriage return) is prefixed with an apostrophe, so it
 * shows as text; numbers stay numbers in XLSX. See docs/adr/0008.
 */
import ExcelJS from 'exceljs';

export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** Column width in characters (XLSX only). */
  width?: number;
}

export interface Table<T> {
  columns: Column<T>[];
  rows: T[];
  /** Worksheet name (XLSX), at most 31 characters. */
  sheet?: string;
}

/**
 * An instant as the wall-clock time where it happens, e.g. "2026-03-04 09:00"
 * in America/Chicago, for spreadsheet columns (the zone goes in its own column).
 */
export function zonedDateTime(iso: string | null | undefined, timeZone: string): string | null {
  if (!iso) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const DANGEROUS = /^[=+\-@\t\r]/;

/** Text a spreadsheet would treat as a formula gets a leading apostrophe. */
export function neutralise(text: string): string {
  return DANGEROUS.test(text) ? `'${text}` : text;
}

/** A CSV field: always quoted, quotes doubled, formulas neutralised (numbers are written as they are). */
export function csvCell(v: Cell): string {
  if (v == null) return '""';
  const s = typeof v === 'number' || typeof v === 'boolean' ? String(v) : neutralise(v);
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvLine = (cells: Cell[]): string => cells.map(csvCell).join(',');

const BOM = '\uFEFF';

export function toCsv<T>(t: Table<T>): Buffer {
  const lines = [
    csvLine(t.columns.map((c) => c.header)),
    ...t.rows.map((r) => csvLine(t.columns.map((c) => c.value(r)))),
  ];
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

export async function toXlsx<T>(t: Table<T>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CivicCert';
  const ws = wb.addWorksheet((t.sheet ?? 'Export').replace(/[[\]*?/\\:]/g, ' ').slice(0, 31));
  ws.columns = t.columns.map((c) => ({
    header: c.header,
    width: c.width ?? Math.max(10, Math.min(40, c.header.length + 4)),
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of t.rows) {
    ws.addRow(
      t.columns.map((c) => {
        const v = c.value(r);
        if (v == null) return null;
        if (typeof v === 'number' || typeof v === 'boolean') return v;
        // Strings are written as strings (never formulas), and neutralised for
        // when the sheet is saved again as CSV or pasted elsewhere.
        return neutralise(v);
      }),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `attachment; filename="…"` with a plain-ASCII name and the UTF-8 one (RFC 6266). */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function renderTable<T>(
  format: ExportFormat,
  t: Table<T>,
): Promise<{ body: Buffer; contentType: string }> {
  return { body: format === 'csv' ? toCsv(t) : await toXlsx(t), contentType: contentTypes[format] };
}
