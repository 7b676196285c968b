/**
 * Verifiable credentials (issue 18), checked by a verifier that shares no code with our signer:
 * digitalbazaar's VC 2.0 verify path (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022) and
 * its Bitstring Status List checker, with a document loader built here from the context packages
 * and from what our app serves (the issuer's did:web document, its status lists). The loader
 * refuses every other address, so nothing is fetched from the network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { independentVerifier } from '../../testing/vc-verifier.js';
import { runCertificationSweep } from '../certification/evaluation.js';
import {
  buildCredit,
  buildEnrollment,
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

const { contexts, asked, statusOf, verify } = independentVerifier(() => t);

async function download(who: Client, id = awardId) {
  return who.request('GET', `/api/awards/${id}/credential`);
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official'], {
    firstName: 'Dana',
    lastName: 'Kessler',
    jurisdictionFips: '20045',
  });
  other = await quickClient(t, ['official']);
  ks = await programId(t.db);
  awardId = await awardKs(official.personId);
});

/** Enrols the official, records Year One to Three and awards the Kansas certification. */
async function awardKs(personId: string): Promise<string> {
  await buildEnrollment(t.db, personId, undefined, '2026-01-15');
  for (const [i, y] of [1, 2, 3].entries())
    for (const n of [1, 2, 3])
      await buildCredit(t.db, personId, {
        category: `year-${['one', 'two', 'three'][i]}`,
        courseCode: `KS-Y${y}-0${n}`,
        earnedOn: ['2026-04-10', '2026-09-10', '2027-03-10'][i]!,
      });
  await factsChanged(t, personId);
  const a = await admin.request('POST', '/api/awards', { personId, programId: ks });
  expect(a.status, a.body).toBe(201);
  return a.json.id;
}
afterAll(() => t.close());

