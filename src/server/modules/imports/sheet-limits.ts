/**
 * Limits on what one import file may hold, checked on the uploaded bytes
 * before any row is read, so that a small file cannot grow into gigabytes in
 * memory (an XLSX is a ZIP archive: 300 KB can inflate to a 300 MB cell).
 *
 * - XLSX: the archive's directory is read first (entry count, the sizes the
 *   entries declare), then every entry is inflated as a stream and thrown
 *   away, counting the bytes as they come (an entry that inflates beyond
 *   what it declares, or the whole beyond the limit, stops at once), and the
 *   XML is scanned for over-long text (a cell) and counted for rows.
 * - CSV: the bytes must be text in a readable encoding (csv-text.ts: a 415 for
 *   a picture or PDF, a 400 for Latin-1 or UTF-16 without its mark), then one
 *   pass over them counts records and the longest field.
 *
 * Every refusal is a 413 (or a 400 for a damaged archive) naming the limit.
 */
import { createInflateRaw } from 'node:zlib';
import { DomainError } from '../../../domain/errors.js';
import { checkCsvText } from './csv-text.js';

/** The formats an import file may come in (parse.ts reads them). */
export type FileFormat = 'csv' | 'xlsx';

export const SHEET_LIMITS = {
  /** All entries of an XLSX archive together, inflated. */
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxEntries: 1000,
  /** Excel's own limit on the characters in one cell. */
  maxCellChars: 32_767,
  /** Data rows (the header not counted); the import holds them in memory while it checks them. */
  maxRows: 1_000_000,
  /** One XML tag (its attributes); real ones are far shorter. */
  maxTagBytes: 64 * 1024,
} as const;

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const count = (n: number) => n.toLocaleString('en-US');

function tooLarge(message: string): DomainError {
  return new DomainError('payload_too_large', message, { issues: [{ field: 'file', message }] });
}

function damaged(detail: string): DomainError {
  const message = `The file is not a readable XLSX workbook: ${detail}.`;
  return new DomainError('validation', message, { issues: [{ field: 'file', message }] });
}

const cellTooLong = (where: string) =>
  tooLarge(
    `A cell${where} is longer than ${count(SHEET_LIMITS.maxCellChars)} characters, the most a spreadsheet cell holds.`,
  );
const tooManyRows = () =>
  tooLarge(`The file has more than ${count(SHEET_LIMITS.maxRows)} rows; split it into smaller files.`);

/** Refuses a file over the limits; returns when it is within them. */
export async function checkSheetLimits(bytes: Buffer, format: FileFormat): Promise<void> {
  if (format === 'csv') {
    checkCsvText(bytes); // text in a readable encoding first: a PNG is not counted for rows
    checkCsv(bytes);
  } else await checkXlsx(bytes);
}

// ---------------------------------------------------------------- CSV

/** Counts records and the longest field (in characters, a doubled quote as one) in one pass. */
function checkCsv(bytes: Buffer): void {
  let records = 0;
  let quoted = false;
  let field = 0;
  let any = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    any = true;
    if (b === 0x22) {
      if (quoted && bytes[i + 1] === 0x22) {
        field++;
        i++;
      } else quoted = !quoted;
      continue;
    }
    if (!quoted && (b === 0x0a || b === 0x0d)) {
      if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
      records++;
      any = false;
      field = 0;
      if (records - 1 > SHEET_LIMITS.maxRows) throw tooManyRows();
      continue;
    }
    if (!quoted && b === 0x2c) {
      field = 0;
      continue;
    }
    if ((b & 0xc0) !== 0x80 && ++field > SHEET_LIMITS.maxCellChars)
      throw cellTooLong(` on row ${count(records + 1)}`);
  }
  if (any) records++;
  if (records - 1 > SHEET_LIMITS.maxRows) throw tooManyRows();
}

