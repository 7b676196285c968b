/**
 * Helpers for claims tests: multipart bodies, small valid (and hostile)
 * documents, and a claim straight into the database.
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import type { Database } from '../db/database.js';
import { programId } from './scheduling.js';

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body and its content type. */
export function multipart(parts: FormPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----civiccert${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${
          p.filename !== undefined ? `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n` : ''
        }\r\n`,
      ),
      Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * A small, well-formed one-page PDF with the given text. Extra objects are
 * numbered from 6 on; `catalog` adds entries to the catalog (object 1), and
 * `header` comes right after the %PDF-1.4 line.
 */
export function tinyPdf(
  text = 'Certificate of attendance',
  extra: string | string[] = [],
  o: { catalog?: string; header?: string } = {},
): Buffer {
  const content = `BT /F1 18 Tf 72 700 Td (${text}) Tj ET`;
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R${o.catalog ? ` ${o.catalog}` : ''} >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...(Array.isArray(extra) ? extra : extra ? [extra] : []),
  ];
  let out = `%PDF-1.4\n${o.header ?? ''}`;
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A stream object (dictionary entries without /Length, and its raw bytes) for tinyPdf's extra objects. */
export function pdfStream(dict: string, data: Buffer | string): string {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  return `<< ${dict} /Length ${bytes.length} >>\nstream\n${bytes.toString('latin1')}\nendstream`;
}

/** An object stream (/Type /ObjStm) holding `objects` as objects 7, 8, ..., encoded by `encode` under `filter`. */
function objectStream(objects: string[], filter: string, encode: (b: Buffer) => Buffer): string {
  let offsets = '';
  let body = '';
  objects.forEach((o, i) => {
    offsets += `${7 + i} ${body.length} `;
    body += `${o}\n`;
  });
  const decoded = Buffer.from(offsets + body, 'latin1');
  return pdfStream(
    `/Type /ObjStm /N ${objects.length} /First ${offsets.length} /Filter ${filter}`,
    encode(decoded),
  );
}

const jsAction = '<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>';
const hex = (b: Buffer) => Buffer.from(`${b.toString('hex')}>`, 'latin1');

/** A PDF whose JavaScript action hides inside a compressed stream. */
export function pdfWithHiddenJavaScript(): Buffer {
  return tinyPdf('x', pdfStream('/Filter /FlateDecode', deflateSync(Buffer.from(jsAction))));
}

/** JavaScript that opens with the document, inside an ASCIIHex-encoded object stream. */
export function pdfWithAsciiHexJavaScript(): Buffer {
  return tinyPdf('x', objectStream([jsAction], '/ASCIIHexDecode', hex), { catalog: '/OpenAction 7 0 R' });
}

/** The same, with the object stream deflated and then hex-encoded (/Filter [/ASCIIHexDecode /FlateDecode]). */
export function pdfWithAsciiHexFlateJavaScript(): Buffer {
  return tinyPdf(
    'x',
    objectStream([jsAction], '[/ASCIIHexDecode /FlateDecode]', (b) => hex(deflateSync(b))),
    { catalog: '/OpenAction 7 0 R' },
  );
}

/** A PDF that starts a program when opened. */
export function pdfWithLaunch(): Buffer {
  return tinyPdf('x', '<< /Type /Action /S /Launch /F (cmd.exe) /P (/c calc) >>', {
    catalog: '/OpenAction 6 0 R',
  });
}

/** A PDF that carries another file (an embedded file in its name tree). */
export function pdfWithEmbeddedFile(): Buffer {
  return tinyPdf(
    'x',
    [
      '<< /Type /Filespec /F (invoice.exe) /EF << /F 7 0 R >> >>',
      pdfStream('/Type /EmbeddedFile', 'MZ this would be a program'),
    ],
    { catalog: '/Names << /EmbeddedFiles << /Names [(invoice.exe) 6 0 R] >> >>' },
  );
}

/** A PDF with an XFA form (a form that runs its own scripts). */
export function pdfWithXfa(): Buffer {
  return tinyPdf(
    'x',
    [
      '<< /Fields [] /XFA 7 0 R >>',
      pdfStream('', '<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>'),
    ],
    { catalog: '/AcroForm 6 0 R' },
  );
}

/** A file that is a PDF and also a web page (HTML in a comment right after the header). */
export function pdfHtmlPolyglot(): Buffer {
  return tinyPdf('x', [], { header: '%<html><body><script>alert(document.cookie)</script></body></html>\n' });
}

/** A PDF whose one content stream inflates to 80 MB of zeros (about 80 KB on disk). */
export function pdfFlateBomb(): Buffer {
  return tinyPdf('x', pdfStream('/Filter /FlateDecode', deflateSync(Buffer.alloc(80 * 1024 * 1024))));
}

export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The PNG signature and header of a 1x1 image, then bytes that are no image at all. */
export function pngWithGarbageBody(): Buffer {
  return Buffer.concat([PNG_1x1.subarray(0, 33), Buffer.from('<script>alert(1)</script>'.repeat(20))]);
}

/** A PNG whose header says 10,000 x 10,000 pixels (100 megapixels) in a few hundred bytes. */
export function pngHundredMegapixels(): Buffer {
  const png = Buffer.from(PNG_1x1);
  png.writeUInt32BE(10_000, 16);
  png.writeUInt32BE(10_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29); // the IHDR chunk's CRC (type and data)
  return png;
}

/** A small real JPEG (16x16, grey). */
export function jpegImage(): Buffer {
  const width = 16;
  const height = 16;
  const data = Buffer.alloc(width * height * 4, 0x80);
  return Buffer.from(jpeg.encode({ data, width, height }, 80).data);
}

/** A JPEG cut off in the middle of its image data. */
export function truncatedJpeg(): Buffer {
  const whole = jpegImage();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

/** A claim inserted directly (for tests that need one in a given state). */
export async function buildClaim(
  db: Database,
  personId: string,
  o: {
    programCode?: string;
    status?: 'draft' | 'submitted' | 'needs_information';
    hours?: number;
    category?: string;
    submittedAt?: string;
    type?: string;
    feeCents?: number;
  } = {},
): Promise<string> {
  const status = o.status ?? 'submitted';
  const row = await db
    .insertInto('claim')
    .values({
      person_id: personId,
      program_id: await programId(db, o.programCode ?? 'igo-cpo'),
      claim_type: o.type ?? 'webinar',
      title: 'Records retention webinar',
      provider: 'State Archives',
      start_date: '2026-10-01',
      end_date: '2026-10-01',
      hours: o.hours ?? 2,
      category: o.category ?? 'records-management',
      notes: null,
      status,
      submitted_at: status === 'draft' ? null : (o.submittedAt ?? new Date().toISOString()),
      decided_at: null,
      decided_by: null,
      approved_amount: null,
      approved_category: null,
      decision_reason: null,
      fee_cents: o.feeCents ?? 0,
      fee_status: (o.feeCents ?? 0) > 0 ? 'unpaid' : 'not_required',
      fee_receipt: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A small evidence document attached to a claim directly. */
export async function buildClaimDocument(
  db: Database,
  claimId: string,
  kind: 'certificate' | 'description' = 'certificate',
): Promise<string> {
  const row = await db
    .insertInto('claim_document')
    .values({
      claim_id: claimId,
      kind,
      filename: 'certificate.pdf',
      content_type: 'application/pdf',
      size_bytes: 9,
      sha256: 'x',
      content: Buffer.from('%PDF-1.4\n'),
      uploaded_at: new Date().toISOString(),
      uploaded_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
