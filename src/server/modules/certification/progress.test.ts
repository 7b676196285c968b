/**
 * The progress view and the status come from one evaluation: the progress
 * page reads a person's current award (the head of a re-issued chain, with its
 * revocation), like the awards pages do. Before the progress view used the
 * shared loader, it read every award row, superseded ones included, so a
 * re-issued and then revoked certificate could show as still in force.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildEnrollment, programId, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let official: Client;
let ks: string;

// Fixed ids: the engine breaks a tie between awards of the same day by id, so the
// superseded certificate (the larger id) would win if it were given to the engine.
const ORIGINAL = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
const REISSUED = '00000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-06-01T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official']);
  ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  const base = {
    program_id: ks,
    person_id: official.personId,
    awarded_on: '2027-03-20',
    revoked_on: null,
    revoked_reason: null,
    program_version: null,
    designation: 'Kansas County Election Official',
    event_id: null,
    name_on_certificate: 'Test Official',
    issued_on: '2027-03-20',
    expires_on: null,
    issued_by: null,
  };
  await t.db
    .insertInto('award')
    .values({
      ...base,
      id: ORIGINAL,
      number: 'KS-2027-900001',
      certificate_number: 'KS-2027-900001',
      supersedes_id: null,
      reason: null,
    })
    .execute();
  await t.db
    .insertInto('award')
    .values({
      ...base,
      id: REISSUED,
      number: 'KS-2027-900002',
      certificate_number: 'KS-2027-900002',
      supersedes_id: ORIGINAL,
      reason: 'Name corrected',
    })
    .execute();
});
afterAll(async () => {
  await t.close();
});

describe('progress and status agree on the current award', () => {
  it('shows a re-issued certificate that was then revoked as revoked, not the superseded one as in force', async () => {
    const revoke = await admin.request('POST', `/api/awards/${REISSUED}/revoke`, {
      reason: 'Issued in error',
    });
    expect(revoke.status, revoke.body).toBe(200);
    expect(revoke.json.status).toBe('revoked');
    const progress = await official.request('GET', '/api/me/progress');
    expect(progress.status, progress.body).toBe(200);
    const ksProgress = progress.json.programs.find((p: { program: { id: string } }) => p.program.id === ks);
    expect(ksProgress.status).toBe('revoked');
  });
});
