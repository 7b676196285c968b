/**
 * Person facts at the edges: targets inside nested groups and named twice, programs with or
 * without renewal and reinstatement rules, the refusal for each kind a program has nothing for,
 * empty scores and end dates that are allowed, and an id that is also another target's name.
 */
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_FACT, factEntryIssues, factTargets, factsToContext, resolveFactKey } from './facts.js';
import { testProgram } from './testkit.js';

const nested = testProgram(
  {
    id: 'root',
    type: 'anyOf',
    title: 'Either way',
    items: [
      {
        id: 'pick',
        type: 'nOf',
        title: 'Two of these',
        n: 2,
        items: [
          { id: 'law', type: 'exam', title: 'Law exam', exam: 'law', minScore: 70 },
          { id: 'law-retake', type: 'exam', title: 'Law exam (retake)', exam: 'law', minScore: 70 },
          { id: 'pledge', type: 'attestation', title: 'Pledge', attestation: 'pledge' },
        ],
      },
      {
        id: 'soon',
        type: 'deadline',
        title: 'Within a year',
        by: '2027-12-31',
        item: { id: 'ethics', type: 'credits', title: 'Orientation', min: 2 },
      },
      { id: 'orientation', type: 'credits', title: 'Ethics', min: 1 },
    ],
  },
  {
    renewal: {
      cycleYears: 1,
      expiryBasis: 'previousExpiry',
      remindDaysBefore: [30],
      graceDays: 30,
      requirement: { id: 'renew', type: 'credits', title: 'Renewal credits', min: 6 },
    },
  },
);
const plain = testProgram({ id: 'only', type: 'credits', title: 'Credits', min: 3 });

describe('what staff can record', () => {
  const t = factTargets(nested);
  it('finds targets inside nested groups and deadlines, each once', () => {
    expect(APPOINTMENT_FACT).toBe('appointment');
    expect(t.dates).toEqual([{ key: 'appointment', label: 'Taking office (appointment date)' }]);
    expect(t.exams).toEqual([{ key: 'law', label: 'Law exam' }]);
    expect(t.attestations).toEqual([{ key: 'pledge', label: 'Pledge' }]);
    expect(t.deadlines).toEqual([{ key: 'soon', label: 'Within a year' }]);
    expect(t.requirements.map((r) => r.key)).toEqual([
      'root',
      'pick',
      'law',
      'law-retake',
      'pledge',
      'soon',
      'ethics',
      'orientation',
      'renew',
    ]);
    expect(t.requirements.at(-1)).toEqual({ key: 'renew', label: 'Renewal: Renewal credits' });
  });

  it('has only the requirements for a program with no exams, deadlines or attestations', () => {
    const p = factTargets(plain);
    expect(p.requirements).toEqual([{ key: 'only', label: 'Credits' }]);
    expect([p.exams, p.deadlines, p.attestations]).toEqual([[], [], []]);
  });
});

describe('entry rules at the edges', () => {
  const program = { name: 'Plain', targets: factTargets(plain), today: '2027-01-01' };
  const fields = (e: Parameters<typeof factEntryIssues>[0], p?: typeof program) =>
    factEntryIssues(e, p).map((i) => `${i.field}: ${i.message}`);

  it('names what the program lacks for each kind', () => {
    expect(fields({ kind: 'extension', key: 'x', date: '2026-01-01', until: '2026-02-01' }, program)).toEqual(
      ['key: Plain has no deadline that an extension fact could be about.'],
    );
    expect(fields({ kind: 'attestation', key: 'x', date: '2026-01-01' }, program)).toEqual([
      'key: Plain has no attestation that an attestation fact could be about.',
    ]);
    expect(fields({ kind: 'waiver', key: 'x', date: '2026-01-01' }, program)).toEqual([
      'key: Plain has no requirement "x". Choose one of: Credits (only).',
    ]);
    expect(fields({ kind: 'date', key: 'x', date: '2026-01-01' }, program)).toEqual([
      'key: Plain has no dated fact "x". Choose one of: Taking office (appointment date) (appointment).',
    ]);
    const two = { ...program, name: 'Nested', targets: factTargets(nested) };
    expect(fields({ kind: 'extension', key: 'x', date: '2026-01-01', until: '2026-02-01' }, two)).toEqual([
      'key: Nested has no deadline "x". Choose one of: Within a year (soon).',
    ]);
    expect(fields({ kind: 'provisional', key: 'x', date: '2026-01-01' }, two)[0]).toContain(
      'Choose one of: Either way (root), Two of these (pick), ',
    );
  });

  it('takes an empty score, an end date on the day granted, and any end date on an extension', () => {
    expect(fields({ kind: 'waiver', key: 'only', date: '2026-01-01', score: null })).toEqual([]);
    expect(fields({ kind: 'waiver', key: 'only', date: '2026-01-01', until: '2026-01-01' })).toEqual([]);
    expect(fields({ kind: 'waiver', key: 'only', date: '2026-01-01', until: '2026-06-01' })).toEqual([]);
    expect(fields({ kind: 'provisional', key: 'only', date: '2026-01-01', until: '2026-01-01' })).toEqual([]);
    expect(fields({ kind: 'extension', key: 'soon', date: '2026-05-01', until: '2026-04-01' })).toEqual([]);
    expect(fields({ kind: 'exam', key: 'law', date: '2026-01-01', score: 0 })).toEqual([]);
  });
});

describe('a typed key', () => {
  const t = factTargets(nested);
  it('keeps an exact id even when it is also the name of another target', () => {
    // "ethics" is the id of the credits titled "Orientation", and "orientation" the id of "Ethics".
    expect(resolveFactKey(t, 'waiver', 'ethics')).toBe('ethics');
    expect(resolveFactKey(t, 'waiver', 'orientation')).toBe('orientation');
    expect(resolveFactKey(t, 'waiver', 'Ethics')).toBe('orientation');
  });
});

describe('stored facts to the engine', () => {
  it('leaves out an extension without its new deadline', () => {
    const ctx = factsToContext([{ kind: 'extension', key: 'soon', date: '2026-01-01', reason: 'r' }]);
    expect(ctx.extensions ?? []).toEqual([]);
  });
});
