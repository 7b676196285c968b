/**
 * Outside-credit claims: drafts, evidence documents (bytes in PostgreSQL,
 * checked by content), submission against the program's evidence rules,
 * the reviewers' queue and decisions. An approved claim becomes ledger
 * records in the same transaction (credit_record, linked through
 * credit_source); a rejected one never counts. Every change is audited.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { z } from 'zod';
import type {
  ClaimDto,
  claimFeeBody,
  claimFeeQuery,
  createClaimBody,
  decisionBody,
  manualCreditBody,
  reviewQueueQuery,
  updateClaimBody,
} from '../../../contract/claims.js';
import { coordinatorLimits } from '../../../domain/authz/index.js';
import {
  claimAbilities,
  claimDenial,
  needsAssignedPrograms,
  requireAccess,
  reviewedProgramsOf,
  type ReviewedPrograms,
} from '../../../domain/authz/policies.js';
import {
  MAX_DOCUMENT_BYTES,
  claimDateAndHourIssues,
  claimFeeCents,
  claimFeeFor,
  claimFeeHowToPay,
  claimTypeLabels,
  documentKindLabels,
  evidenceRules,
  ledgerSourceType,
  missingEvidence,
  sanitizeFilename,
  sniffType,
  type ClaimType,
  type DocumentKind,
} from '../../../domain/claims/index.js';
import {
  assertOwnerMayChange,
  assertOwnerMayDelete,
  assertReviewerMayDecide,
  statusAfterDecision,
  statusAfterSubmit,
} from '../../../domain/claims/transitions.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import type { ProgramDefinition } from '../../../domain/requirements/index.js';
import { todayIn } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import type { Db, Tx } from '../../db/database.js';
import { jsonb } from '../../db/json.js';
import { recordAudit } from '../audit/audit.service.js';
import { onCertificationFactsChanged } from '../certification/evaluation.js';
import { appendCredit } from '../certification/ledger.js';
import { emitEvent } from '../webhooks/events.js';
import { displayName } from '../auth/auth.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { readPersonToRun } from '../people/people.service.js';
import { checkJpeg, checkPng } from './image-check.js';
import { checkPdf } from './pdf-check.js';

const MAX_DOCUMENTS_PER_CLAIM = 20;
const DAY = 86_400_000;

function claimQuery(db: Db) {
  return db
    .selectFrom('claim as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .innerJoin('program as pr', 'pr.id', 'c.program_id')
    .selectAll('c')
    .select([
      'p.jurisdiction_fips as person_fips',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.email',
      'pr.code as program_code',
      'pr.name as program_name',
      'pr.claim_fee_per_credit_cents',
    ]);
}
type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimQuery>['executeTakeFirstOrThrow']>>;

type Unit = { singular: string; plural: string };
/** The unit of a program without a definition (the schema's default). */
const DEFAULT_UNIT: Unit = { singular: 'credit', plural: 'credits' };
/** "1 hour", "4 hours", "2.5 credits": an amount in the program's own unit. */
const amountIn = (n: number, unit: Unit): string => `${n} ${n === 1 ? unit.singular : unit.plural}`;

