/**
 * The API document is a contract: the main journeys run against a live server
 * and every answer is checked against openapi.json (operation by method and
 * path template, declared status, media type, and the JSON body against the
 * declared schema). A renamed response field, an undeclared status or a
 * problem sent under another media type fails here. More journeys: wrap a
 * client with `contract.client(...)` and make requests as usual.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, tinyPdf } from '../testing/claims.js';
import { buildPerson, createTestApp, signInAs, type Client, type TestApp } from '../testing/harness.js';
import { loadContract, type Answer } from '../testing/openapi-contract.js';
import {
  buildKansasCourses,
  buildEnrollment,
  buildSession,
  factsChanged,
  programId,
  quickClient,
} from '../testing/scheduling.js';

const contract = loadContract();

let t: TestApp;
let admin: Client;
let official: Client;
let ks: string;
let igo: string;

/** An anonymous request, checked against the document. */
async function anonymous(
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
): Promise<Answer & { json: any }> {
  const res = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
  const answer = { status: res.statusCode, headers: res.headers, body: res.body };
  contract.assert(method, url, answer);
  return { ...answer, json: res.headers['content-type']?.toString().includes('json') ? res.json() : null };
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = contract.client(await quickClient(t, ['administrator']));
  official = contract.client(
    await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler', jurisdictionFips: '20045' }),
  );
  ks = await programId(t.db);
  igo = await programId(t.db, 'igo-cpo');
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  await buildEnrollment(t.db, official.personId, 'igo-cpo', '2026-01-15');
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

describe('live answers fit openapi.json', () => {
  it('signing in: the session before and after, a refused password, the profile', async () => {
    const before = await anonymous('GET', '/api/session');
    expect(before.json.user).toBeNull();
    const person = await buildPerson(t.db, { firstName: 'Sam', lastName: 'Signin' });
    const refused = await anonymous('POST', '/api/session', {
      email: person.email,
      password: 'not it at all',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const ok = await anonymous('POST', '/api/session', {
      email: person.email,
      password: 'correct horse battery staple',
    });
    expect(ok.status).toBe(200);
    const sam = contract.client(await signInAs(t, person));
    expect((await sam.request('GET', '/api/session')).json.user.personId).toBe(person.personId);
    expect((await sam.request('GET', '/api/profile')).status).toBe(200);
    expect((await sam.request('DELETE', '/api/session')).status).toBe(200);
  });

  it('people: the list, one person, a malformed id (400) and an unknown one (404)', async () => {
    const list = await admin.request('GET', '/api/people?q=Kessler');
    expect(list.json.items.map((p: { id: string }) => p.id)).toContain(official.personId);
    expect((await admin.request('GET', `/api/people/${official.personId}`)).json.lastName).toBe('Kessler');
    expect((await admin.request('GET', '/api/people/not-a-uuid')).status).toBe(400);
    expect((await admin.request('GET', `/api/people/${randomUUID()}`)).status).toBe(404);
    // Refused for an official: 403, declared by the role the action needs.
    expect((await official.request('GET', '/api/people')).status).toBe(403);
  });

  it("programs and a program's progress", async () => {
    expect((await admin.request('GET', '/api/programs')).status).toBe(200);
    expect((await admin.request('GET', `/api/programs/${ks}`)).status).toBe(200);
    expect((await official.request('GET', '/api/me/progress')).status).toBe(200);
    expect((await admin.request('GET', `/api/people/${official.personId}/progress`)).status).toBe(200);
  });

  it('catalog and sessions: list, one session, register, my sessions, the calendar file, the roster', async () => {
    const session = await buildSession(t.db, { startsAt: new Date(t.clock.now.getTime() + 30 * 86_400_000) });
    expect((await official.request('GET', `/api/courses?programId=${ks}`)).status).toBe(200);
    expect((await official.request('GET', '/api/sessions')).status).toBe(200);
    expect((await official.request('GET', `/api/sessions/${session.id}`)).status).toBe(200);
    const reg = await official.request('POST', `/api/sessions/${session.id}/registrations`, {});
    expect(reg.status, reg.body).toBe(201);
    expect((await official.request('GET', '/api/me/registrations')).json.items).toHaveLength(1);
    const ics = await official.request('GET', `/api/sessions/${session.id}/calendar.ics`);
    expect(ics.status).toBe(200);
    expect((await admin.request('GET', `/api/sessions/${session.id}/roster`)).status).toBe(200);
    expect((await admin.request('GET', `/api/sessions/${session.id}/roster/export?format=xlsx`)).status).toBe(
      200,
    );
  });

  it('claims: start, add evidence, submit, read', async () => {
    const claim = await official.request('POST', '/api/claims', {
      programId: igo,
      type: 'webinar',
      title: 'Records retention in the digital age',
      provider: 'State Archives',
      startDate: '2027-02-10',
      endDate: '2027-02-10',
      hours: 3,
      category: 'records-management',
    });
    expect(claim.status, claim.body).toBe(201);
    for (const kind of ['description', 'certificate']) {
      const form = multipart([
        { name: 'kind', data: kind },
        { name: 'file', filename: `${kind}.pdf`, contentType: 'application/pdf', data: tinyPdf() },
      ]);
      const up = await official.request(
        'POST',
        `/api/claims/${claim.json.id}/documents`,
        form.payload,
        form.headers,
      );
      expect(up.status, up.body).toBe(201);
    }
    const submitted = await official.request('POST', `/api/claims/${claim.json.id}/submit`, {});
    expect(submitted.status, submitted.body).toBe(200);
    expect((await official.request('GET', `/api/claims/${claim.json.id}`)).json.status).toBe('submitted');
    expect((await official.request('GET', '/api/me/claims')).status).toBe(200);
    expect((await admin.request('GET', '/api/review/claims')).status).toBe(200);
  });

  it('awards: eligible list, award, certificate, public verification', async () => {
    await buildKansasCourses(t.db, official.personId);
    await factsChanged(t, official.personId);
    const eligible = await admin.request('GET', `/api/awards/eligible?programId=${ks}`);
    expect(eligible.json.items.map((e: { person: { id: string } }) => e.person.id)).toContain(
      official.personId,
    );
    const award = await admin.request('POST', '/api/awards', { personId: official.personId, programId: ks });
    expect(award.status, award.body).toBe(201);
    expect((await official.request('GET', `/api/awards/${award.json.id}`)).status).toBe(200);
    expect((await official.request('GET', `/api/awards/${award.json.id}/certificate`)).status).toBe(200);
    const number = award.json.certificateNumber as string;
    const verified = await anonymous('GET', `/api/verify/${encodeURIComponent(number)}`);
    expect(verified.json.items).toHaveLength(1);
    expect(
      (await anonymous('GET', `/api/verify?certificateNumber=${encodeURIComponent(number)}`)).status,
    ).toBe(200);
  });

  it('a report and its export', async () => {
    expect((await admin.request('GET', `/api/reports/coverage?programId=${ks}`)).status).toBe(200);
    expect((await admin.request('GET', `/api/reports/funnel?programId=${ks}`)).status).toBe(200);
    expect(
      (await admin.request('GET', `/api/reports/coverage/export?programId=${ks}&format=csv`)).status,
    ).toBe(200);
  });

  it('covered the operations of these journeys', () => {
    expect([...contract.covered]).toEqual(
      expect.arrayContaining([
        'signIn',
        'getSignInSession',
        'listPeople',
        'getPerson',
        'getPersonProgress',
        'listCourses',
        'listSessions',
        'registerForSession',
        'getSessionCalendar',
        'createClaim',
        'addClaimDocument',
        'submitClaim',
        'createAward',
        'verifyCertificate',
        'getCoverageReport',
        'exportCoverageReport',
      ]),
    );
  });
});

describe('the check fails when server and document drift apart', () => {
  it('names a renamed field, an undeclared status and a wrong media type', async () => {
    const res = await admin.request('GET', `/api/people/${official.personId}`);
    const { displayName, ...rest } = res.json as Record<string, unknown>;
    const renamed = { ...res, body: JSON.stringify({ ...rest, name: displayName }) };
    const problems = contract.check('GET', `/api/people/${official.personId}`, renamed);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/GET \/api\/people\/\{id\} \(getPerson\) 200 application\/json: .*displayName/),
        expect.stringMatching(/additional properties "name"/),
      ]),
    );
    expect(() => contract.assert('GET', `/api/people/${official.personId}`, renamed)).toThrow(/displayName/);

    expect(contract.check('GET', '/api/people', { ...res, status: 418 })).toEqual([
      expect.stringMatching(/answered 418, which the document does not declare/),
    ]);
    const problem = await admin.request('GET', `/api/people/${randomUUID()}`);
    const asJson = { ...problem, headers: { ...problem.headers, 'content-type': 'application/json' } };
    expect(contract.check('GET', `/api/people/${randomUUID()}`, asJson)).toEqual([
      expect.stringMatching(
        /answered as "application\/json", the document declares application\/problem\+json/,
      ),
    ]);
    expect(contract.check('GET', '/api/no-such-thing', res)).toEqual([
      expect.stringMatching(/no operation in openapi.json/),
    ]);
  });
});
