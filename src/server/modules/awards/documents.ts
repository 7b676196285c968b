/**
 * Certificate PDFs (pdfkit, DejaVu Sans, QR to the public verification page)
 * and per-event ceremony and plaque-order lists as CSV or XLSX (formula injection
 * neutralised) and PDF. Deterministic: the creation date is the issue date.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { plaqueStateLabels } from '../../../domain/ceremonies/index.js';
import { DomainError } from '../../../domain/errors.js';
import { formatLongDate } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import { renderTable } from '../../export/tabular.js';
import { definitionFor } from '../programs/programs.service.js';
import { countyOf, listAwards, readableAwardRow, verifyUrl } from './awards.service.js';

const FONTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../assets/fonts');

function newDoc(title: string, author: string, created: Date, layout: 'portrait' | 'landscape') {
  const doc = new PDFDocument({
    size: 'LETTER',
    layout,
    margin: 50,
    info: {
      Title: title,
      Author: author,
      Creator: 'CivicCert',
      Producer: 'CivicCert',
      CreationDate: created,
      ModDate: created,
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
  return { doc, done };
}

export async function certificatePdf(ctx: Ctx, awardId: string): Promise<{ pdf: Buffer; number: string }> {
  const a = await readableAwardRow(ctx, awardId);
  const def = await definitionFor(ctx.db, a.program_id);
  const number = a.certificate_number ?? a.number ?? a.id;
  const issuer = def?.issuingBody.name ?? ctx.config.organization.name;
  const designation = a.designation ?? def?.designation ?? a.program_name;
  const name = a.name_on_certificate ?? `${a.first_name} ${a.last_name}`;
  const url = verifyUrl(ctx, number);
  const qr = await QRCode.toBuffer(url, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
  const { doc, done } = newDoc(
    `${designation}: ${name}`,
    issuer,
    new Date(`${a.issued_on ?? a.awarded_on}T12:00:00Z`),
    'landscape',
  );
  // Everything is placed absolutely on one landscape page; no automatic page breaks.
  doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
  const W = 792;
  doc
    .lineWidth(3)
    .rect(30, 30, W - 60, 612 - 60)
    .stroke();
  doc
    .lineWidth(1)
    .rect(38, 38, W - 76, 612 - 76)
    .stroke();
  doc
    .font('body')
    .fontSize(14)
    .text(issuer, 50, 70, { width: W - 100, align: 'center' });
  doc
    .font('bold')
    .fontSize(30)
    .text('Certificate of Certification', 50, 110, { width: W - 100, align: 'center' });
  doc
    .font('body')
    .fontSize(13)
    .text('This certifies that', 50, 170, { width: W - 100, align: 'center' });
  doc
    .font('bold')
    .fontSize(28)
    .text(name, 50, 195, { width: W - 100, align: 'center' });
  const county = countyOf(a);
  if (county)
    doc
      .font('body')
      .fontSize(12)
      .text(county, 50, 232, { width: W - 100, align: 'center' });
  doc
    .font('body')
    .fontSize(13)
    .text('has met every requirement of the', 50, 260, { width: W - 100, align: 'center' });
  doc
    .font('bold')
    .fontSize(16)
    .text(a.program_name, 50, 282, { width: W - 100, align: 'center' });
  doc
    .font('body')
    .fontSize(13)
    .text('and is awarded the designation', 50, 310, { width: W - 100, align: 'center' });
  doc
    .font('bold')
    .fontSize(20)
    .text(designation, 50, 332, { width: W - 100, align: 'center' });
  doc
    .font('body')
    .fontSize(12)
    .text(
      `Awarded ${formatLongDate(a.awarded_on)}${a.event_title ? ` at ${a.event_title}` : ''}${a.expires_on ? ` · Renewal due ${formatLongDate(a.expires_on)}` : ''}`,
      50,
      368,
      { width: W - 100, align: 'center' },
    );
  if (a.supersedes_id)
    doc
      .fontSize(9)
      .text(
        `Re-issued ${formatLongDate(a.issued_on ?? a.awarded_on)}; replaces an earlier certificate.`,
        50,
        388,
        { width: W - 100, align: 'center' },
      );
  // Signature lines.
  for (const [x, label] of [
    [90, 'Program Administrator'],
    [330, `For ${issuer}`.slice(0, 60)],
  ] as const) {
    doc
      .moveTo(x, 470)
      .lineTo(x + 200, 470)
      .stroke();
    doc.font('body').fontSize(9).text(label, x, 476, { width: 200, align: 'center' });
  }
  doc.image(qr, W - 170, 410, { width: 100 });
  doc
    .font('body')
    .fontSize(8)
    .text('Verify this certificate', W - 180, 512, { width: 120, align: 'center' });
  doc
    .font('bold')
    .fontSize(10)
    .text(`Certificate number ${number}`, 50, 540, { width: W - 100, align: 'center' });
  doc
    .font('body')
    .fontSize(8)
    .text(url, 50, 555, { width: W - 100, align: 'center' });
  doc.end();
  return { pdf: await done, number };
}

export async function eventDocument(
  ctx: Ctx,
  eventId: string,
  kind: 'ceremony' | 'plaques',
  format: 'csv' | 'xlsx' | 'pdf',
): Promise<{ body: Buffer | string; contentType: string; filename: string }> {
  const event = await ctx.db
    .selectFrom('event')
    .select(['id', 'title'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) throw new DomainError('not_found', 'There is no event with this id.');
  const awards = (await listAwards(ctx, { eventId }))
    .filter((a) => !a.revocation && !a.supersededById)
    .sort((x, y) => x.nameOnCertificate.localeCompare(y.nameOnCertificate));
  const header =
    kind === 'ceremony'
      ? ['#', 'Name', 'County', 'Designation', 'Program', 'Certificate number', 'Awarded on']
      : ['#', 'Name on plaque', 'Designation', 'County', 'Certificate number', 'Quantity', 'State'];
  const rows = awards.map((a, i) =>
    kind === 'ceremony'
      ? [
          i + 1,
          a.nameOnCertificate,
          a.person.county,
          a.designation,
          a.program.name,
          a.certificateNumber,
          a.awardedOn,
        ]
      : [
          i + 1,
          a.nameOnCertificate,
          a.designation,
          a.person.county,
          a.certificateNumber,
          1,
          plaqueStateLabels[a.plaque?.state ?? 'to_order'],
        ],
  );
  const base = `${kind === 'ceremony' ? 'ceremony-list' : 'plaque-orders'}-${event.id}`;
  if (format !== 'pdf') {
    // The shared tabular export (CSV with BOM or XLSX, formulas neutralised).
    const columns = header.map((h, i) => ({ header: h, value: (r: (typeof rows)[number]) => r[i] }));
    const { body, contentType } = await renderTable(format, { columns, rows, sheet: base.slice(0, 31) });
    return { body, contentType, filename: `${base}.${format}` };
  }
  const title = `${kind === 'ceremony' ? 'Ceremony list' : 'Plaque order list'}: ${event.title}`;
  const created = new Date(awards[0] ? `${awards[0].awardedOn}T12:00:00Z` : '2000-01-01T00:00:00Z');
  const { doc, done } = newDoc(title, ctx.config.organization.name, created, 'portrait');
  doc.font('bold').fontSize(16).text(title);
  doc
    .font('body')
    .fontSize(10)
    .text(`${awards.length} ${awards.length === 1 ? 'award' : 'awards'}`);
  doc.moveDown();
  const widths = kind === 'ceremony' ? [22, 130, 90, 90, 0, 100, 70] : [22, 150, 100, 90, 100, 0, 60];
  const draw = (cells: (string | number | null)[], bold: boolean) => {
    if (doc.y > 720) doc.addPage();
    const y = doc.y;
    let x = 50;
    doc.font(bold ? 'bold' : 'body').fontSize(9);
    cells.forEach((c, i) => {
      const w = widths[i] ?? 0;
      if (!w) return;
      doc.text(String(c ?? ''), x, y, { width: w - 4, height: 24, ellipsis: true });
      x += w;
    });
    doc.y = y + 18;
  };
  draw(header, true);
  for (const r of rows) draw(r, false);
  doc.end();
  return { body: await done, contentType: 'application/pdf', filename: `${base}.pdf` };
}