async function present(ctx: Ctx, db: Db, rows: ClaimRow[], now: Date): Promise<ClaimDto[]> {
  if (rows.length === 0) return [];
  const reviewed = ctx.actor ? await reviewedPrograms(ctx) : [];
  const ids = rows.map((r) => r.id);
  const [docs, messages] = await Promise.all([
    db
      .selectFrom('claim_document')
      .select(['id', 'claim_id', 'kind', 'filename', 'content_type', 'size_bytes', 'uploaded_at'])
      .where('claim_id', 'in', ids)
      .orderBy('uploaded_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('claim_message')
      .select(['claim_id', 'at', 'author_label', 'kind', 'body'])
      .where('claim_id', 'in', ids)
      .orderBy('at')
      .orderBy('id')
      .execute(),
  ]);
  const names = new Map<string, Map<string, string>>();
  const units = new Map<string, { singular: string; plural: string }>();
  for (const programId of new Set(rows.map((r) => r.program_id))) {
    const def = await definitionFor(db, programId);
    names.set(programId, new Map((def?.categories ?? []).map((c) => [c.id, c.name])));
    units.set(programId, def?.unit ?? DEFAULT_UNIT);
  }
  const nameOf = (programId: string, category: string) => names.get(programId)?.get(category) ?? category;
  return rows.map((r) => {
    const type = r.claim_type as ClaimType;
    const mine = docs.filter((d) => d.claim_id === r.id);
    const open = r.status === 'draft' || r.status === 'needs_information';
    const quoteCents = claimFeeCents(r.claim_fee_per_credit_cents, Number(r.hours));
    return {
      id: r.id,
      abilities: claimAbilities(ctx.actor, claimFacts(r), reviewed),
      person: { id: r.person_id, name: displayName(r) },
      program: {
        id: r.program_id,
        code: r.program_code,
        name: r.program_name,
        unit: units.get(r.program_id) ?? DEFAULT_UNIT,
      },
      type,
      typeLabel: claimTypeLabels[type],
      title: r.title,
      provider: r.provider,
      startDate: r.start_date,
      endDate: r.end_date,
      hours: Number(r.hours),
      category: r.category,
      categoryName: nameOf(r.program_id, r.category),
      notes: r.notes,
      status: r.status,
      // Live from the documents while the official can still add them, so it changes with each upload.
      missingEvidence: open
        ? missingEvidence(
            r.program_code,
            type,
            mine.map((d) => d.kind as DocumentKind),
          ).map((m) => m.label)
        : [],
      requiredEvidence: evidenceRules(r.program_code, type).map((e) => e.label),
      submittedAt: r.submitted_at,
      waitingDays:
        r.status === 'submitted' && r.submitted_at
          ? Math.max(0, Math.floor((now.getTime() - Date.parse(r.submitted_at)) / DAY))
          : null,
      decidedAt: r.decided_at,
      approvedAmount: r.approved_amount === null ? null : Number(r.approved_amount),
      approvedCategory: r.approved_category,
      approvedCategoryName: r.approved_category ? nameOf(r.program_id, r.approved_category) : null,
      decisionReason: r.decision_reason,
      feeQuote:
        open && quoteCents > 0
          ? {
              cents: quoteCents,
              perCreditCents: r.claim_fee_per_credit_cents,
              forWhat: claimFeeFor,
              howToPay: claimFeeHowToPay,
            }
          : null,
      fee: {
        cents: r.fee_cents,
        status: r.fee_status,
        method: r.fee_method as ClaimDto['fee']['method'],
        receipt: r.fee_receipt,
      },
      documents: mine.map((d) => ({
        id: d.id,
        kind: d.kind as DocumentKind,
        filename: d.filename,
        contentType: d.content_type,
        sizeBytes: d.size_bytes,
        uploadedAt: d.uploaded_at,
      })),
      messages: messages
        .filter((m) => m.claim_id === r.id)
        .map((m) => ({ at: m.at, author: m.author_label, kind: m.kind, body: m.body })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}

const me = (ctx: Ctx) => {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
};

/** Program ids this actor reviews; null means every program (administrators). See reviewedProgramsOf. */
export async function reviewedPrograms(ctx: Ctx): Promise<ReviewedPrograms> {
  const actor = me(ctx);
  if (!needsAssignedPrograms(actor)) return reviewedProgramsOf(actor, []);
  const rows = await ctx.db
    .selectFrom('program_reviewer')
    .select('program_id')
    .where('person_id', '=', actor.personId)
    .execute();
  return reviewedProgramsOf(
    actor,
    rows.map((r) => r.program_id),
  );
}

/** The claim policy's answer for this actor and claim (who may see, change, decide it). */
async function abilitiesOn(ctx: Ctx, c: ClaimRow | ClaimFactsRow) {
  return claimAbilities(ctx.actor, claimFacts(c), await reviewedPrograms(ctx));
}
type ClaimFactsRow = {
  person_id: string;
  person_fips: string | null;
  program_id: string;
  status: ClaimRow['status'];
  fee_cents: number;
};
const claimFacts = (c: ClaimFactsRow) => ({
  personId: c.person_id,
  personFips: c.person_fips,
  programId: c.program_id,
  status: c.status,
  feeCents: c.fee_cents,
});

const notFound = () => new DomainError('not_found', 'There is no claim with this id.');

async function visibleClaim(ctx: Ctx, db: Db, id: string, lock = false): Promise<ClaimRow> {
  let q = claimQuery(db).where('c.id', '=', id);
  if (lock) q = q.forUpdate('c');
  const row = await q.executeTakeFirst();
  if (!row) throw notFound();
  requireAccess(await abilitiesOn(ctx, row), 'read', claimDenial);
  return row;
}

/** The owner's claim that can still be changed (a draft, or one waiting for information). */
async function editableClaim(ctx: Ctx, db: Db, id: string): Promise<ClaimRow> {
  const row = await visibleClaim(ctx, db, id, true);
  assertOwnerMayChange({ status: row.status, personId: row.person_id }, me(ctx).personId);
  return row;
}

export async function getClaim(ctx: Ctx, id: string): Promise<ClaimDto> {
  const row = await visibleClaim(ctx, ctx.db, id);
  return (await present(ctx, ctx.db, [row], ctx.now()))[0]!;
}

export async function listMyClaims(ctx: Ctx): Promise<ClaimDto[]> {
  const rows = await claimQuery(ctx.db)
    .where('c.person_id', '=', me(ctx).personId)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute();
  return present(ctx, ctx.db, rows, ctx.now());
}

async function programDefinition(db: Db, programId: string): Promise<ProgramDefinition> {
  const def = await definitionFor(db, programId);
  if (!def) throw fieldError('programId', 'There is no published program with this id.');
  return def;
}

function assertCategory(def: ProgramDefinition, category: string, field = 'category'): void {
  if (!def.categories.some((c) => c.id === category))
    throw fieldError(
      field,
      `Choose one of this program's categories: ${def.categories.map((c) => c.name).join(', ')}.`,
    );
}

/** Dates and hours, each problem on its own field (400 naming every one). */
function assertDatesAndHours(
  ctx: Ctx,
  def: ProgramDefinition,
  c: { startDate: string; endDate: string | null; hours: number },
): void {
  const issues = claimDateAndHourIssues(c, todayIn(def.timeZone, ctx.now()));
  if (issues.length) throw new DomainError('validation', issues[0]!.message, { issues });
}

type CreateBody = z.infer<typeof createClaimBody>;

export async function createClaim(ctx: Ctx, body: CreateBody): Promise<ClaimDto> {
  const actor = me(ctx);
  const program = await ctx.db
    .selectFrom('program')
    .select(['id'])
    .where('id', '=', body.programId)
    .executeTakeFirst();
  if (!program) throw fieldError('programId', 'There is no program with this id.');
  const enrolled = await ctx.db
    .selectFrom('enrollment')
    .select('id')
    .where('program_id', '=', body.programId)
    .where('person_id', '=', actor.personId)
    .where('status', 'not in', ['withdrawn', 'declined'])
    .executeTakeFirst();
  if (!enrolled) throw fieldError('programId', 'Enroll in this program before claiming credit in it.');
  const def = await programDefinition(ctx.db, body.programId);
  assertCategory(def, body.category);
  const endDate = body.endDate ?? null;
  assertDatesAndHours(ctx, def, { startDate: body.startDate, endDate, hours: body.hours });
  const id = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('claim')
      .values({
        person_id: actor.personId,
        program_id: body.programId,
        claim_type: body.type,
        title: body.title,
        provider: body.provider,
        start_date: body.startDate,
        end_date: endDate ?? body.startDate,
        hours: body.hours,
        category: body.category,
        notes: body.notes ?? null,
        status: 'draft',
        submitted_at: null,
        decided_at: null,
        decided_by: null,
        approved_amount: null,
        approved_category: null,
        decision_reason: null,
        fee_receipt: null,
        created_at: ctx.now().toISOString(),
        updated_at: ctx.now().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: 'claim.create',
      entityType: 'claim',
      entityId: row.id,
      after: body,
    });
    return row.id;
  });
  return getClaim(ctx, id);
}

export async function updateClaim(
  ctx: Ctx,
  id: string,
  body: z.infer<typeof updateClaimBody>,
): Promise<ClaimDto> {
  await ctx.db.transaction().execute(async (tx) => {
    const c = await editableClaim(ctx, tx, id);
    const def = await programDefinition(tx, c.program_id);
    if (body.category !== undefined) assertCategory(def, body.category);
    const startDate = body.startDate ?? c.start_date;
    // null clears the end date (a one-day activity); left out keeps it.
    const endDate = body.endDate === undefined ? c.end_date : body.endDate;
    assertDatesAndHours(ctx, def, { startDate, endDate, hours: body.hours ?? Number(c.hours) });
    await tx
      .updateTable('claim')
      .set({
        ...(body.type !== undefined ? { claim_type: body.type } : {}),
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.provider !== undefined ? { provider: body.provider } : {}),
        ...(body.startDate !== undefined ? { start_date: body.startDate } : {}),
        ...(body.startDate !== undefined || body.endDate !== undefined
          ? { end_date: endDate ?? startDate }
          : {}),
        ...(body.hours !== undefined ? { hours: body.hours } : {}),
        ...(body.category !== undefined ? { category: body.category } : {}),
        ...(body.notes !== undefined ? { notes: body.notes } : {}),
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, { action: 'claim.update', entityType: 'claim', entityId: id, after: body });
  });
  return getClaim(ctx, id);
}

// ---------------------------------------------------------------- documents

export interface Upload {
  kind: string | undefined;
  filename: string;
  bytes: Buffer;
}

const fileError = (message: string) => fieldError('file', message);

/**
 * Checks an uploaded file by its content: its type by its first bytes, then
 * the whole file as that type (a PDF parsed and searched for active content,
 * an image decoded). Returns its real type and safe name.
 */
export async function checkUpload(u: Upload): Promise<{
  kind: DocumentKind;
  type: ReturnType<typeof sniffType> & string;
  filename: string;
}> {
  const kinds = Object.keys(documentKindLabels);
  if (!u.kind || !kinds.includes(u.kind))
    throw fieldError('kind', `Say what the document is: one of ${kinds.join(', ')}.`);
  if (u.bytes.length === 0) throw fileError('The file is empty. Choose the document again.');
  if (u.bytes.length > MAX_DOCUMENT_BYTES)
    throw new DomainError('payload_too_large', 'The file is larger than 10 MB.', {
      issues: [{ field: 'file', message: 'The file is larger than 10 MB.' }],
    });
  const type = sniffType(u.bytes);
  if (!type)
    throw new DomainError(
      'unsupported_media_type',
      'The file is not a PDF, PNG or JPEG (judged by its content, not its name).',
      { issues: [{ field: 'file', message: 'Upload a PDF, PNG or JPEG file.' }] },
    );
  const verdict =
    type === 'application/pdf'
      ? await checkPdf(u.bytes)
      : type === 'image/png'
        ? checkPng(u.bytes)
        : checkJpeg(u.bytes);
  if (!verdict.ok) throw fileError(verdict.reason);
  return { kind: u.kind as DocumentKind, type, filename: sanitizeFilename(u.filename, type) };
}

export async function addDocument(ctx: Ctx, claimId: string, u: Upload) {
  const checked = await checkUpload(u);
  return ctx.db.transaction().execute(async (tx) => {
    await editableClaim(ctx, tx, claimId);
    const count = await tx
      .selectFrom('claim_document')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('claim_id', '=', claimId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_DOCUMENTS_PER_CLAIM)
      throw fileError(`A claim can carry at most ${MAX_DOCUMENTS_PER_CLAIM} documents; remove one first.`);
    const sha256 = createHash('sha256').update(u.bytes).digest('hex');
    const row = await tx
      .insertInto('claim_document')
      .values({
        claim_id: claimId,
        kind: checked.kind,
        filename: checked.filename,
        content_type: checked.type,
        size_bytes: u.bytes.length,
        sha256,
        content: u.bytes,
        uploaded_at: ctx.now().toISOString(),
        uploaded_by: ctx.actor?.userId ?? null,
      })
      .returning(['id', 'kind', 'filename', 'content_type', 'size_bytes', 'uploaded_at'])
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('claim')
      .set({ updated_at: ctx.now().toISOString() })
      .where('id', '=', claimId)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'claim.document.add',
      entityType: 'claim',
      entityId: claimId,
      after: { documentId: row.id, kind: row.kind, filename: row.filename, type: checked.type, sha256 },
    });
    return {
      id: row.id,
      kind: row.kind as DocumentKind,
      filename: row.filename,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
      uploadedAt: row.uploaded_at,
    };
  });
}

async function documentWithClaim(db: Db, id: string) {
  return db
    .selectFrom('claim_document as d')
    .innerJoin('claim as c', 'c.id', 'd.claim_id')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .select([
      'p.jurisdiction_fips as person_fips',
      'd.id',
      'd.claim_id',
      'd.filename',
      'd.content_type',
      'd.content',
      'd.kind',
      'c.person_id',
      'c.program_id',
      'c.status',
      'c.fee_cents',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export async function getDocument(ctx: Ctx, id: string) {
  const d = await documentWithClaim(ctx.db, id);
  const noDocument = { code: 'not_found', message: 'There is no document with this id.' } as const;
  if (!d) throw new DomainError(noDocument.code, noDocument.message);
  requireAccess(await abilitiesOn(ctx, d), 'read', noDocument);
  return { filename: d.filename, contentType: d.content_type, content: d.content };
}

export async function removeDocument(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const d = await documentWithClaim(tx, id);
    const noDocument = { code: 'not_found', message: 'There is no document with this id.' } as const;
    if (!d) throw new DomainError(noDocument.code, noDocument.message);
    requireAccess(await abilitiesOn(ctx, d), 'read', noDocument);
    await editableClaim(ctx, tx, d.claim_id);
    await tx.deleteFrom('claim_document').where('id', '=', id).execute();
    await recordAudit(tx, ctx, {
      action: 'claim.document.remove',
      entityType: 'claim',
      entityId: d.claim_id,
      before: { documentId: id, kind: d.kind, filename: d.filename },
    });
  });
}

/** The official deletes their own draft, with its documents and history (audited). */
export async function deleteClaim(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const c = await visibleClaim(ctx, tx, id, true);
    assertOwnerMayDelete({ status: c.status, personId: c.person_id }, me(ctx).personId);
    const docs = await tx
      .deleteFrom('claim_document')
      .where('claim_id', '=', id)
      .returning(['id', 'kind', 'filename'])
      .execute();
    await tx.deleteFrom('claim_message').where('claim_id', '=', id).execute();
    await tx.deleteFrom('claim').where('id', '=', id).execute();
    await recordAudit(tx, ctx, {
      action: 'claim.delete',
      entityType: 'claim',
      entityId: id,
      before: {
        title: c.title,
        programId: c.program_id,
        hours: Number(c.hours),
        documents: docs.map((d) => ({ documentId: d.id, kind: d.kind, filename: d.filename })),
      },
    });
  });
}

