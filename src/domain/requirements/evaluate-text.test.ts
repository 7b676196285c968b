/**
 * The exact sentences and fields an official reads from evaluate(): the
 * headline for every status, the award an evaluation is based on, records of
 * other people and records that count toward nothing, and the next award.
 */
import { describe, expect, it } from 'vitest';
import { EvaluationInputError, evaluate, statusLabel } from './evaluate.js';
import { many, mgmtTier, rec, testProgram } from './testkit.js';
import type { Award, Requirement } from './types.js';

const renewalReq: Requirement = {
  id: 'renew',
  type: 'credits',
  title: 'Renewal credits',
  noun: 'renewal',
  min: 10,
  filter: { categories: ['mgmt'] },
};

const twoParts: Requirement = {
  id: 'root',
  type: 'allOf',
  title: 'Everything',
  items: [
    { id: 'mgmt', type: 'credits', title: 'Management', min: 2, filter: { categories: ['mgmt'] } },
    { id: 'job', type: 'credits', title: 'Job', min: 2, filter: { categories: ['job'] } },
  ],
};

const program = (extra: Record<string, unknown> = {}) =>
  testProgram(twoParts, {
    renewal: {
      cycleYears: 1,
      expiryBasis: 'previousExpiry',
      remindDaysBefore: [30],
      graceDays: 30,
      reinstatement: { withinDays: 100 },
      requirement: renewalReq,
    },
    ...extra,
  });

const awards: Award[] = [{ id: 'a1', awardedOn: '2024-01-01' }];

describe('headlines, one per status', () => {
  const p = program();
  const head = (asOf: string, recs = [] as ReturnType<typeof rec>[], aw: Award[] | undefined = awards) =>
    evaluate(p, recs, { asOf, ...(aw ? { awards: aw } : {}) }).headline;

  it('before any award', () => {
    expect(head('2023-06-01', [], undefined)).toBe('Nothing has been recorded toward Test Program yet.');
    expect(head('2023-06-01', many(2, { date: '2023-05-01' }), undefined)).toBe(
      'In progress toward Test Program: 1 of 2 parts complete.',
    );
    expect(head('2023-06-01', many(1, { date: '2023-05-01' }), undefined)).toBe(
      'In progress toward Test Program: 0 of 2 parts complete.',
    );
    expect(
      head(
        '2023-06-01',
        [...many(2, { date: '2023-05-01' }), ...many(2, { date: '2023-05-01', category: 'job' })],
        undefined,
      ),
    ).toBe('Every requirement for Test Program is met; the TP designation can be awarded.');
  });

  it('a single-part program counts one part', () => {
    const single = testProgram(mgmtTier(3));
    expect(evaluate(single, many(1, { date: '2023-05-01' }), { asOf: '2023-06-01' }).headline).toBe(
      'In progress toward Test Program: 0 of 1 part complete.',
    );
  });

  it('after the award, through the cycle', () => {
    expect(head('2024-06-01')).toBe(
      'Certified (TP) since January 1, 2024. Next renewal due December 31, 2024.',
    );
    expect(head('2024-12-01')).toBe('Certified; renewal is due by December 31, 2024.');
    expect(head('2025-01-15')).toBe(
      'Renewal was due December 31, 2024. Complete it by January 30, 2025 to keep your TP status.',
    );
    expect(head('2025-02-01')).toBe(
      'Your TP certification lapsed on January 31, 2025. You can reinstate it until May 10, 2025 by completing what is missing.',
    );
    expect(head('2025-06-01')).toBe(
      'Your TP certification expired on May 11, 2025; you would need to certify again.',
    );
    expect(head('2024-06-01', many(10, { date: '2024-05-01' }))).toBe(
      'Certified (TP) since January 1, 2024. Renewal for this cycle is complete; the next cycle is due December 31, 2025.',
    );
  });

  it('revoked, with and without a reason', () => {
    expect(head('2024-06-01', [], [{ id: 'a1', awardedOn: '2024-01-01', revokedOn: '2024-03-05' }])).toBe(
      'This TP certification was revoked on March 5, 2024.',
    );
    expect(
      head(
        '2024-06-01',
        [],
        [{ id: 'a1', awardedOn: '2024-01-01', revokedOn: '2024-03-05', revokedReason: 'fraud' }],
      ),
    ).toBe('This TP certification was revoked on March 5, 2024 (fraud).');
  });

  it('status labels', () => {
    expect(
      (
        [
          'not_started',
          'in_progress',
          'eligible',
          'certified',
          'renewal_due',
          'lapsed',
          'expired',
          'revoked',
        ] as const
      ).map(statusLabel),
    ).toEqual([
      'Not started',
      'In progress',
      'Eligible',
      'Certified',
      'Renewal due',
      'Lapsed',
      'Expired',
      'Revoked',
    ]);
  });
});

