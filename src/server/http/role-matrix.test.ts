/**
 * The role matrix: every registered route, called by every role and by an
 * anonymous visitor, must allow or deny exactly as this table says. A route
 * that is not in the table fails the test, so no route ships unreviewed.
 * A refusal must come from the role check (401 unauthenticated / 403
 * forbidden); an allowed call names a real record of another official and
 * must succeed (GET 2xx; a change sent {} reaches validation: 400 naming a
 * field), unless `notPlain` gives the one status its resource check answers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, tokenPolicy, tokenScopes, type Role } from '../../domain/authz/index.js';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  signInAs,
  type Client,
  type TestApp,
} from '../testing/harness.js';
import { buildClaim, buildClaimDocument } from '../testing/claims.js';
import {
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  programId,
} from '../testing/scheduling.js';

type Who = Role | 'anonymous';
const everyone: Who[] = ['anonymous', ...roles];
const signedIn: Who[] = [...roles];
const staff: Who[] = ['administrator', 'coordinator', 'reviewer', 'instructor'];
const admins: Who[] = ['administrator'];
const registrars: Who[] = ['administrator', 'coordinator'];
const selfRegistrars: Who[] = ['official', 'administrator', 'coordinator'];
const teachers: Who[] = ['administrator', 'coordinator', 'instructor'];
const ledgerReaders: Who[] = ['administrator', 'coordinator', 'reviewer'];
const claimReviewers: Who[] = ['administrator', 'reviewer'];
/** County supervisors (issue 17) reach the people of their counties; the one here supervises the target's. */
const peopleReaders: Who[] = [...staff, 'supervisor'];
const personRecordReaders: Who[] = [...ledgerReaders, 'supervisor'];
const registrarsOfOthers: Who[] = [...selfRegistrars, 'supervisor'];

