import { describe, expect, it } from 'vitest';
import { orientationProgram } from './orientation.fixture.js';
import { evaluate } from './evaluate.js';
import { factLabel, factTargets, factsToContext, targetsFor, type RecordedFact } from './facts.js';

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
