/**
 * Listed courses as an official reads them: which completion counted, in
 * date order, and why the others did not (a prerequisite not met yet, a
 * repeat, a course taken before the one that must come first).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';
import type { NodeResult } from './types.js';

const c = (code: string, date: string) => rec({ date, courseCode: code, category: undefined });
const run = (items: Record<string, unknown>[], records: ReturnType<typeof c>[], extra = {}) =>
  evaluate(testProgram({ id: 'root', type: 'allOf', title: 'Root', items }, extra), records, {
    asOf: '2026-06-01',
  });
const node = (r: ReturnType<typeof run>, id: string): NodeResult =>
  r.initial.children.find((n) => n.id === id)!;
const why = (n: NodeResult) => n.notCounted.map((x) => [x.recordId, x.reason, x.detail]);

describe('courses after prerequisites not met yet', () => {
  const parts = [
    { id: 'p1', type: 'courses', title: 'Part one', courses: ['A'] },
    { id: 'p2', type: 'courses', title: 'Part two', courses: ['B'] },
  ];

  it('two prerequisites: "Counts only after Part one and Part two are complete."', () => {
    const early = c('C', '2025-02-01');
    const r = run(
      [...parts, { id: 'adv', type: 'courses', title: 'Advanced', courses: ['C'], after: ['p1', 'p2'] }],
      [c('A', '2025-01-01'), early],
    );
    const adv = node(r, 'adv');
    expect(adv.met).toBe(false);
    expect(why(adv)).toEqual([
      [early.id, 'before_prerequisite', 'Counts only after Part one and Part two are complete.'],
    ]);
  });

  it('one prerequisite: "is complete"; once met, an earlier completion "was" not', () => {
    const early = c('C', '2025-02-01');
    const r = run(
      [parts[1]!, { id: 'adv', type: 'courses', title: 'Advanced', courses: ['C'], after: ['p2'] }],
      [early],
    );
    expect(why(node(r, 'adv'))).toEqual([
      [early.id, 'before_prerequisite', 'Counts only after Part two is complete.'],
    ]);
    const r2 = run(
      [parts[1]!, { id: 'adv', type: 'courses', title: 'Advanced', courses: ['C'], after: ['p2'] }],
      [early, c('B', '2025-03-01')],
    );
    expect(why(node(r2, 'adv'))).toEqual([
      [early.id, 'before_prerequisite', 'Taken before Part two was complete (March 1, 2025).'],
    ]);
  });
});

describe('courses after two prerequisites, met', () => {
  it('an earlier completion: "Taken before Part one and Part two were complete"', () => {
    const early = c('C', '2025-02-01');
    const r = run(
      [
        { id: 'p1', type: 'courses', title: 'Part one', courses: ['A'] },
        { id: 'p2', type: 'courses', title: 'Part two', courses: ['B'] },
        { id: 'adv', type: 'courses', title: 'Advanced', courses: ['C'], after: ['p1', 'p2'] },
      ],
      [c('A', '2025-01-01'), c('B', '2025-03-01'), early],
    );
    expect(why(node(r, 'adv'))).toEqual([
      [early.id, 'before_prerequisite', 'Taken before Part one and Part two were complete (March 1, 2025).'],
    ]);
  });
});

describe('a course completed more than once', () => {
  const item = { id: 'k', type: 'courses', title: 'Core', courses: ['A', 'B'] };

  it('a later completion: "already completed on" the counted date', () => {
    const first = c('A', '2025-01-01');
    const again = c('A', '2025-03-01');
    const r = run([item], [first, again, c('B', '2025-02-01')]);
    const k = node(r, 'k');
    expect(k.counted.map((x) => x.recordId)).toContain(first.id);
    expect(why(k)).toEqual([
      [again.id, 'duplicate_course', 'This course was already completed on January 1, 2025.'],
    ]);
  });

  it('twice on the same day: the second is "already completed on" that day', () => {
    const first = c('A', '2025-01-01');
    const again = c('A', '2025-01-01');
    const r = run([item], [first, again, c('B', '2025-02-01')]);
    expect(why(node(r, 'k'))).toEqual([
      [again.id, 'duplicate_course', 'This course was already completed on January 1, 2025.'],
    ]);
  });
});

describe('courses in order', () => {
  it('the second course taken before the first: not counted, and why', () => {
    const early = c('B', '2025-01-01');
    const r = run(
      [{ id: 'seq', type: 'courses', title: 'Sequence', courses: ['A', 'B'], inOrder: true }],
      [early, c('A', '2025-02-01')],
    );
    const seq = node(r, 'seq');
    expect(seq.met).toBe(false);
    expect(why(seq)).toEqual([
      [early.id, 'out_of_order', 'Completed before the course that must come first.'],
    ]);
  });
});

describe('what counted is listed by date', () => {
  it('listed courses completed in the reverse of their listed order', () => {
    const a = c('A', '2025-03-01');
    const b = c('B', '2025-01-01');
    const d = c('C', '2025-02-01');
    const r = run([{ id: 'k', type: 'courses', title: 'Core', courses: ['A', 'B', 'C'] }], [a, b, d]);
    expect(node(r, 'k').counted.map((x) => x.recordId)).toEqual([b.id, d.id, a.id]);
  });

  it('listed courses completed in their listed order, recorded the other way round', () => {
    const b = c('B', '2025-03-01');
    const a = c('A', '2025-01-01');
    const r = run([{ id: 'k', type: 'courses', title: 'Core', courses: ['A', 'B'] }], [b, a]);
    expect(node(r, 'k').counted.map((x) => x.recordId)).toEqual([a.id, b.id]);
  });

  it('on the same day, recorded in the listed order: by record', () => {
    const a = c('A', '2025-01-01');
    const b = c('B', '2025-01-01');
    const r = run([{ id: 'k', type: 'courses', title: 'Core', courses: ['A', 'B'] }], [a, b]);
    expect(node(r, 'k').counted.map((x) => x.recordId)).toEqual([a.id, b.id]);
  });

  it('on the same day: by record', () => {
    const b = c('B', '2025-01-01');
    const a = c('A', '2025-01-01');
    const r = run([{ id: 'k', type: 'courses', title: 'Core', courses: ['A', 'B'] }], [b, a]);
    expect(node(r, 'k').counted.map((x) => x.recordId)).toEqual([b.id, a.id]);
  });

  it('one of a set: met on the earliest completion', () => {
    const r = run(
      [{ id: 'k', type: 'courses', title: 'Any', courses: ['A', 'B', 'C'], count: 1 }],
      [c('A', '2025-03-01'), c('C', '2025-01-15'), c('B', '2025-02-01')],
    );
    expect(node(r, 'k').metOn).toBe('2025-01-15');
  });
});
