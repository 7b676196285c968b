import { describe, expect, it } from 'vitest';
import { orientationProgram } from './orientation.fixture.js';
import { evaluate } from './evaluate.js';
import {
  factEntryIssues,
  factLabel,
  factTargets,
  factsToContext,
  resolveFactKey,
  targetsFor,
  type RecordedFact,
} from './facts.js';

const fact = (f: Partial<RecordedFact> & Pick<RecordedFact, 'kind' | 'key'>): RecordedFact => ({
  date: '2026-07-01',
  reason: 'Per the county',
  ...f,
});

describe('factTargets', () => {
  it('lists what can be recorded: the taking-office date, exams, every requirement, deadlines, attestations', () => {
    const t = factTargets(orientationProgram);
    expect(t.dates).toEqual([{ key: 'appointment', label: 'Taking office (appointment date)' }]);
    expect(t.exams).toEqual([{ key: 'election-law', label: 'Election law exam' }]);
    expect(t.deadlines).toEqual([
      { key: 'orientation-deadline', label: 'Orientation within 6 months of taking office' },
    ]);
    expect(t.attestations).toEqual([{ key: 'ethics-pledge', label: 'Ethics pledge' }]);
    expect(t.requirements.map((r) => r.key)).toEqual([
      'orientation',
      'orientation-deadline',
      'orientation-courses',
      'law-exam',
      'ethics',
    ]);
    expect(targetsFor(t, 'waiver')).toBe(t.requirements);
    expect(targetsFor(t, 'provisional')).toBe(t.requirements);
    expect(targetsFor(t, 'extension')).toBe(t.deadlines);
    expect(targetsFor(t, 'exam')).toBe(t.exams);
    expect(targetsFor(t, 'attestation')).toBe(t.attestations);
    expect(targetsFor(t, 'date')).toBe(t.dates);
  });

  it('prefixes renewal and reinstatement requirements, declared person facts join the dates', () => {
    const p = {
      ...orientationProgram,
      personFacts: [{ id: 'first-served', label: 'First served as the designated election official' }],
      renewal: {
        cycleYears: 1,
        expiryBasis: 'previousExpiry' as const,
        remindDaysBefore: [],
        graceDays: 0,
        requirement: { id: 'annual', type: 'credits' as const, title: 'Annual update', min: 3 },
        reinstatement: {
          withinDays: 30,
          requirement: { id: 'make-up', type: 'credits' as const, title: 'Make-up hours', min: 6 },
        },
      },
    };
    const t = factTargets(p);
    expect(t.dates.map((d) => d.key)).toEqual(['appointment', 'first-served']);
    expect(t.requirements.slice(-2)).toEqual([
      { key: 'annual', label: 'Renewal: Annual update' },
      { key: 'make-up', label: 'Reinstatement: Make-up hours' },
    ]);
    expect(factLabel(t, { kind: 'waiver', key: 'annual' })).toBe('Renewal: Annual update');
    expect(factLabel(t, { kind: 'exam', key: 'gone' })).toBe('gone');
  });
});

describe('factsToContext', () => {
  it('maps each kind to the engine input, the later dated fact or extension of one key winning', () => {
    const ctx = factsToContext([
      fact({ kind: 'date', key: 'appointment', date: '2026-07-01' }),
      fact({ kind: 'date', key: 'appointment', date: '2026-08-03' }),
      fact({ kind: 'date', key: 'first-served', date: '2026-09-01' }),
      fact({ kind: 'exam', key: 'election-law', date: '2026-08-20', score: 64 }),
      fact({ kind: 'exam', key: 'election-law', date: '2026-09-01', score: 82 }),
      fact({
        kind: 'waiver',
        key: 'orientation-deadline',
        date: '2026-09-10',
        reason: 'Medical leave',
        recordedBy: 'Dana Ruiz',
      }),
      fact({ kind: 'provisional', key: 'law-exam', date: '2026-09-10', until: '2026-12-31' }),
      fact({ kind: 'extension', key: 'orientation-deadline', date: '2026-09-10', until: '2027-02-01' }),
      fact({
        kind: 'extension',
        key: 'orientation-deadline',
        date: '2026-09-11',
        until: '2027-03-01',
        reason: 'Second leave',
      }),
      fact({ kind: 'attestation', key: 'ethics-pledge', date: '2026-09-02' }),
    ]);
    expect(ctx).toEqual({
      appointmentDate: '2026-08-03',
      factDates: { 'first-served': '2026-09-01' },
      examResults: [
        { exam: 'election-law', score: 64, date: '2026-08-20' },
        { exam: 'election-law', score: 82, date: '2026-09-01' },
      ],
      waivers: [
        {
          requirementId: 'orientation-deadline',
          kind: 'waiver',
          grantedBy: 'Dana Ruiz',
          reason: 'Medical leave',
          grantedOn: '2026-09-10',
        },
        {
          requirementId: 'law-exam',
          kind: 'provisional',
          grantedBy: 'program staff',
          reason: 'Per the county',
          grantedOn: '2026-09-10',
          expiresOn: '2026-12-31',
        },
      ],
      extensions: [
        {
          requirementId: 'orientation-deadline',
          until: '2027-03-01',
          reason: 'Second leave',
          grantedBy: 'program staff',
        },
      ],
      attestations: [{ attestation: 'ethics-pledge', date: '2026-09-02' }],
    });
  });

  it('no facts give an empty context', () => {
    expect(factsToContext([])).toEqual({});
  });

  it('a taking-office date and a medical waiver: the deadline is suspended and the courses still owed', () => {
    const facts = [
      fact({ kind: 'date', key: 'appointment', date: '2026-07-01' }),
      fact({
        kind: 'waiver',
        key: 'orientation-deadline',
        date: '2026-09-10',
        reason: 'Medical leave',
        recordedBy: 'Dana Ruiz',
      }),
    ];
    const r = evaluate(orientationProgram, [], { asOf: '2027-02-01', ...factsToContext(facts) });
    expect(r.status).not.toBe('eligible');
    expect(r.missing.join(' ')).toContain('Orientation courses');
    expect(r.missing.join(' ')).toContain('Medical leave, granted by Dana Ruiz');
    const without = evaluate(orientationProgram, [], {
      asOf: '2027-02-01',
      ...factsToContext(facts.slice(0, 1)),
    });
    expect(without.missing.join(' ')).toContain('January 1, 2027');
  });
});