// ---------------------------------------------------------------- submit and review

async function addMessage(
  tx: Tx,
  ctx: Ctx,
  claimId: string,
  kind: 'submitted' | 'needs_information' | 'request_information' | 'response' | 'approved' | 'rejected',
  body: string | null,
): Promise<void> {
  await tx
    .insertInto('claim_message')
    .values({
      claim_id: claimId,
      at: ctx.now().toISOString(),
      author_user_id: ctx.actor?.userId ?? null,
      author_label: ctx.actorLabel,
      kind,
      body,
    })
    .execute();
}

/**
 * Submits a draft, or answers a request for information, into the review
 * queue. While the program's evidence rules are not met it is refused (409
 * naming the missing documents) and nothing changes.
 */
export async function submitClaim(
  ctx: Ctx,
  id: string,
  response: string | null | undefined,
): Promise<ClaimDto> {
  await ctx.db.transaction().execute(async (tx) => {
    const c = await editableClaim(ctx, tx, id);
    const kinds = await tx.selectFrom('claim_document').select('kind').where('claim_id', '=', id).execute();
    const missing = missingEvidence(
      c.program_code,
      c.claim_type as ClaimType,
      kinds.map((k) => k.kind as DocumentKind),
    ).map((m) => m.label);
    const status = statusAfterSubmit(missing); // refused, changing nothing, while documents are missing
    const fee = claimFeeCents(c.claim_fee_per_credit_cents, Number(c.hours));
    await tx
      .updateTable('claim')
      .set({
        status,
        missing_evidence: jsonb(missing),
        submitted_at: ctx.now().toISOString(),
        updated_at: ctx.now().toISOString(),
        fee_cents: fee,
        fee_status: fee > 0 ? (c.fee_status === 'not_required' ? 'unpaid' : c.fee_status) : 'not_required',
      })
      .where('id', '=', id)
      .execute();
    if (c.status === 'needs_information' && response) await addMessage(tx, ctx, id, 'response', response);
    await addMessage(tx, ctx, id, 'submitted', null);
    await recordAudit(tx, ctx, {
      action: 'claim.submit',
      entityType: 'claim',
      entityId: id,
      before: { status: c.status },
      after: { status, feeCents: fee, response: response ?? null },
    });
  });
  return getClaim(ctx, id);
}

