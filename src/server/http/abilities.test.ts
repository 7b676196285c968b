/**
 * Abilities in responses (issue 17 item 4) agree with what the API then allows: for each ability
 * a record shows, the matching call succeeds when it is true and is refused when it is false, for
 * the same person asking. The web shows buttons from these abilities, so a button never leads to
 * a refusal and a refusal never hides behind a missing button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPerson,
  clientWithRoles,
  createTestApp,
  type Client,
  type TestApp,
} from '../testing/harness.js';
import { buildClaim } from '../testing/claims.js';
import { buildSession, programId } from '../testing/scheduling.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const refusal = (status: number) => status === 403 || status === 404;

describe('abilities agree with the API', () => {
  it('claims: the reviewer of its program may decide, a reviewer of another may not, nor its owner', async () => {
    const owner = await clientWithRoles(t, ['official', 'reviewer']);
    const reviewer = await clientWithRoles(t, ['reviewer']);
    const otherReviewer = await clientWithRoles(t, ['reviewer']);
    const igo = await programId(t.db, 'igo-cpo');
    const other = await programId(t.db);
    await t.db
      .insertInto('program_reviewer')
      .values([
        { program_id: igo, person_id: reviewer.personId },
        { program_id: igo, person_id: owner.personId },
        ...(other !== igo ? [{ program_id: other, person_id: otherReviewer.personId }] : []),
      ])
      .execute();
    const claim = await buildClaim(t.db, owner.personId, { status: 'submitted', programCode: 'igo-cpo' });

    const mine = await owner.request('GET', `/api/claims/${claim}`);
    expect(mine.json.abilities).toMatchObject({ read: true, decide: false, edit: false });
    const ownDecision = await owner.request('POST', `/api/claims/${claim}/decision`, {
      decision: 'reject',
      reason: 'Not mine to judge.',
    });
    expect(ownDecision.status).toBe(403);

    const hidden = await otherReviewer.request('GET', `/api/claims/${claim}`);
    expect(hidden.status).toBe(404);

    const theirs = await reviewer.request('GET', `/api/claims/${claim}`);
    expect(theirs.json.abilities).toMatchObject({ read: true, decide: true, edit: false, delete: false });
    const edit = await reviewer.request('PATCH', `/api/claims/${claim}`, { title: 'Changed' });
    expect(refusal(edit.status), edit.body).toBe(true);
    const decided = await reviewer.request('POST', `/api/claims/${claim}/decision`, {
      decision: 'reject',
      reason: 'No certificate of completion.',
    });
    expect(decided.status, decided.body).toBe(200);
    // Decided: nobody may decide it again, and the API says so too.
    expect(decided.json.abilities.decide).toBe(false);
    const again = await reviewer.request('POST', `/api/claims/${claim}/decision`, { decision: 'approve' });
    expect(again.status).toBe(409);
  });

  it('people: a coordinator may change an official but not an administrator; a supervisor registers but changes nobody', async () => {
    const coordinator = await clientWithRoles(t, ['coordinator']);
    const official = await buildPerson(t.db);
    const admin = await buildPerson(t.db, { roles: ['administrator'] });

    const o = await coordinator.request('GET', `/api/people/${official.personId}`);
    expect(o.json.abilities).toMatchObject({ read: true, update: true, updateRoles: false, register: true });
    const changed = await coordinator.request('PATCH', `/api/people/${official.personId}`, {
      phone: '785-555-0100',
    });
    expect(changed.status, changed.body).toBe(200);
    const roles = await coordinator.request('PUT', `/api/people/${official.personId}/roles`, {
      roles: ['official'],
    });
    expect(roles.status).toBe(403);

    const a = await coordinator.request('GET', `/api/people/${admin.personId}`);
    expect(a.json.abilities).toMatchObject({ read: true, update: false, invite: false });
    const refused = await coordinator.request('PATCH', `/api/people/${admin.personId}`, {
      phone: '785-555-0100',
    });
    expect(refused.status).toBe(403);

    const clerk: Client = await clientWithRoles(t, ['supervisor']);
    const account = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', clerk.personId)
      .executeTakeFirstOrThrow();
    // Test people live in Douglas County (20045) unless told otherwise.
    await t.db
      .insertInto('account_county')
      .values({ user_id: account.id, jurisdiction_fips: '20045' })
      .execute();
    const seen = await clerk.request('GET', `/api/people/${official.personId}`);
    expect(seen.json.abilities).toMatchObject({
      read: true,
      update: false,
      register: true,
      readCredits: true,
    });
    const patch = await clerk.request('PATCH', `/api/people/${official.personId}`, { phone: '785-555-0101' });
    expect(patch.status).toBe(403);
    const session = await buildSession(t.db, { capacity: 10, minimum: 0 });
    const registered = await clerk.request('POST', `/api/sessions/${session.id}/registrations`, {
      personId: official.personId,
    });
    expect(registered.status, registered.body).toBe(201);
  });

  it('sessions: the roster opens to the instructor who teaches it, and not to another', async () => {
    const teacher = await clientWithRoles(t, ['instructor']);
    const other = await clientWithRoles(t, ['instructor']);
    const session = await buildSession(t.db, { capacity: 10, minimum: 0, instructorIds: [teacher.personId] });

    const mine = await teacher.request('GET', `/api/sessions/${session.id}`);
    expect(mine.json.abilities).toMatchObject({ readRoster: true, recordAttendance: true, update: false });
    expect((await teacher.request('GET', `/api/sessions/${session.id}/roster`)).status).toBe(200);
    const edit = await teacher.request('PATCH', `/api/sessions/${session.id}`, { capacity: 12 });
    expect(edit.status).toBe(403);

    const notMine = await other.request('GET', `/api/sessions/${session.id}`);
    expect(notMine.json.abilities).toMatchObject({ readRoster: false, recordAttendance: false });
    expect((await other.request('GET', `/api/sessions/${session.id}/roster`)).status).toBe(403);
  });

  it('the signed-in session lists the actions the table gives the person, and the API agrees', async () => {
    const official = await clientWithRoles(t, ['official']);
    const session = await official.request('GET', '/api/session');
    const abilities = session.json.user.abilities as {
      actions: string[];
      staff: boolean;
      ownRecord: boolean;
    };
    expect(abilities).toMatchObject({ staff: false, ownRecord: true });
    expect(abilities.actions).not.toContain('people.list');
    expect((await official.request('GET', '/api/people')).status).toBe(403);
    expect(abilities.actions).toContain('claims.read.own');
    expect((await official.request('GET', '/api/me/claims')).status).toBe(200);
  });
});