describe('which award an evaluation is based on', () => {
  const p = program();
  const since = (aw: Award[], asOf = '2024-06-01') =>
    evaluate(p, [], { asOf, awards: aw }).lifecycle?.award.id;

  it('the latest granted on or before asOf; on the same day, the larger id', () => {
    const a = { id: 'a', awardedOn: '2024-01-01' };
    const b = { id: 'b', awardedOn: '2024-02-01' };
    const c = { id: 'c', awardedOn: '2024-02-01' };
    const future = { id: 'z', awardedOn: '2024-09-01' };
    expect(since([b, a, future])).toBe('b');
    expect(since([a, b])).toBe('b');
    expect(since([c, b, a])).toBe('c');
    expect(since([b, c])).toBe('c');
    expect(since([future], '2024-06-01')).toBeUndefined();
    expect(since([future, a], '2024-09-01')).toBe('z');
  });
});

describe('records, people and the next award', () => {
  it('a bad asOf is refused with an input error naming it', () => {
    const p = program();
    let err: unknown;
    try {
      evaluate(p, [], { asOf: 'tomorrow' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EvaluationInputError);
    expect((err as Error).name).toBe('EvaluationInputError');
    expect((err as Error).message).toBe('asOf "tomorrow" is not a date (YYYY-MM-DD).');
  });

  it("other people's records are ignored when a person is named, and the result names them", () => {
    const p = program();
    const recs = [...many(2, { date: '2023-05-01' }), ...many(2, { date: '2023-05-01', personId: 'p2' })];
    const mine = evaluate(p, recs, { asOf: '2023-06-01', personId: 'p1' });
    expect(mine.personId).toBe('p1');
    expect(mine.initial.children[0]?.have).toBe(2);
    const all = evaluate(p, recs, { asOf: '2023-06-01' });
    expect('personId' in all).toBe(false);
    expect(all.initial.children[0]?.have).toBe(4);
    expect(evaluate(p, recs, { asOf: '2023-06-01', personId: 'p3' }).status).toBe('not_started');
  });

  it('records in no category of the program are listed, in credits, saying so', () => {
    const p = program();
    const r = evaluate(
      p,
      [
        rec({ id: 'x1', date: '2023-05-01', category: 'other', amount: 1.5 }),
        rec({ id: 'x2', date: '2023-05-02', category: undefined, amount: 2 }),
        rec({ id: 'x3', date: '2023-05-03', amount: 1 }),
      ],
      { asOf: '2023-06-01' },
    );
    expect(r.notCounted).toEqual([
      {
        recordId: 'x1',
        date: '2023-05-01',
        amount: 1.5,
        reason: 'wrong_category',
        detail: '"Other" does not count toward any requirement of this program.',
      },
      {
        recordId: 'x2',
        date: '2023-05-02',
        amount: 2,
        reason: 'wrong_category',
        detail: 'A record with no category does not count toward any requirement of this program.',
      },
    ]);
  });

  it('an eligible official is told when to apply, and for which ceremony', () => {
    const ready = [...many(2, { date: '2023-05-01' }), ...many(2, { date: '2023-05-01', category: 'job' })];
    const withCeremony = program({
      award: { ceremony: 'annual conference', applicationDeadline: { month: 3, day: 1 } },
    });
    const early = evaluate(withCeremony, ready, { asOf: '2023-06-01', awards: [] });
    expect(early.nextAward).toEqual({ year: 2024, applyBy: '2024-03-01', ceremony: 'annual conference' });
    expect(early.headline).toBe(
      'Every requirement for Test Program is met; the TP designation can be awarded. Apply by March 1, 2024 to be recognized at the annual conference in 2024.',
    );
    const onTheDay = evaluate(withCeremony, ready, { asOf: '2024-03-01' });
    expect(onTheDay.nextAward).toEqual({ year: 2024, applyBy: '2024-03-01', ceremony: 'annual conference' });
    const janReady = [
      ...many(2, { date: '2023-01-05' }),
      ...many(2, { date: '2023-01-05', category: 'job' }),
    ];
    const noCeremony = program({ award: { applicationDeadline: { month: 3, day: 1 } } });
    expect(evaluate(noCeremony, janReady, { asOf: '2023-01-10' }).nextAward).toEqual({
      year: 2023,
      applyBy: '2023-03-01',
    });
    expect(evaluate(noCeremony, janReady, { asOf: '2023-01-10' }).headline).toMatch(
      /Apply by March 1, 2023 to be recognized in 2023\.$/,
    );
    const noDeadline = program({ award: {} });
    expect(evaluate(noDeadline, janReady, { asOf: '2023-01-10' }).nextAward).toEqual({ year: 2023 });
    expect(evaluate(noDeadline, janReady, { asOf: '2023-01-10' }).headline).toBe(
      'Every requirement for Test Program is met; the TP designation can be awarded.',
    );
    // Not eligible, or no award section: no next award.
    expect('nextAward' in evaluate(withCeremony, [], { asOf: '2023-01-10' })).toBe(false);
    expect('nextAward' in evaluate(program(), janReady, { asOf: '2023-01-10' })).toBe(false);
  });
});