describe('an award as an Open Badges 3.0 credential', () => {
  // The credential as the official downloaded it (JSON read as the client reads it).
  let credential: Awaited<ReturnType<typeof download>>['json'];

  it('lets the official download the signed credential of their award as JSON', async () => {
    const r = await download(official);
    expect(r.status, r.body).toBe(200);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="credential-.+\.json"$/);
    credential = r.json;
    expect(credential['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.issuer.id).toBe('did:web:localhost%3A3000:issuers:ks-county-election-official');
    expect(credential.issuer.name).toBe('Kansas Secretary of State, Elections Division');
    expect(credential.credentialSubject.name).toBe('Dana Kessler');
    expect(credential.credentialSubject.achievement.name).toBe('Certified County Election Official');
    expect(credential.credentialSubject.achievement.criteria.narrative).toMatch(/Year One/);
    expect(credential.credentialSubject.creditsEarned).toBeGreaterThan(0);
    expect(credential.validFrom).toBe('2027-03-11T00:00:00-06:00');
    expect(credential.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
    expect(credential.credentialStatus.map((s: { statusPurpose: string }) => s.statusPurpose)).toEqual([
      'revocation',
      'suspension',
    ]);
  });

  it('ends validity at the last second of the renewal due date in the program’s zone', async () => {
    const award = await official.request('GET', `/api/awards/${awardId}`);
    const due = credential.validUntil as string;
    expect(due).toMatch(/T23:59:59-0[56]:00$/);
    expect(due.slice(0, 10) >= award.json.awardedOn).toBe(true);
  });

  it('verifies with the digitalbazaar verifier over the bundled contexts and our did:web document', async () => {
    asked.length = 0;
    const r = await verify(credential);
    expect(r.verified, JSON.stringify(r.error ?? r.results)).toBe(true);
    expect(asked).toContain('did:web:localhost%3A3000:issuers:ks-county-election-official#key-1');
    expect(
      asked.every(
        (u) => contexts.has(u) || u.startsWith('did:web:localhost') || u.startsWith(t.config.publicUrl),
      ),
    ).toBe(true);
    expect(await statusOf(credential)).toEqual({ revocation: false, suspension: false });
  });

  it('fails verification when one field is changed', async () => {
    const tampered = structuredClone(credential);
    tampered.credentialSubject.name = 'Someone Else';
    expect((await verify(tampered)).verified).toBe(false);
    const later = structuredClone(credential);
    later.validUntil = '2099-12-31T23:59:59-06:00';
    expect((await verify(later)).verified).toBe(false);
  });

  it('refuses another official’s award and lets staff who run programs download it', async () => {
    expect((await download(other)).status).toBe(403);
    expect((await download(admin)).status).toBe(200);
  });

  it('publishes the DID document with every key and refuses a wrong status list', async () => {
    const did = await t.app.inject({ method: 'GET', url: '/issuers/ks-county-election-official/did.json' });
    expect(did.statusCode).toBe(200);
    expect(did.headers['content-type']).toMatch(/^application\/did\+json/);
    expect(did.json().assertionMethod).toEqual([
      'did:web:localhost%3A3000:issuers:ks-county-election-official#key-1',
    ]);
    expect(JSON.stringify(did.json())).not.toMatch(/private|BEGIN/);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/issuers/ks-county-election-official/status/lost',
    });
    expect(bad.statusCode).toBe(404);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    const none = await t.app.inject({ method: 'GET', url: '/issuers/no-such-program/did.json' });
    expect(none.statusCode).toBe(404);
  });

  it('keeps earlier credentials verifying after a key rotation, and signs new ones with the new key', async () => {
    const r = await admin.request('POST', `/api/programs/${ks}/issuer/keys`);
    expect(r.status, r.body).toBe(201);
    expect(r.json.keyNumber).toBe(2);
    expect((await verify(credential)).verified).toBe(true);
    const fresh = (await download(official)).json;
    expect(fresh.proof.verificationMethod).toMatch(/#key-2$/);
    expect((await verify(fresh)).verified).toBe(true);
    // The same award keeps its status list index.
    expect(fresh.credentialStatus[0].statusListIndex).toBe(credential.credentialStatus[0].statusListIndex);
  });

  it('names the program’s issuer as set by an administrator, on the credential and the verification page', async () => {
    const r = await admin.request('PUT', `/api/programs/${ks}/issuer`, {
      name: 'Kansas Secretary of State',
      url: 'https://sos.ks.gov',
      logoUrl: null,
    });
    expect(r.status, r.body).toBe(200);
    const fresh = (await download(official)).json;
    expect(fresh.issuer).toMatchObject({ name: 'Kansas Secretary of State', url: 'https://sos.ks.gov' });
    const v = await t.app.inject({
      method: 'GET',
      url: `/api/verify/${credential.credentialSubject.identifier[0].identityHash}`,
    });
    expect(v.json().items[0].issuingBody).toBe('Kansas Secretary of State');
    const bad = await admin.request('PUT', `/api/programs/${ks}/issuer`, {
      name: '',
      url: 'ftp://x',
      logoUrl: null,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['name', 'url']),
    );
  });

  it('reports the credential revoked on the next request after the award is revoked', async () => {
    const r = await admin.request('POST', `/api/awards/${awardId}/revoke`, { reason: 'Issued in error' });
    expect(r.status, r.body).toBe(200);
    expect(await statusOf(credential)).toEqual({ revocation: true, suspension: false });
    const v = await verify(credential);
    expect(v.verified).toBe(false);
    // A revoked award has no credential to give.
    expect((await download(official)).status).toBe(409);
  });

  it('sets the suspension bit once the certification lapses, leaving revocation clear', async () => {
    const holder = await quickClient(t, ['official'], { jurisdictionFips: '20177' });
    const id = await awardKs(holder.personId);
    const c = (await download(holder, id)).json;
    expect(c.credentialStatus[0].statusListIndex).not.toBe(credential.credentialStatus[0].statusListIndex);
    expect(await statusOf(c)).toEqual({ revocation: false, suspension: false });
    // Long past the renewal due date and any grace, with no renewal credit: the sweep lapses it.
    t.clock.now = new Date(new Date(c.validUntil).getTime() + 400 * 86_400_000);
    await runCertificationSweep(t.deps, { everyone: true });
    expect(await statusOf(c)).toEqual({ revocation: false, suspension: true });
  });
});
