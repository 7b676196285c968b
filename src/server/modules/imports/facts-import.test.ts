/**
 * Person facts in spreadsheets (issue 13, section 4): the `facts` import kind
 * (taking office, exams, waivers, provisional approvals, extensions,
 * attestations) checked by the same rules of entry as the person page, each
 * error named by row and column; the officials import's `appointment_date`;
 * idempotency by external id; and exports that import back unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx, type Ctx } from '../../context.js';
import { orientationProgram } from '../../../domain/requirements/orientation.fixture.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { quickClient } from '../../testing/scheduling.js';
import { exportFile } from './export.service.js';
import { runImport } from './imports.service.js';
import { header, KS } from './testdata.js';
import { writeCsv, writeXlsx, type Cell } from './write.js';

const ORI = orientationProgram.id; // the program's code

let t: TestApp;
let ctx: Ctx;
let coordinator: Client;
let programId: string;

const officials = (): Cell[][] => [
  // external_id, first, last, preferred, email, phone, title, fips, county, state, enrollments, appointment_date
  [
    'F-1',
    'Ana',
    'Akers',
    null,
    'f1@county.example.gov',
    null,
    'County Clerk',
    '20045',
    null,
    null,
    `${ORI}:2026-07-01`,
    '2026-07-01',
  ],
  [
    'F-2',
    'Ben',
    'Bell',
    null,
    'f2@county.example.gov',
    null,
    null,
    '20045',
    null,
    null,
    `${ORI}:2026-07-01; ${KS}:2026-01-05`,
    `${ORI}:2026-06-15`,
  ],
  [
    'F-3',
    'Cleo',
    'Cruz',
    null,
    'f3@county.example.gov',
    null,
    null,
    '20045',
    null,
    null,
    `${KS}:2026-01-05`,
    null,
  ],
];

const csv = (kind: 'officials' | 'facts', rows: Cell[][]) => Buffer.from(writeCsv(header(kind), rows));
const importFile = (kind: 'officials' | 'facts', rows: Cell[][], dryRun: boolean, filename = `${kind}.csv`) =>
  runImport(ctx, { kind, filename, input: csv(kind, rows), dryRun });

const personId = async (ext: string) =>
  (await t.db.selectFrom('person').select('id').where('external_id', '=', ext).executeTakeFirstOrThrow()).id;
const currentFacts = async (ext: string) =>
  t.db
    .selectFrom('person_fact')
    .select(['kind', 'key', 'date', 'score', 'until', 'reason'])
    .where('person_id', '=', await personId(ext))
    .where('withdrawn_at', 'is', null)
    .orderBy('created_at')
    .execute();
const factCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('person_fact')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2026-09-15T15:00:00Z');
  ctx = systemCtx(t.deps, 'test');
  const admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  const created = await admin.request('POST', '/api/programs', { definition: orientationProgram });
  expect(created.status, created.body).toBe(201);
  programId = created.json.id;
  expect((await admin.request('POST', `/api/programs/${programId}/publish`)).status).toBe(200);
}, 60_000);
afterAll(() => t?.close());

describe('officials: appointment_date', () => {
  it('records the taking-office date for the enrollments the row lists, and re-importing changes nothing', async () => {
    const run = await importFile('officials', officials(), false);
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ status: 'succeeded', created: 3 });
    expect(await currentFacts('F-1')).toEqual([
      {
        kind: 'date',
        key: 'appointment',
        date: '2026-07-01',
        score: null,
        until: null,
        reason: 'Imported from officials.csv',
      },
    ]);
    // Per program: only the orientation enrollment gets a date.
    const f2 = await currentFacts('F-2');
    expect(f2.map((f) => [f.key, f.date])).toEqual([['appointment', '2026-06-15']]);
    expect(await currentFacts('F-3')).toEqual([]);
    // The deadline now runs from taking office (6 months): the official's progress says so.
    const status = await t.db
      .selectFrom('certification_status')
      .select('status')
      .where('person_id', '=', await personId('F-1'))
      .where('program_id', '=', programId)
      .executeTakeFirst();
    expect(status).toBeTruthy();

    const again = await importFile('officials', officials(), false);
    expect(again).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: 3 });
    expect(await currentFacts('F-1')).toHaveLength(1);
  });

  it('a new date replaces the current one (kept as withdrawn history); the row counts as changed', async () => {
    const rows = officials();
    rows[0]![11] = '2026-08-03';
    const run = await importFile('officials', rows, false, 'officials-corrected.csv');
    expect(run).toMatchObject({ status: 'succeeded', created: 0, updated: 1, unchanged: 2 });
    expect((await currentFacts('F-1')).map((f) => [f.date, f.reason])).toEqual([
      ['2026-08-03', 'Imported from officials-corrected.csv'],
    ]);
    const old = await t.db
      .selectFrom('person_fact')
      .select(['date', 'withdrawn_reason'])
      .where('person_id', '=', await personId('F-1'))
      .where('withdrawn_at', 'is not', null)
      .execute();
    expect(old).toEqual([
      {
        date: '2026-07-01',
        withdrawn_reason: 'Replaced by a later entry: Imported from officials-corrected.csv',
      },
    ]);
  });

  it('a bad appointment_date is an error on its row and column; nothing is written', async () => {
    const rows = officials();
    rows[0]![11] = '2026-08-03';
    rows[1]![11] = 'soon';
    rows[2]![11] = `${ORI}:2026-06-01`; // F-3 is not enrolled in orientation on this row
    rows.push([
      'F-4',
      'Dev',
      'Diaz',
      null,
      'f4@county.example.gov',
      null,
      null,
      '20045',
      null,
      null,
      null,
      '2026-05-01',
    ]);
    const before = await factCount();
    for (const dryRun of [true, false]) {
      const run = await importFile('officials', rows, dryRun);
      expect(run.status).toBe(dryRun ? 'invalid' : 'failed');
      expect(run.errors).toEqual([
        {
          row: 3,
          column: 'appointment_date',
          message: '"soon" is not a date (YYYY-MM-DD) or "program:YYYY-MM-DD".',
        },
        {
          row: 4,
          column: 'appointment_date',
          message: `"${ORI}" is not one of the enrollments on this row.`,
        },
        {
          row: 5,
          column: 'appointment_date',
          message: 'A taking-office date is recorded for an enrollment: list the enrollments on this row.',
        },
      ]);
    }
    expect(await factCount()).toBe(before);
  });
});

/** external_id, official_external_id, official_email, program, kind, key, date, score, until, reason */
const goodFacts = (): Cell[][] => [
  ['FX-1', 'F-3', null, ORI, 'date', 'appointment', '2026-10-01', null, null, 'Sworn in next month'],
  ['FX-2', 'F-1', null, ORI, 'exam', 'Election law exam', '2026-09-01', 82, null, 'Proctored exam'],
  [
    'FX-3',
    'F-1',
    null,
    ORI,
    'waiver',
    'orientation-deadline',
    '2026-09-02',
    null,
    '2027-03-01',
    'Medical leave',
  ],
  [
    'FX-4',
    null,
    'f2@county.example.gov',
    null,
    'provisional',
    'law-exam',
    '2026-09-03',
    null,
    null,
    'Exam pending',
  ],
  [
    'FX-5',
    'F-2',
    null,
    ORI,
    'extension',
    'orientation-deadline',
    '2026-09-04',
    null,
    '2027-06-30',
    'Board vote',
  ],
  [
    'FX-6',
    'F-2',
    null,
    programId, // a program by its id, too
    'attestation',
    'ethics-pledge',
    '2026-09-05',
    null,
    null,
    'Signed at the office',
  ],
];

