/**
 * Demo claims (issue 5): the demo reviewer reviews the iGO program; the demo
 * official Dana Kessler has an approved claim (in the ledger), one waiting
 * for review, one the reviewer asked about and a draft; two more officials
 * wait in the queue for different times. Loaded once (app_meta key).
 */
import { createHash } from 'node:crypto';
import { systemCtx, type Deps } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { jsonb } from '../../db/json.js';
import { recordAudit } from '../audit/audit.service.js';

/** A one-page PDF with a line of text, enough to open in a browser. */
function demoPdf(text: string): Buffer {
  const content = `BT /F1 16 Tf 72 700 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
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

interface DemoClaim {
  personId: string;
  status: 'draft' | 'submitted' | 'needs_information' | 'approved';
  type: string;
  title: string;
  provider: string;
  daysAgo: number;
  submittedDaysAgo?: number;
  hours: number;
  category: string;
  documents: ('description' | 'certificate' | 'registration')[];
  question?: string;
}

export async function loadDemoClaims(deps: Deps): Promise<{ loaded: boolean; claims: number }> {
  const ctx = systemCtx(deps, 'demo loader');
  return deps.db.transaction().execute(async (tx) => {
    const igo = await tx.selectFrom('program').select('id').where('code', '=', 'igo-cpo').executeTakeFirst();
    const reviewer = await tx
      .selectFrom('person')
      .select('id')
      .where('external_id', '=', 'demo-staff-reviewer')
      .executeTakeFirst();
    const enrolled = (excludeDana: boolean) =>
      tx
        .selectFrom('enrollment as e')
        .innerJoin('person as p', 'p.id', 'e.person_id')
        .select(['p.id'])
        .where('e.program_id', '=', igo?.id ?? '00000000-0000-0000-0000-000000000000')
        .where('e.status', '=', 'active')
        .where('p.external_id', excludeDana ? '<>' : '=', 'demo-official')
        .orderBy('p.external_id')
        .limit(2)
        .execute();
    const [dana] = await enrolled(false);
    const others = await enrolled(true);
    // Without the demo officials and reviewer (a real install), nothing is loaded or marked.
    if (!igo || !reviewer || !dana || others.length < 2) return { loaded: false, claims: 0 };
    const first = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.claims.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!first) return { loaded: false, claims: 0 };

    await tx
      .insertInto('program_reviewer')
      .values({ program_id: igo.id, person_id: reviewer.id })
      .onConflict((oc) => oc.doNothing())
      .execute();
    // The per-credit claim fee is off by default (an assumption the seed does not make); the demo
    // turns it on at the documented $5 a credit so the fee screens have something to show.
    const feePerCredit = 500;
    await tx
      .updateTable('program')
      .set({ claim_fee_per_credit_cents: feePerCredit })
      .where('id', '=', igo.id)
      .execute();

    const claims: DemoClaim[] = [
      {
        personId: dana.id,
        status: 'approved',
        type: 'state-association',
        title: 'Kansas County Clerks Association spring meeting',
        provider: 'Kansas County Clerks and Election Officials Association',
        daysAgo: 60,
        submittedDaysAgo: 50,
        hours: 6,
        category: 'elections',
        documents: ['description', 'certificate'],
      },
      {
        personId: dana.id,
        status: 'submitted',
        type: 'webinar',
        title: 'Records retention in the digital age',
        provider: 'Kansas Historical Society, State Archives',
        daysAgo: 12,
        submittedDaysAgo: 9,
        hours: 1.5,
        category: 'records-management',
        documents: ['description', 'registration'],
      },
      {
        personId: dana.id,
        status: 'needs_information',
        type: 'internal-training',
        title: 'Douglas County supervisor training',
        provider: 'Douglas County Human Resources',
        daysAgo: 30,
        submittedDaysAgo: 25,
        hours: 4,
        category: 'management-supervision',
        documents: ['certificate'],
        question:
          'Please add the course description or agenda (the certificate alone does not show the topics).',
      },
      {
        personId: dana.id,
        status: 'draft',
        type: 'college-credit',
        title: 'PADM 610 Public Budgeting',
        provider: 'University of Kansas',
        daysAgo: 100,
        hours: 3,
        category: 'management-finance',
        documents: [],
      },
      {
        personId: others[0]!.id,
        status: 'submitted',
        type: 'online-course',
        title: 'Ethics for public officials',
        provider: 'National Association of Counties',
        daysAgo: 35,
        submittedDaysAgo: 21,
        hours: 2,
        category: 'management-ethics',
        documents: ['description', 'certificate'],
      },
      {
        personId: others[1]!.id,
        status: 'submitted',
        type: 'professional-development',
        title: 'Land records indexing workshop',
        provider: 'Property Records Industry Association',
        daysAgo: 10,
        submittedDaysAgo: 2,
        hours: 5,
        category: 'land-records',
        documents: ['description', 'certificate'],
      },
    ];
    const now = deps.now().getTime();
    const day = (n: number) => new Date(now - n * 86_400_000);
    for (const c of claims) {
      const on = day(c.daysAgo).toISOString().slice(0, 10);
      const submittedAt = c.submittedDaysAgo !== undefined ? day(c.submittedDaysAgo).toISOString() : null;
      const fee = c.status === 'draft' ? 0 : Math.round(c.hours * feePerCredit);
      const row = await tx
        .insertInto('claim')
        .values({
          person_id: c.personId,
          program_id: igo.id,
          claim_type: c.type,
          title: c.title,
          provider: c.provider,
          start_date: on,
          end_date: on,
          hours: c.hours,
          category: c.category,
          notes: null,
          status: c.status,
          missing_evidence: jsonb(c.question ? ['A course description or agenda'] : []),
          submitted_at: submittedAt,
          decided_at: c.status === 'approved' ? day(45).toISOString() : null,
          decided_by: null,
          approved_amount: c.status === 'approved' ? c.hours : null,
          approved_category: c.status === 'approved' ? c.category : null,
          decision_reason: c.question ?? null,
          fee_cents: fee,
          fee_status: fee > 0 ? (c.status === 'approved' ? 'paid' : 'unpaid') : 'not_required',
          fee_receipt: c.status === 'approved' ? 'IGO-CR-2026-0007' : null,
          created_at: day(c.daysAgo).toISOString(),
          updated_at: (submittedAt ?? day(c.daysAgo).toISOString()) as string,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const kind of c.documents) await addDocument(tx, row.id, kind, c.title, day(c.daysAgo));
      const message = (
        kind: 'submitted' | 'request_information' | 'approved',
        at: Date,
        body: string | null,
      ) =>
        tx
          .insertInto('claim_message')
          .values({
            claim_id: row.id,
            at: at.toISOString(),
            author_user_id: null,
            author_label: 'demo loader',
            kind,
            body,
          })
          .execute();
      if (submittedAt) await message('submitted', new Date(submittedAt), null);
      if (c.question) await message('request_information', day(20), c.question);
      if (c.status === 'approved') {
        await message('approved', day(45), null);
        const record = await tx
          .insertInto('credit_record')
          .values({
            person_id: c.personId,
            program_id: igo.id,
            amount: c.hours,
            category: c.category,
            sponsored: false,
            source_type: c.type,
            course_code: null,
            title: c.title,
            session_id: null,
            registration_id: null,
            earned_on: on,
            status: 'approved',
            reverses_id: null,
            reason: null,
            recorded_at: day(45).toISOString(),
            recorded_by: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('credit_source')
          .values({ credit_record_id: record.id, claim_id: row.id, manual_reason: null })
          .execute();
      }
    }
    await recordAudit(tx, ctx, {
      action: 'demo.claims',
      entityType: 'system',
      entityId: null,
      after: { claims: claims.length },
    });
    return { loaded: true, claims: claims.length };
  });
}

async function addDocument(tx: Tx, claimId: string, kind: string, title: string, at: Date): Promise<void> {
  const label =
    kind === 'description'
      ? 'Course description'
      : kind === 'certificate'
        ? 'Certificate of attendance'
        : 'Registration confirmation';
  const content = demoPdf(`${label}: ${title}`);
  await tx
    .insertInto('claim_document')
    .values({
      claim_id: claimId,
      kind,
      filename: `${kind}.pdf`,
      content_type: 'application/pdf',
      size_bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
      uploaded_at: at.toISOString(),
      uploaded_by: null,
    })
    .execute();
}