// ---------------------------------------------------------------- XLSX

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The archive's central directory. */
function entries(zip: Buffer): Entry[] {
  // The end-of-central-directory record is in the last 65,557 bytes (22 + a comment of up to 65,535).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw damaged('it is not a complete ZIP archive');
  const total = zip.readUInt16LE(eocd + 10);
  const dirOffset = zip.readUInt32LE(eocd + 16);
  if (total === 0xffff || dirOffset === 0xffffffff) throw damaged('ZIP64 archives are not read');
  if (total > SHEET_LIMITS.maxEntries)
    throw tooLarge(`The workbook has more than ${count(SHEET_LIMITS.maxEntries)} parts.`);
  const list: Entry[] = [];
  let p = dirOffset;
  for (let n = 0; n < total; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) throw damaged('its directory is damaged');
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    list.push({
      name: zip.toString('utf8', p + 46, p + 46 + nameLength),
      method: zip.readUInt16LE(p + 10),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return list;
}

/**
 * Scans XML as it streams: the longest text between tags, counted in
 * characters (an entity such as &amp; as one), the longest tag, and the <row>
 * elements of a worksheet.
 */
class XmlScanner {
  rows = 0;
  private inTag = false;
  private inEntity = false;
  private run = 0;
  private tag = '';
  constructor(private readonly worksheet: boolean) {}

  private tagStarts(head: string): void {
    if (this.worksheet && /^row[\s>/]/.test(head) && ++this.rows - 1 > SHEET_LIMITS.maxRows)
      throw tooManyRows();
  }

  feed(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.inTag) {
        if (b === 0x3e) {
          if (this.run < 4) this.tagStarts(`${this.tag}>`);
          this.inTag = false;
          this.run = 0;
        } else if (++this.run > SHEET_LIMITS.maxTagBytes) {
          throw tooLarge('The workbook holds an XML tag longer than any spreadsheet writes.');
        } else if (this.worksheet && this.run <= 4) {
          this.tag += String.fromCharCode(b);
          if (this.run === 4) this.tagStarts(this.tag);
        }
        continue;
      }
      if (b === 0x3c) {
        this.inTag = true;
        this.inEntity = false;
        this.run = 0;
        this.tag = '';
        continue;
      }
      if (this.inEntity) {
        if (b === 0x3b) this.inEntity = false;
        continue;
      }
      if (b === 0x26) this.inEntity = true;
      if ((b & 0xc0) !== 0x80 && ++this.run > SHEET_LIMITS.maxCellChars) throw cellTooLong('');
    }
  }
}

/** Inflates one entry, passing its bytes to `onChunk`; stops as soon as a limit is passed. */
function inflateEntry(
  zip: Buffer,
  e: Entry,
  budget: { left: number },
  onChunk: (c: Buffer) => void,
): Promise<void> {
  const p = e.localOffset;
  if (p + 30 > zip.length || zip.readUInt32LE(p) !== 0x04034b50)
    throw damaged(`the part ${e.name} is missing`);
  const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  const account = (n: number, produced: number) => {
    if (produced > e.size) throw damaged(`the part ${e.name} is larger than the archive says`);
    budget.left -= n;
    if (budget.left < 0)
      throw tooLarge(
        `The workbook expands to more than ${mb(SHEET_LIMITS.maxUncompressedBytes)} when unpacked; split it into smaller files.`,
      );
  };
  if (e.method === 0) {
    account(data.length, data.length);
    onChunk(data);
    return Promise.resolve();
  }
  if (e.method !== 8) throw damaged(`the part ${e.name} uses an unknown compression`);
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let produced = 0;
    inflate.on('data', (c: Buffer) => {
      try {
        produced += c.length;
        account(c.length, produced);
        onChunk(c);
      } catch (err) {
        inflate.destroy();
        reject(err as Error);
      }
    });
    inflate.on('error', () => reject(damaged(`the part ${e.name} is damaged`)));
    inflate.on('end', () => resolve());
    inflate.end(data);
  });
}

async function checkXlsx(zip: Buffer): Promise<void> {
  const list = entries(zip);
  const declared = list.reduce((s, e) => s + e.size, 0);
  if (declared > SHEET_LIMITS.maxUncompressedBytes)
    throw tooLarge(
      `The workbook expands to more than ${mb(SHEET_LIMITS.maxUncompressedBytes)} when unpacked; split it into smaller files.`,
    );
  const budget = { left: SHEET_LIMITS.maxUncompressedBytes };
  for (const e of list) {
    const xml = /\.(xml|rels)$/i.test(e.name);
    const scanner = new XmlScanner(/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name));
    await inflateEntry(zip, e, budget, (c) => {
      if (xml) scanner.feed(c);
    });
  }
}
