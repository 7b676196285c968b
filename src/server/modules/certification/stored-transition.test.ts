import { describe, expect, it } from 'vitest';
import cpoJson from '../../../../programs/igo-cpo.json';
import { evaluate } from '../../../domain/requirements/evaluate.js';
import { loadProgram, many } from '../../../domain/requirements/testkit.js';
import { nextTransitionOn } from '../../../domain/requirements/transitions.js';
import type { CreditRecord, EvaluationContext } from '../../../domain/requirements/types.js';
import { addDays } from '../../../domain/time/index.js';
import { SAFETY_NET_DAYS, storedTransitionOf } from './evaluation.js';

// The day the sweep takes a person up again (certification_status.next_transition_on): their next
// date-driven transition, or the safety net's day, whichever is sooner. The safety net is spread
// by the last four hex digits of the person's id over the second half of its span, so a program's
// officials do not all come due the same night.

const cpo = loadProgram(cpoJson);
/** CPO credits, one each: what an IGO conference or an online course records. */
const credits = (count: number, category: string, sponsored: boolean, date: string): CreditRecord[] =>
  many(count, { date, category, sponsored, sourceType: sponsored ? 'igo-conference' : 'online-course' });
const initial = (date: string): CreditRecord[] => [
  ...credits(16, 'management', true, date),
  ...credits(56, 'management', false, date),
  ...credits(12, 'elections', true, date),
  ...credits(12, 'elections', false, date),
];

function evaluated(
  personId: string,
  records: CreditRecord[],
  context: Omit<EvaluationContext, 'asOf' | 'personId'>,
  asOf: string,
) {
  const full = { ...context, personId, asOf };
  return { personId, def: cpo, records, context: full, result: evaluate(cpo, records, full) };
}

/** Eligible before the application deadline: no date of theirs lies ahead, only the safety net. */
const waiting = (personId: string) =>
  evaluated(personId, initial('2026-03-01'), { enrollmentDate: '2026-01-10' }, '2026-05-01');

describe('storedTransitionOf: when the sweep evaluates a person again', () => {
  it('with no transition ahead, the safety net: half its span plus the id spread, modulo half the span + 1', () => {
    const ev = waiting('00000000-0000-4000-8000-000000000000');
    expect(nextTransitionOn(ev.def, ev.result, { records: ev.records, context: ev.context })).toBeNull();
    expect(SAFETY_NET_DAYS).toBe(56);
    // The id's last four hex digits are 0x0000: the earliest day of the net.
    expect(storedTransitionOf(ev)).toBe(addDays('2026-05-01', 28));
    // 0x001c = 28: the last day of the net, 56 days out.
    expect(storedTransitionOf(waiting('00000000-0000-4000-8000-00000000001c'))).toBe('2026-06-26');
    // 0x001d = 29 wraps to 0.
    expect(storedTransitionOf(waiting('00000000-0000-4000-8000-00000000001d'))).toBe('2026-05-29');
    // 0xabcd = 43981; 43981 mod 29 = 17: day 28 + 17. Only the last four digits count.
    expect(storedTransitionOf(waiting('ffffffff-ffff-4fff-bfff-ffffffffabcd'))).toBe(
      addDays('2026-05-01', 45),
    );
    expect(storedTransitionOf(waiting('12345678-9abc-4def-8123-00000000abcd'))).toBe(
      addDays('2026-05-01', 45),
    );
  });

  it('an id that is not hexadecimal falls back to the earliest day of the net, never an invalid date', () => {
    expect(storedTransitionOf(waiting('person-zzzz'))).toBe('2026-05-29');
  });

  it('a transition sooner than the net is the day stored; a later one gives way to the net', () => {
    const context = { enrollmentDate: '2022-01-10', awards: [{ id: 'a1', awardedOn: '2022-07-15' }] };
    const records = initial('2022-03-01');
    const id = '00000000-0000-4000-8000-00000000001c'; // net = asOf + 56
    const certified = evaluated(id, records, context, '2022-08-01');
    const far = nextTransitionOn(cpo, certified.result, { records, context: certified.context });
    if (far === null) throw new Error('a certified official has a renewal ahead');
    // Years away: the net (56 days) comes first.
    expect(far > addDays('2022-08-01', SAFETY_NET_DAYS)).toBe(true);
    expect(storedTransitionOf(certified)).toBe(addDays('2022-08-01', 56));
    // Three days before that transition, it is sooner than any day of the net.
    const asOf = addDays(far, -3);
    const near = evaluated(id, records, context, asOf);
    const next = nextTransitionOn(cpo, near.result, { records, context: near.context });
    expect(next).not.toBeNull();
    expect(next! <= far).toBe(true);
    expect(storedTransitionOf(near)).toBe(next);
    expect(storedTransitionOf(near) < addDays(asOf, 28)).toBe(true);
  });
});
