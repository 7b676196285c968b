/**
 * Everything CivicCert holds about one person, as JSON (issue 7): profile,
 * enrollments, credit ledger, outside-credit claims with their messages and
 * document metadata (not the files), registrations, awards with revocations
 * and renewal cycles, and the transcripts issued (not the PDFs). Secrets
 * (password hashes, second-factor secrets, session tokens) are never included.
 * Each export is audited.
 */
import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { idParams, problemSchema } from '../../contract/common.js';
import { DomainError } from '../../domain/errors.js';
import type { Ctx } from '../context.js';
import { defineRoute } from '../http/route.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { localToday } from '../modules/certification/queries.js';
import { getPerson } from '../modules/people/people.service.js';
import { attachment } from './tabular.js';

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function tidy<T extends Record<string, unknown>>(rows: T[], drop: string[] = []): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r)
        .filter(([k]) => !drop.includes(k))
        .map(([k, v]) => [camel(k), v instanceof Date ? v.toISOString() : v]),
    ),
  );
}

export const OFFICIAL_EXPORT_FORMAT = 'civiccert.person-export.v1';

export async function officialExport(ctx: Ctx, personId: string): Promise<Record<string, unknown>> {
  const exists = await ctx.db.selectFrom('person').select('id').where('id', '=', personId).executeTakeFirst();
  if (!exists) throw new DomainError('not_found', 'There is no person with this id.');
  const db = ctx.db;
  const claimIds = db.selectFrom('claim').select('id').where('person_id', '=', personId);
  const awardIds = db.selectFrom('award').select('id').where('person_id', '=', personId);
  const [
    profile,
    account,
    enrollments,
    ledger,
    claims,
    claimDocuments,
    claimMessages,
    registrations,
    awards,
    revocations,
    cycles,
    statuses,
    transcripts,
    outcomes,
  ] = await Promise.all([
    getPerson(ctx, personId),
    db
      .selectFrom('user_account')
      .select(['roles', 'created_at', 'last_sign_in_at', 'password_changed_at'])
      .where('person_id', '=', personId)
      .executeTakeFirst(),
    db
      .selectFrom('enrollment as e')
      .innerJoin('program as p', 'p.id', 'e.program_id')
      .selectAll('e')
      .select(['p.code as program_code', 'p.name as program_name'])
      .where('e.person_id', '=', personId)
      .orderBy('e.created_at')
      .execute(),
    db
      .selectFrom('credit_record as c')
      .innerJoin('program as p', 'p.id', 'c.program_id')
      .selectAll('c')
      .select('p.code as program_code')
      .where('c.person_id', '=', personId)
      .orderBy('c.earned_on')
      .orderBy('c.recorded_at')
      .execute(),
    db.selectFrom('claim').selectAll().where('person_id', '=', personId).orderBy('created_at').execute(),
    db
      .selectFrom('claim_document')
      .select(['id', 'claim_id', 'kind', 'filename', 'content_type', 'size_bytes', 'sha256', 'uploaded_at'])
      .where('claim_id', 'in', claimIds)
      .orderBy('uploaded_at')
      .execute(),
    db
      .selectFrom('claim_message')
      .select(['id', 'claim_id', 'at', 'author_label', 'kind', 'body'])
      .where('claim_id', 'in', claimIds)
      .orderBy('at')
      .execute(),
    db
      .selectFrom('registration as r')
      .innerJoin('session as s', 's.id', 'r.session_id')
      .innerJoin('course as c', 'c.id', 's.course_id')
      .select([
        'r.id',
        'r.status',
        'r.joined_at',
        'r.confirmed_at',
        'r.cancelled_at',
        'r.cancel_reason',
        'r.checked_in_at',
        'r.minutes_attended',
        'r.attendance_recorded_at',
        's.id as session_id',
        's.starts_at',
        's.ends_at',
        's.venue',
        'c.code as course_code',
        'c.title as course_title',
      ])
      .where('r.person_id', '=', personId)
      .orderBy('s.starts_at')
      .execute(),
    db
      .selectFrom('award as a')
      .innerJoin('program as p', 'p.id', 'a.program_id')
      .selectAll('a')
      .select('p.code as program_code')
      .where('a.person_id', '=', personId)
      .orderBy('a.awarded_on')
      .execute(),
    db
      .selectFrom('award_revocation')
      .select(['award_id', 'revoked_on', 'reason', 'created_at'])
      .where('award_id', 'in', awardIds)
      .execute(),
    db
      .selectFrom('renewal_cycle')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('starts_on')
      .execute(),
    db.selectFrom('certification_status').selectAll().where('person_id', '=', personId).execute(),
    db
      .selectFrom('issued_transcript')
      .select(['id', 'code', 'issued_at', 'sha256', 'snapshot'])
      .where('person_id', '=', personId)
      .orderBy('issued_at')
      .execute(),
    // Closed cycles' stored outcomes (0011), each with its reopening if staff reopened it.
    db
      .selectFrom('renewal_cycle_outcome as o')
      .innerJoin('renewal_cycle as c', 'c.id', 'o.cycle_id')
      .leftJoin('renewal_cycle_reopening as r', 'r.outcome_id', 'o.id')
      .select([
        'o.cycle_id',
        'o.state',
        'o.completed_on',
        'o.record_ids',
        'o.closed_at',
        'r.reason as reopen_reason',
        'r.reopened_at',
      ])
      .where('c.person_id', '=', personId)
      .orderBy('o.created_at')
      .execute(),
  ]);
  const data = {
    format: OFFICIAL_EXPORT_FORMAT,
    exportedAt: ctx.now().toISOString(),
    profile,
    account: account ? tidy([account])[0] : null,
    enrollments: tidy(enrollments),
    ledger: tidy(ledger),
    claims: tidy(claims).map((c) => ({
      ...c,
      documents: tidy(
        claimDocuments.filter((d) => d.claim_id === c.id),
        ['claim_id'],
      ),
      messages: tidy(
        claimMessages.filter((m) => m.claim_id === c.id),
        ['claim_id'],
      ),
    })),
    registrations: tidy(registrations),
    awards: tidy(awards).map((a) => ({
      ...a,
      revocation:
        tidy(
          revocations.filter((r) => r.award_id === a.id),
          ['award_id'],
        )[0] ?? null,
      renewalCycles: tidy(cycles.filter((c) => c.award_id === a.id)).map((c) => ({
        ...c,
        outcomes: tidy(
          outcomes.filter((o) => o.cycle_id === c.id),
          ['cycle_id'],
        ),
      })),
    })),
    certificationStatus: tidy(statuses),
    transcripts: tidy(transcripts),
  };
  await recordAudit(ctx.db, ctx, {
    action: 'person.export',
    entityType: 'person',
    entityId: personId,
    after: {
      format: OFFICIAL_EXPORT_FORMAT,
      counts: {
        enrollments: enrollments.length,
        ledger: ledger.length,
        claims: claims.length,
        registrations: registrations.length,
        awards: awards.length,
        transcripts: transcripts.length,
      },
    },
  });
  return data;
}

