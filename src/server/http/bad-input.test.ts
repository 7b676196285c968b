/**
 * Bad input, sent to every registered route by a signed-in administrator (so
 * authorization never hides a validation bug). The route list comes from the
 * app itself and the field lists from the OpenAPI document generated from the
 * zod contracts, so a new route or field is covered without editing this file;
 * a new route with a body needs one valid example body in `validBodies`.
 *
 * Every answer must be a 4xx application/problem+json naming the wrong field
 * (or a 2xx where the input is in fact acceptable, e.g. a quote-laden name),
 * never a 5xx, and a rejected request must leave person, user_account,
 * audit_log and email_message exactly as they were (a refused sign-in writes
 * its one audit row).
 */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { isTokenOnly } from '../../domain/authz/index.js';
import { hashToken, newToken } from '../modules/auth/tokens.js';
import { newTotpSecret, totpAt } from '../modules/auth/totp.js';
import { sealTotpSecret } from '../modules/auth/second-factor.service.js';
import { DESIGN_BODY_LIMIT } from '../modules/designs/designs.routes.js';
import { CREDENTIAL_CHECK_BODY_LIMIT } from '../modules/credentials/credentials.routes.js';
import { buildClaim, buildClaimDocument } from '../testing/claims.js';
import { buildPerson, createTestApp, signInAs, type Client } from '../testing/harness.js';
import {
  buildCourse,
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
} from '../testing/scheduling.js';

// Many deliberately failed sign-ins come from one address; keep the lock-out out of the way.
// One OpenID provider (never reached: linking by hand needs only its name; issue 17).
const t = await createTestApp({
  env: {
    SIGN_IN_MAX_FAILURES: '100000',
    OIDC_PROVIDERS: JSON.stringify([
      {
        id: 'agency-idp',
        name: 'Agency IdP',
        issuer: 'https://idp.example.gov',
        clientId: 'cc',
        clientAuth: 'client_secret_basic',
        clientSecret: 's',
      },
    ]),
  },
});
afterAll(() => t.close());

const adminPerson = await buildPerson(t.db, {
  roles: ['administrator'],
  firstName: 'Bad',
  lastName: 'Input',
});
let admin: Client = await signInAs(t, adminPerson);
const target = await buildPerson(t.db, { firstName: 'Target', lastName: 'Person' });

// Programs, catalog and sessions: a real resource of the right kind for each :id route.
const ksProgram = await programId(t.db);
const ksDefinition = (
  await t.db
    .selectFrom('program_version')
    .select('definition')
    .where('program_id', '=', ksProgram)
    .executeTakeFirstOrThrow()
).definition as Record<string, unknown>;
const course = await buildCourse(t.db);
// Issue 5: claims in each state a route needs (the administrator owns a draft; others are someone else's).
const igoProgram = await programId(t.db, 'igo-cpo');
await buildEnrollment(t.db, adminPerson.personId, 'igo-cpo');
const draftClaim = await buildClaim(t.db, adminPerson.personId, { status: 'draft' });
const feeClaim = await buildClaim(t.db, target.personId, { feeCents: 1000 });
let decisionClaim = await buildClaim(t.db, target.personId);
const claimDocument = await buildClaimDocument(t.db, feeClaim);
// Issue 15: a draft with every required document to submit, and one to delete.
const completeDraft = await buildClaim(t.db, adminPerson.personId, { status: 'draft' });
await buildClaimDocument(t.db, completeDraft, 'certificate');
await buildClaimDocument(t.db, completeDraft, 'description');
const draftToDelete = await buildClaim(t.db, adminPerson.personId, { status: 'draft' });
const claimIdFor = (url: string, method?: string): string | undefined =>
  url === '/api/claims/:id/decision'
    ? decisionClaim
    : url === '/api/claims/:id/fee'
      ? feeClaim
      : url === '/api/claims/:id/submit'
        ? completeDraft
        : url === '/api/claims/:id' && method === 'DELETE'
          ? draftToDelete
          : url.startsWith('/api/claims/:id')
            ? draftClaim
            : url.startsWith('/api/claim-documents/:id')
              ? claimDocument
              : undefined;
const futureSession = await buildSession(t.db, { courseId: course.id });
const cancelSession = await buildSession(t.db, { courseId: course.id });
const pastSession = await buildSession(t.db, {
  courseId: course.id,
  startsAt: new Date(Date.now() - 2 * 86_400_000),
});
const pastRegistration = await buildRegistration(t.db, pastSession.id, target.personId);
const nowSession = await buildSession(t.db, {
  courseId: course.id,
  startsAt: new Date(Date.now() - 30 * 60_000),
});
await buildRegistration(t.db, nowSession.id, adminPerson.personId);
const cancellableRegistration = await buildRegistration(t.db, futureSession.id, target.personId);
const enrollment = await buildEnrollment(t.db, target.personId);
const credit = await buildCredit(t.db, target.personId);
// Issue 6: an official who meets the KS requirements, and two awards to re-issue and revoke.
const eligible = await buildPerson(t.db);
await buildEnrollment(t.db, eligible.personId);
for (const [y, cat] of [
  [1, 'year-one'],
  [2, 'year-two'],
  [3, 'year-three'],
] as const)
  for (const i of [1, 2, 3])
    await buildCredit(t.db, eligible.personId, {
      category: cat,
      courseCode: `KS-Y${y}-0${i}`,
      earnedOn: `202${3 + y}-04-01`,
    });
