/**
 * Hand-made XLSX files for the import limits: a minimal workbook whose first
 * worksheet is written as XML chunks (so a 300 MB cell is deflated a
 * megabyte at a time, never held whole), zipped by a small ZIP writer.
 */
import { crc32, createDeflateRaw } from 'node:zlib';

const NS = 'http://schemas.openxmlformats.org';
const parts: Record<string, string> = {
  '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
  '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}/spreadsheetml/2006/main" xmlns:r="${NS}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${NS}/package/2006/relationships"><Relationship Id="rId1" Type="${NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
};

interface Deflated {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
}

async function deflate(name: string, chunks: Iterable<Buffer>): Promise<Deflated> {
  const z = createDeflateRaw({ level: 1 }); // fast; repeated text still shrinks a hundredfold
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve) => z.on('end', resolve));
  let crc = 0;
  let size = 0;
  for (const c of chunks) {
    crc = crc32(c, crc);
    size += c.length;
    if (!z.write(c)) await new Promise((resolve) => z.once('drain', resolve));
  }
  z.end();
  await ended;
  return { name, data: Buffer.concat(out), crc, size };
}

/** A ZIP archive of deflated entries; `declare` can make the directory lie about an entry's size. */
function zip(entries: Deflated[], declare: (e: Deflated) => number = (e) => e.size): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(8, 8); // deflate
    h.writeUInt32LE(e.crc >>> 0, 14);
    h.writeUInt32LE(e.data.length, 18);
    h.writeUInt32LE(declare(e), 22);
    h.writeUInt16LE(name.length, 26);
    local.push(h, name, e.data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(e.crc >>> 0, 16);
    c.writeUInt32LE(e.data.length, 20);
    c.writeUInt32LE(declare(e), 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + e.data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, dir, end]);
}

const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/**
 * A workbook whose worksheet is the given XML chunks between <sheetData> and
 * </sheetData>. `lie` makes the archive's directory say each entry is 1 KB.
 */
export async function xlsxFromRows(rows: Iterable<Buffer>, o: { lie?: boolean } = {}): Promise<Buffer> {
  const fixed = await Promise.all(
    Object.entries(parts).map(([name, xml]) => deflate(name, [Buffer.from(xml)])),
  );
  function* sheet() {
    yield Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}/spreadsheetml/2006/main"><sheetData>`,
    );
    yield* rows;
    yield Buffer.from('</sheetData></worksheet>');
  }
  const ws = await deflate('xl/worksheets/sheet1.xml', sheet());
  return zip([...fixed, ws], o.lie ? () => 1024 : undefined);
}

/** A header row (external_id, first_name) and one row whose first_name cell holds `mb` megabytes of "A". */
export function xlsxBomb(mb: number, o: { lie?: boolean } = {}): Promise<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024, 'A');
  function* rows() {
    yield Buffer.from(`<row r="1">${cell('A1', 'external_id')}${cell('B1', 'first_name')}</row>`);
    yield Buffer.from(`<row r="2">${cell('A2', 'OFF-1')}<c r="B2" t="inlineStr"><is><t>`);
    for (let i = 0; i < mb; i++) yield chunk;
    yield Buffer.from('</t></is></c></row>');
  }
  return xlsxFromRows(rows(), o);
}

/** A header row and `n` data rows of one number each. */
export function xlsxWithRows(n: number): Promise<Buffer> {
  function* rows() {
    yield Buffer.from(`<row r="1">${cell('A1', 'external_id')}</row>`);
    const batch: string[] = [];
    for (let r = 2; r <= n + 1; r++) {
      batch.push(`<row r="${r}"><c r="A${r}"><v>1</v></c></row>`);
      if (batch.length === 50_000 || r === n + 1) {
        yield Buffer.from(batch.join(''));
        batch.length = 0;
      }
    }
  }
  return xlsxFromRows(rows());
}

/** A header row and one row whose cell holds `chars` characters. */
export function xlsxWithLongCell(chars: number): Promise<Buffer> {
  return xlsxFromRows([
    Buffer.from(`<row r="1">${cell('A1', 'external_id')}</row>`),
    Buffer.from(`<row r="2">${cell('A2', 'x'.repeat(chars))}</row>`),
  ]);
}
