/**
 * The transcript as a CLR 2.0 ClrCredential (issue 18, item 4): downloaded by its official, valid
 * against 1EdTech's published JSON Schema shipped in schemas/1edtech (ajv, draft 2019-09), and
 * verified by digitalbazaar's verifier, which shares no code with our signer.
 */
import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { independentVerifier } from '../../testing/vc-verifier.js';
import {
  buildKansasCourses,
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

const { verify } = independentVerifier(() => t);

const schema = JSON.parse(
  readFileSync(
    new URL('../../../../schemas/1edtech/clr_v2p0_clrcredential_schema.json', import.meta.url),
    'utf8',
  ),
) as object;
const ajv = new Ajv2019({ strict: false, allErrors: true });
addFormats(ajv);
const validateClr = ajv.compile(schema);

const clrUrl = (personId: string, program = ks) =>
  `/api/people/${personId}/transcript/programs/${program}/credential`;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-11T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
  other = await quickClient(t, ['official']);
  ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  await buildKansasCourses(t.db, official.personId);
  await factsChanged(t, official.personId);
  const a = await admin.request('POST', '/api/awards', { personId: official.personId, programId: ks });
  expect(a.status, a.body).toBe(201);
});
afterAll(() => t.close());

describe('the transcript as a CLR 2.0 credential', () => {
  let clr: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('lets the official download their transcript in a program as a signed ClrCredential', async () => {
    const r = await official.request('GET', clrUrl(official.personId));
    expect(r.status, r.body).toBe(200);
    expect(r.headers['content-disposition']).toBe(
      'attachment; filename="transcript-ks-county-election-official.clr.json"',
    );
    clr = r.json;
    expect(clr['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(clr.issuer.name).toBe('Kansas Secretary of State, Elections Division');
    expect(clr.credentialSubject.identifier[0].identityHash).toBe('Dana Kessler');
    // Nine credits and the award, each an achievement with its credits, date and provider, in date order.
    const achievements = clr.credentialSubject.achievement;
    expect(achievements).toHaveLength(10);
    expect(achievements.map((x: { achievementType: string }) => x.achievementType)).toEqual([
      ...Array(9).fill('Course'),
      'Certification',
    ]);
    expect(achievements[9].name).toBe('Certified County Election Official');
    expect(achievements[0].creditsAvailable).toBe(3);
    expect(achievements[0].creator.name).toBeTruthy();
    const creds = clr.credentialSubject.verifiableCredential;
    expect(creds).toHaveLength(10);
    expect(creds[0].validFrom).toBe('2026-04-10T00:00:00-05:00');
    expect(creds[0].credentialSubject.creditsEarned).toBe(3);
    expect(creds[9].credentialSubject.creditsEarned).toBe(27);
    expect(creds[9].validUntil).toMatch(/T23:59:59-0[56]:00$/);
    expect(clr.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
  });

  it('validates against the 1EdTech ClrCredential JSON Schema shipped in the repository', () => {
    expect(validateClr(clr), ajv.errorsText(validateClr.errors)).toBe(true);
  });

  it('fails the schema with a named path when a required part is missing or malformed', () => {
    const broken = structuredClone(clr);
    delete broken.credentialSubject.verifiableCredential;
    broken.validFrom = 'the eleventh of March';
    expect(validateClr(broken)).toBe(false);
    const found = (validateClr.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(found).toContain("/credentialSubject must have required property 'verifiableCredential'");
    expect(found).toContain('/validFrom must match format "date-time"');
  });

  it('verifies with the digitalbazaar verifier, and fails when one field is changed', async () => {
    const r = await verify(clr);
    expect(r.verified, JSON.stringify(r.error ?? r.results)).toBe(true);
    const tampered = structuredClone(clr);
    tampered.credentialSubject.verifiableCredential[0].credentialSubject.creditsEarned = 30;
    expect((await verify(tampered)).verified).toBe(false);
  });

  it('is for the person and staff who run the program; 404 for another official and a program without a record', async () => {
    expect((await admin.request('GET', clrUrl(official.personId))).status).toBe(200);
    const refused = await other.request('GET', clrUrl(official.personId));
    expect(refused.status).toBe(404);
    const otherProgram = await t.db
      .selectFrom('program')
      .select('id')
      .where('id', '!=', ks)
      .executeTakeFirstOrThrow();
    expect((await official.request('GET', clrUrl(official.personId, otherProgram.id))).status).toBe(404);
    const bad = await official.request('GET', clrUrl(official.personId, 'not-an-id'));
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].field).toBe('params.programId');
  });

  it('answers 409 when the person has nothing in the program yet', async () => {
    const fresh = await quickClient(t, ['official']);
    await buildEnrollment(t.db, fresh.personId, undefined, '2026-01-15');
    const r = await fresh.request('GET', clrUrl(fresh.personId));
    expect(r.status, r.body).toBe(409);
    expect(r.json.detail).toMatch(/nothing in this transcript/);
  });
});