const insertAward = async (personId: string, n: string, eventId: string | null = null) =>
  (
    await t.db
      .insertInto('award')
      .values({
        program_id: ksProgram,
        person_id: personId,
        awarded_on: '2025-12-01',
        number: n,
        certificate_number: n,
        revoked_on: null,
        revoked_reason: null,
        program_version: null,
        designation: null,
        event_id: eventId,
        name_on_certificate: null,
        issued_on: null,
        expires_on: null,
        supersedes_id: null,
        reason: null,
        issued_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const reissueAward = await insertAward((await buildPerson(t.db)).personId, 'BI-REISSUE-1');
const revokeAward = await insertAward((await buildPerson(t.db)).personId, 'BI-REVOKE-1');
/** A wallet code (ADR 0034) of an award: given once, then 410. */
const offerToken = newToken();
const offerHolder = (await buildPerson(t.db)).personId;
await t.db
  .insertInto('credential_offer')
  .values({
    token_hash: hashToken(offerToken),
    kind: 'award',
    person_id: offerHolder,
    award_id: await insertAward(offerHolder, 'BI-OFFER-1'),
    program_id: null,
    created_by: null,
    created_at: new Date().toISOString(),
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    used_at: null,
  })
  .execute();
// Issue 15 item 1: an award made at an event, whose plaque is ordered.
const plaqueAward = await insertAward(
  (await buildPerson(t.db)).personId,
  'BI-PLAQUE-1',
  futureSession.eventId,
);
// Issue 13: a closed renewal cycle to reopen; each valid example gets a fresh one (a reopened
// cycle can't be reopened again until it closes).
let cycleCount = 0;
async function buildClosedCycle(): Promise<string> {
  const personId = (await buildPerson(t.db)).personId;
  const award = await insertAward(personId, `BI-CYCLE-${++cycleCount}`);
  const cycle = await t.db
    .insertInto('renewal_cycle')
    .values({
      award_id: award,
      person_id: personId,
      program_id: ksProgram,
      cycle_index: 1,
      starts_on: '2025-12-01',
      due_on: '2026-11-30',
      grace_ends_on: '2026-11-30',
      reinstate_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('renewal_cycle_outcome')
    .values({
      cycle_id: cycle.id,
      state: 'expired',
      completed_on: null,
      record_ids: [],
      closed_at: new Date().toISOString(),
    })
    .execute();
  return cycle.id;
}
let closedCycle = await buildClosedCycle();
// Issue 13: a person fact to withdraw; each valid example gets a fresh one (withdrawn once only).
async function buildFact(): Promise<string> {
  const row = await t.db
    .insertInto('person_fact')
    .values({
      person_id: target.personId,
      program_id: ksProgram,
      kind: 'waiver',
      key: 'year-one',
      date: '2025-01-06',
      reason: 'Completed the equivalent course in Missouri',
      recorded_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
let personFact = await buildFact();
// Issue 17: a waiting account request to decline; each valid example gets a fresh one.
async function buildAccountRequest(): Promise<string> {
  const row = await t.db
    .insertInto('account_request')
    .values({
      first_name: 'Asked',
      last_name: 'Foraccount',
      email: `asked-${randomUUID().slice(0, 8)}@example.gov`,
      jurisdiction_fips: '20177',
      position: 'Deputy County Clerk',
      note: null,
      decided_at: null,
      decided_by: null,
      decline_reason: null,
      person_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
let accountRequest = await buildAccountRequest();
/** A waiting enrollment request of a new official (declined by the decline route's valid body). */
async function buildEnrollmentRequest(): Promise<string> {
  const person = await buildPerson(t.db);
  const row = await t.db
    .insertInto('enrollment')
    .values({
      program_id: ksProgram,
      person_id: person.personId,
      status: 'requested',
      enrolled_on: null,
      pinned_version: null,
      fee_amount_cents: 0,
      fee_status: 'waived',
      fee_method: null,
      receipt_number: null,
      requested_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
let enrollmentRequest = await buildEnrollmentRequest();
// Issue 17: a provider's roster takes an API token, not the administrator's session.
const rosterToken = (
  (await (
    await t.app.inject({
      method: 'POST',
      url: '/api/api-tokens',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: { name: 'Bad input roster', scopes: ['credits:write'], expiresInDays: 1 },
    })
  ).json()) as { secret: string }
).secret;
/** An outbox e-mail with one attachment (the outbox's message, HTML, attachment and .eml routes). */
const outboxMail = (
  await t.db
    .insertInto('email_message')
    .values({
      to_address: 'outbox@example.gov',
      subject: 'Stored',
      text_body: 'Hello',
      html_body: null,
      list_unsubscribe: null,
      attachments: JSON.stringify([
        { filename: 'invite.ics', contentType: 'text/calendar; charset=utf-8', content: 'BEGIN:VCALENDAR' },
      ]),
      kind: 'test',
      status: 'stored',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
).id;
// Issue 17, item 6: a webhook endpoint to change, and one to delete.
const buildWebhook = async (): Promise<string> =>
  (
    await t.db
      .insertInto('webhook_endpoint')
      .values({
        url: 'https://example.gov/hooks',
        events: ['award.issued'],
        secret: 'unused',
        created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const webhookEndpoint = await buildWebhook();
const doomedWebhook = await buildWebhook();
/** The existing resource for a route's :id (people otherwise). */
function existingIdFor(url: string, method?: string): string | undefined {
  if (claimIdFor(url, method)) return claimIdFor(url, method);
  if (url.startsWith('/api/programs/:id')) return ksProgram;
  if (url === '/api/enrollments/:id/decline') return enrollmentRequest;
  if (url.startsWith('/api/enrollments/:id')) return enrollment;
  if (url.startsWith('/api/courses/:id')) return course.id;
  if (url.startsWith('/api/events/:id')) return futureSession.eventId;
  if (url === '/api/sessions/:id/cancel') return cancelSession.id;
  if (url === '/api/sessions/:id/check-in') return nowSession.id;
  if (/^\/api\/sessions\/:id\/(attendance|roster|sign-in-sheet)/.test(url)) return pastSession.id;
  if (url.startsWith('/api/sessions/:id')) return futureSession.id;
  if (url.startsWith('/api/registrations/:id')) return cancellableRegistration;
  if (url.startsWith('/api/credits/:id')) return credit;
  if (url === '/api/awards/:id/revoke') return revokeAward;
  if (url === '/api/awards/:id/plaque') return plaqueAward;
  if (url.startsWith('/api/awards/:id')) return reissueAward;
  if (url.startsWith('/api/renewal-cycles/:id')) return closedCycle;
  if (url.startsWith('/api/person-facts/:id')) return personFact;
  if (url.startsWith('/api/outbox/:id')) return outboxMail;
  if (url.startsWith('/api/account-requests/:id')) return accountRequest;
  if (url.startsWith('/api/webhooks/endpoints/:id'))
    return method === 'DELETE' ? doomedWebhook : webhookEndpoint;
  return undefined;
}

// ---------------------------------------------------------------------------
// What the app says about itself

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
}
interface Operation {
  parameters?: { in: 'query' | 'path' | 'header'; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
const doc = t.app.swagger() as { paths: Record<string, Record<string, Operation>> };
const operation = (method: string, url: string): Operation =>
  doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()] ?? {};

const routes = t.app.registeredRoutes.map((r) => {
  const op = operation(r.method, r.url);
  return {
    ...r,
    key: `${r.method} ${r.url}`,
    body: op.requestBody?.content['application/json']?.schema ?? null,
    query: (op.parameters ?? []).filter((p) => p.in === 'query'),
    path: (op.parameters ?? []).filter((p) => p.in === 'path'),
  };
});
type Route = (typeof routes)[number];

const types = (s: JsonSchema): string[] => {
  if (s.anyOf ?? s.oneOf) return (s.anyOf ?? s.oneOf ?? []).flatMap(types);
  if (Array.isArray(s.type)) return s.type;
  return s.type ? [s.type] : [];
};
/** A JSON value of a type the schema does not accept. */
function wrongType(s: JsonSchema): unknown {
  const accepted = new Set(types(s));
  if (accepted.has('integer')) accepted.add('number');
  const candidates: [string, unknown][] = [
    ['number', 12345],
    ['string', 'text'],
    ['boolean', true],
    ['object', { nested: 'object' }],
    ['array', ['list']],
  ];
  return candidates.find(([type]) => !accepted.has(type))![1];
}
const acceptsString = (s: JsonSchema) => types(s).includes('string');
const isStringArray = (s: JsonSchema) => types(s).includes('array') && !!s.items && acceptsString(s.items);

// ---------------------------------------------------------------------------
// Valid inputs, varied one field at a time

let seq = 0;

async function adminTotp(column: 'totp_pending_secret' | 'totp_secret'): Promise<string> {
  const secret = newTotpSecret();
  await t.db
    .updateTable('user_account')
    .set({
      [column]: sealTotpSecret(t.config.secretsKey!, adminPerson.userId, secret),
      totp_last_counter: null,
    })
    .where('id', '=', adminPerson.userId)
    .execute();
  return totpAt(secret, t.clock.now);
}
const clearAdminTotp = () =>
  t.db
    .updateTable('user_account')
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_counter: null })
    .where('id', '=', adminPerson.userId)
    .execute();

/** A valid body for each route that takes one; a new route with a body must be added here. */
/** Routes whose body limit is above the app's 256 kB (their bodies carry images or credential files). */
const largerBodyLimits: Record<string, number> = {
  'POST /api/verify/credential': CREDENTIAL_CHECK_BODY_LIMIT,
  'PUT /api/programs/:id/certificate-design': DESIGN_BODY_LIMIT,
  'POST /api/programs/:id/certificate-design/preview': DESIGN_BODY_LIMIT,
};

/** A certificate design (issue 18 item 6) with a small PNG seal (a 1 × 1 pixel image). */
const certificateDesign = {
  heading: 'Certified County Election Official',
  introLine: 'This certifies that',
  metLine: 'has met every requirement of the',
  designationLine: 'and is hereby designated a',
  primaryColor: '#162e51',
  accentColor: '#8a6d1c',
  border: 'double',
  logo: null,
  seal: {
    png: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  },
  signers: [{ name: 'Jordan Ellis', title: 'Director of Elections', signature: null }],
};

const validBodies: Record<string, () => Promise<Record<string, unknown>> | Record<string, unknown>> = {
  'POST /api/session': () => ({ email: 'nobody@example.gov', password: 'not the password' }),
  'POST /api/password/request': () => ({ email: 'nobody@example.gov' }),
  'POST /api/account-requests': () => ({
    firstName: 'Ada',
    lastName: 'Asker',
    email: `asker-${randomUUID()}@example.gov`,
    jurisdictionFips: '20177',
    position: 'Deputy County Clerk',
    note: null,
  }),
  'POST /api/password/set': async () => {
    // A real, unused link for a throwaway account, so only the varied field can be wrong.
    const p = await buildPerson(t.db, { password: null });
    const account = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', p.personId)
      .executeTakeFirstOrThrow();
    const token = newToken();
    await t.db
      .insertInto('password_token')
      .values({
        token_hash: hashToken(token),
        user_id: account.id,
        purpose: 'set',
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        used_at: null,
      })
      .execute();
    return { token, password: 'a long enough passphrase' };
  },
  'POST /api/email/confirm': async () => {
    // A real, unconfirmed e-mail change for a throwaway person, so only the varied field can be wrong.
    const p = await buildPerson(t.db);
    const token = newToken();
    await t.db
      .insertInto('email_change')
      .values({
        token_hash: hashToken(token),
        person_id: p.personId,
        new_email: `moved.${randomUUID().slice(0, 8)}@example.gov`,
        requested_by: null,
        created_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      })
      .execute();
    return { token };
  },
  'POST /api/people': () => ({
    firstName: 'Valid',
    lastName: 'Person',
    email: `valid.${++seq}.${randomUUID().slice(0, 8)}@example.gov`,
    jurisdictionFips: '20177',
    sendInvite: false,
  }),
  'PATCH /api/people/:id': () => ({ title: 'County Clerk' }),
  'PUT /api/people/:id/roles': () => ({ roles: ['official'] }),
  'PATCH /api/profile': () => ({ phone: '(785) 555-0100' }),
  'PUT /api/profile/notifications': () => ({ 'session-reminders': false }),
  'POST /api/me/calendar-feed/replace': () => ({ confirm: true }),
  // Two-step sign-in for the calling administrator: a secret being set up, or one that is on.
  'POST /api/profile/second-factor/confirm': async () => ({ code: await adminTotp('totp_pending_secret') }),
  'POST /api/profile/second-factor/disable': async () => ({ code: await adminTotp('totp_secret') }),
  'POST /api/programs': () => ({
    definition: { ...ksDefinition, id: `bad-input-${++seq}-${randomUUID().slice(0, 8)}` },
  }),
  'PATCH /api/programs/:id': () => ({ feeAmountCents: 2500 }),
  'PUT /api/programs/:id/draft': () => ({ definition: { ...ksDefinition, version: `draft-${++seq}` } }),
  // Checking a draft's impact needs a draft: one is saved first.
  'POST /api/programs/:id/draft/impact': async () => {
    const saved = await admin.request('PUT', `/api/programs/${ksProgram}/draft`, {
      definition: { ...ksDefinition, version: `draft-${++seq}` },
    });
    expect(saved.status, saved.body).toBe(200);
    return { asOf: '2026-06-01' };
  },
  'POST /api/reports/prepare': () => ({ programId: ksProgram, asOf: '2026-06-30' }),
  'POST /api/programs/:id/enrollments': async () => ({
    personId: (await buildPerson(t.db)).personId,
    feeStatus: 'paid',
    feeMethod: 'check',
    receiptNumber: 'R-1001',
  }),
  'PATCH /api/enrollments/:id': () => ({ feeStatus: 'paid' }),
  'POST /api/courses': () => ({
    programId: ksProgram,
    code: `BI-${++seq}-${randomUUID().slice(0, 6)}`,
    title: 'Valid course',
    credits: [{ category: 'year-one', amount: 3 }],
    format: 'in_person',
    durationMinutes: 180,
  }),
  'PATCH /api/courses/:id': () => ({ title: 'Renamed course' }),
  'POST /api/events': () => ({ title: 'Year One, Spring 2027, Topeka' }),
  'PATCH /api/events/:id': () => ({ title: 'Year One, Spring 2027, Topeka' }),
  'POST /api/sessions': () => ({
    eventId: futureSession.eventId,
    courseId: course.id,
    startsAt: '2030-04-12T09:00:00-05:00',
    endsAt: '2030-04-12T12:00:00-05:00',
    timeZone: 'America/Chicago',
    venue: 'Memorial Building',
    capacity: 30,
  }),
  'PATCH /api/sessions/:id': () => ({ venue: 'Memorial Building, Room 2' }),
  'POST /api/sessions/:id/cancel': () => ({ reason: 'Instructor unavailable' }),
  'POST /api/sessions/:id/registrations': async () => ({ personId: (await buildPerson(t.db)).personId }),
  'POST /api/registrations/:id/cancel': () => ({ reason: 'Conflict with a board meeting' }),
  'POST /api/me/plan/registrations': async () => ({
    sessionIds: [(await buildSession(t.db, { courseId: course.id })).id],
  }),
  'POST /api/sessions/:id/attendance/all-present': () => ({ onlyCheckedIn: false }),
  'PUT /api/sessions/:id/attendance': () => ({
    entries: [{ registrationId: pastRegistration, minutesAttended: 170 }],
  }),
  'POST /api/sessions/:id/check-in': () => ({ code: nowSession.checkinCode }),
  'POST /api/credits/:id/reverse': () => ({ reason: 'Entered twice' }),
  'POST /api/claims': () => ({
    programId: igoProgram,
    type: 'webinar',
    title: 'Records retention',
    provider: 'State Archives',
    startDate: '2026-02-10',
    endDate: '2026-02-10',
    hours: 2,
    category: 'records-management',
  }),
  'PATCH /api/claims/:id': () => ({ title: 'Records retention, part 2', hours: 1.5 }),
  'POST /api/claims/:id/submit': () => ({ response: 'The agenda is attached.' }),
  'POST /api/claims/:id/decision': async () => {
    decisionClaim = await buildClaim(t.db, target.personId);
    return { decision: 'reject', reason: 'Not an educational activity.' };
  },
  'POST /api/renewal-cycles/:id/reopen': async () => {
    closedCycle = await buildClosedCycle();
    return { reason: 'A renewal course was entered after the cycle closed.' };
  },
  'POST /api/people/:id/facts': () => ({
    programId: ksProgram,
    kind: 'date',
    key: 'appointment',
    date: '2025-01-06',
    reason: 'Sworn in as county clerk',
  }),
  'POST /api/enrollments/:id/decline': async () => {
    enrollmentRequest = await buildEnrollmentRequest();
    return { reason: 'Enroll in the program of your own state.' };
  },
  'POST /api/webhooks/endpoints': () => ({
    url: 'https://example.gov/hooks',
    events: ['credit.recorded', 'award.issued'],
    description: 'Agency HR system',
  }),
  'PATCH /api/webhooks/endpoints/:id': () => ({ events: ['award.revoked'], enabled: true }),
  'POST /api/account-requests/:id/decline': async () => {
    accountRequest = await buildAccountRequest();
    return { reason: 'We train county election offices only.' };
  },
  'POST /api/person-facts/:id/withdraw': async () => {
    personFact = await buildFact();
    return { reason: 'Entered for the wrong person' };
  },
  'PATCH /api/claims/:id/fee': () => ({ status: 'paid', method: 'check', receipt: 'R-1' }),
  'PUT /api/programs/:id/reviewers': () => ({ personIds: [] }),
  'POST /api/verify/credential': () => ({ credential: '{"type":["VerifiableCredential"]}' }),
  'PUT /api/programs/:id/issuer': () => ({ name: 'Kansas Secretary of State', url: null, logoUrl: null }),
  'PUT /api/programs/:id/certificate-design': () => certificateDesign,
  'POST /api/programs/:id/certificate-design/preview': () => certificateDesign,
  'POST /api/people/:id/credits': () => ({
    programId: ksProgram,
    amount: 3,
    category: 'year-one',
    sourceType: 'sos-course',
    earnedOn: '2019-04-01',
    title: 'Legacy paper record',
    reason: 'Paper workbook from 2019',
  }),
  'POST /api/awards': () => ({ personId: eligible.personId, programId: ksProgram }),
  'POST /api/awards/bulk': () => ({
    programId: ksProgram,
    eventId: futureSession.eventId,
    personIds: [target.personId],
  }),
  'POST /api/awards/:id/reissue': () => ({
    nameOnCertificate: 'Dana Kessler-Ortiz',
    reason: 'Legal name change',
  }),
  'POST /api/awards/:id/revoke': () => ({ reason: 'Falsified attendance records' }),
  'PUT /api/awards/:id/plaque': () => ({ state: 'ordered' }),
  'POST /api/api-tokens': () => ({ name: 'Clerk LMS', scopes: ['reports:read'], expiresInDays: 30 }),
  'POST /api/sessions/:id/roster': () => ({ rows: [{ email: target.email, minutes: 170 }] }),
  // OpenID Connect (issue 17): no sign-in waits for a code here (401); a link by hand.
  'POST /api/oidc/code': () => ({ code: '123456' }),
  'POST /api/people/:id/external-identities': () => ({ provider: 'agency-idp', subject: randomUUID() }),
};

/** An existing id (or code) for each kind of path parameter, and one that exists nowhere. */
const pathValues: Record<string, { existing: string; missing: string; malformed: string[] }> = {
  id: {
    existing: target.personId,
    missing: randomUUID(),
    malformed: ['not-a-uuid', "1' or '1'='1", '%22%3B--'],
  },
  fips: { existing: '20177', missing: '20999', malformed: ['kansas', "20'--", '2017'] },
  code: { existing: 'ABCD-EFGH-JKMN', missing: 'ZZZZ-ZZZZ-ZZZZ', malformed: ['abcd', 'ABCD_EFGH_JKMN', 'x'] },
  number: { existing: 'BI-REISSUE-1', missing: 'KS-1999-000000', malformed: ['x'.repeat(60)] },
  stateFips: { existing: '20', missing: '99', malformed: ['kansas', '2', "20'--"] },
  index: { existing: '0', missing: '7', malformed: ['first', '-1', '1.5'] },
  provider: { existing: 'no-such-idp', missing: 'nowhere-idp', malformed: ['Agency IdP', "x'--", '-x'] },
  identityId: { existing: randomUUID(), missing: randomUUID(), malformed: ['not-a-uuid', "1'--"] },
  programId: { existing: ksProgram, missing: randomUUID(), malformed: ['not-a-uuid', "1'--"] },
  token: {
    existing: offerToken,
    missing: 'A'.repeat(43),
    malformed: ['short', "x'--", `${'A'.repeat(42)}=`],
  },
  slug: {
    existing: 'ks-county-election-official',
    missing: 'no-such-issuer',
    malformed: ['KS Issuer', "ks'--"],
  },
};

/** Valid values of the required query parameters, by route (the report officials lists, issue 14). */
const requiredQuery: Record<string, Record<string, string>> = {
  'GET /api/reports/coverage/officials': { programId: ksProgram, county: '20177' },
  'GET /api/reports/cohorts/officials': { programId: ksProgram, cohort: 'pilot-2024' },
  'GET /api/reports/renewal/officials': { programId: ksProgram },
  'GET /api/reports/seat-shortfall': { programId: ksProgram, by: '2030-12-31' },
};

function urlFor(r: Route, override: Record<string, string> = {}): string {
  return r.url
    .replace(/:(\w+)/g, (_, name: string) => {
      const v =
        override[name] ??
        (name === 'id' ? existingIdFor(r.url, r.method) : undefined) ??
        pathValues[name]?.existing;
      if (v === undefined) throw new Error(`bad-input.test.ts: add a value for path parameter :${name}`);
      return v;
    })
    .replace(/\*$/, 'index.html');
}

const QUOTES = `O'Brien "Bud"; -- \\ DROP TABLE person; /* */ Ñandú Łódź 漢字 🗳️ <b>&amp;</b>`;
const TEN_KB = 'x'.repeat(10 * 1024);

// ---------------------------------------------------------------------------
// Sending, and what every answer must look like

const countRows = async () =>
  await t.db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('person')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('person'),
      eb
        .selectFrom('user_account')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('user_account'),
      // Not the record of each API token use (issue 17), which a refused request writes too.
      eb
        .selectFrom('audit_log')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('action', 'not like', 'api-token.%')
        .as('audit_log'),
      eb
        .selectFrom('email_message')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('email_message'),
    ])
    .executeTakeFirstOrThrow();

interface Attempt {
  url?: string;
  /** Raw payload; an object is sent as JSON. */
  payload?: string | object;
  contentType?: string;
}
interface Expectation {
  /** 'reject': must be 4xx. 'either': 2xx is fine when the input is acceptable. */
  outcome: 'reject' | 'either';
  /** A 400 must name this field (exactly, or a part of it such as roles.0). */
  field?: string;
  status?: number;
}

async function attempt(r: Route, a: Attempt, want: Expectation): Promise<LightMyRequestResponse> {
  // Session e-mails of earlier accepted requests are rendered after their commit by the mailer's
  // flush (every few seconds); render them now, so none lands while this request is counted.
  await t.deps.mailer.flush();
  const before = await countRows();
  const payload = typeof a.payload === 'object' ? JSON.stringify(a.payload) : a.payload;
  const viaToken = isTokenOnly(r.action);
  const res = await t.app.inject({
    method: r.method as 'GET',
    url: a.url ?? urlFor(r),
    headers: {
      ...(viaToken
        ? { authorization: `Bearer ${rosterToken}` }
        : { cookie: admin.cookie, 'x-csrf-token': admin.csrf }),
      ...(payload !== undefined ? { 'content-type': a.contentType ?? 'application/json' } : {}),
    },
    ...(payload !== undefined ? { payload } : {}),
  });
  const after = await countRows();
  const what = `${r.method} ${a.url ?? urlFor(r)} ${String(payload ?? '').slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 400)}`;

  expect(res.statusCode, `never a 5xx: ${what}`).toBeLessThan(500);
  if (want.outcome === 'reject')
    expect(res.statusCode, `must be rejected: ${what}`).toBeGreaterThanOrEqual(400);
  if (want.status) expect(res.statusCode, what).toBe(want.status);

  if (res.statusCode >= 400) {
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    const problem = res.json() as {
      type: string;
      title: string;
      status: number;
      detail: string;
      errors?: { field: string; message: string }[];
    };
    expect(problem.status, what).toBe(res.statusCode);
    expect(problem.title, what).toEqual(expect.any(String));
    expect(problem.detail, what).toEqual(expect.any(String));
    expect(res.body, `no stack trace: ${what}`).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    if (res.statusCode === 400) {
      expect(problem.errors?.length, `a 400 names the field: ${what}`).toBeGreaterThan(0);
      for (const e of problem.errors ?? []) {
        expect(e.field, what).toEqual(expect.any(String));
        expect(e.message.length, what).toBeGreaterThan(0);
      }
      if (want.field) {
        const fields = (problem.errors ?? []).map((e) => e.field);
        expect(
          fields.some((f) => f === want.field || f.startsWith(`${want.field}.`)),
          `names ${want.field}: ${what}`,
        ).toBe(true);
      }
    }
    // A refused sign-in is itself audited (failed sign-ins and lockouts, docs/security.md): one
    // audit row and nothing else.
    const signInAudited =
      r.method === 'POST' && (a.url ?? urlFor(r)) === '/api/session' && res.statusCode === 401;
    const expected = signInAudited ? { ...before, audit_log: Number(before.audit_log) + 1 } : before;
    expect(
      signInAudited ? { ...after, audit_log: Number(after.audit_log) } : after,
      `nothing written by a rejected request: ${what}`,
    ).toEqual(expected);
  }

  // Signing out is acceptable input for DELETE /api/session; sign back in for the next attempt.
  if (r.action === 'auth.sign-out' && res.statusCode < 300) admin = await signInAs(t, adminPerson);
  // Turned on by a valid confirm: off again, so the administrator can keep signing in with a password.
  if (r.action === 'profile.second-factor.confirm' && res.statusCode < 300) await clearAdminTotp();
  return res;
}

const withBody = (r: Route) => r.body !== null;
const takesBody = (r: Route) => r.method !== 'GET' && r.method !== 'HEAD';

// ---------------------------------------------------------------------------

describe('the route list', () => {
  it('covers every API route, and each route with a body has a valid example here', () => {
    const keys = routes.map((r) => r.key);
    expect(keys).toEqual(
      expect.arrayContaining(['POST /api/people', 'PATCH /api/people/:id', 'GET /api/jurisdictions']),
    );
    expect(
      routes
        .filter(withBody)
        .map((r) => r.key)
        .sort(),
    ).toEqual(Object.keys(validBodies).sort());
  });

  it.each(routes.filter(withBody).map((r) => [r.key, r] as const))(
    '%s accepts its valid example body',
    async (_, r) => {
      const res = await attempt(r, { payload: await validBodies[r.key]!() }, { outcome: 'either' });
      // Sign-in with an unknown address is a 401, not a validation error.
      expect([200, 201, 202, 401], res.body).toContain(res.statusCode);
    },
  );
});

describe.each(routes.map((r) => [r.key, r] as const))('%s', (_, r) => {
  const base = async () => (validBodies[r.key] ? await validBodies[r.key]!() : {});

  it('rejects malformed JSON, naming the body', async () => {
    if (!takesBody(r)) {
      // GET has no body; whatever is sent is ignored.
      await attempt(r, { payload: '{"firstName": "Ann",' }, { outcome: 'either' });
      return;
    }
    for (const payload of ['{"firstName": "Ann",', "{'single': 'quotes'}", '{"a":1}}', '\u0000']) {
      await attempt(r, { payload }, { outcome: 'reject', status: 400, field: '(body)' });
    }
    await attempt(
      r,
      { payload: '{"__proto__": {"admin": true}}' },
      { outcome: 'reject', status: 400, field: '(body)' },
    );
  });

  it('rejects a body that is not a JSON object, or not JSON at all', async () => {
    if (!withBody(r)) return;
    for (const payload of ['[]', '"text"', '42', 'null', 'true', '']) {
      await attempt(r, { payload }, { outcome: 'reject', status: 400, field: '(body)' });
    }
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    await attempt(r, { payload: deep(100_000) }, { outcome: 'reject', status: 400, field: '(body)' });
    const [first] = Object.keys(r.body?.properties ?? {});
    await attempt(
      r,
      { payload: `{"${first}": ${deep(50_000)}}` },
      { outcome: 'reject', status: 400, field: first },
    );
    await attempt(r, { payload: 'firstName=Ann', contentType: 'text/plain' }, { outcome: 'reject' });
    await attempt(
      r,
      { payload: 'firstName=Ann', contentType: 'application/x-www-form-urlencoded' },
      { outcome: 'reject', status: 415, field: '(body)' },
    );
  });

  it('rejects a wrong type in each field, naming the field', async () => {
    if (!r.body) return;
    for (const [field, schema] of Object.entries(r.body.properties ?? {})) {
      await attempt(
        r,
        { payload: { ...(await base()), [field]: wrongType(schema) } },
        { outcome: 'reject', status: 400, field },
      );
      if (isStringArray(schema)) {
        await attempt(
          r,
          { payload: { ...(await base()), [field]: [12345] } },
          { outcome: 'reject', status: 400, field },
        );
      }
    }
  });

  it('rejects unknown fields, naming them', async () => {
    if (!takesBody(r)) return;
    if (!r.body) {
      // No body is part of this route's contract: extra JSON is ignored, never a 5xx.
      await attempt(r, { payload: { unexpected: 'field' } }, { outcome: 'either' });
      return;
    }
    await attempt(
      r,
      { payload: { ...(await base()), unexpectedField: 'x' } },
      { outcome: 'reject', status: 400, field: 'unexpectedField' },
    );
    await attempt(
      r,
      { payload: { ...(await base()), isAdmin: true, id: randomUUID(), roles_: ['administrator'] } },
      { outcome: 'reject', status: 400, field: 'isAdmin' },
    );
  });

  it('rejects a body over 256 kB with 413', async () => {
    if (!takesBody(r)) return;
    // A route that takes images (a certificate design) has a larger limit: pad beyond it.
    const limit = largerBodyLimits[`${r.method} ${r.url}`] ?? 256 * 1024;
    const big = { ...(await base()), padding: 'p'.repeat(limit + 44 * 1024) };
    const res = await attempt(r, { payload: big }, { outcome: 'reject', status: 413 });
    expect(res.json().detail).toMatch(/larger than/);
  });

  it('rejects 10 kB strings in every string field, naming the field', async () => {
    if (!r.body) return;
    for (const [field, schema] of Object.entries(r.body.properties ?? {})) {
      if (acceptsString(schema)) {
        await attempt(
          r,
          { payload: { ...(await base()), [field]: TEN_KB } },
          { outcome: 'reject', status: 400, field },
        );
      } else if (isStringArray(schema)) {
        await attempt(
          r,
          { payload: { ...(await base()), [field]: [TEN_KB] } },
          { outcome: 'reject', status: 400, field },
        );
      }
    }
  });

  it('handles quote-laden and unicode strings in every string field: stored as given, or refused by name', async () => {
    if (!r.body) return;
    for (const [field, schema] of Object.entries(r.body.properties ?? {})) {
      if (!acceptsString(schema) && !isStringArray(schema)) continue;
      for (const value of [QUOTES, `  ${QUOTES}  `, '\u0000 nul', '\ud800 lone surrogate', '\u202e\u200b']) {
        const sent = isStringArray(schema) ? [value] : value;
        const res = await attempt(
          r,
          { payload: { ...(await base()), [field]: sent } },
          { outcome: 'either', field },
        );
        // A preview answers a PDF, not the record.
        if (res.statusCode < 300 && value === QUOTES && /json/.test(String(res.headers['content-type']))) {
          const body = res.json() as Record<string, unknown>;
          if (typeof body[field] === 'string') expect(body[field]).toBe(QUOTES);
        }
      }
    }
  });

  it('rejects bad query parameters, naming them', async () => {
    // Routes with required query parameters get valid values for the others, so an odd value of
    // one parameter is judged on its own, not refused for a missing neighbour.
    const required = requiredQuery[r.key] ?? {};
    const withRequired = (name: string) =>
      Object.entries(required)
        .filter(([k]) => k !== name)
        .map(([k, v]) => `${k}=${encodeURIComponent(v)}&`)
        .join('');
    const url = urlFor(r);
    if (r.query.length === 0) {
      // No query is part of this route's contract: it is ignored, never a 5xx.
      await attempt(r, { url: `${url}?page=abc&q=${encodeURIComponent(QUOTES)}` }, { outcome: 'either' });
      return;
    }
    await attempt(r, { url: `${url}?bogus=1` }, { outcome: 'reject', status: 400, field: 'query.bogus' });
    for (const { name, schema } of r.query) {
      const field = `query.${name}`;
      const bad: string[] = [];
      if (types(schema).some((x) => x === 'integer' || x === 'number')) {
        bad.push('abc', '1.5', '-1', '1e99', 'NaN', 'Infinity', '');
        if (schema.minimum !== undefined) bad.push(String(schema.minimum - 1));
        if (schema.maximum !== undefined) bad.push(String(schema.maximum + 1));
      }
      if (schema.enum) bad.push('bogus', `${String(schema.enum[0])}'--`);
      if (schema.pattern) bad.push(QUOTES, '0'.repeat(10));
      if (schema.format === 'date') bad.push('2026-02-30', '31/01/2026', 'yesterday');
      if (schema.maxLength !== undefined) bad.push('y'.repeat(schema.maxLength + 1));
      if (acceptsString(schema)) bad.push(TEN_KB);
      for (const v of bad) {
        // An empty number means "use the default" only when the contract says so; otherwise refuse it.
        const want: Expectation =
          v === '' ? { outcome: 'either', field } : { outcome: 'reject', status: 400, field };
        await attempt(r, { url: `${url}?${name}=${encodeURIComponent(v)}` }, want);
      }
      // Repeated parameters arrive as a list, which no parameter accepts.
      await attempt(r, { url: `${url}?${name}=1&${name}=2` }, { outcome: 'reject', status: 400, field });
      // Quote-laden and odd text is either found literally or refused by name.
      // Numbers JavaScript can read (0x10, " 3 ") may be taken as such.
      for (const v of [QUOTES, '%', '_', '\\', '\u0000', "' OR 1=1 --", '0x10', ' 3 ']) {
        await attempt(
          r,
          { url: `${url}?${withRequired(name)}${name}=${encodeURIComponent(v)}` },
          { outcome: 'either', field },
        );
      }
    }
  });

  it('rejects malformed path parameters by name, and answers 404 for ones that do not exist', async () => {
    if (r.path.length === 0) return;
    const body = validBodies[r.key] ? await base() : undefined;
    for (const { name } of r.path) {
      const values = pathValues[name];
      if (!values) throw new Error(`bad-input.test.ts: add values for path parameter :${name}`);
      for (const v of values.malformed) {
        await attempt(
          r,
          { url: urlFor(r, { [name]: encodeURIComponent(v) }), payload: body },
          { outcome: 'reject', status: 400, field: `params.${name}` },
        );
      }
      await attempt(
        r,
        { url: urlFor(r, { [name]: values.missing }), payload: body },
        { outcome: 'reject', status: 404 },
      );
      // The router's own refusals: an over-long segment, a broken %-escape.
      await attempt(
        r,
        { url: urlFor(r, { [name]: 'z'.repeat(300) }), payload: body },
        { outcome: 'reject', status: 414 },
      );
      await attempt(
        r,
        { url: urlFor(r, { [name]: '%E0%A4%A' }), payload: body },
        { outcome: 'reject', status: 400, field: '(path)' },
      );
    }
  });
});
