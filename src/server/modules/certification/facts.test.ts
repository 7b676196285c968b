/**
 * Person facts (issue 13, section 4): staff record the taking-office date, an
 * exam result, a waiver and an attestation for an official, with a reason; each
 * is audited, re-evaluates the status cache at once, and shows on the
 * official's own progress page. A fact is withdrawn, never edited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { orientationProgram } from '../../../domain/requirements/orientation.fixture.js';
import { buildCourse, buildRegistration, buildSession, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let coordinator: Client;
let reviewer: Client;
let instructor: Client;
let official: Client;
let other: Client;
let programId: string;

interface Node {
  id: string;
  met: boolean;
  missing: string | null;
  applicable: boolean;
}
interface ProgramView {
  program: { id: string };
  status: string;
  headline: string;
  missing: string[];
  nodes: Node[];
  facts: {
    kind: string;
    label: string;
    date: string;
    score: number | null;
    until: string | null;
    reason: string;
  }[];
}

async function myProgress(): Promise<ProgramView> {
  const r = await official.request('GET', '/api/me/progress');
  expect(r.status, r.body).toBe(200);
  return r.json.programs.find((p: ProgramView) => p.program.id === programId);
}
const node = (p: ProgramView, id: string) => p.nodes.find((n) => n.id === id)!;
const cached = async () =>
  (
    await t.db
      .selectFrom('certification_status')
      .select('status')
      .where('person_id', '=', official.personId)
      .where('program_id', '=', programId)
      .executeTakeFirstOrThrow()
  ).status;
const record = (client: Client, body: Record<string, unknown>, personId = official.personId) =>
  client.request('POST', `/api/people/${personId}/facts`, {
    programId,
    reason: 'Per the county’s letter',
    ...body,
  });

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2026-09-15T15:00:00Z');
  admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  reviewer = await quickClient(t, ['reviewer']);
  instructor = await quickClient(t, ['instructor']);
  official = await quickClient(t, ['official'], { firstName: 'Ada', lastName: 'Clerk' });
  other = await quickClient(t, ['official']);
  const created = await admin.request('POST', '/api/programs', { definition: orientationProgram });
  expect(created.status, created.body).toBe(201);
  programId = created.json.id;
  expect((await admin.request('POST', `/api/programs/${programId}/publish`)).status).toBe(200);
  const enrolled = await coordinator.request('POST', `/api/programs/${programId}/enrollments`, {
    personId: official.personId,
    enrolledOn: '2026-07-01',
    feeStatus: 'waived',
  });
  expect(enrolled.status, enrolled.body).toBe(201);
});
afterAll(async () => t?.close());

describe('recording person facts', () => {
  it('before the taking-office date is known, the deadline has no date', async () => {
    const p = await myProgress();
    expect(p.status).toBe('not_started');
    expect(p.facts).toEqual([]);
  });

  it('a coordinator records the taking-office date: the deadline is 6 months later, audited, cache updated', async () => {
    const r = await record(coordinator, { kind: 'date', key: 'appointment', date: '2026-07-01' });
    expect(r.status, r.body).toBe(201);
    expect(r.json).toMatchObject({
      kind: 'date',
      key: 'appointment',
      label: 'Taking office (appointment date)',
      date: '2026-07-01',
      reason: 'Per the county’s letter',
      withdrawnAt: null,
    });
    expect(r.json.recordedBy).toBeTruthy();
    const p = await myProgress();
    expect(node(p, 'orientation-deadline').missing).toContain('January 1, 2027');
    expect(p.facts).toEqual([
      expect.objectContaining({
        kind: 'date',
        label: 'Taking office (appointment date)',
        date: '2026-07-01',
      }),
    ]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', official.personId)
      .where('action', '=', 'person.fact.record')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({
      kind: 'date',
      key: 'appointment',
      reason: 'Per the county’s letter',
    });
  });

  it('a medical waiver on the deadline suspends the date, and the training is still owed', async () => {
    const r = await record(coordinator, {
      kind: 'waiver',
      key: 'orientation-deadline',
      date: '2026-09-10',
      reason: 'Medical leave, July to October',
    });
    expect(r.status, r.body).toBe(201);
    expect(r.json.label).toBe('Orientation within 6 months of taking office');
    const p = await myProgress();
    const deadline = node(p, 'orientation-deadline');
    expect(deadline.met).toBe(false);
    expect(deadline.missing).toContain('Medical leave, July to October');
    expect(node(p, 'orientation-courses').met).toBe(false);
    expect(p.status).not.toBe('eligible');
    expect(p.facts.map((f) => f.kind)).toEqual(['date', 'waiver']);
  });

  it('an exam result and an attestation meet their requirements at once (status cache too)', async () => {
    expect(node(await myProgress(), 'law-exam').met).toBe(false);
    const exam = await record(coordinator, {
      kind: 'exam',
      key: 'election-law',
      date: '2026-09-01',
      score: 82,
    });
    expect(exam.status, exam.body).toBe(201);
    expect(exam.json).toMatchObject({ label: 'Election law exam', score: 82 });
    const pledge = await record(admin, { kind: 'attestation', key: 'ethics-pledge', date: '2026-09-02' });
    expect(pledge.status, pledge.body).toBe(201);
    const p = await myProgress();
    expect(node(p, 'law-exam').met).toBe(true);
    expect(node(p, 'ethics').met).toBe(true);
    expect(p.status).toBe('in_progress');
    expect(await cached()).toBe('in_progress');
  });

  it('a new taking-office date replaces the old one, which stays as withdrawn history', async () => {
    const r = await record(coordinator, {
      kind: 'date',
      key: 'appointment',
      date: '2026-08-03',
      reason: 'Sworn in later than first reported',
    });
    expect(r.status, r.body).toBe(201);
    const list = await coordinator.request('GET', `/api/people/${official.personId}/facts`);
    expect(list.status).toBe(200);
    const dates = list.json.items.filter((f: { kind: string }) => f.kind === 'date');
    expect(dates).toHaveLength(2);
    const old = dates.find((f: { date: string }) => f.date === '2026-07-01');
    expect(old.withdrawnAt).not.toBeNull();
    expect(old.withdrawnReason).toContain('Sworn in later than first reported');
    expect(list.json.options).toEqual([
      expect.objectContaining({
        program: { id: programId, name: 'New County Clerk Orientation' },
        exams: [{ key: 'election-law', label: 'Election law exam' }],
        deadlines: [{ key: 'orientation-deadline', label: 'Orientation within 6 months of taking office' }],
        attestations: [{ key: 'ethics-pledge', label: 'Ethics pledge' }],
      }),
    ]);
    expect((await myProgress()).facts.filter((f) => f.kind === 'date').map((f) => f.date)).toEqual([
      '2026-08-03',
    ]);
  });

  it('withdrawing the waiver brings the deadline back; withdrawing twice is a conflict', async () => {
    const list = await coordinator.request('GET', `/api/people/${official.personId}/facts`);
    const waiver = list.json.items.find((f: { kind: string }) => f.kind === 'waiver');
    const w = await coordinator.request('POST', `/api/person-facts/${waiver.id}/withdraw`, {
      reason: 'Back at work in September',
    });
    expect(w.status, w.body).toBe(200);
    expect(w.json.reason).toBe('Back at work in September');
    expect(w.json.fact).toMatchObject({ id: waiver.id, withdrawnReason: 'Back at work in September' });
    const p = await myProgress();
    expect(node(p, 'orientation-deadline').missing).toContain('February 3, 2027');
    expect(p.facts.map((f) => f.kind)).not.toContain('waiver');
    const again = await coordinator.request('POST', `/api/person-facts/${waiver.id}/withdraw`, {
      reason: 'x',
    });
    expect(again.status).toBe(409);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', official.personId)
      .where('action', '=', 'person.fact.withdraw')
      .execute();
    expect(audit).toHaveLength(1);
  });
});

describe('extensions and confirmed seats', () => {
  it('an extension moves this person’s deadline, and the explanation says from when and why', async () => {
    const r = await record(coordinator, {
      kind: 'extension',
      key: 'orientation-deadline',
      date: '2026-09-14',
      until: '2027-04-01',
      reason: 'No orientation session in the county before spring',
    });
    expect(r.status, r.body).toBe(201);
    const deadline = node(await myProgress(), 'orientation-deadline');
    expect(deadline.missing).toContain('April 1, 2027');
    expect(deadline.missing).toContain('No orientation session in the county before spring');
    expect((await myProgress()).facts.find((f) => f.kind === 'extension')).toMatchObject({
      until: '2027-04-01',
    });
  });

  it('confirmed seats in both upcoming orientation courses give provisional standing, status still in progress', async () => {
    for (const [code, day] of [
      ['ORI-1', '2026-10-20T14:00:00Z'],
      ['ORI-2', '2026-10-21T14:00:00Z'],
    ] as const) {
      const course = await buildCourse(t.db, {
        programCode: 'new-clerk-orientation',
        code,
        credits: [{ category: 'orientation', amount: 3 }],
      });
      const session = await buildSession(t.db, { courseId: course.id, startsAt: new Date(day) });
      await buildRegistration(t.db, session.id, official.personId, 'confirmed');
    }
    const p = await myProgress();
    expect(p.status).toBe('in_progress');
    expect(p.headline).toMatch(/Provisionally meets/);
    expect(p.headline).toContain('October 21, 2026');
    // As of an earlier day, seats are not counted (they are about today's upcoming sessions).
    const then = await official.request('GET', '/api/me/progress?asOf=2026-09-15');
    const thenKs = then.json.programs.find((x: ProgramView) => x.program.id === programId);
    expect(thenKs.headline).not.toMatch(/Provisionally/);
  });
});

describe('bad input and other roles', () => {
  it('names the field that is wrong', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { kind: 'exam', key: 'driving', date: '2026-09-01', score: 90 },
        'key',
        /Election law exam \(election-law\)/,
      ],
      [{ kind: 'exam', key: 'election-law', date: '2026-09-01' }, 'score', /needs its score/],
      [{ kind: 'exam', key: 'election-law', date: '2026-12-01', score: 90 }, 'date', /after today/],
      [{ kind: 'extension', key: 'orientation-deadline', date: '2026-09-01' }, 'until', /new deadline/],
      [
        { kind: 'attestation', key: 'ethics-pledge', date: '2026-09-01', until: '2027-01-01' },
        'until',
        /Only a waiver/,
      ],
      [{ kind: 'waiver', key: 'law-exam', date: '2026-09-01', until: '2026-08-01' }, 'until', /on or after/],
      [{ kind: 'date', key: 'appointment', date: '2026-02-30' }, 'date', /date like/],
      [{ kind: 'promotion', key: 'appointment', date: '2026-09-01' }, 'kind', /Kind must be one of/],
      [
        { kind: 'date', key: 'appointment', date: '2026-09-01', reason: '  ' },
        'reason',
        /Reason is required/,
      ],
    ];
    for (const [body, field, message] of cases) {
      const r = await record(coordinator, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const err = r.json.errors.find((e: { field: string }) => e.field === field);
      expect(err?.message, `${JSON.stringify(body)}: ${r.body}`).toMatch(message);
    }
  });

  it('a person who is not enrolled, or does not exist, is refused; nothing is stored', async () => {
    const before = await t.db
      .selectFrom('person_fact')
      .select(t.db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const notEnrolled = await record(
      coordinator,
      { kind: 'date', key: 'appointment', date: '2026-01-01' },
      other.personId,
    );
    expect(notEnrolled.status).toBe(400);
    expect(notEnrolled.json.errors[0]).toMatchObject({ field: 'programId' });
    expect(notEnrolled.json.errors[0].message).toContain('not enrolled in New County Clerk Orientation');
    const nobody = await record(
      coordinator,
      { kind: 'date', key: 'appointment', date: '2026-01-01' },
      '00000000-0000-4000-8000-000000000000',
    );
    expect(nobody.status).toBe(404);
    const after = await t.db
      .selectFrom('person_fact')
      .select(t.db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('only administrators and coordinators record or withdraw; reviewers read; officials see their own on progress', async () => {
    const body = { kind: 'attestation', key: 'ethics-pledge', date: '2026-09-03' };
    for (const c of [reviewer, instructor, official]) expect((await record(c, body)).status).toBe(403);
    // A reviewer sees the people whose claims they review; this official has none, so 404.
    expect((await reviewer.request('GET', `/api/people/${official.personId}/facts`)).status).toBe(404);
    expect((await admin.request('GET', `/api/people/${official.personId}/facts`)).status).toBe(200);
    for (const c of [instructor, official, other])
      expect((await c.request('GET', `/api/people/${official.personId}/facts`)).status).toBe(403);
    const someFact = (await coordinator.request('GET', `/api/people/${official.personId}/facts`)).json
      .items[0];
    expect(
      (await official.request('POST', `/api/person-facts/${someFact.id}/withdraw`, { reason: 'mine' }))
        .status,
    ).toBe(403);
  });

  it('two coordinators recording the taking-office date at once leave exactly one current date', async () => {
    const results = await Promise.all(
      ['2026-08-10', '2026-08-11', '2026-08-12', '2026-08-13'].map((date) =>
        record(coordinator, { kind: 'date', key: 'appointment', date }),
      ),
    );
    for (const r of results) expect(r.status, r.body).toBe(201);
    const current = await t.db
      .selectFrom('person_fact')
      .select('date')
      .where('person_id', '=', official.personId)
      .where('kind', '=', 'date')
      .where('withdrawn_at', 'is', null)
      .execute();
    expect(current).toHaveLength(1);
  });
});