const matrix: Record<string, Who[]> = {
  'GET /healthz': everyone,
  'GET /readyz': everyone,
  'GET /api/openapi.json': everyone,
  'GET /api/docs': everyone,
  'GET /api/docs/static/*': everyone,
  'GET /api/docs/json': everyone,
  'GET /api/docs/yaml': everyone,
  'GET /api/docs/static/index.html': everyone,
  'GET /api/docs/static/swagger-initializer.js': everyone,
  'GET /api/session': everyone,
  'POST /api/session': everyone,
  'DELETE /api/session': signedIn,
  'POST /api/password/request': everyone,
  'POST /api/password/set': everyone,
  'POST /api/email/confirm': everyone,
  'GET /api/jurisdictions': everyone,
  'GET /api/jurisdictions/:fips': everyone,
  'GET /api/profile': signedIn,
  'PATCH /api/profile': signedIn,
  'POST /api/account-requests': everyone,
  'GET /api/account-requests': registrars,
  'POST /api/account-requests/:id/approve': registrars,
  'POST /api/account-requests/:id/decline': registrars,
  'GET /api/profile/notifications': signedIn,
  'PUT /api/profile/notifications': signedIn,
  'POST /api/unsubscribe': everyone,
  'GET /api/profile/second-factor': signedIn,
  'POST /api/profile/second-factor/setup': signedIn,
  'POST /api/profile/second-factor/confirm': signedIn,
  'POST /api/profile/second-factor/disable': signedIn,
  'GET /api/people/:id/second-factor': admins,
  'POST /api/people/:id/second-factor/reset': admins,
  'GET /api/people': peopleReaders,
  'POST /api/people': registrars,
  'GET /api/people/:id': peopleReaders,
  'PATCH /api/people/:id': registrars,
  'PUT /api/people/:id/roles': admins,
  'POST /api/people/:id/invite': registrars,
  'GET /api/audit': admins,
  'GET /api/outbox': admins,
  'GET /api/outbox/:id/html': admins,
  'GET /api/outbox/:id/attachments/:index': admins,
  'GET /api/outbox/:id/eml': admins,
  // Exports and reports (issue 7)
  'GET /api/people/export': peopleReaders,
  'GET /api/audit/export': admins,
  'GET /api/outbox/export': admins,
  'GET /api/jurisdictions/export': everyone,
  'GET /api/awards/export': registrars,
  'GET /api/awards/eligible/export': admins,
  'GET /api/renewals/due/export': registrars,
  'GET /api/reports/coverage': registrars,
  'GET /api/reports/coverage/export': registrars,
  'GET /api/reports/coverage/officials': registrars,
  'GET /api/reports/cohorts': registrars,
  'GET /api/reports/cohorts/export': registrars,
  'GET /api/reports/cohorts/officials': registrars,
  'GET /api/reports/funnel': registrars,
  'GET /api/reports/funnel/export': registrars,
  'GET /api/reports/session-fill': registrars,
  'GET /api/reports/session-fill/export': registrars,
  'GET /api/reports/renewal': registrars,
  'GET /api/reports/renewal/export': registrars,
  'GET /api/reports/renewal/officials': registrars,
  'GET /api/reports/turnaround': registrars,
  'GET /api/reports/turnaround/export': registrars,
  'GET /api/reports/county-shapes/:stateFips': registrars,
  'POST /api/reports/prepare': registrars,
  'GET /api/profile/export': signedIn,
  'GET /api/people/:id/export': admins,
  'GET /api/imports': admins,
  'GET /api/imports/:id': admins,
  'POST /api/imports': admins,
  'GET /api/dashboard': peopleReaders,
  // Outside-credit claims, review, staff entries, transcripts (issue 5)
  'GET /api/me/claims': signedIn,
  'POST /api/claims': signedIn,
  'GET /api/claims/:id': signedIn,
  'PATCH /api/claims/:id': signedIn,
  'DELETE /api/claims/:id': signedIn,
  'POST /api/claims/:id/submit': signedIn,
  'POST /api/claims/:id/documents': signedIn,
  'POST /api/claims/:id/decision': claimReviewers,
  'PATCH /api/claims/:id/fee': registrars,
  'GET /api/claim-fees': registrars,
  'GET /api/claim-fees/export': registrars,
  'GET /api/review/claims': claimReviewers,
  'GET /api/review/claims/export': claimReviewers,
  'GET /api/claim-documents/:id': signedIn,
  'GET /api/claim-documents/:id/view': signedIn,
  'DELETE /api/claim-documents/:id': signedIn,
  'GET /api/programs/:id/reviewers': admins,
  'PUT /api/programs/:id/reviewers': admins,
  'POST /api/people/:id/credits': registrars,
  'GET /api/me/transcript': signedIn,
  'GET /api/people/:id/transcript': personRecordReaders,
  'GET /api/me/transcripts': signedIn,
  'POST /api/me/transcripts': signedIn,
  'GET /api/transcripts/:id/pdf': signedIn,
  'GET /api/verify/transcript/:code': everyone,
  // Issue 18: a transcript in one program as a CLR 2.0 credential (transcriptCredentialAbilities).
  'GET /api/people/:id/transcript/programs/:programId/credential': signedIn,
  // Programs, enrollment, catalog, sessions, attendance, credits (issue 4)
  'GET /api/programs': signedIn,
  'POST /api/programs': admins,
  'GET /api/programs/:id': signedIn,
  'PATCH /api/programs/:id': admins,
  'PUT /api/programs/:id/draft': admins,
  'POST /api/programs/:id/publish': admins,
  'POST /api/programs/:id/draft/impact': admins,
  'GET /api/programs/:id/draft/impact': admins,
  'GET /api/programs/:id/draft/impact/changes': admins,
  'GET /api/programs/:id/draft/impact/changes/export': admins,
  'GET /api/programs/:id/enrollments': registrars,
  'GET /api/programs/:id/enrollments/export': registrars,
  'POST /api/programs/:id/enrollments': registrars,
  'POST /api/programs/:id/enrollment-request': signedIn,
  'PATCH /api/enrollments/:id': registrars,
  'GET /api/enrollment-requests': registrars,
  'POST /api/enrollments/:id/approve': registrars,
  'POST /api/enrollments/:id/decline': registrars,
  'GET /api/me/enrollments': signedIn,
  'GET /api/courses': everyone,
  'GET /api/courses/export': everyone,
  'POST /api/courses': registrars,
  'GET /api/courses/:id': everyone,
  'PATCH /api/courses/:id': registrars,
  'GET /api/events': signedIn,
  'POST /api/events': registrars,
  'GET /api/events/:id': signedIn,
  'PATCH /api/events/:id': registrars,
  'GET /api/sessions': everyone,
  'GET /api/sessions/export': everyone,
  'POST /api/sessions': registrars,
  'GET /api/sessions/below-minimum': registrars,
  'GET /api/sessions/:id': everyone,
  'GET /api/sessions/:id/calendar.ics': everyone,
  'PATCH /api/sessions/:id': registrars,
  'POST /api/sessions/:id/cancel': registrars,
  'POST /api/sessions/:id/registrations': registrarsOfOthers,
  'POST /api/registrations/:id/cancel': registrarsOfOthers,
  'GET /api/me/registrations': signedIn,
  'GET /api/sessions/:id/roster': teachers,
  'GET /api/sessions/:id/roster/export': teachers,
  'GET /api/sessions/:id/sign-in-sheet': teachers,
  'POST /api/sessions/:id/attendance/all-present': teachers,
  'PUT /api/sessions/:id/attendance': teachers,
  'GET /api/sessions/:id/check-in-code': teachers,
  'POST /api/sessions/:id/check-in': signedIn,
  'POST /api/me/calendar-feed': signedIn,
  'GET /api/me/calendar-feed': signedIn,
  'POST /api/me/calendar-feed/replace': signedIn,
  'GET /api/calendar-feed': everyone,
  'GET /api/me/credits': signedIn,
  'GET /api/people/:id/credits': personRecordReaders,
  'POST /api/credits/:id/reverse': registrars,
  'GET /api/me/progress': signedIn,
  'GET /api/people/:id/progress': personRecordReaders,
  // The plan to certification (issue 19)
  'GET /api/me/plan': signedIn,
  'GET /api/people/:id/plan': personRecordReaders,
  'POST /api/me/plan/registrations': registrarsOfOthers,
  'GET /api/reports/seat-shortfall': registrars,
  // Awards, certificates, verification, renewals (issue 6)
  'GET /api/awards/eligible': admins,
  'GET /api/awards': registrars,
  'POST /api/awards': admins,
  'POST /api/awards/bulk': admins,
  'GET /api/awards/summary': registrars,
  'GET /api/renewals/due': registrars,
  'GET /api/me/awards': signedIn,
  'GET /api/me/certification': signedIn,
  'GET /api/awards/:id': signedIn,
  'GET /api/awards/:id/certificate': signedIn,
  'GET /api/awards/:id/credential': signedIn,
  // A wallet code (ADR 0034): asked for by the holder (awardAbilities.walletOffer); fetched by anyone with its token.
  'POST /api/awards/:id/credential-offers': signedIn,
  'POST /api/people/:id/transcript/programs/:programId/credential-offers': signedIn,
  'GET /api/credential-offers/:token': everyone,
  // Issue 18: the issuer's DID document and status lists are public; administrators set the issuer.
  'GET /issuers/:slug/did.json': everyone,
  'POST /api/verify/credential': everyone,
  'GET /issuers/:slug/status/revocation': everyone,
  'GET /issuers/:slug/status/suspension': everyone,
  'GET /api/programs/:id/issuer': everyone,
  'PUT /api/programs/:id/issuer': admins,
  'POST /api/programs/:id/issuer/keys': admins,
  // Certificate designs (issue 18 item 6): coordinators who run the program read; administrators save.
  'GET /api/programs/:id/certificate-design': registrars,
  'PUT /api/programs/:id/certificate-design': admins,
  'POST /api/programs/:id/certificate-design/preview': admins,
  'POST /api/awards/:id/reissue': admins,
  'POST /api/awards/:id/revoke': admins,
  'PUT /api/awards/:id/plaque': registrars,
  'POST /api/renewal-cycles/:id/reopen': registrars,
  'GET /api/people/:id/facts': ledgerReaders,
  'POST /api/people/:id/facts': registrars,
  'POST /api/person-facts/:id/withdraw': registrars,
  'GET /api/events/:id/ceremony-list': registrars,
  'GET /api/events/:id/plaque-orders': registrars,
  'GET /api/verify': everyone,
  'GET /api/verify/:number': everyone,
  // API tokens and provider rosters (issue 17): the roster takes an API token only (see the token
  // scope section below), so every person is refused.
  'GET /api/api-tokens': admins,
  'POST /api/api-tokens': admins,
  'POST /api/api-tokens/:id/revoke': admins,
  'GET /api/providers': registrars,
  'POST /api/sessions/:id/roster': [],
  // Webhooks (issue 17, item 6)
  'GET /api/webhooks/endpoints': admins,
  'POST /api/webhooks/endpoints': admins,
  'PATCH /api/webhooks/endpoints/:id': admins,
  'POST /api/webhooks/endpoints/:id/rotate-secret': admins,
  'DELETE /api/webhooks/endpoints/:id': admins,
  'GET /api/webhooks/deliveries': admins,
  'POST /api/webhooks/deliveries/:id/resend': admins,
  // OpenID Connect sign-in (issue 17, item 1)
  'GET /api/oidc/:provider/start': everyone,
  'GET /api/oidc/:provider/callback': everyone,
  'POST /api/oidc/code': everyone,
  'GET /api/people/:id/external-identities': admins,
  'POST /api/people/:id/external-identities': admins,
  'DELETE /api/people/:id/external-identities/:identityId': admins,
};

