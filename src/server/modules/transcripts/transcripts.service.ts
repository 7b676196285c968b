/**
 * Transcripts: the whole record across programs (sessions attended, approved
 * outside credit, pending claims, totals per category and per requirement),
 * and official PDF transcripts issued as immutable records with a
 * verification code that the public can check without signing in.
 */
import { createHash, randomInt } from 'node:crypto';
import type { z } from 'zod';
import type { TranscriptDto, transcriptVerificationSchema } from '../../../contract/transcripts.js';
import {
  issuedTranscriptAbilities,
  issuedTranscriptDenial,
  personDenial,
  requireAccess,
  transcriptAbilities,
  type TranscriptFacts,
} from '../../../domain/authz/policies.js';
import { claimTypeLabels, type ClaimType } from '../../../domain/claims/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { jsonb } from '../../db/json.js';
import { renderTranscriptPdf } from '../../documents/transcript-pdf.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { reviewedPrograms } from '../claims/claims.service.js';
import { progressFor } from '../certification/progress.js';
import { enrolledProgramIds } from '../people/people.service.js';
import { liveApprovedRows } from '../certification/records.js';
import { issuerOf } from '../issuers/issuers.service.js';
import { definitionFor } from '../programs/programs.service.js';

/**
 * A person's transcript for a staff reader. Administrators and coordinators see
 * all of it; a reviewer sees only the programs they review, and nothing (not
 * found) for someone with no record in those programs.
 */
export async function transcriptForStaff(ctx: Ctx, personId: string): Promise<TranscriptDto> {
  const actor = me(ctx);
  const may = transcriptAbilities(actor, await transcriptPolicyFacts(ctx.db, personId));
  const whole = await transcriptFor(ctx, personId);
  if (may.readWhole) return whole;
  // A county supervisor is refused (403) an official of another county unless another role reaches it.
  requireAccess(may, 'readReviewedPrograms', personDenial(actor));
  const mine = new Set((await reviewedPrograms(ctx)) ?? []);
  const programs = whole.programs.filter((p) => mine.has(p.program.id));
  if (programs.length === 0) throw new DomainError('not_found', 'There is no person with this id.');
  return { ...whole, programs };
}