async function send(reply: FastifyReply, ctx: Ctx, personId: string) {
  const data = await officialExport(ctx, personId);
  const p = data.profile as { lastName: string; firstName: string };
  const day = await localToday(ctx.db, ctx.now());
  return reply
    .type('application/json; charset=utf-8')
    .header('content-disposition', attachment(`civiccert-${p.lastName}-${p.firstName}-${day}.json`))
    .header('cache-control', 'no-store')
    .send(JSON.stringify(data, null, 2));
}

/** The JSON file (sent as an attachment): one object whose sections are described above. */
const dataExport = z.record(z.string(), z.unknown());

export function officialExportRoutes(app: FastifyInstance): void {
  const description =
    'Everything held about the person as one JSON file (profile, enrollments, ledger, claims with document metadata, registrations, awards, transcripts issued). Audited.';
  defineRoute(app, {
    method: 'GET',
    url: '/api/profile/export',
    action: 'profile.export',
    schema: {
      operationId: 'exportMyData',
      tags: ['People'],
      summary: 'Download all my data as JSON',
      description,
      response: { 200: dataExport, 401: problemSchema },
    },
    handler: async (req, reply) => {
      if (!req.ctx.actor) throw new DomainError('unauthenticated', 'Sign in to export your data.');
      return send(reply, req.ctx, req.ctx.actor.personId);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/export',
    action: 'people.export',
    schema: {
      operationId: 'exportPersonData',
      tags: ['People'],
      summary: 'Download all of one person’s data as JSON',
      description,
      params: idParams,
      response: { 200: dataExport, 400: problemSchema, 403: problemSchema, 404: problemSchema },
    },
    handler: async (req, reply) => send(reply, req.ctx, req.params.id),
  });
}
