/**
 * Helpers for claims tests: multipart bodies, small valid (and hostile)
 * documents, and a claim straight into the database.
 */
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
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

/** A small, well-formed one-page PDF with the given text. */
export function tinyPdf(text = 'Certificate of attendance', extraObject = ''): Buffer {
  const content = `BT /F1 18 Tf 72 700 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...(extraObject ? [extraObject] : []),
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A PDF whose JavaScript action hides inside a compressed object stream. */
export function pdfWithHiddenJavaScript(): Buffer {
  const hidden = deflateSync(Buffer.from('<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>'));
  const head = tinyPdf()
    .toString('latin1')
    .replace(/%%EOF\n$/, '');
  return Buffer.concat([
    Buffer.from(`${head}6 0 obj\n<< /Length ${hidden.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'),
    hidden,
    Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1'),
  ]);
}

export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

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
export async function buildClaimDocument(db: Database, claimId: string): Promise<string> {
  const row = await db
    .insertInto('claim_document')
    .values({
      claim_id: claimId,
      kind: 'certificate',
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