/** Whose transcript it is, for the transcript policy: the person's county and programs. */
export async function transcriptPolicyFacts(db: Db, personId: string): Promise<TranscriptFacts> {
  const p = await db
    .selectFrom('person as p')
    .select(['p.jurisdiction_fips', enrolledProgramIds()])
    .where('p.id', '=', personId)
    .executeTakeFirst();
  return { personId, jurisdictionFips: p?.jurisdiction_fips ?? null, programIds: p?.program_ids ?? [] };
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function transcriptFor(ctx: Ctx, personId: string): Promise<TranscriptDto> {
  const person = await ctx.db
    .selectFrom('person')
    .select(['id', 'first_name', 'last_name', 'preferred_name'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!person) throw new DomainError('not_found', 'There is no person with this id.');
  const progress = await progressFor(ctx, personId);
  const [ledger, claims] = await Promise.all([
    ctx.db
      .selectFrom('credit_record as c')
      .leftJoin('credit_source as s', 's.credit_record_id', 'c.id')
      .leftJoin('claim as cl', 'cl.id', 's.claim_id')
      .select([
        'c.id',
        'c.program_id',
        'c.amount',
        'c.category',
        'c.title',
        'c.course_code',
        'c.session_id',
        'c.earned_on',
        'c.status',
        'c.reverses_id',
        'c.source_type',
        's.claim_id',
        's.manual_reason',
        'cl.claim_type',
        'cl.provider',
      ])
      .where('c.person_id', '=', personId)
      .orderBy('c.earned_on')
      .orderBy('c.id')
      .execute(),
    ctx.db
      .selectFrom('claim')
      .select(['program_id', 'title', 'category', 'hours', 'end_date', 'status'])
      .where('person_id', '=', personId)
      // Waiting for review only: a claim that needs information is back with the official.
      .where('status', '=', 'submitted')
      .orderBy('end_date')
      .orderBy('id')
      .execute(),
  ]);
  const live = liveApprovedRows(ledger);

  const programs: TranscriptDto['programs'] = [];
  for (const p of progress.programs) {
    const def = await definitionFor(ctx.db, p.program.id);
    const catName = (id: string) => def?.categories.find((c) => c.id === id)?.name ?? id;
    const mine = live.filter((r) => r.program_id === p.program.id);
    const byCategory = new Map<string, number>();
    for (const r of mine)
      byCategory.set(r.category, round((byCategory.get(r.category) ?? 0) + Number(r.amount)));
    const pending = claims.filter((c) => c.program_id === p.program.id);
    const top = p.nodes.filter((n) => n.depth === 1);
    programs.push({
      program: {
        id: p.program.id,
        code: p.program.code,
        name: p.program.name,
        issuingBody: (await issuerOf(ctx, p.program.id)).name,
      },
      status: p.status,
      headline: p.headline,
      unit: def?.unit.plural ?? 'credits',
      totals: [...byCategory]
        .map(([category, amount]) => ({ category, name: catName(category), amount }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      totalApproved: round(mine.reduce((a, r) => a + Number(r.amount), 0)),
      totalPending: round(pending.reduce((a, c) => a + Number(c.hours), 0)),
      requirements: (top.length ? top : p.nodes.slice(0, 1)).map((n) => ({
        id: n.id,
        title: n.title,
        have: n.have,
        need: n.need,
        met: n.met,
      })),
      sessions: mine
        .filter((r) => r.session_id)
        .map((r) => ({
          date: r.earned_on,
          title: [r.course_code, r.title].filter(Boolean).join(': ') || 'Session',
          category: catName(r.category),
          amount: Number(r.amount),
        })),
      outside: mine
        .filter((r) => !r.session_id)
        .map((r) => ({
          date: r.earned_on,
          title: r.title ?? r.course_code ?? 'Credit',
          category: catName(r.category),
          amount: Number(r.amount),
          source: r.claim_id
            ? `${claimTypeLabels[r.claim_type as ClaimType] ?? r.source_type}${r.provider ? `, ${r.provider}` : ''}`
            : r.manual_reason
              ? 'Entered by staff'
              : (def?.sourceTypes.find((s) => s.id === r.source_type)?.name ?? r.source_type),
        })),
      pending: pending.map((c) => ({
        date: c.end_date,
        title: c.title,
        category: catName(c.category),
        hours: Number(c.hours),
        status: 'waiting for review',
      })),
    });
  }
  return { person: { id: person.id, name: displayName(person) }, asOf: progress.asOf, programs };
}

const me = (ctx: Ctx) => {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return ctx.actor;
};

// No 0/O, 1/I/L: codes are read aloud and typed from paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function newVerificationCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

const issuedDto = (ctx: Ctx, r: { id: string; code: string; issued_at: string; sha256: string }) => ({
  id: r.id,
  code: r.code,
  issuedAt: r.issued_at,
  verifyUrl: `${ctx.config.publicUrl}/verify/transcript/${r.code}`,
  pdfUrl: `/api/transcripts/${r.id}/pdf`,
  sha256: r.sha256,
});

/** Issues an official transcript: a new immutable record with its PDF. */
export async function issueTranscript(ctx: Ctx, personId: string) {
  const onScreen = await transcriptFor(ctx, personId);
  // The official transcript lists approved credit only: no claim that is not decided.
  const transcript: TranscriptDto = {
    ...onScreen,
    programs: onScreen.programs.map((p) => ({ ...p, pending: [], totalPending: 0 })),
  };
  const issuedAt = ctx.now();
  const code = newVerificationCode();
  const issuedBy = ctx.config.organization.name;
  const verifyUrl = `${ctx.config.publicUrl}/verify/transcript/${code}`;
  const pdf = await renderTranscriptPdf({ transcript, issuedBy, issuedAt, code, verifyUrl });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const row = await ctx.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('issued_transcript')
      .values({
        person_id: personId,
        code,
        issued_at: issuedAt.toISOString(),
        issued_by: ctx.actor?.userId ?? null,
        snapshot: jsonb({ ...transcript, issuedBy }),
        pdf,
        sha256,
      })
      .returning(['id', 'code', 'issued_at', 'sha256'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, ctx, {
      action: 'transcript.issue',
      entityType: 'issued_transcript',
      entityId: r.id,
      after: { personId, code, sha256 },
    });
    return r;
  });
  return issuedDto(ctx, row);
}

export async function listIssued(ctx: Ctx, personId: string) {
  const rows = await ctx.db
    .selectFrom('issued_transcript')
    .select(['id', 'code', 'issued_at', 'sha256'])
    .where('person_id', '=', personId)
    .orderBy('issued_at', 'desc')
    .execute();
  return { items: rows.map((r) => issuedDto(ctx, r)) };
}

/** The stored PDF: for the person it was issued to, and for administrators and coordinators. */
export async function issuedPdf(ctx: Ctx, id: string) {
  const actor = me(ctx);
  const r = await ctx.db
    .selectFrom('issued_transcript')
    .select(['person_id', 'code', 'pdf'])
    .where('id', '=', id)
    .executeTakeFirst();
  // An issued transcript covers every program, so a reviewer (who sees only their programs) does not get it.
  if (!r) throw new DomainError(issuedTranscriptDenial.code, issuedTranscriptDenial.message);
  requireAccess(
    issuedTranscriptAbilities(actor, await transcriptPolicyFacts(ctx.db, r.person_id)),
    'download',
    issuedTranscriptDenial,
  );
  return { code: r.code, pdf: r.pdf };
}

type Verification = z.infer<typeof transcriptVerificationSchema>;

/** Public: confirms a transcript by its code, with only what the transcript itself states. */
export async function verifyTranscript(ctx: Ctx, code: string): Promise<Verification> {
  const r = await ctx.db
    .selectFrom('issued_transcript')
    .select(['code', 'issued_at', 'snapshot', 'sha256'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!r)
    throw new DomainError(
      'not_found',
      'No transcript has this verification code. Check the code on the transcript and try again.',
    );
  const t = r.snapshot as TranscriptDto & { issuedBy: string };
  return {
    authentic: true,
    code: r.code,
    issuedAt: r.issued_at,
    issuedBy: t.issuedBy,
    name: t.person.name,
    asOf: t.asOf,
    sha256: r.sha256,
    programs: t.programs.map((p) => ({
      name: p.program.name,
      issuingBody: p.program.issuingBody,
      status: p.status,
      unit: p.unit,
      totalApproved: p.totalApproved,
      totals: p.totals,
    })),
  };
}
