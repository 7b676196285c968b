/**
 * The "what is missing" list of an evaluation: for a choice, the options and
 * what the closest one still needs; after an award, what the open renewal
 * cycle needs.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { many, testProgram } from './testkit.js';
import type { Requirement } from './types.js';

const choice: Requirement = {
  id: 'root',
  type: 'anyOf',
  title: 'One path',
  items: [
    {
      id: 'mgmt',
      type: 'credits',
      title: 'Management path',
      noun: 'management',
      min: 4,
      filter: { categories: ['mgmt'] },
    },
    { id: 'job', type: 'credits', title: 'Job path', noun: 'job', min: 2, filter: { categories: ['job'] } },
  ],
};

describe('missing: a choice names the closest option', () => {
  const p = testProgram(choice);
  it('follows whichever option is further along', () => {
    const a = evaluate(p, many(3, { date: '2023-01-01' }), { asOf: '2023-06-01' });
    const b = evaluate(p, many(1, { date: '2023-01-01', category: 'job' }), { asOf: '2023-06-01' });
    expect(a.missing).toEqual([
      'Complete one of: Management path or Job path.',
      'Management path: You need 1 more management credit.',
    ]);
    expect(b.missing).toEqual([
      'Complete one of: Management path or Job path.',
      'Job path: You need 1 more job credit.',
    ]);
    expect(a.missing[0]).toBe(b.missing[0]);
    expect(
      evaluate(p, many(2, { date: '2023-01-01', category: 'job' }), { asOf: '2023-06-01' }).missing,
    ).toEqual([]);
  });
});

describe('missing: the closest option is judged by its share done, among the options still open', () => {
  it('a half-done option beats a barely started larger one; a met option is not followed', () => {
    const p = testProgram(choice);
    const r = evaluate(
      p,
      [
        ...many(1, { date: '2023-01-01', amount: 0.5 }),
        ...many(1, { date: '2023-01-01', category: 'job', amount: 1.5 }),
      ],
      { asOf: '2023-06-01' },
    );
    expect(r.missing[1]).toMatch(/^Job path: /);
    const twoOfThree = testProgram({
      id: 'root',
      type: 'nOf',
      n: 2,
      title: 'Two paths',
      items: [
        ...(choice as { items: Requirement[] }).items,
        {
          id: 'other',
          type: 'credits',
          title: 'Other path',
          noun: 'other',
          min: 4,
          filter: { categories: ['other'] },
        },
      ],
    });
    const one = evaluate(
      twoOfThree,
      [...many(2, { date: '2023-01-01', category: 'job' }), ...many(1, { date: '2023-01-01' })],
      { asOf: '2023-06-01' },
    );
    expect(one.missing[1]).toMatch(/^Management path: /);
  });
});

describe('missing after an award: the open renewal cycle', () => {
  const renewal: Requirement = {
    id: 'renew',
    type: 'credits',
    title: 'Renewal credits',
    noun: 'renewal',
    min: 10,
    filter: { categories: ['mgmt'] },
  };
  const p = testProgram(choice, {
    renewal: {
      cycleYears: 1,
      expiryBasis: 'previousExpiry',
      remindDaysBefore: [30],
      graceDays: 30,
      reinstatement: { withinDays: 100 },
      requirement: renewal,
    },
  });
  const awards = [{ id: 'a1', awardedOn: '2024-01-01' }];
  it('lists what the cycle needs while it is open, and nothing once renewed or expired', () => {
    const open = evaluate(p, many(4, { date: '2024-02-01' }), { asOf: '2024-06-01', awards });
    expect(open.status).toBe('certified');
    expect(open.missing).toEqual(['You need 6 more renewal credits.']);
    const due = evaluate(p, [], { asOf: '2024-12-15', awards });
    expect(due.status).toBe('renewal_due');
    expect(due.missing).toEqual(['You need 10 more renewal credits.']);
    const lapsed = evaluate(p, [], { asOf: '2025-02-15', awards });
    expect(lapsed.status).toBe('lapsed');
    expect(lapsed.missing).toEqual(['You need 10 more renewal credits.']);
    expect(evaluate(p, many(10, { date: '2024-02-01' }), { asOf: '2024-06-01', awards }).missing).toEqual([]);
    expect(evaluate(p, [], { asOf: '2025-06-01', awards }).missing).toEqual([]);
  });
});
