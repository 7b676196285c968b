/**
 * The public page's credential check (issue 18, item 5): a badge or a CLR transcript, pasted or
 * uploaded, is checked by the server (format, issuer, signature, status, dates) and the answer
 * names the failing check: tampered, revoked, lapsed, expired, unknown issuer; text that is not
 * JSON is a 400 naming the field, a body over the limit a 413.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { runCertificationSweep } from '../certification/evaluation.js';
import {
  buildKansasCourses,
  buildEnrollment,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let ks: string;

/** Checks a credential as the page does: no sign-in, the text in `credential`. */
async function check(credential: unknown) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/verify/credential',
    payload: { credential: typeof credential === 'string' ? credential : JSON.stringify(credential) },
  });
  return { status: res.statusCode, json: res.json(), type: res.headers['content-type'] };
}

/** An official with the Kansas certification: their id, award and downloaded badge. */
async function certified() {
  const official = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  await buildKansasCourses(t.db, official.personId);
  await factsChanged(t, official.personId);
  const a = await admin.request('POST', '/api/awards', { personId: official.personId, programId: ks });
  expect(a.status, a.body).toBe(201);
  const c = await official.request('GET', `/api/awards/${a.json.id}/credential`);
  expect(c.status, c.body).toBe(200);
  return { official, awardId: a.json.id as string, badge: c.json };
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  ks = await programId(t.db);
});
afterAll(() => t.close());

const outcomes = (json: { findings: { check: string; outcome: string }[] }) =>
  Object.fromEntries(json.findings.map((f) => [f.check, f.outcome]));

describe('checking a credential file on the public verification page', () => {
  let badge: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let awardId: string;
  let official: Client;

  beforeAll(async () => {
    ({ badge, awardId, official } = await certified());
  });

  it('finds a downloaded badge genuine and in force, check by check, without sign-in', async () => {
    const r = await check(badge);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      valid: true,
      failedCheck: null,
      kind: 'Open Badges 3.0 credential',
      issuerName: 'Kansas Secretary of State, Elections Division',
    });
    expect(r.json.summary).toMatch(/genuine and in force/);
    expect(outcomes(r.json)).toEqual({
      format: 'passed',
      issuer: 'passed',
      signature: 'passed',
      status: 'passed',
      dates: 'passed',
    });
  });

  it('finds the CLR transcript genuine too', async () => {
    const clr = await official.request(
      'GET',
      `/api/people/${official.personId}/transcript/programs/${ks}/credential`,
    );
    expect(clr.status, clr.body).toBe(200);
    const r = await check(clr.json);
    expect(r.json.kind).toBe('CLR 2.0 transcript');
    expect(r.json.valid, JSON.stringify(r.json.findings)).toBe(true);
    expect(r.json.findings.find((f: { check: string }) => f.check === 'status').message).toMatch(
      /no status list/,
    );
  });

  it('names the signature when one field was changed', async () => {
    const tampered = structuredClone(badge);
    tampered.credentialSubject.name = 'Someone Else';
    const r = await check(tampered);
    expect(r.json.valid).toBe(false);
    expect(r.json.failedCheck).toBe('signature');
    expect(r.json.summary).toMatch(/Failed check: Signature\. The signature does not match/);
    expect(outcomes(r.json)).toMatchObject({ status: 'not-checked', dates: 'not-checked' });
  });

  it('names the issuer, and fetches nothing, when the issuer is not one of ours', async () => {
    const foreign = structuredClone(badge);
    foreign.issuer.id = 'did:web:evil.example:issuers:ks-county-election-official';
    const r = await check(foreign);
    expect(r.json.failedCheck).toBe('issuer');
    expect(r.json.summary).toMatch(/Failed check: Issuer\. The issuer did:web:evil\.example/);
    const none = structuredClone(badge);
    none.issuer.id = none.issuer.id.replace('ks-county-election-official', 'no-such-program');
    expect((await check(none)).json.failedCheck).toBe('issuer');
  });

  it('says plainly when the file is not a credential, and answers 400 naming the field for text that is not JSON', async () => {
    const notVc = await check({ hello: 'world' });
    expect(notVc.json.failedCheck).toBe('format');
    const r = await check('this is not json {');
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/problem\+json/);
    expect(r.json.errors.map((e: { field: string }) => e.field)).toContain('credential');
    const empty = await check('');
    expect(empty.status).toBe(400);
  });

  it('refuses a body over the limit with 413 problem+json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/verify/credential',
      payload: { credential: 'x'.repeat(700 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('names the validity dates once the credential has expired', async () => {
    const saved = t.clock.now;
    t.clock.now = new Date(new Date(badge.validUntil).getTime() + 86_400_000);
    const r = await check(badge);
    t.clock.now = saved;
    expect(r.json.failedCheck).toBe('dates');
    expect(r.json.summary).toMatch(/Failed check: Validity dates\. It expired: valid until 20\d\d-/);
  });

  it('names the status when the certification has lapsed (suspended)', async () => {
    const holder = await certified();
    const saved = t.clock.now;
    t.clock.now = new Date(new Date(holder.badge.validUntil).getTime() + 400 * 86_400_000);
    await runCertificationSweep(t.deps, { everyone: true });
    const r = await check(holder.badge);
    t.clock.now = saved;
    expect(r.json.failedCheck).toBe('status');
    expect(r.json.summary).toMatch(/lapsed/);
  });

  it('names the status when the award was revoked, on the next check', async () => {
    const r = await admin.request('POST', `/api/awards/${awardId}/revoke`, { reason: 'Issued in error' });
    expect(r.status, r.body).toBe(200);
    const c = await check(badge);
    expect(c.json.failedCheck).toBe('status');
    expect(c.json.summary).toMatch(/revoked by the issuer/);
  });
});
