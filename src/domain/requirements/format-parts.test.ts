/**
 * The evaluation text (`civiccert evaluate`) for results no example file produces together:
 * waivers of both kinds, minimums and caps per year with their years, deadline nodes with an
 * unknown date or an extension, open windows, notes, award cycles of every state, a revoked award,
 * and records that count toward nothing. Built by hand so each line can be read against its input.
 */
import { describe, expect, it } from 'vitest';
import { formatEvaluationText } from './format.js';
import { testProgram } from './testkit.js';
import type { CycleResult, EvaluationResult, NodeResult } from './types.js';

const program = testProgram({ id: 'x', type: 'credits', title: 'X', min: 1 });

const node = (over: Partial<NodeResult>): NodeResult => ({
  id: 'n',
  type: 'credits',
  title: 'Node',
  applicable: true,
  met: false,
  have: 0,
  need: 1,
  unit: 'credits',
  counted: [],
  notCounted: [],
  parts: [],
  children: [],
  ...over,
});

const result = (over: Partial<EvaluationResult>): EvaluationResult => ({
  programId: 'test-program',
  programVersion: '1',
  asOf: '2027-05-01',
  status: 'in_progress',
  headline: 'In progress.',
  missing: [],
  initial: node({ type: 'allOf', title: 'All' }),
  deadlines: [],
  provisional: false,
  notCounted: [],
  ...over,
});

const cycle = (over: Partial<CycleResult>): CycleResult => ({
  index: 1,
  start: '2025-01-01',
  due: '2025-12-31',
  graceEnds: '2026-01-30',
  reminders: [],
  state: 'open',
  stored: false,
  closed: false,
  ...over,
});

