/**
 * Dates in rules as an official reads them ("1 year 2 days before taking office") and as the
 * program check sees them (which facts and anchors a date names).
 */
import { describe, expect, it } from 'vitest';
import {
  anchorsOf,
  deadlineDetail,
  deadlineNote,
  describeDate,
  extensionMap,
  factsOf,
  resolveDate,
  resolveDeadline,
  unknownDates,
} from './dates.js';
import type { DateRef, ProgramDefinition } from './types.js';

const program = {
  personFacts: [
    { id: 'office', label: 'taking office' },
    { id: 'serving', label: 'first serving' },
  ],
} as unknown as ProgramDefinition;
const noFacts = {} as unknown as ProgramDefinition;

describe('how a date is said', () => {
  it('names every non-zero part of the offset, and whether it comes before or after', () => {
    expect(describeDate({ anchor: 'appointment', years: 1, days: 2 }, program)).toBe(
      '1 year and 2 days after appointment',
    );
    expect(describeDate({ anchor: 'appointment', years: 2 }, program)).toBe('2 years after appointment');
    expect(describeDate({ anchor: 'appointment', days: 1 }, program)).toBe('1 day after appointment');
    expect(describeDate({ anchor: 'award', years: -1 }, program)).toBe('1 year before the award');
    expect(describeDate({ anchor: 'award', months: -3 }, program)).toBe('3 months before the award');
    expect(describeDate({ anchor: 'cycleEnd', days: -30 }, program)).toBe(
      '30 days before the end of the renewal cycle',
    );
    expect(describeDate({ anchor: 'cycleEnd', days: 30 }, program)).toBe(
      '30 days after the end of the renewal cycle',
    );
    expect(describeDate({ anchor: 'enrollment' }, program)).toBe('by enrollment');
  });

  it('takes the sign from the largest unit that is given', () => {
    expect(describeDate({ anchor: 'award', years: -1, days: 10 }, program)).toBe(
      '1 year and 10 days before the award',
    );
    expect(describeDate({ anchor: 'award', months: 2, days: -1 }, program)).toBe(
      '2 months and 1 day after the award',
    );
    expect(describeDate({ anchor: 'award', days: -10 }, program)).toBe('10 days before the award');
  });

  it("names a fact by its label, or by its id when the program doesn't declare it", () => {
    expect(describeDate({ anchor: 'fact', fact: 'office', months: 6 }, program)).toBe(
      '6 months after taking office',
    );
    expect(describeDate({ anchor: 'fact', fact: 'office', months: 6 }, noFacts)).toBe(
      '6 months after office',
    );
    expect(describeDate({ anchor: 'fact', fact: 'sworn', months: 6 }, program)).toBe('6 months after sworn');
  });
});

describe('which date a reference gives', () => {
  const scope = { anchors: { appointment: '2026-01-15' }, facts: { office: '2026-03-01' } };
  it('takes the sooner of the known dates for earliest, the later for latest', () => {
    const refs: DateRef[] = [
      { anchor: 'fact', fact: 'office', months: 6 },
      { anchor: 'appointment', months: 12 },
      { anchor: 'fact', fact: 'serving' },
    ];
    expect(resolveDate({ earliest: refs }, scope)).toBe('2026-09-01');
    expect(resolveDate({ latest: refs }, scope)).toBe('2027-01-15');
    expect(resolveDate({ earliest: [{ anchor: 'fact', fact: 'serving' }] }, scope)).toBeUndefined();
    expect(resolveDate({ anchor: 'fact', fact: 'office' }, { anchors: {} })).toBeUndefined();
  });

  it('lists each unknown date once, by its label', () => {
    const ref: DateRef = {
      earliest: [
        { anchor: 'fact', fact: 'serving', months: 1 },
        { latest: [{ anchor: 'fact', fact: 'serving' }, { anchor: 'award' }] },
        { anchor: 'appointment' },
      ],
    };
    expect(unknownDates(ref, scope, program)).toEqual(['first serving', 'the award']);
    expect(unknownDates('2027-01-01', scope, program)).toEqual([]);
    expect(unknownDates(undefined, scope, program)).toEqual([]);
  });
});

describe('what a date names, for the program check', () => {
  const ref: DateRef = {
    earliest: [
      { anchor: 'fact', fact: 'office', months: 6 },
      { latest: [{ anchor: 'fact', fact: 'serving' }, { anchor: 'cycleEnd' }] },
      { anchor: 'appointment' },
      '2027-01-01',
    ],
  };
  it('finds every fact and every anchor, however deep', () => {
    expect(factsOf(ref)).toEqual(['office', 'serving']);
    expect(anchorsOf(ref)).toEqual(['cycleEnd', 'appointment']);
    expect(factsOf({ latest: [{ anchor: 'fact', fact: 'x' }] })).toEqual(['x']);
    expect(anchorsOf({ latest: [{ anchor: 'award' }] })).toEqual(['award']);
  });
  it('finds nothing in a fixed date or in no date', () => {
    expect(factsOf('2027-01-01')).toEqual([]);
    expect(anchorsOf('2027-01-01')).toEqual([]);
    expect(factsOf(undefined)).toEqual([]);
    expect(anchorsOf(undefined)).toEqual([]);
    expect(factsOf({ anchor: 'award' })).toEqual([]);
    expect(anchorsOf({ anchor: 'fact', fact: 'office' })).toEqual([]);
  });
});

describe('a deadline in a sentence', () => {
  const ref: DateRef = {
    earliest: [
      { anchor: 'fact', fact: 'office', months: 6 },
      { anchor: 'fact', fact: 'serving' },
      { anchor: 'award' },
    ],
  };
  it('says which dates are not recorded yet, with "is" for one and "are" for several', () => {
    const one = resolveDeadline(
      'd',
      ref,
      { anchors: { award: '2027-01-01' }, facts: { office: '2026-03-01' } },
      undefined,
      program,
    );
    expect(deadlineNote(one)).toBe(
      ' (due 6 months after taking office, by first serving, or by the award, whichever is sooner; first serving is not recorded yet)',
    );
    const two = resolveDeadline(
      'd',
      ref,
      { anchors: {}, facts: { office: '2026-03-01' } },
      undefined,
      program,
    );
    expect(deadlineNote(two)).toBe(
      ' (due 6 months after taking office, by first serving, or by the award, whichever is sooner; first serving and the award are not recorded yet)',
    );
    const none = resolveDeadline('d', ref, { anchors: {}, facts: {} }, undefined, program);
    expect(deadlineDetail(none)).toBe(
      'Due 6 months after taking office, by first serving, or by the award, whichever is sooner (date not recorded yet).',
    );
  });
  it('has no extensions when none are listed', () => {
    expect(extensionMap(undefined).size).toBe(0);
    expect(extensionMap([{ requirementId: 'd', until: '2027-01-01', reason: 'r' }]).get('d')?.until).toBe(
      '2027-01-01',
    );
  });
});
