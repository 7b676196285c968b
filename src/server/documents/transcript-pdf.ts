/**
 * The official transcript as a tagged PDF/A-2a (documents/tagged-pdf.ts):
 * issuing body, issue date, verification code and a QR code to the public
 * verification page; a heading per program, its totals, requirements and
 * credit as lists. Deterministic: the issue instant is the creation date, the
 * font is embedded, no clock.
 */
import QRCode from 'qrcode';
import type { TranscriptDto } from '../../contract/transcripts.js';
import { artifact, group, tag, taggedPdf } from './tagged-pdf.js';

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
  const { doc, root, done } = taggedPdf({
    title: `Official transcript: ${t.person.name}`,
    author: input.issuedBy,
    subject: `Verification code ${code}`,
    created: issuedAt,
    pdfa: true,
  });
  const ensure = (space: number) => {
    if (doc.y + space > 720) doc.addPage();
  };
  /** A list of plain lines (L > LI > LBody) at `x`; `room`: the space to leave before each line. */
  const list = (lines: string[], x: number, room?: number, width?: number) =>
    group(doc, root, 'L', (l) => {
      for (const line of lines) {
        if (room) ensure(room);
        group(doc, l, 'LI', (li) =>
          tag(doc, li, 'LBody', () => doc.text(line, x, undefined, width ? { width } : {})),
        );
      }
    });

  tag(doc, root, 'H1', () =>
    doc.font('bold').fontSize(18).text('Official transcript', 50, 50, { width: 400 }),
  );
  tag(doc, root, 'P', () =>
    doc.font('body').fontSize(10).text(`Issued by ${input.issuedBy}`, { width: 400 }),
  );
  doc.moveDown(0.6);
  tag(doc, root, 'P', () => doc.font('bold').fontSize(13).text(t.person.name, { width: 400 }));
  doc.font('body').fontSize(10);
  // The record's as-of day is today in the program's zone when the transcript is issued (a UTC
  // date would read tomorrow for a transcript issued on a Kansas evening).
  tag(doc, root, 'P', () => doc.text(`Issued ${t.asOf}, with the record as of that day`, { width: 400 }));
  tag(doc, root, 'P', () => doc.text(`Verification code: ${code}`, { width: 400 }));
  tag(doc, root, 'P', () => doc.fontSize(8).text(`Verify at ${input.verifyUrl}`, { width: 400 }));
  const { x, y } = doc;
  tag(doc, root, 'Figure', () => doc.image(qr, 462, 50, { width: 100 }), {
    alt: `QR code that opens the verification page of this transcript: ${input.verifyUrl}`,
    bbox: [462, 50, 562, 150],
  });
  doc.x = x;
  doc.y = Math.max(y, 160);
  doc.moveDown();

  if (t.programs.length === 0)
    tag(doc, root, 'P', () => doc.font('body').fontSize(10).text('No program enrollments on record.'));
  for (const p of t.programs) {
    ensure(120);
    const ruleY = doc.y;
    artifact(doc, () => doc.moveTo(50, ruleY).lineTo(562, ruleY).stroke());
    doc.moveDown(0.4);
    tag(doc, root, 'H2', () => doc.font('bold').fontSize(13).text(p.program.name, 50));
    tag(doc, root, 'P', () => doc.font('body').fontSize(9).text(`Issuing body: ${p.program.issuingBody}`));
    tag(doc, root, 'P', () => doc.fontSize(10).text(p.headline));
    doc.moveDown(0.4);
    tag(doc, root, 'P', () =>
      doc
        .font('bold')
        .fontSize(10)
        .text(`Total approved: ${num(p.totalApproved)} ${p.unit}`)
        .font('body'),
    );
    // Approved credit only: claims not yet decided are on the screen, never on the official transcript.
    list(
      p.totals.map((c) => `${c.name}: ${num(c.amount)} ${p.unit}`),
      70,
    );
    if (p.requirements.length) {
      doc.moveDown(0.4);
      tag(doc, root, 'H3', () => doc.font('bold').text('Requirements', 50).font('body'));
      list(
        p.requirements.map(
          (r) => `${r.met ? 'Met' : 'Not yet met'}: ${r.title} (${num(r.have)} of ${num(r.need)})`,
        ),
        70,
        14,
      );
    }
    const section = (title: string, rows: string[]) => {
      if (rows.length === 0) return;
      ensure(30);
      doc.moveDown(0.4);
      tag(doc, root, 'H3', () => doc.font('bold').fontSize(10).text(title, 50).font('body').fontSize(9));
      list(rows, 70, 12, 490);
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
  tag(doc, root, 'P', () =>
    doc
      .font('body')
      .fontSize(8)
      .text(
        `This transcript is authentic only if the verification page at ${input.verifyUrl} shows the same record.`,
        50,
      ),
  );
  doc.end();
  return done;
}