let t: TestApp;
const clients = new Map<Role, Client>();
let targetId: string;
/** Real records of the target person (an official none of the callers is), by the route's first path segment. */
const records: Record<string, string> = {};
let ks: string;

beforeAll(async () => {
  t = await createTestApp();
  for (const r of roles) clients.set(r, await clientWithRoles(t, [r]));
  targetId = (await buildPerson(t.db)).personId;
  // The county supervisor supervises the target's county (Douglas, the test people's default).
  const supervisor = await t.db
    .selectFrom('user_account')
    .select('id')
    .where('person_id', '=', clients.get('supervisor')!.personId)
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('account_county')
    .values({ user_id: supervisor.id, jurisdiction_fips: '20045' })
    .execute();
  ks = await programId(t.db);
  const session = await buildSession(t.db, { capacity: 10, minimum: 0 });
  const draft = await buildClaim(t.db, targetId, { status: 'draft' });
  records.people = targetId;
  records.programs = ks;
  records.sessions = session.id;
  records.events = session.eventId;
  records.courses = session.courseId;
  records.claims = draft;
  records['claim-documents'] = await buildClaimDocument(t.db, draft);
  records.registrations = await buildRegistration(t.db, session.id, targetId, 'confirmed');
  records.enrollments = await buildEnrollment(t.db, targetId);
  records.credits = await buildCredit(t.db, targetId);
  records['person-facts'] = (
    await t.db
      .insertInto('person_fact')
      .values({
        person_id: targetId,
        program_id: ks,
        kind: 'date',
        key: 'appointment',
        date: '2025-01-06',
        reason: 'Sworn in',
        recorded_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  records.awards = (
    await t.db
      .insertInto('award')
      .values({ program_id: ks, person_id: targetId, awarded_on: '2026-06-01', number: null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  records['account-requests'] = (
    await t.db
      .insertInto('account_request')
      .values({
        first_name: 'Asked',
        last_name: 'Foraccount',
        email: 'asked@example.gov',
        jurisdiction_fips: '20177',
        position: 'Deputy County Clerk',
        note: null,
        decided_at: null,
        decided_by: null,
        decline_reason: null,
        person_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  records['api-tokens'] = (
    await t.db
      .insertInto('api_token')
      .values({
        name: 'Matrix',
        token_hash: randomUUID(),
        hint: 'cct_abcd',
        scopes: ['reports:read'],
        provider_id: null,
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        created_by: null,
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
        last_used_ip: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  // A webhook endpoint (the ids of /api/webhooks/…); a delivery id there is not found.
  records.webhooks = (
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
  records.outbox = await t.deps.mailer.enqueue(t.db, {
    to: 'outbox@example.gov',
    subject: 'Stored',
    text: 'Hello',
    kind: 'test',
    attachments: [{ filename: 'invite.ics', contentType: 'text/calendar', content: 'BEGIN:VCALENDAR' }],
  });
});
afterAll(() => t.close());

function fill(url: string): string {
  const kind = url.split('/')[2] ?? '';
  const filled = url
    .replace(':id', records[kind] ?? targetId)
    .replace(':fips', '20177')
    .replace(':stateFips', '20')
    .replace(':number', 'KS-2027-000001')
    .replace(':slug', 'ks-county-election-official')
    .replace(':code', 'NOSUCHCODE')
    .replace(':index', '0')
    .replace(':programId', ks)
    .replace(':token', 'A'.repeat(43))
    .replace('*', 'index.css');
  // The lists of a report's officials also take the county or cohort they list.
  const filter = url.endsWith('/coverage/officials')
    ? '&county=20177'
    : url.endsWith('/cohorts/officials')
      ? '&cohort=pilot-2024'
      : '';
  return url.startsWith('/api/reports/') && !url.includes(':stateFips')
    ? `${filled}?programId=${ks}${filter}`
    : filled;
}

async function call(who: Who, method: string, url: string): Promise<{ status: number; json: unknown }> {
  const payload = method === 'GET' || method === 'DELETE' ? undefined : {};
  if (who === 'anonymous') {
    const res = await t.app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
    let json: unknown = null;
    try {
      json = res.json();
    } catch {
      json = null;
    }
    return { status: res.statusCode, json };
  }
  // Signing out ends the session, so it gets a client of its own.
  const client =
    method === 'DELETE' && url === '/api/session' ? await clientWithRoles(t, [who]) : clients.get(who)!;
  const res = await client.request(method, url, payload);
  return { status: res.status, json: res.json };
}

/**
 * What an allowed caller gets when it is not the plain answer (a GET: 2xx; a
 * change sent {}: 400 naming a field, proof the role check let it through to
 * validation). Keys are "who METHOD url" (or "* METHOD url" for every allowed
 * caller). Every entry is a resource check or a record's state, never a role.
 */
const notPlain: Record<string, number> = {
  // Someone else's claim and evidence: not found, for anyone but staff who see claims (county
  // supervisors see none, in their counties or not).
  ...Object.fromEntries(
    (['reviewer', 'instructor', 'supervisor', 'official'] as const).flatMap((w) => [
      [`${w} GET /api/claims/:id`, 404],
      [`${w} PATCH /api/claims/:id`, 404],
      [`${w} DELETE /api/claims/:id`, 404],
      [`${w} POST /api/claims/:id/submit`, 404],
      [`${w} POST /api/claims/:id/documents`, 404],
      [`${w} GET /api/claim-documents/:id`, 404],
      [`${w} GET /api/claim-documents/:id/view`, 404],
      [`${w} DELETE /api/claim-documents/:id`, 404],
    ]),
  ),
  // Least data: reviewers and instructors see only the people their work needs (issue 11), so
  // another official's record is not found for them.
  'reviewer GET /api/people/:id': 404,
  'instructor GET /api/people/:id': 404,
  'reviewer GET /api/people/:id/transcript': 404,
  'reviewer GET /api/people/:id/credits': 404,
  'reviewer GET /api/people/:id/progress': 404,
  'reviewer GET /api/people/:id/facts': 404,
  'reviewer GET /api/people/:id/plan': 404,
  // Only the owner changes a claim.
  'administrator PATCH /api/claims/:id': 403,
  'coordinator PATCH /api/claims/:id': 403,
  'administrator DELETE /api/claims/:id': 403,
  'coordinator DELETE /api/claims/:id': 403,
  'administrator POST /api/claims/:id/submit': 403,
  'coordinator POST /api/claims/:id/submit': 403,
  // Staff who can see the claim get past visibility; {} is not a form upload.
  'administrator POST /api/claims/:id/documents': 415,
  'coordinator POST /api/claims/:id/documents': 415,
  'administrator POST /api/imports': 415,
  'administrator DELETE /api/claim-documents/:id': 403,
  'coordinator DELETE /api/claim-documents/:id': 403,
  // Someone else's award.
  'reviewer GET /api/awards/:id': 403,
  'instructor GET /api/awards/:id': 403,
  'supervisor GET /api/awards/:id': 403,
  'official GET /api/awards/:id': 403,
  'reviewer GET /api/awards/:id/certificate': 403,
  'instructor GET /api/awards/:id/certificate': 403,
  'supervisor GET /api/awards/:id/certificate': 403,
  'official GET /api/awards/:id/certificate': 403,
  'reviewer GET /api/awards/:id/credential': 403,
  'instructor GET /api/awards/:id/credential': 403,
  'supervisor GET /api/awards/:id/credential': 403,
  'official GET /api/awards/:id/credential': 403,
  // Someone else's transcript credential: hidden (404) from all but staff who run the program.
  'reviewer GET /api/people/:id/transcript/programs/:programId/credential': 404,
  'instructor GET /api/people/:id/transcript/programs/:programId/credential': 404,
  'supervisor GET /api/people/:id/transcript/programs/:programId/credential': 404,
  'official GET /api/people/:id/transcript/programs/:programId/credential': 404,
  // A wallet code of someone else's award or transcript: for its holder only. Staff who run the
  // program may download the credential but not show its wallet code (403); others do not see the
  // transcript (404).
  '* POST /api/awards/:id/credential-offers': 403,
  'administrator POST /api/people/:id/transcript/programs/:programId/credential-offers': 403,
  'coordinator POST /api/people/:id/transcript/programs/:programId/credential-offers': 403,
  'reviewer POST /api/people/:id/transcript/programs/:programId/credential-offers': 404,
  'instructor POST /api/people/:id/transcript/programs/:programId/credential-offers': 404,
  'supervisor POST /api/people/:id/transcript/programs/:programId/credential-offers': 404,
  'official POST /api/people/:id/transcript/programs/:programId/credential-offers': 404,
  // No wallet code has this token.
  '* GET /api/credential-offers/:token': 404,
  // Rotation takes no body: the administrator's call adds a key (201).
  '* POST /api/programs/:id/issuer/keys': 201,
  // Someone else's registration.
  'official POST /api/registrations/:id/cancel': 403,
  // An instructor who does not teach the session.
  'instructor GET /api/sessions/:id/roster': 403,
  'instructor GET /api/sessions/:id/roster/export': 403,
  'instructor GET /api/sessions/:id/sign-in-sheet': 403,
  'instructor GET /api/sessions/:id/check-in-code': 403,
  'instructor POST /api/sessions/:id/attendance/all-present': 403,
  // The record's state: no second factor to reset, no draft to publish, the session has not started,
  // and the registration the administrator cancelled a moment ago.
  'administrator POST /api/people/:id/second-factor/reset': 409,
  'administrator POST /api/programs/:id/publish': 409,
  'administrator POST /api/sessions/:id/attendance/all-present': 409,
  'coordinator POST /api/sessions/:id/attendance/all-present': 409,
  'administrator POST /api/registrations/:id/cancel': 200,
  // The waiting account request: the administrator approves it, so it is decided for the coordinator.
  'administrator POST /api/account-requests/:id/approve': 200,
  'coordinator POST /api/account-requests/:id/approve': 409,
  // The enrollment is active, not a waiting request.
  '* POST /api/enrollments/:id/approve': 409,
  'coordinator POST /api/registrations/:id/cancel': 409,
  'supervisor POST /api/registrations/:id/cancel': 409,
  // Public look-ups called without their query (or with a malformed code): the field is named.
  '* GET /api/calendar-feed': 400,
  '* GET /api/verify': 400,
  '* GET /api/verify/transcript/:code': 400,
  // Nothing with this id or code exists.
  '* GET /api/imports/:id': 404,
  // The program has no draft, so no impact of one has been checked.
  '* GET /api/programs/:id/draft/impact/changes': 404,
  '* GET /api/programs/:id/draft/impact/changes/export': 404,
  '* GET /api/transcripts/:id/pdf': 404,
  '* GET /api/verify/:number': 404,
  '* POST /api/webhooks/deliveries/:id/resend': 404,
  // OpenID Connect (issue 17): no provider is configured here, so the provider's name is refused.
  '* GET /api/oidc/:provider/start': 400,
  '* GET /api/oidc/:provider/callback': 400,
};

describe('role matrix', () => {
  it('lists every registered route', () => {
    const registered = t.app.registeredRoutes.map((r) => `${r.method} ${r.url}`);
    const missing = registered.filter((k) => !(k in matrix));
    expect(missing, 'routes missing from the role matrix').toEqual([]);
    const stale = Object.keys(matrix).filter((k) => !registered.includes(k));
    expect(stale, 'matrix entries with no route').toEqual([]);
  });

  it('allows and denies every route for every role as the table says', async () => {
    const wrong: string[] = [];
    for (const { method, url } of t.app.registeredRoutes) {
      const key = `${method} ${url}`;
      const allowed = matrix[key] ?? [];
      for (const who of everyone) {
        const { status, json } = await call(who, method, fill(url));
        const problem = (json ?? {}) as { type?: string; errors?: unknown[] };
        const got = `${who} ${key}: ${status} ${problem.type ?? ''}`;
        if (!allowed.includes(who)) {
          // Refused by the role check itself, before anything else.
          const want = who === 'anonymous' ? /unauthenticated$/ : /forbidden$/;
          if (status !== (who === 'anonymous' ? 401 : 403) || !want.test(String(problem.type)))
            wrong.push(`${got}, expected the role check to refuse`);
          continue;
        }
        const special = notPlain[`${who} ${key}`] ?? notPlain[`* ${key}`];
        if (special !== undefined) {
          if (status !== special) wrong.push(`${got}, expected ${special}`);
        } else if (method === 'GET') {
          if (status < 200 || status >= 400) wrong.push(`${got}, expected 2xx`);
        } else if (!(status >= 200 && status < 300) && !(status === 400 && problem.errors?.length)) {
          wrong.push(`${got}, expected 2xx or 400 naming a field`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000); // every route for six callers: about 1,500 requests, a minute on a loaded machine

  it('opens to an API token only the routes its scopes name (tokenPolicy), and no other', async () => {
    const admin = clients.get('administrator')!;
    const wrong: string[] = [];
    for (const scopes of tokenScopes.map((s) => [s])) {
      const created = await admin.request('POST', '/api/api-tokens', {
        name: `Matrix ${scopes.join(' ')}`,
        scopes,
        expiresInDays: 1,
      });
      expect(created.status, created.body).toBe(201);
      for (const { method, url, action } of t.app.registeredRoutes) {
        const res = await t.app.inject({
          method: method as 'GET',
          url: fill(url),
          headers: { authorization: `Bearer ${created.json.secret}` },
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        const scope = tokenPolicy[action];
        // Problems are JSON; an export a token may read (CSV, a workbook) is not.
        const type = res.headers['content-type']?.toString().includes('json')
          ? String((res.json() as { type?: string }).type ?? '')
          : '';
        const refused = res.statusCode === 403 && type.endsWith('forbidden');
        const got = `${scopes.join(' ')} ${method} ${url}: ${res.statusCode} ${type}`;
        if (scope && scopes.includes(scope)) {
          // Past the scope check: a GET answers, a change sent {} reaches validation.
          const ok = method === 'GET' ? res.statusCode < 400 : res.statusCode === 400;
          if (!ok) wrong.push(`${got}, expected the token through`);
        } else if (!refused) wrong.push(`${got}, expected 403 for a token`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  // Resource policies (issue 17 item 4): the county scope, on every route a supervisor may call
  // with a record of the target (a person, their registration, claim, transcript, credits, facts,
  // award). The supervisor above supervises the target's county; this one another county only.
  it('refuses (403) a supervisor of another county every record of the target that the one of their county reaches', async () => {
    const elsewhere = await clientWithRoles(t, ['supervisor']);
    const account = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', elsewhere.personId)
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('account_county')
      .values({ user_id: account.id, jurisdiction_fips: '20177' })
      .execute();
    const personBound = [
      'people',
      'registrations',
      'claims',
      'claim-documents',
      'person-facts',
      'awards',
      'credits',
      'enrollments',
    ];
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, url } of t.app.registeredRoutes) {
      const key = `${method} ${url}`;
      const kind = url.split('/')[2] ?? '';
      if (!url.includes(':id') || !personBound.includes(kind) || !matrix[key]?.includes('supervisor'))
        continue;
      const inCounty = await call('supervisor', method, fill(url));
      const res = await elsewhere.request(
        method,
        fill(url),
        method === 'GET' || method === 'DELETE' ? undefined : {},
      );
      const outside = { status: res.status, json: res.json as { type?: string } | null };
      checked++;
      const got = `${key}: in county ${inCounty.status}, another county ${outside.status}`;
      // What the policy hides from every supervisor (someone else's claim: 404) or refuses every one
      // (someone else's award: 403) stays so; anything the supervisor of the county reaches, the other is refused.
      if (inCounty.status === 404 || inCounty.status === 403) {
        if (outside.status !== inCounty.status) wrong.push(`${got}, expected the same`);
      } else if (outside.status !== 403 || !String(outside.json?.type).endsWith('forbidden'))
        wrong.push(`${got}, expected 403 forbidden`);
    }
    expect(checked).toBeGreaterThan(5);
    expect(wrong).toEqual([]);
    // Registering the target for a session, with a valid body: the county's supervisor may, the other may not.
    const session = await buildSession(t.db, { capacity: 10, minimum: 0 });
    const refused = await elsewhere.request('POST', `/api/sessions/${session.id}/registrations`, {
      personId: targetId,
    });
    expect(refused.status, refused.body).toBe(403);
    const done = await clients
      .get('supervisor')!
      .request('POST', `/api/sessions/${session.id}/registrations`, { personId: targetId });
    expect(done.status, done.body).toBe(201);
  }, 120_000);

  // Coordinators scoped to counties or programs (issue 17 item 3). A target of their own (in
  // Douglas, enrolled in Kansas, with a claim, a credit, a fact, an award and a registration there),
  // so that the changes made here leave the shared records alone. On every route a coordinator may
  // call with one of these records, with a valid body, a coordinator limited to another county or to
  // another program is refused (403 or 404), and the one limited to the target's own gets past the
  // check; the lists leave the target out.
  it('refuses a coordinator limited to another county or another program every record of the target', async () => {
    const scoped = async (counties: string[], programs: string[]) => {
      const client = await clientWithRoles(t, ['coordinator']);
      const account = await t.db
        .selectFrom('user_account')
        .select('id')
        .where('person_id', '=', client.personId)
        .executeTakeFirstOrThrow();
      if (counties.length > 0)
        await t.db
          .insertInto('account_county')
          .values(counties.map((f) => ({ user_id: account.id, jurisdiction_fips: f })))
          .execute();
      if (programs.length > 0)
        await t.db
          .insertInto('coordinator_program')
          .values(programs.map((p) => ({ user_id: account.id, program_id: p })))
          .execute();
      return client;
    };
    const cpo = await programId(t.db, 'igo-cpo');
    const limited = {
      'another county': await scoped(['20177'], []),
      'another program': await scoped([], [cpo]),
    };
    const theirs = await scoped(['20045'], [ks]);
    const target = (await buildPerson(t.db, { lastName: 'Scoped' })).personId;
    const session = await buildSession(t.db, { capacity: 10, minimum: 0 });
    const claim = await buildClaim(t.db, target, {
      programCode: 'ks-county-election-official',
      category: 'year-one',
      feeCents: 500,
    });
    const requested = await t.db
      .insertInto('enrollment')
      .values({
        program_id: ks,
        person_id: target,
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
    const mine: Record<string, string> = {
      people: target,
      claims: claim,
      'claim-documents': await buildClaimDocument(t.db, claim),
      registrations: await buildRegistration(t.db, session.id, target, 'confirmed'),
      enrollments: requested.id,
      credits: await buildCredit(t.db, target),
      'person-facts': (
        await t.db
          .insertInto('person_fact')
          .values({
            person_id: target,
            program_id: ks,
            kind: 'date',
            key: 'appointment',
            date: '2025-01-06',
            reason: 'Sworn in',
            recorded_at: new Date().toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
      awards: (
        await t.db
          .insertInto('award')
          .values({ program_id: ks, person_id: target, awarded_on: '2026-06-01', number: null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    };
    const bodies: Record<string, unknown> = {
      'PATCH /api/people/:id': { title: 'Deputy County Clerk' },
      'POST /api/credits/:id/reverse': { reason: 'Entered twice' },
      'POST /api/people/:id/credits': {
        programId: ks,
        amount: 3,
        category: 'year-one',
        sourceType: 'sos-course',
        earnedOn: '2019-04-01',
        title: 'Legacy paper record',
        reason: 'Paper workbook from 2019',
      },
      'PUT /api/awards/:id/plaque': { state: 'ordered' },
      'POST /api/people/:id/facts': {
        programId: ks,
        kind: 'date',
        key: 'appointment',
        date: '2025-02-03',
        reason: 'Sworn in again',
      },
      'POST /api/person-facts/:id/withdraw': { reason: 'Entered for the wrong person' },
      'PATCH /api/claims/:id/fee': { status: 'paid', method: 'check', receipt: 'R-1' },
      'POST /api/enrollments/:id/decline': { reason: 'Enroll in the program of your own state.' },
      'PATCH /api/enrollments/:id': { feeStatus: 'paid' },
    };
    const wrong: string[] = [];
    let checked = 0;
    for (const { method, url } of t.app.registeredRoutes) {
      const key = `${method} ${url}`;
      const kind = url.split('/')[2] ?? '';
      if (!url.includes(':id') || !mine[kind] || !matrix[key]?.includes('coordinator')) continue;
      if (key === 'POST /api/claims/:id/documents') continue; // multipart, the owner's
      const path = url.replace(':id', mine[kind]).replace(':programId', ks);
      const body = method === 'GET' || method === 'DELETE' ? undefined : (bodies[key] ?? {});
      checked++;
      for (const [what, client] of Object.entries(limited)) {
        const res = await client.request(method, path, body);
        if (res.status !== 403 && res.status !== 404)
          wrong.push(`${key}: limited to ${what} ${res.status}, expected 403 or 404`);
      }
      // The coordinator of the target's county and program reaches what the policy lets any coordinator.
      const inScope = await theirs.request(method, path, body);
      const statewide = await call('coordinator', method, path);
      if ((inScope.status === 403 || inScope.status === 404) && statewide.status !== inScope.status)
        wrong.push(`${key}: in scope ${inScope.status}, statewide ${statewide.status}`);
    }
    expect(checked).toBeGreaterThan(15);
    expect(wrong).toEqual([]);
    // Lists leave the target out for those limited elsewhere, and keep them for the one in scope.
    const county = limited['another county'];
    const program = limited['another program'];
    const ids = (res: { json: { items: { id: string }[] } }) => res.json.items.map((x) => x.id);
    expect(ids(await county.request('GET', '/api/people?q=Scoped&pageSize=100'))).not.toContain(target);
    expect(ids(await theirs.request('GET', '/api/people?q=Scoped&pageSize=100'))).toContain(target);
    expect((await program.request('GET', `/api/programs/${ks}/enrollments`)).status).toBe(403);
    const enrolled = await county.request('GET', `/api/programs/${ks}/enrollments?pageSize=100`);
    expect(enrolled.status).toBe(200);
    expect(enrolled.json.items.map((e: { person: { id: string } }) => e.person.id)).not.toContain(target);
    expect((await program.request('GET', `/api/reports/funnel?programId=${ks}`)).status).toBe(403);
    expect((await county.request('GET', `/api/reports/funnel?programId=${ks}`)).status).toBe(200);
    expect((await county.request('GET', `/api/reports/renewal/officials?programId=${ks}`)).status).toBe(403);
    expect((await county.request('GET', `/api/reports/funnel/export?programId=${ks}`)).status).toBe(403);
    const countyList = `/api/reports/coverage/officials?programId=${ks}&county=20045`;
    expect((await county.request('GET', countyList)).status).toBe(403);
    expect((await theirs.request('GET', countyList)).status).toBe(200);
    expect(ids(await program.request('GET', `/api/awards?programId=${ks}`))).not.toContain(mine.awards);
    expect(ids(await county.request('GET', `/api/awards?programId=${ks}`))).not.toContain(mine.awards);
    expect(ids(await theirs.request('GET', `/api/awards?programId=${ks}`))).toContain(mine.awards);
    // A pending account request asked for Shawnee (20177): for that county's coordinator, not Douglas's.
    const asked = (
      await t.db
        .insertInto('account_request')
        .values({
          first_name: 'Asked',
          last_name: 'Inshawnee',
          email: 'asked.shawnee@example.gov',
          jurisdiction_fips: '20177',
          position: 'Deputy County Clerk',
          note: null,
          decided_at: null,
          decided_by: null,
          decline_reason: null,
          person_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const pending = '/api/account-requests?status=pending&pageSize=100';
    expect(ids(await theirs.request('GET', pending))).not.toContain(asked);
    expect(ids(await county.request('GET', pending))).toContain(asked);
    expect((await theirs.request('POST', `/api/account-requests/${asked}/approve`)).status).toBe(403);
    // A coordinator limited to counties adds people to their counties only, and moves nobody out.
    const outside = await county.request('POST', '/api/people', {
      firstName: 'Newly',
      lastName: 'Added',
      email: 'newly.added.douglas@example.gov',
      jurisdictionFips: '20045',
      roles: ['official'],
      sendInvite: false,
    });
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.json)).toContain('jurisdictionFips');
    const inside = await county.request('POST', '/api/people', {
      firstName: 'Newly',
      lastName: 'Added',
      email: 'newly.added.shawnee@example.gov',
      jurisdictionFips: '20177',
      roles: ['official'],
      sendInvite: false,
    });
    expect(inside.status, inside.body).toBe(201);
    const moved = await county.request('PATCH', `/api/people/${inside.json.id}`, {
      jurisdictionFips: '20045',
    });
    expect(moved.status).toBe(400);
    // Registering the target for a session: refused to both; the coordinator of their county and program may.
    const next = await buildSession(t.db, { capacity: 10, minimum: 0 });
    for (const client of Object.values(limited))
      expect(
        (await client.request('POST', `/api/sessions/${next.id}/registrations`, { personId: target })).status,
      ).toBe(403);
    const done = await theirs.request('POST', `/api/sessions/${next.id}/registrations`, { personId: target });
    expect(done.status, done.body).toBe(201);
  }, 180_000);

  it('denies a signed-in official another person even with a guessed id', async () => {
    const official = clients.get('official')!;
    expect((await official.request('GET', `/api/people/${targetId}`)).status).toBe(403);
    expect((await official.request('GET', `/api/people/${randomUUID()}`)).status).toBe(403);
    expect((await official.request('GET', `/api/people/${official.personId}`)).status).toBe(403);
    expect((await official.request('GET', '/api/profile')).json.id).toBe(official.personId);
  });

  it('never shows an official another official’s claim or document, nor a reviewer another program’s', async () => {
    const owner = await buildPerson(t.db);
    const claim = await buildClaim(t.db, owner.personId);
    const doc = await buildClaimDocument(t.db, claim);
    const official = clients.get('official')!;
    const reviewer = clients.get('reviewer')!; // reviews no program
    for (const who of [official, reviewer])
      for (const url of [
        `/api/claims/${claim}`,
        `/api/claim-documents/${doc}`,
        `/api/claims/${randomUUID()}`,
      ])
        expect((await who.request('GET', url)).status, url).toBe(404);
    const decide = await reviewer.request('POST', `/api/claims/${claim}/decision`, { decision: 'approve' });
    expect(decide.status).toBe(404);
    expect((await clients.get('administrator')!.request('GET', `/api/claims/${claim}`)).status).toBe(200);
  });

  it('re-checks roles on every request: a removed role stops working at once', async () => {
    const p = await buildPerson(t.db, { roles: ['coordinator'] });
    const c = await signInAs(t, p);
    expect((await c.request('GET', '/api/people')).status).toBe(200);
    await t.db
      .updateTable('user_account')
      .set({ roles: ['official'] })
      .where('id', '=', p.userId)
      .execute();
    expect((await c.request('GET', '/api/people')).status).toBe(403);
  });
});

/**
 * Past the role check: each call has a valid body and names a real record of
 * another owner, so it reaches the service's own check. Each expects one
 * exact status, and a refused call changes nothing; the owner (or staff) doing
 * the same thing gets a 2xx, so the refusal is about who asks, not the input.
 */
describe('resource checks with valid bodies and real records of another owner', () => {
  let owner: Client;
  let instructor: Client; // teaches one session, not the other
  let theirs: {
    session: string;
    past: string;
    registration: string;
    claim: string;
    draft: string;
    doc: string;
    award: string;
  };
  let mine: string; // the session the instructor teaches

  beforeAll(async () => {
    owner = await signInAs(t, await buildPerson(t.db, { firstName: 'Olive', lastName: 'Owner' }));
    instructor = clients.get('instructor')!;
    const past = new Date(t.clock.now.getTime() - 86_400_000);
    const session = (await buildSession(t.db, { capacity: 10, minimum: 0 })).id;
    const pastSession = (await buildSession(t.db, { capacity: 10, minimum: 0, startsAt: past })).id;
    mine = (
      await buildSession(t.db, {
        capacity: 10,
        minimum: 0,
        startsAt: past,
        instructorIds: [instructor.personId],
      })
    ).id;
    await buildRegistration(t.db, mine, owner.personId, 'confirmed');
    const draft = await buildClaim(t.db, owner.personId, { status: 'draft' });
    theirs = {
      session,
      past: pastSession,
      registration: await buildRegistration(t.db, session, owner.personId, 'confirmed'),
      claim: await buildClaim(t.db, owner.personId, { status: 'submitted' }),
      draft,
      doc: await buildClaimDocument(t.db, draft),
      award: (
        await t.db
          .insertInto('award')
          .values({
            program_id: await programId(t.db),
            person_id: owner.personId,
            awarded_on: '2026-06-01',
            number: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    };
    await buildRegistration(t.db, theirs.past, owner.personId, 'confirmed');
  });

  const claimRow = (id: string) =>
    t.db
      .selectFrom('claim')
      .select(['status', 'hours', 'decided_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const registrationStatus = async (id: string) =>
    (await t.db.selectFrom('registration').select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;

  it('claims: another official cannot decide, change, submit or strip evidence; a reviewer of other programs cannot decide', async () => {
    const official = clients.get('official')!;
    const reviewer = clients.get('reviewer')!; // reviews no program
    const cases: [Client, string, string, unknown, number][] = [
      [official, 'POST', `/api/claims/${theirs.claim}/decision`, { decision: 'approve' }, 403],
      [official, 'POST', `/api/claims/${theirs.claim}/decision`, { decision: 'reject', reason: 'No.' }, 403],
      [reviewer, 'POST', `/api/claims/${theirs.claim}/decision`, { decision: 'approve' }, 404],
      [
        official,
        'PATCH',
        `/api/claims/${theirs.draft}`,
        { hours: 40, title: 'Changed by someone else' },
        404,
      ],
      [official, 'POST', `/api/claims/${theirs.draft}/submit`, {}, 404],
      [official, 'DELETE', `/api/claim-documents/${theirs.doc}`, undefined, 404],
      [official, 'GET', `/api/claim-documents/${theirs.doc}`, undefined, 404],
      [reviewer, 'PATCH', `/api/claims/${theirs.draft}`, { hours: 40 }, 404],
    ];
    for (const [who, method, url, body, status] of cases) {
      const res = await who.request(method, url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
    }
    expect(await claimRow(theirs.claim)).toMatchObject({ status: 'submitted', decided_at: null });
    expect(await claimRow(theirs.draft)).toMatchObject({ status: 'draft', hours: 2 });
    expect(
      await t.db.selectFrom('claim_document').select('id').where('id', '=', theirs.doc).execute(),
    ).toHaveLength(1);
    // The owner may change their draft; an administrator may decide the submitted claim.
    expect((await owner.request('PATCH', `/api/claims/${theirs.draft}`, { hours: 3 })).status).toBe(200);
    const decided = await clients
      .get('administrator')!
      .request('POST', `/api/claims/${theirs.claim}/decision`, {
        decision: 'reject',
        reason: 'Not training.',
      });
    expect(decided.status, decided.body).toBe(200);
  });

  it('registrations: an official cannot cancel or make another person’s registration; the owner can cancel', async () => {
    const official = clients.get('official')!;
    const cancel = await official.request('POST', `/api/registrations/${theirs.registration}/cancel`, {
      reason: 'Not mine to cancel',
    });
    expect(cancel.status, cancel.body).toBe(403);
    expect(await registrationStatus(theirs.registration)).toBe('confirmed');
    const forOther = await official.request('POST', `/api/sessions/${theirs.session}/registrations`, {
      personId: targetId,
    });
    expect(forOther.status, forOther.body).toBe(403);
    expect(
      await t.db
        .selectFrom('registration')
        .select('id')
        .where('session_id', '=', theirs.session)
        .where('person_id', '=', targetId)
        .execute(),
    ).toEqual([]);
    const own = await owner.request('POST', `/api/registrations/${theirs.registration}/cancel`, {});
    expect(own.status, own.body).toBe(200);
  });

  it('sessions: an instructor sees and records only the sessions they teach, and edits none', async () => {
    const [registration] = await t.db
      .selectFrom('registration')
      .select('id')
      .where('session_id', '=', theirs.past)
      .execute();
    const attendance = { entries: [{ registrationId: registration!.id, minutesAttended: 180 }] };
    const cases: [string, string, unknown, number][] = [
      ['PATCH', `/api/sessions/${theirs.session}`, { capacity: 50, venue: 'Somewhere else' }, 403],
      ['POST', `/api/sessions/${theirs.session}/cancel`, { reason: 'Snow' }, 403],
      ['GET', `/api/sessions/${theirs.past}/roster`, undefined, 403],
      ['GET', `/api/sessions/${theirs.past}/roster/export`, undefined, 403],
      ['GET', `/api/sessions/${theirs.past}/check-in-code`, undefined, 403],
      ['PUT', `/api/sessions/${theirs.past}/attendance`, attendance, 403],
      ['POST', `/api/sessions/${theirs.past}/attendance/all-present`, { onlyCheckedIn: false }, 403],
    ];
    for (const [method, url, body, status] of cases) {
      const res = await instructor.request(method, url, body);
      expect(res.status, `${method} ${url}: ${res.body}`).toBe(status);
    }
    const s = await t.db
      .selectFrom('session')
      .select(['capacity', 'venue', 'status', 'cancelled_reason'])
      .where('id', '=', theirs.session)
      .executeTakeFirstOrThrow();
    expect(s).toMatchObject({ capacity: 10, status: 'scheduled', cancelled_reason: null });
    expect(
      await t.db
        .selectFrom('registration')
        .select(['minutes_attended'])
        .where('session_id', '=', theirs.past)
        .execute(),
    ).toEqual([{ minutes_attended: null }]);
    // Their own session: roster and attendance work.
    expect((await instructor.request('GET', `/api/sessions/${mine}/roster`)).status).toBe(200);
    const all = await instructor.request('POST', `/api/sessions/${mine}/attendance/all-present`, {
      onlyCheckedIn: false,
    });
    expect(all.status, all.body).toBe(200);
  });

  it('awards: an official cannot read another person’s award or certificate', async () => {
    const official = clients.get('official')!;
    for (const url of [`/api/awards/${theirs.award}`, `/api/awards/${theirs.award}/certificate`]) {
      const res = await official.request('GET', url);
      expect(res.status, url).toBe(403);
      expect(res.body).not.toContain('Owner');
    }
    expect((await owner.request('GET', `/api/awards/${theirs.award}`)).status).toBe(200);
  });
});
