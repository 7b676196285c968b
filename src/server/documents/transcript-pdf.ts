/**
 * The official transcript as a PDF: issuing body, issue date, verification
 * code and a QR code to the public verification page. Deterministic: the
 * issue instant is the creation date, the font is embedded, no clock.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { TranscriptDto } from '../../contract/transcripts.js';

const FONTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/fonts');

export interface TranscriptPdfInput {
  transcript: TranscriptDto;
  issuedBy: string;
  issuedAt: Date;
  code: string;
  verifyUrl: string;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

export async function renderTranscriptPdf(input: TranscriptPdfInput): Promise<Buffer> {
  const { transcript: t, issuedAt, code } = input;
  const qr = await QRCode.toBuffer(input.verifyUrl, {
    type: 'png',
    margin: 1,
    width: 240,
    errorCorrectionLevel: 'M',
  });
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 50,
    info: {
      Title: `Official transcript: ${t.person.name}`,
      Author: input.issuedBy,
      Subject: `Verification code ${code}`,
      Creator: 'CivicCert',
      Producer: 'CivicCert',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  doc.registerFont('body', path.join(FONTS, 'DejaVuSans.ttf'));
  doc.registerFont('bold', path.join(FONTS, 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const ensure = (space: number) => {
    if (doc.y + space > 720) doc.addPage();
  };

  doc.image(qr, 462, 50, { width: 100 });
  doc.font('bold').fontSize(18).text('Official transcript', 50, 50, { width: 400 });
  doc.font('body').fontSize(10).text(`Issued by ${input.issuedBy}`, { width: 400 });
  doc.moveDown(0.6);
  doc.font('bold').fontSize(13).text(t.person.name, { width: 400 });
  doc.font('body').fontSize(10);
  // The record's as-of day is today in the program's zone when the transcript is issued (a UTC
  // date would read tomorrow for a transcript issued on a Kansas evening).
  doc.text(`Issued ${t.asOf}, with the record as of that day`, { width: 400 });
  doc.text(`Verification code: ${code}`, { width: 400 });
  doc.fontSize(8).text(`Verify at ${input.verifyUrl}`, { width: 400 });
  doc.y = Math.max(doc.y, 160);
  doc.moveDown();

  if (t.programs.length === 0) doc.font('body').fontSize(10).text('No program enrollments on record.');
  for (const p of t.programs) {
    ensure(120);
    doc.moveTo(50, doc.y).lineTo(562, doc.y).stroke();
    doc.moveDown(0.4);
    doc.font('bold').fontSize(13).text(p.program.name, 50);
    doc.font('body').fontSize(9).text(`Issuing body: ${p.program.issuingBody}`);
    doc.fontSize(10).text(p.headline);
    doc.moveDown(0.4);
    doc
      .font('bold')
      .fontSize(10)
      .text(`Total approved: ${num(p.totalApproved)} ${p.unit}`)
      .font('body');
    // Approved credit only: claims not yet decided are on the screen, never on the official transcript.
    for (const c of p.totals) doc.text(`${c.name}: ${num(c.amount)} ${p.unit}`, 70);
    if (p.requirements.length) {
      doc.moveDown(0.4);
      doc.font('bold').text('Requirements', 50).font('body');
      for (const r of p.requirements) {
        ensure(14);
        doc.text(`${r.met ? 'Met' : 'Not yet met'}: ${r.title} (${num(r.have)} of ${num(r.need)})`, 70);
      }
    }
    const section = (title: string, rows: string[]) => {
      if (rows.length === 0) return;
      ensure(30);
      doc.moveDown(0.4);
      doc.font('bold').fontSize(10).text(title, 50).font('body').fontSize(9);
      for (const row of rows) {
        ensure(12);
        doc.text(row, 70, undefined, { width: 490 });
      }
      doc.fontSize(10);
    };
    section(
      'Sessions attended',
      p.sessions.map((s) => `${s.date}  ${s.title}  ·  ${s.category}  ·  ${num(s.amount)}`),
    );
    section(
      'Approved outside credit',
      p.outside.map((s) => `${s.date}  ${s.title}  ·  ${s.category}  ·  ${num(s.amount)}  (${s.source})`),
    );
    doc.moveDown();
  }
  doc.moveDown();
  doc
    .font('body')
    .fontSize(8)
    .text(
      `This transcript is authentic only if the verification page at ${input.verifyUrl} shows the same record.`,
      50,
    );
  doc.end();
  return done;
}