export async function reviewQueue(
  ctx: Ctx,
  q: z.infer<typeof reviewQueueQuery>,
): Promise<{ items: ClaimDto[]; total: number }> {
  const programs = await reviewedPrograms(ctx);
  if (programs !== null && programs.length === 0) return { items: [], total: 0 };
  let query = claimQuery(ctx.db).where('c.status', '=', 'submitted');
  if (programs !== null) query = query.where('c.program_id', 'in', programs);
  if (q.programId) query = query.where('c.program_id', '=', q.programId);
  if (q.type) query = query.where('c.claim_type', '=', q.type);
  if (q.minDays !== undefined)
    query = query.where(
      'c.submitted_at',
      '<=',
      new Date(ctx.now().getTime() - q.minDays * DAY).toISOString(),
    );
  const [rows, count] = await Promise.all([
    query
      .orderBy('c.submitted_at')
      .orderBy('c.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: await present(ctx, ctx.db, rows, ctx.now()), total: Number(count.n) };
}

function claimEmail(ctx: Ctx, c: ClaimRow, subject: string, lines: string[]) {
  return {
    to: c.email,
    subject,
    kind: 'claim',
    text: [
      `Hello ${displayName(c)},`,
      '',
      ...lines,
      '',
      `Claim: ${c.title} (${c.provider}), ${c.start_date}${c.end_date !== c.start_date ? ` to ${c.end_date}` : ''}, ${Number(c.hours)} hours.`,
      `See it at ${ctx.config.publicUrl}/claims/${c.id}`,
      '',
      ctx.config.organization.name,
    ].join('\n'),
  };
}

export async function decideClaim(
  ctx: Ctx,
  id: string,
  body: z.infer<typeof decisionBody>,
): Promise<ClaimDto> {
  const actor = me(ctx);
  await ctx.db.transaction().execute(async (tx) => {
    const c = await visibleClaim(ctx, tx, id, true);
    requireAccess(await abilitiesOn(ctx, c), 'review', claimDenial);
    assertReviewerMayDecide({ status: c.status, personId: c.person_id }, actor.personId);
    const now = ctx.now().toISOString();
    const before = { status: c.status };
    if (body.decision === 'approve') {
      const def = await programDefinition(tx, c.program_id);
      const category = body.category ?? c.category;
      assertCategory(def, category);
      const amount = body.amount ?? Number(c.hours);
      if (amount > Number(c.hours))
        throw fieldError(
          'amount',
          `Approve at most the ${amountIn(Number(c.hours), def.unit)} claimed; the official can claim more in a new claim.`,
        );
      if (amount < Number(c.hours) && !body.reason)
        throw fieldError(
          'reason',
          `Say why you approve ${amountIn(amount, def.unit)} of the ${Number(c.hours)} claimed; the official will read it.`,
        );
      const fee = claimFeeCents(c.claim_fee_per_credit_cents, amount);
      await tx
        .updateTable('claim')
        .set({
          status: statusAfterDecision('approve'),
          decided_at: now,
          decided_by: actor.userId,
          approved_amount: amount,
          approved_category: category,
          decision_reason: body.reason ?? null,
          fee_cents: fee,
          fee_status: fee > 0 ? (c.fee_status === 'not_required' ? 'unpaid' : c.fee_status) : 'not_required',
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      const record = {
        id: await appendCredit(tx, ctx, {
          personId: c.person_id,
          programId: c.program_id,
          amount,
          category,
          sponsored: false,
          sourceType: ledgerSourceType(
            c.claim_type as ClaimType,
            def.sourceTypes.map((s) => s.id),
          ),
          title: c.title,
          earnedOn: c.end_date,
        }),
      };
      await tx
        .insertInto('credit_source')
        .values({ credit_record_id: record.id, claim_id: id, manual_reason: null })
        .execute();
      await addMessage(tx, ctx, id, 'approved', body.reason ?? null);
      // Eligibility and renewal status follow the ledger at once (issue 6's status cache).
      await onCertificationFactsChanged(tx, ctx, c.person_id, c.program_id);
      const changed =
        amount !== Number(c.hours) || category !== c.category
          ? [
              `Approved as ${amountIn(amount, def.unit)} in ${def.categories.find((x) => x.id === category)?.name ?? category} (you asked for ${Number(c.hours)} in ${def.categories.find((x) => x.id === c.category)?.name ?? c.category}).`,
            ]
          : [
              `Approved: ${amountIn(amount, def.unit)} in ${def.categories.find((x) => x.id === category)?.name ?? category}.`,
            ];
      await ctx.mailer.enqueue(
        tx,
        claimEmail(ctx, c, `Claim approved: ${c.title}`, [
          ...changed,
          ...(body.reason ? [`Reviewer's note: ${body.reason}`] : []),
          ...(fee > 0 ? [`Credit application fee: $${(fee / 100).toFixed(2)}.`] : []),
        ]),
      );
      await emitEvent(tx, ctx.now(), 'claim.decided', {
        programId: c.program_id,
        personId: c.person_id,
        data: {
          claim: {
            id,
            title: c.title,
            decision: 'approve',
            status: 'approved',
            amount,
            category,
            reason: body.reason ?? null,
            decidedAt: now,
            creditRecordId: record.id,
          },
        },
      });
      await recordAudit(tx, ctx, {
        action: 'claim.approve',
        entityType: 'claim',
        entityId: id,
        before,
        after: {
          status: 'approved',
          amount,
          category,
          creditRecordId: record.id,
          feeCents: fee,
          note: body.reason ?? null,
        },
      });
      return;
    }
    for (const field of ['amount', 'category'] as const)
      if (body[field] !== undefined)
        throw fieldError(
          field,
          `Only an approval can set the ${field}; leave it out to ${body.decision.replace('_', ' ')}.`,
        );
    if (!body.reason)
      throw fieldError(
        'reason',
        body.decision === 'reject'
          ? 'Give the reason for rejecting the claim; the official will read it.'
          : 'Say what information is needed; the official will read it.',
      );
    const status = statusAfterDecision(body.decision);
    await tx
      .updateTable('claim')
      .set({
        status,
        decided_at: body.decision === 'reject' ? now : null,
        decided_by: body.decision === 'reject' ? actor.userId : null,
        decision_reason: body.reason,
        ...(body.decision === 'reject' ? { fee_status: 'not_required' as const, fee_cents: 0 } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await addMessage(
      tx,
      ctx,
      id,
      body.decision === 'reject' ? 'rejected' : 'request_information',
      body.reason,
    );
    await ctx.mailer.enqueue(
      tx,
      body.decision === 'reject'
        ? claimEmail(ctx, c, `Claim not approved: ${c.title}`, [
            `Your claim was not approved. Reason: ${body.reason}`,
          ])
        : claimEmail(ctx, c, `More information needed: ${c.title}`, [
            `The reviewer asks: ${body.reason}`,
            'Answer on the claim page, add any documents asked for, and submit it again.',
          ]),
    );
    await emitEvent(tx, ctx.now(), 'claim.decided', {
      programId: c.program_id,
      personId: c.person_id,
      data: {
        claim: {
          id,
          title: c.title,
          decision: body.decision,
          status,
          amount: null,
          category: null,
          reason: body.reason,
          decidedAt: now,
          creditRecordId: null,
        },
      },
    });
    await recordAudit(tx, ctx, {
      action: body.decision === 'reject' ? 'claim.reject' : 'claim.request-information',
      entityType: 'claim',
      entityId: id,
      before,
      after: { status, reason: body.reason },
    });
  });
  void ctx.mailer.flush();
  return getClaim(ctx, id);
}

export async function setClaimFee(
  ctx: Ctx,
  id: string,
  body: z.infer<typeof claimFeeBody>,
): Promise<ClaimDto> {
  if (body.status === 'paid' && !body.method)
    throw fieldError('method', 'Say how the fee was paid (check, card, cash, ACH, purchase order or other).');
  if (body.status !== 'paid' && body.method)
    throw fieldError('method', 'A payment method goes only with a paid fee.');
  await ctx.db.transaction().execute(async (tx) => {
    const c = await visibleClaim(ctx, tx, id, true);
    if (c.fee_cents === 0)
      throw new DomainError(
        'conflict',
        'No fee applies to this claim (its program does not charge for outside credit).',
      );
    await tx
      .updateTable('claim')
      .set({
        fee_status: body.status,
        fee_method: body.method ?? null,
        fee_receipt: body.receipt ?? null,
        updated_at: ctx.now().toISOString(),
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'claim.fee',
      entityType: 'claim',
      entityId: id,
      before: { status: c.fee_status, method: c.fee_method, receipt: c.fee_receipt },
      after: {
        status: body.status,
        method: body.method ?? null,
        receipt: body.receipt ?? null,
        cents: c.fee_cents,
      },
    });
  });
  return getClaim(ctx, id);
}

/**
 * Claims that carry a fee (submitted or decided; drafts owe nothing yet),
 * oldest submission first, with what is still owed (unpaid or invoiced).
 */
export async function listClaimFees(
  ctx: Ctx,
  q: z.infer<typeof claimFeeQuery>,
): Promise<{ items: ClaimDto[]; total: number; owedCents: number }> {
  let query = claimQuery(ctx.db).where('c.fee_cents', '>', 0).where('c.status', '<>', 'draft');
  if (q.programId) query = query.where('c.program_id', '=', q.programId);
  // A coordinator limited to counties or programs collects the fees of their people and programs.
  const limits = coordinatorLimits(ctx.actor);
  if (limits?.counties.length) query = query.where('p.jurisdiction_fips', 'in', limits.counties);
  if (limits?.programs.length) query = query.where('c.program_id', 'in', limits.programs);
  if (q.status === 'owed') query = query.where('c.fee_status', 'in', ['unpaid', 'invoiced']);
  else if (q.status) query = query.where('c.fee_status', '=', q.status);
  const [rows, count] = await Promise.all([
    query
      .orderBy('c.submitted_at')
      .orderBy('c.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        sql<string>`coalesce(sum(c.fee_cents) filter (where c.fee_status in ('unpaid', 'invoiced')), 0)`.as(
          'owed',
        ),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: await present(ctx, ctx.db, rows, ctx.now()),
    total: Number(count.n),
    owedCents: Number(count.owed),
  };
}

// ---------------------------------------------------------------- reviewers per program

export async function listReviewers(ctx: Ctx, programId: string) {
  const p = await ctx.db.selectFrom('program').select('id').where('id', '=', programId).executeTakeFirst();
  if (!p) throw new DomainError('not_found', 'There is no program with this id.');
  const rows = await ctx.db
    .selectFrom('program_reviewer as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['p.id', 'p.first_name', 'p.last_name', 'p.preferred_name', 'p.email'])
    .where('r.program_id', '=', programId)
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .execute();
  return { items: rows.map((r) => ({ personId: r.id, name: displayName(r), email: r.email })) };
}

export async function setReviewers(ctx: Ctx, programId: string, personIds: string[]) {
  const ids = [...new Set(personIds)];
  await ctx.db.transaction().execute(async (tx) => {
    const p = await tx
      .selectFrom('program')
      .select('id')
      .where('id', '=', programId)
      .forUpdate()
      .executeTakeFirst();
    if (!p) throw new DomainError('not_found', 'There is no program with this id.');
    if (ids.length) {
      const reviewers = await tx
        .selectFrom('user_account')
        .select('person_id')
        .where('person_id', 'in', ids)
        .where(sql<boolean>`roles && array['reviewer','administrator']::text[]`)
        .execute();
      const ok = new Set(reviewers.map((r) => r.person_id));
      const bad = ids.findIndex((id) => !ok.has(id));
      if (bad >= 0)
        throw fieldError(
          `personIds.${bad}`,
          'This person does not hold the reviewer role; give them the role first.',
        );
    }
    const before = await tx
      .selectFrom('program_reviewer')
      .select('person_id')
      .where('program_id', '=', programId)
      .execute();
    await tx.deleteFrom('program_reviewer').where('program_id', '=', programId).execute();
    if (ids.length)
      await tx
        .insertInto('program_reviewer')
        .values(ids.map((person_id) => ({ program_id: programId, person_id })))
        .execute();
    await recordAudit(tx, ctx, {
      action: 'program.reviewers',
      entityType: 'program',
      entityId: programId,
      before: before.map((b) => b.person_id),
      after: ids,
    });
  });
  return listReviewers(ctx, programId);
}

// ---------------------------------------------------------------- staff entries

/** A credit entered by staff (e.g. a legacy paper record), with its required reason. */
export async function addManualCredit(
  ctx: Ctx,
  personId: string,
  body: z.infer<typeof manualCreditBody>,
): Promise<string> {
  await readPersonToRun(ctx, personId);
  const program = await ctx.db
    .selectFrom('program')
    .select('id')
    .where('id', '=', body.programId)
    .executeTakeFirst();
  if (!program) throw fieldError('programId', 'There is no program with this id.');
  const def = await programDefinition(ctx.db, body.programId);
  assertCategory(def, body.category);
  if (body.earnedOn > todayIn(def.timeZone, ctx.now()))
    throw fieldError('earnedOn', 'The date earned cannot be in the future.');
  if (!def.sourceTypes.some((s) => s.id === body.sourceType))
    throw fieldError(
      'sourceType',
      `Choose one of the program's source types: ${def.sourceTypes.map((s) => s.id).join(', ')}.`,
    );
  return ctx.db.transaction().execute(async (tx) => {
    const row = {
      id: await appendCredit(tx, ctx, {
        personId,
        programId: body.programId,
        amount: body.amount,
        category: body.category,
        sponsored: body.sponsored ?? false,
        sourceType: body.sourceType,
        title: body.title,
        earnedOn: body.earnedOn,
      }),
    };
    await tx
      .insertInto('credit_source')
      .values({ credit_record_id: row.id, claim_id: null, manual_reason: body.reason })
      .execute();
    await onCertificationFactsChanged(tx, ctx, personId, body.programId);
    await recordAudit(tx, ctx, {
      action: 'credit.manual',
      entityType: 'credit_record',
      entityId: row.id,
      after: { personId, ...body },
    });
    return row.id;
  });
}
