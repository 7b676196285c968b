/**
 * Wallet codes (issue 18 item 5, ADR 0034): the holder asks for a short-lived, single-use address
 * of their credential; a wallet that is not signed in fetches it once and gets the signed
 * credential, which digitalbazaar's verifier (no code shared with our signer) accepts. A second
 * fetch, an expired code or a code a newer one replaced answers 410; of parallel fetches exactly
 * one gets the credential; only the token's SHA-256 is stored.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { independentVerifier } from '../../testing/vc-verifier.js';
import {
  buildEnrollment,
  buildKansasCourses,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let official: Client;
let other: Client;
let ks: string;
let awardId: string;

const { verify } = independentVerifier(() => t);

const START = new Date('2027-03-11T15:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = START;
  admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
  other = await quickClient(t, ['official']);
  ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  await buildKansasCourses(t.db, official.personId);
  await factsChanged(t, official.personId);
  const a = await admin.request('POST', '/api/awards', { personId: official.personId, programId: ks });
  expect(a.status, a.body).toBe(201);
  awardId = a.json.id;
});
afterAll(() => t.close());

const offerAward = (who: Client, id = awardId) => who.request('POST', `/api/awards/${id}/credential-offers`);
const offerClr = (who: Client, personId = official.personId) =>
  who.request('POST', `/api/people/${personId}/transcript/programs/${ks}/credential-offers`);

/** What a wallet does with the address in the QR code: a plain GET, not signed in. */
async function scan(offerUrl: string, remoteAddress?: string) {
  const u = new URL(offerUrl);
  expect(u.origin).toBe(new URL(t.config.publicUrl).origin);
  const res = await t.app.inject({ method: 'GET', url: u.pathname, ...(remoteAddress && { remoteAddress }) });
  return { status: res.statusCode, headers: res.headers, json: res.json() };
}

describe('a wallet code of an award credential', () => {
  it('gives the signed credential once to whoever scans it, and it verifies', async () => {
    const r = await offerAward(official);
    expect(r.status, r.body).toBe(201);
    const { offerUrl, expiresAt } = r.json;
    expect(offerUrl).toMatch(/^http:\/\/localhost:3000\/api\/credential-offers\/[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe('2027-03-11T15:10:00.000Z');
    // Only the token's SHA-256 is kept.
    const token = offerUrl.split('/').pop()!;
    const rows = await t.db.selectFrom('credential_offer').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);

    const first = await scan(offerUrl);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['cache-control']).toBe('private, no-store');
    const credential = first.json;
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.credentialSubject.name).toBe('Dana Kessler');
    const v = await verify(credential);
    expect(v.verified, JSON.stringify(v.error ?? v.results)).toBe(true);
    // The same document as the download (signed afresh, so only the proof differs).
    const download = (await official.request('GET', `/api/awards/${awardId}/credential`)).json;
    const { proof: _a, ...fromOffer } = credential;
    const { proof: _b, ...downloaded } = download;
    expect(fromOffer).toEqual(downloaded);

    const second = await scan(offerUrl);
    expect(second.status).toBe(410);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(second.json.detail).toMatch(/used already/);
  });

  it('answers 410 once the code has expired, and 404 for a code that never existed', async () => {
    const { offerUrl } = (await offerAward(official)).json;
    t.clock.now = new Date(START.getTime() + 10 * 60_000 + 1_000);
    const late = await scan(offerUrl);
    expect(late.status).toBe(410);
    expect(late.json.detail).toMatch(/expired/);
    t.clock.now = START;
    const unknown = await scan(`${t.config.publicUrl}/api/credential-offers/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    const malformed = await scan(`${t.config.publicUrl}/api/credential-offers/not-a-code`);
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0].field).toBe('params.token');
  });

  it('gives the credential to exactly one of several scans at once', async () => {
    const { offerUrl } = (await offerAward(official)).json;
    const answers = await Promise.all(Array.from({ length: 5 }, () => scan(offerUrl)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 410, 410, 410, 410]);
  });

  it('answers more parallel scans than the pool has connections, without holding one while signing', async () => {
    // 30 at once against a pool of 20: a fetch that held its connection and the code's row lock
    // while signing on other connections left the others waiting on the lock with theirs, and
    // every request stalled until the pool's timeout.
    const { offerUrl } = (await offerAward(official)).json;
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => scan(offerUrl, `10.77.${i}.1`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(29);
  });

  it('ends the older code when a new one is shown', async () => {
    const older = (await offerAward(official)).json.offerUrl;
    const newer = (await offerAward(official)).json.offerUrl;
    expect((await scan(older)).status).toBe(410);
    expect((await scan(newer)).status).toBe(200);
  });

  it('is for the holder only: not another official, not staff who may download it', async () => {
    const refused = await offerAward(other);
    expect(refused.status).toBe(403);
    const staff = await offerAward(admin);
    expect(staff.status).toBe(403);
    expect(staff.json.detail).toMatch(/Only the holder/);
    const award = await official.request('GET', `/api/awards/${awardId}`);
    expect(award.json.abilities.walletOffer).toBe(true);
    expect((await admin.request('GET', `/api/awards/${awardId}`)).json.abilities.walletOffer).toBe(false);
  });

  it('purges codes a day past their expiry as new ones are made', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('credential_offer')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBeGreaterThan(1);
    t.clock.now = new Date(START.getTime() + 2 * 86_400_000);
    expect((await offerAward(official)).status).toBe(201);
    expect(await count()).toBe(1);
  });

  it('gives no code for a revoked award (409), and a code made before the revocation gives nothing', async () => {
    const fetches = () =>
      t.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'credential-offer.fetch')
        .where('entity_id', '=', awardId)
        .execute();
    const before = (await fetches()).length;
    const { offerUrl } = (await offerAward(official)).json;
    const r = await admin.request('POST', `/api/awards/${awardId}/revoke`, { reason: 'Issued in error' });
    expect(r.status, r.body).toBe(200);
    const refused = await offerAward(official);
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(/revoked/);
    expect((await official.request('GET', `/api/awards/${awardId}`)).json.abilities.walletOffer).toBe(false);
    const late = await scan(offerUrl);
    expect(late.status).toBe(409);
    expect(late.json.detail).toMatch(/revoked/);
    // Nothing was given, so nothing was used up or recorded: the same answer again.
    expect((await scan(offerUrl)).status).toBe(409);
    // No fetch recorded since the revocation.
    expect((await fetches()).length).toBe(before);
  });
});

describe('a wallet code of a CLR transcript', () => {
  it('gives the person their signed ClrCredential once', async () => {
    const r = await offerClr(official);
    expect(r.status, r.body).toBe(201);
    const first = await scan(r.json.offerUrl);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.headers['content-disposition']).toBe(
      'attachment; filename="transcript-ks-county-election-official.clr.json"',
    );
    expect(first.json.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(first.json.credentialSubject.identifier[0].identityHash).toBe('Dana Kessler');
    const v = await verify(first.json);
    expect(v.verified, JSON.stringify(v.error ?? v.results)).toBe(true);
    expect((await scan(r.json.offerUrl)).status).toBe(410);
  });

  it('is refused to staff who may download it (403) and hidden from another official (404)', async () => {
    expect((await offerClr(admin)).status).toBe(403);
    expect((await offerClr(other)).status).toBe(404);
  });
});