describe('the evaluation text, part by part', () => {
  it('names an official without an id by the name given, or "Official"', () => {
    expect(formatEvaluationText(program, result({}), { name: 'Pat Lee' }).split('\n')[0]).toBe(
      '== Pat Lee ==',
    );
    expect(formatEvaluationText(program, result({})).split('\n')[0]).toBe('== Official ==');
    expect(formatEvaluationText(program, result({ personId: 'P-1' })).split('\n')[0]).toBe('== P-1 ==');
  });

  it('writes each line of the requirement tree with its figures, waivers, parts, notes and records', () => {
    const tree = node({
      type: 'allOf',
      title: 'All',
      have: 1,
      need: 4,
      children: [
        node({
          id: 'w',
          title: 'Ethics',
          met: true,
          have: 2.333,
          need: 3,
          metOn: '2026-02-01',
          window: { from: '2025-01-01' },
          waiver: {
            requirementId: 'w',
            kind: 'waiver',
            grantedBy: 'Ann',
            grantedOn: '2026-01-05',
            reason: 'Taught it',
          },
          note: 'Counts from the first appointment.',
          counted: [
            { recordId: 'r1', date: '2025-03-01', amount: 1.5, courseCode: 'ETH-1', note: '(shared)' },
            { recordId: 'r2', date: '2025-04-01', amount: 0.833 },
          ],
          notCounted: [
            { recordId: 'r3', date: '2024-01-01', amount: 2, reason: 'outside_window', detail: 'Too early.' },
          ],
        }),
        node({
          id: 'p',
          title: 'Year One',
          type: 'courses',
          unit: 'courses',
          need: 2,
          waiver: {
            requirementId: 'p',
            kind: 'provisional',
            grantedBy: 'Bo',
            grantedOn: '2026-02-02',
            reason: 'Pending',
          },
          window: { from: '2025-01-01', to: '2026-12-31' },
          missing: 'Course B',
        }),
        node({
          id: 'c',
          title: 'Continuing',
          have: 10,
          need: 12,
          parts: [
            { id: 'm', label: 'Ethics', kind: 'minimum', have: 1, limit: 2, met: false },
            {
              id: 'y',
              label: 'Each year',
              kind: 'minimum',
              have: 9,
              limit: 6,
              met: false,
              per: 'year',
              years: [
                { year: 1, from: '2025-01-01', to: '2025-12-31', have: 6, met: true },
                { year: 2, from: '2026-01-01', to: '2026-12-31', have: 3, met: false },
              ],
            },
            { id: 'a', label: 'Conferences', kind: 'cap', have: 10, limit: 10, met: true, per: 'activity' },
            { id: 'b', label: 'Board', kind: 'cap', have: 4, limit: 4, met: true, per: 'year' },
            { id: 't', label: 'Online', kind: 'cap', have: 5, limit: 6, met: true },
          ],
        }),
        node({ id: 'na', title: 'Pilot only', applicable: false, missing: 'never shown' }),
        node({
          id: 'd1',
          type: 'deadline',
          title: 'By taking office',
          have: 0,
          need: 1,
          deadline: { rule: '6 months after taking office', detail: 'taking office is not recorded yet' },
        }),
        node({
          id: 'd2',
          type: 'deadline',
          title: 'By June',
          have: 1,
          need: 1,
          met: true,
          deadline: {
            date: '2027-07-31',
            programDate: '2027-06-30',
            rule: 'by June 30, 2027',
            detail: '',
            extension: { requirementId: 'd2', until: '2027-07-31', reason: 'medical leave' },
          },
        }),
        node({
          id: 'd3',
          type: 'deadline',
          title: 'By August',
          deadline: {
            date: '2027-09-30',
            rule: 'by ...',
            detail: '',
            extension: { requirementId: 'd3', until: '2027-09-30', reason: 'storm' },
          },
        }),
        node({
          id: 'd4',
          type: 'deadline',
          title: 'Plain',
          deadline: { date: '2027-10-01', rule: 'r', detail: '' },
        }),
      ],
    });
    expect(formatEvaluationText(program, result({ initial: tree, personId: 'P-2' }), { name: 'Sam Ray' }))
      .toMatchInlineSnapshot(`
      "== Sam Ray (P-2) ==
      Program: Test Program, version 1; as of 2027-05-01 (America/Chicago)
      Status:  In progress
               In progress.

      Requirements:
        [ ] All: 1 of 4 requirements met
          [x] Ethics: 2.33 of 3 credits, met 2026-02-01, counting 2025-01-01 to ...
              Waived by Ann on 2026-01-05: Taught it
              Counts from the first appointment.
              + r1 2025-03-01 1.5 [ETH-1] (shared)
              + r2 2025-04-01 0.83
              - r3 2024-01-01 2: Too early.
          [ ] Year One: 0 of 2 courses, counting 2025-01-01 to 2026-12-31
              Provisionally approved by Bo on 2026-02-02: Pending
              Missing: Course B
          [ ] Continuing: 10 of 12 credits
              Ethics: 1 of at least 2 (short)
              Each year: 9 of at least 6 per year (short); year 1 (2025-01-01 to 2025-12-31) 6, year 2 (2026-01-01 to 2026-12-31) 3 (short)
              Conferences: 10 counted, at most 10 per activity
              Board: 4 counted, at most 4 per year
              Online: 5 counted, at most 6
          [-] Pilot only: does not apply
          [ ] By taking office: 0 of 1 requirement met, deadline not known yet: taking office is not recorded yet
          [x] By June: 1 of 1 requirement met, deadline 2027-07-31 (extended from 2027-06-30: medical leave)
          [ ] By August: 0 of 1 requirement met, deadline 2027-09-30 (extended: storm)
          [ ] Plain: 0 of 1 requirement met, deadline 2027-10-01"
    `);
    expect(formatEvaluationText(program, result({ initial: tree }), { showRecords: false })).not.toContain(
      '+ r1',
    );
  });

  it('lists deadlines that apply, the next award, records counting toward nothing', () => {
    const text = formatEvaluationText(
      program,
      result({
        missing: ['2 more credits.'],
        deadlines: [
          {
            id: 'a',
            label: 'Orientation',
            date: '2027-06-30',
            state: 'upcoming',
            detail: 'Due by June 30, 2027.',
          },
          { id: 'b', label: 'Exam', state: 'unknown', detail: 'Due 6 months after taking office.' },
          { id: 'c', label: 'Pilot', state: 'not_applicable', detail: 'x' },
        ],
        nextAward: { year: 2027, applyBy: '2027-08-01' },
        notCounted: [
          { recordId: 'r9', date: '2020-01-01', amount: 1.25, reason: 'outside_window', detail: 'Too old.' },
        ],
      }),
    );
    expect(text.split('\n').slice(4)).toEqual([
      '',
      'What is still missing:',
      '  - 2 more credits.',
      '',
      'Deadlines:',
      '  - Orientation (2027-06-30): upcoming. Due by June 30, 2027.',
      '  - Exam: unknown. Due 6 months after taking office.',
      '',
      'Next award: award 2027; apply by 2027-08-01.',
      '',
      'Requirements:',
      '  [ ] All: 0 of 1 requirement met',
      '',
      'Records that count toward nothing:',
      '  x r9 2020-01-01 1.25: Too old.',
    ]);
    expect(
      formatEvaluationText(program, result({ nextAward: { year: 2028, ceremony: 'Summer conference' } })),
    ).toContain('\nNext award: Summer conference 2028.\n');
  });

  it('writes the award and each cycle in its state; the current cycle only while the award stands', () => {
    const current = cycle({
      index: 4,
      start: '2027-01-01',
      due: '2027-12-31',
      graceEnds: '2028-01-30',
      requirement: node({ title: 'Renewal credits', need: 12, have: 3 }),
    });
    const lifecycle = (status: 'certified' | 'revoked' | 'expired') => ({
      award: { id: 'a', awardedOn: '2024-12-01', number: 'CPO-0042' },
      status,
      cycles: [
        cycle({ state: 'renewed', completedOn: '2025-11-02', stored: true }),
        cycle({
          index: 2,
          state: 'reinstated',
          completedOn: '2026-03-03',
          reinstateBy: '2027-01-30',
          closed: true,
        }),
        cycle({
          index: 3,
          state: 'lapsed',
          lateCorrection: {
            ledgerState: 'renewed',
            withdrawnRecordIds: ['r1'],
            detail: 'A credit was withdrawn after the cycle closed.',
          },
        }),
        current,
      ],
      current,
      nextReminder: '2027-10-01',
    });
    const certified = formatEvaluationText(
      program,
      result({ status: 'certified', lifecycle: lifecycle('certified') }),
    );
    expect(certified.split('\n').slice(4)).toEqual([
      '',
      'Award: No. CPO-0042, granted 2024-12-01',
      '  Renewal cycle 1: 2025-01-01 to 2025-12-31 (grace until 2026-01-30) - renewed on 2025-11-02 (stored)',
      '  Renewal cycle 2: 2025-01-01 to 2025-12-31 (grace until 2026-01-30, reinstatement until 2027-01-30) - reinstated on 2026-03-03 (closed)',
      '  Renewal cycle 3: 2025-01-01 to 2025-12-31 (grace until 2026-01-30) - lapsed',
      '    Late correction: A credit was withdrawn after the cycle closed.',
      '  Renewal cycle 4: 2027-01-01 to 2027-12-31 (grace until 2028-01-30) - open',
      '  Next reminder: 2027-10-01',
      '',
      'Current renewal cycle (2027-01-01 to 2027-12-31):',
      '  [ ] Renewal credits: 3 of 12 credits',
    ]);
    for (const status of ['revoked', 'expired'] as const) {
      const text = formatEvaluationText(program, result({ status, lifecycle: lifecycle(status) }));
      expect(text).not.toContain('Current renewal cycle');
      expect(text).not.toContain('Requirements:');
    }
    const unnumbered = formatEvaluationText(
      program,
      result({ lifecycle: { award: { id: 'a', awardedOn: '2024-12-01' }, status: 'certified', cycles: [] } }),
    );
    expect(unnumbered).toContain('\nAward: granted 2024-12-01');
    expect(unnumbered).not.toContain('Current renewal cycle');
  });
});