describe('the facts import', () => {
  it('dry run: every bad row is named by row and column, with the rules of the person page; nothing is written', async () => {
    // F-3 is enrolled in orientation only after the officials import below; here, in KS only.
    const bad: Cell[][] = [
      ['B-1', 'F-1', null, ORI, 'promotion', 'appointment', '2026-09-01', null, null, 'x'], // row 2
      ['B-2', 'F-1', null, ORI, 'exam', 'election-law', '2026-09-01', null, null, 'x'], // 3: no score
      ['B-3', 'F-1', null, ORI, 'exam', 'election-law', '2026-12-01', 90, null, 'x'], // 4: future
      ['B-4', 'F-1', null, ORI, 'exam', 'driving', '2026-09-01', 90, null, 'x'], // 5: unknown key
      ['B-5', 'F-1', null, ORI, 'extension', 'orientation-deadline', '2026-09-01', null, null, 'x'], // 6
      ['B-6', 'F-1', null, ORI, 'attestation', 'ethics-pledge', '2026-09-01', null, '2027-01-01', 'x'], // 7
      ['B-7', 'F-1', null, ORI, 'waiver', 'law-exam', '2026-09-01', null, '2026-08-01', 'x'], // 8
      ['B-8', 'F-1', null, ORI, 'date', 'appointment', '2026-02-30', null, null, 'x'], // 9
      ['B-9', 'F-1', null, ORI, 'attestation', 'ethics-pledge', '2026-09-01', null, null, '  '], // 10
      ['B-10', 'F-3', null, ORI, 'date', 'appointment', '2026-09-01', null, null, 'x'], // 11: not enrolled
      ['B-11', 'F-99', null, ORI, 'date', 'appointment', '2026-09-01', null, null, 'x'], // 12
      ['B-12', 'F-1', null, 'no-such', 'date', 'appointment', '2026-09-01', null, null, 'x'], // 13
      ['B-13', 'F-1', null, ORI, 'exam', 'election-law', '2026-09-01', 'ninety', null, 'x'], // 14
      ['B-14', 'F-2', null, ORI, 'date', 'appointment', '2026-09-01', null, null, 'x'], // 15
      ['B-15', 'F-2', null, ORI, 'date', 'Taking office (appointment date)', '2026-09-02', null, null, 'x'], // 16
      ['B-14', 'F-2', null, ORI, 'attestation', 'ethics-pledge', '2026-09-01', null, null, 'x'], // 17
      ['B-17', 'F-2', null, ORI, 'exam', 'election-law', '2026-09-01', 20000, null, 'x'], // 18
    ];
    const expected: [number, string, RegExp][] = [
      [2, 'kind', /Kind must be one of: date, exam, waiver/],
      [3, 'score', /An exam result needs its score/],
      [4, 'date', /can't be after today \(September 15, 2026\)/],
      [5, 'key', /has no exam "driving". Choose one of: Election law exam \(election-law\)/],
      [6, 'until', /An extension needs the new deadline/],
      [7, 'until', /Only a waiver, a provisional approval or an extension has an end date/],
      [8, 'until', /on or after the date granted/],
      [9, 'date', /Date must be a date like/],
      [10, 'reason', /Reason is required/],
      [11, 'program', /This person is not enrolled in New County Clerk Orientation/],
      [12, 'official_external_id', /no official with external id "F-99"/],
      [13, 'program', /There is no program "no-such"/],
      [14, 'score', /"ninety" is not a number/],
      [16, 'key', /"appointment" is also on row 15: one can be current/],
      [17, 'external_id', /also on row 15/],
      [18, 'score', /must be between 0 and 10000/],
    ];
    const before = await factCount();
    for (const [dryRun, bytes] of [
      [true, csv('facts', bad)],
      [false, await writeXlsx('facts', header('facts'), bad)],
    ] as const) {
      const run = await runImport(ctx, {
        kind: 'facts',
        filename: dryRun ? 'facts.csv' : 'facts.xlsx',
        input: bytes,
        dryRun,
      });
      expect(run.status).toBe(dryRun ? 'invalid' : 'failed');
      expect(run.errors.map((e) => [e.row, e.column])).toEqual(
        expected.map(([row, column]) => [row, column]),
      );
      run.errors.forEach((e, i) => expect(e.message).toMatch(expected[i]![2]));
    }
    expect(await factCount()).toBe(before);
  });

  it('a file without a column naming the official is refused on row 1', async () => {
    const run = await runImport(ctx, {
      kind: 'facts',
      filename: 'cols.csv',
      input: Buffer.from('external_id,kind,key,date,reason\nX,date,appointment,2026-01-01,x\n'),
      dryRun: true,
    });
    expect(run.errors).toEqual([
      {
        row: 1,
        column: 'official_external_id',
        message: 'Add a column official_external_id or official_email to say whose record each row is.',
      },
    ]);
  });

  it('a good file records every kind (a key by its name too), audited, quietly re-evaluated; the same file again is unchanged', async () => {
    // F-3 enrolls in orientation (the officials file lists it now).
    const rows = officials();
    rows[0]![11] = '2026-08-03';
    rows[2]![10] = `${KS}:2026-01-05; ${ORI}:2026-09-01`;
    expect(await importFile('officials', rows, false)).toMatchObject({ status: 'succeeded', updated: 1 });

    const dry = await runImport(ctx, {
      kind: 'facts',
      filename: 'facts.csv',
      input: csv('facts', goodFacts()),
      dryRun: true,
      program: ORI,
    });
    expect(dry.errors).toEqual([]);
    expect(dry).toMatchObject({ status: 'validated', created: 6 });
    const run = await runImport(ctx, {
      kind: 'facts',
      filename: 'facts.csv',
      input: csv('facts', goodFacts()),
      dryRun: false,
      program: ORI, // for the row that leaves program empty
    });
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ status: 'succeeded', created: 6, unchanged: 0 });
    expect(await currentFacts('F-1')).toEqual([
      expect.objectContaining({ kind: 'date', date: '2026-08-03' }),
      {
        kind: 'exam',
        key: 'election-law',
        date: '2026-09-01',
        score: 82,
        until: null,
        reason: 'Proctored exam',
      },
      expect.objectContaining({ kind: 'waiver', key: 'orientation-deadline', until: '2027-03-01' }),
    ]);
    expect((await currentFacts('F-2')).map((f) => [f.kind, f.key])).toEqual([
      ['date', 'appointment'],
      ['provisional', 'law-exam'],
      ['extension', 'orientation-deadline'],
      ['attestation', 'ethics-pledge'],
    ]);
    // A dated fact may lie ahead: taking office next month.
    expect((await currentFacts('F-3')).map((f) => f.date)).toEqual(['2026-10-01']);

    // Audited: the run, and each fact as the person page audits it.
    const audits = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', 'in', ['import.facts', 'person.fact.record'])
      .where('entity_id', 'in', [run.id, await personId('F-2')])
      .execute();
    expect(audits.filter((a) => a.action === 'import.facts')).toHaveLength(1);
    expect(
      audits.filter(
        (a) => a.action === 'person.fact.record' && (a.after as { importRun?: string }).importRun === run.id,
      ),
    ).toHaveLength(3);

    // Re-evaluated at once, quietly: F-2's status was recomputed by the import, their progress
    // counts the deadline from the extension, and nobody was e-mailed.
    const f2 = await personId('F-2');
    const f2Status = await t.db
      .selectFrom('certification_status')
      .select('computed_at')
      .where('person_id', '=', f2)
      .where('program_id', '=', programId)
      .executeTakeFirstOrThrow();
    expect(f2Status.computed_at).toBe(t.clock.now.toISOString());
    const progress = await coordinator.request('GET', `/api/people/${f2}/progress`);
    expect(progress.status, progress.body).toBe(200);
    const view = progress.json.programs.find((p: { program: { id: string } }) => p.program.id === programId);
    expect(view.facts.map((f: { label: string }) => f.label)).toEqual(
      expect.arrayContaining(['Election law exam', 'Ethics pledge']),
    );
    // The provisional approval meets the exam for now.
    expect(view.nodes.find((n: { id: string }) => n.id === 'law-exam')).toMatchObject({ met: true });
    // The imported extension moves F-2's deadline to June 30, 2027, with its reason.
    const deadline = view.nodes.find((n: { id: string }) => n.id === 'orientation-deadline');
    expect(deadline.missing).toContain('June 30, 2027');
    expect(deadline.missing).toContain('Board vote');
    const mail = await t.db
      .selectFrom('email_message')
      .select('kind')
      .where('to_address', '=', 'f2@county.example.gov')
      .execute();
    expect(mail).toEqual([]);

    const again = await runImport(ctx, {
      kind: 'facts',
      filename: 'facts.csv',
      input: csv('facts', goodFacts()),
      dryRun: false,
      program: ORI,
    });
    expect(again).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: 6 });
  });

  it('a row imported before with different values is an error on external_id', async () => {
    const rows = goodFacts();
    rows[1]![7] = 91;
    const run = await runImport(ctx, {
      kind: 'facts',
      filename: 'facts.csv',
      input: csv('facts', rows),
      dryRun: true,
      program: ORI,
    });
    expect(run.errors).toEqual([
      {
        row: 3,
        column: 'external_id',
        message: expect.stringMatching(/imported before with different values/),
      },
    ]);
  });

  it('export → import: officials and facts (those recorded on the person page too) come back unchanged', async () => {
    // A fact recorded by staff, not imported: exported under cc-<its id>.
    const recorded = await coordinator.request('POST', `/api/people/${await personId('F-3')}/facts`, {
      programId,
      kind: 'exam',
      key: 'election-law',
      date: '2026-09-10',
      score: 64,
      reason: 'First attempt',
    });
    expect(recorded.status, recorded.body).toBe(201);
    const before = await factCount();
    for (const [kind, filename] of [
      ['officials', 'officials.xlsx'],
      ['facts', 'facts.csv'],
      ['facts', 'facts.xlsx'],
    ] as const) {
      const file = await exportFile(t.db, kind, filename);
      const run = await runImport(ctx, { kind, filename, input: file.bytes, dryRun: false });
      expect(run.errors, `${kind} ${filename}`).toEqual([]);
      expect(run, `${kind} ${filename}`).toMatchObject({
        status: 'succeeded',
        created: 0,
        updated: 0,
        unchanged: file.rows,
      });
    }
    expect(await factCount()).toBe(before);
    const facts = await exportFile(t.db, 'facts', 'facts.csv');
    const text = facts.bytes.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(header('facts').join(','));
    expect(text).toContain(
      `cc-${recorded.json.id},F-3,f3@county.example.gov,${ORI},exam,election-law,2026-09-10,64,,First attempt`,
    );
    expect(text).toContain(
      `FX-2,F-1,f1@county.example.gov,${ORI},exam,election-law,2026-09-01,82,,Proctored exam`,
    );
    // The officials export writes the taking-office date: one date, or per program when they differ.
    const off = (await exportFile(t.db, 'officials', 'o.csv')).bytes.toString('utf8');
    expect(off).toMatch(/^F-1,.*,2026-08-03\r$/m);
    expect(off).toMatch(new RegExp(`^F-2,.*,${ORI}:2026-06-15\r$`, 'm'));
  });
});