describe('factEntryIssues: the rules of entry (API, person page and spreadsheet imports)', () => {
  const program = { name: 'Orientation', targets: factTargets(orientationProgram), today: '2026-09-15' };
  const fields = (e: Parameters<typeof factEntryIssues>[0], p?: typeof program) =>
    factEntryIssues(e, p).map((i) => `${i.field}: ${i.message}`);

  it('a well-formed fact the program has passes, and a dated fact may lie in the future', () => {
    expect(fields({ kind: 'exam', key: 'election-law', date: '2026-09-15', score: 70 }, program)).toEqual([]);
    expect(fields({ kind: 'date', key: 'appointment', date: '2027-01-04' }, program)).toEqual([]);
    expect(
      fields(
        { kind: 'extension', key: 'orientation-deadline', date: '2026-09-01', until: '2026-08-01' },
        program,
      ),
    ).toEqual([]);
  });

  it('shape: score only and always on an exam; until on a waiver, approval or extension, not before the grant', () => {
    expect(fields({ kind: 'exam', key: 'election-law', date: '2026-09-01' })).toEqual([
      'score: An exam result needs its score.',
    ]);
    expect(fields({ kind: 'waiver', key: 'law-exam', date: '2026-09-01', score: 3 })).toEqual([
      'score: Only an exam result has a score.',
    ]);
    expect(fields({ kind: 'extension', key: 'orientation-deadline', date: '2026-09-01' })).toEqual([
      'until: An extension needs the new deadline.',
    ]);
    expect(fields({ kind: 'date', key: 'appointment', date: '2026-09-01', until: '2026-10-01' })).toEqual([
      'until: Only a waiver, a provisional approval or an extension has an end date.',
    ]);
    expect(fields({ kind: 'provisional', key: 'law-exam', date: '2026-09-01', until: '2026-08-31' })).toEqual(
      ['until: Until must be on or after the date granted.'],
    );
  });

  it('program: the key must be one the program has for the kind; only a dated fact may be after today', () => {
    expect(fields({ kind: 'attestation', key: 'law-exam', date: '2026-09-01' }, program)).toEqual([
      'key: Orientation has no attestation "law-exam". Choose one of: Ethics pledge (ethics-pledge).',
    ]);
    expect(fields({ kind: 'exam', key: 'election-law', date: '2026-09-16', score: 90 }, program)).toEqual([
      "date: The date can't be after today (September 15, 2026).",
    ]);
    const none = { ...program, targets: { ...program.targets, exams: [] } };
    expect(fields({ kind: 'exam', key: 'x', date: '2026-09-01', score: 1 }, none)).toEqual([
      'key: Orientation has no exam that an exam fact could be about.',
    ]);
  });
});

describe('resolveFactKey', () => {
  const t = factTargets(orientationProgram);
  it('takes the id, or the name the program gives it (any case), and leaves anything else for the check', () => {
    expect(resolveFactKey(t, 'exam', 'election-law')).toBe('election-law');
    expect(resolveFactKey(t, 'exam', 'ELECTION LAW EXAM ')).toBe('election-law');
    expect(resolveFactKey(t, 'date', 'Taking office (appointment date)')).toBe('appointment');
    expect(resolveFactKey(t, 'waiver', 'Ethics pledge')).toBe('ethics');
    expect(resolveFactKey(t, 'exam', 'Ethics pledge')).toBe('Ethics pledge');
  });
  it('a name two targets share is not guessed', () => {
    const twice = { ...t, exams: [...t.exams, { key: 'law-2', label: 'Election law exam' }] };
    expect(resolveFactKey(twice, 'exam', 'Election law exam')).toBe('Election law exam');
  });
});
