import { describe, expect, it } from 'vitest';
import {
  attendanceConflict,
  attendanceCreditDue,
  attendanceCreditNote,
  attendanceReason,
  creditMatches,
} from './index.js';

const rules = {
  durationMinutes: 180,
  minPercent: 90,
  partialAllowed: false,
  credits: [
    { category: 'core', amount: 3 },
    { category: 'ethics', amount: 1 },
  ],
};

describe('attendance credit', () => {
  it('gives every category its full credit at the completion threshold', () => {
    expect(attendanceCreditDue(rules, 162)).toEqual(
      new Map([
        ['core', 3],
        ['ethics', 1],
      ]),
    );
  });

  it('gives nothing below the threshold when the program has no partial credit', () => {
    expect(attendanceCreditDue(rules, 161).size).toBe(0);
    expect(attendanceCreditDue(rules, null).size).toBe(0);
  });

  it('gives the attended share, in quarter credits, where partial credit is allowed', () => {
    const due = attendanceCreditDue({ ...rules, partialAllowed: true }, 90);
    expect(due).toEqual(
      new Map([
        ['core', 1.5],
        ['ethics', 0.5],
      ]),
    );
    // A category whose share rounds down to nothing is left out.
    expect(attendanceCreditDue({ ...rules, partialAllowed: true }, 40)).toEqual(new Map([['core', 0.5]]));
  });

  it('adds up two credit values in the same category', () => {
    const due = attendanceCreditDue(
      {
        ...rules,
        credits: [
          { category: 'core', amount: 2 },
          { category: 'core', amount: 1 },
        ],
      },
      180,
    );
    expect(due).toEqual(new Map([['core', 3]]));
  });

  it('compares due and recorded credit per category, to a hundredth', () => {
    const due = new Map([['core', 3]]);
    expect(creditMatches(due, new Map([['core', 3.001]]))).toBe(true);
    expect(creditMatches(due, new Map([['core', 2.5]]))).toBe(false);
    expect(
      creditMatches(
        due,
        new Map([
          ['core', 3],
          ['ethics', 1],
        ]),
      ),
    ).toBe(false);
    expect(creditMatches(new Map(), new Map())).toBe(true);
  });

  it('words the reason for a correction', () => {
    expect(attendanceReason(null, 180)).toBe('Attendance recorded as 0 of 180 minutes.');
  });

  it('says why attendance below the completion share earned no credit, or only part', () => {
    expect(attendanceCreditNote(rules, 90)).toBe(
      '90 of 180 minutes is below the 90% (162 minutes) needed to complete the course, and this program gives no partial credit, so no credit was earned.',
    );
    expect(attendanceCreditNote({ ...rules, partialAllowed: true }, 90)).toContain(
      'partial credit for the share attended, rounded down',
    );
    expect(attendanceCreditNote({ ...rules, partialAllowed: true }, 1)).toContain(
      'less than a quarter credit',
    );
    expect(attendanceCreditNote(rules, 0)).toBe('Absent (0 of 180 minutes): no credit.');
    // Completed, or nothing recorded yet: nothing to explain.
    expect(attendanceCreditNote(rules, 162)).toBeNull();
    expect(attendanceCreditNote(rules, null)).toBeNull();
  });
});

describe('attendanceConflict: an offline change against what the server holds now', () => {
  it('no expected value: no check, as before offline sync', () => {
    expect(attendanceConflict({ minutesAttended: 90 }, 180)).toBeNull();
  });
  it('the server still has what the device read, or already has what it sends: no conflict', () => {
    expect(attendanceConflict({ minutesAttended: 90, expectedMinutes: null }, null)).toBeNull();
    expect(attendanceConflict({ minutesAttended: 90, expectedMinutes: 180 }, 180)).toBeNull();
    expect(attendanceConflict({ minutesAttended: 90, expectedMinutes: null }, 90)).toBeNull();
  });
  it('changed since the device read it: says both values', () => {
    expect(attendanceConflict({ minutesAttended: 90, expectedMinutes: null }, 180)).toBe(
      'Changed on the server to 180 minutes since this device read no record; this device has 90 minutes.',
    );
    expect(attendanceConflict({ minutesAttended: 0, expectedMinutes: 180 }, null)).toBe(
      'Changed on the server to no record since this device read 180 minutes; this device has 0 minutes.',
    );
    expect(attendanceConflict({ minutesAttended: 0, expectedMinutes: 0 }, 60)).not.toBeNull();
  });
});
