import { describe, expect, it } from 'vitest';
import {
  eligibilityRefusal,
  prerequisiteNote,
  prerequisiteStanding,
  holdsCertification,
  registrationRefusal,
  scheduleWarnings,
  windowIssue,
} from './index.js';

const times = {
  startsAt: '2027-05-10T14:00:00Z',
  endsAt: '2027-05-10T17:00:00Z',
  registrationOpensAt: null,
  registrationClosesAt: null,
};

describe('session times', () => {
  it('accepts a session without a window, and a window that closes at the start', () => {
    expect(windowIssue(times)).toBeNull();
    expect(
      windowIssue({
        ...times,
        registrationOpensAt: '2027-04-01T14:00:00Z',
        registrationClosesAt: times.startsAt,
      }),
    ).toBeNull();
  });

  it('names the field that is wrong', () => {
    expect(windowIssue({ ...times, endsAt: times.startsAt })?.field).toBe('endsAt');
    expect(windowIssue({ ...times, registrationOpensAt: times.startsAt })?.field).toBe('registrationOpensAt');
    expect(
      windowIssue({
        ...times,
        registrationOpensAt: '2027-04-02T00:00:00Z',
        registrationClosesAt: '2027-04-01T00:00:00Z',
      }),
    ).toEqual({ field: 'registrationClosesAt', message: 'Registration must close after it opens.' });
    expect(windowIssue({ ...times, endsAt: '2027-05-10T13:00:00Z' })).toEqual({
      field: 'endsAt',
      message: 'The end must be after the start.',
    });
    expect(windowIssue({ ...times, registrationOpensAt: '2027-05-10T15:00:00Z' })).toEqual({
      field: 'registrationOpensAt',
      message: 'Registration must open before the session starts.',
    });
    // Opening and closing at the same instant leaves no time to register.
    expect(
      windowIssue({
        ...times,
        registrationOpensAt: '2027-04-01T00:00:00Z',
        registrationClosesAt: '2027-04-01T00:00:00Z',
      })?.field,
    ).toBe('registrationClosesAt');
    // A closing time alone, or an opening time alone, is fine.
    expect(windowIssue({ ...times, registrationClosesAt: '2027-05-01T00:00:00Z' })).toBeNull();
    expect(windowIssue({ ...times, registrationOpensAt: '2027-05-01T00:00:00Z' })).toBeNull();
    expect(windowIssue({ ...times, registrationClosesAt: '2027-05-10T14:00:01Z' })).toEqual({
      field: 'registrationClosesAt',
      message: 'Registration must close no later than the session starts.',
    });
  });
});

describe('registration window', () => {
  const s = {
    status: 'scheduled',
    startsAt: '2027-05-10T14:00:00Z',
    // 8 p.m. in Chicago on April 30 is already May 1 in UTC.
    registrationOpensAt: '2027-05-01T01:00:00Z',
    registrationClosesAt: '2027-05-09T05:00:00Z',
    timeZone: 'America/Chicago',
  };
  const at = (iso: string) => Date.parse(iso);

  it('tells an official the opening day in the session zone', () => {
    expect(registrationRefusal(s, at('2027-04-20T12:00:00Z'), false)).toBe(
      'Registration opens on 2027-04-30.',
    );
  });

  it('is open from the opening instant until the closing instant', () => {
    expect(registrationRefusal(s, at('2027-05-01T01:00:00Z'), false)).toBeNull();
    expect(registrationRefusal(s, at('2027-05-09T04:59:59Z'), false)).toBeNull();
    expect(registrationRefusal(s, at('2027-05-09T05:00:00Z'), false)).toBe(
      'Registration for this session has closed.',
    );
  });

  it('lets staff register someone outside the window, but not once the session started or was cancelled', () => {
    expect(registrationRefusal(s, at('2027-04-20T12:00:00Z'), true)).toBeNull();
    expect(registrationRefusal(s, at('2027-05-09T12:00:00Z'), true)).toBeNull();
    expect(registrationRefusal(s, at('2027-05-10T14:00:00Z'), true)).toBe(
      'This session has already started; registration is closed.',
    );
    expect(registrationRefusal({ ...s, status: 'completed' }, at('2027-05-02T00:00:00Z'), true)).toBe(
      'This session has already started; registration is closed.',
    );
    expect(registrationRefusal({ ...s, status: 'cancelled' }, at('2027-05-02T00:00:00Z'), false)).toBe(
      'This session is cancelled.',
    );
  });
});

describe('course eligibility', () => {
  const none = { awards: [], completedCourses: new Set<string>() };
  const today = '2027-05-01';

  it('opens renewal courses only to officials whose current award is in force', () => {
    const renewal = { renewal: true, prerequisites: [] };
    expect(eligibilityRefusal(renewal, none, today)).toBe(
      'Renewal courses are open only to certified officials.',
    );
    expect(eligibilityRefusal(renewal, { ...none, awards: [{ revokedOn: null }] }, today)).toBeNull();
    expect(holdsCertification([{ revokedOn: '2027-05-01' }], today)).toBe(false);
    expect(holdsCertification([{ revokedOn: '2027-05-02' }], today)).toBe(true);
  });

  it('names the prerequisites still to complete', () => {
    const course = { renewal: false, prerequisites: ['KS-101', 'KS-102'] };
    expect(eligibilityRefusal(course, none, today)).toBe(
      'Complete KS-101, KS-102 first, or hold a seat in a session of them that ends before this one starts: they are prerequisites of this course.',
    );
    expect(eligibilityRefusal(course, { ...none, completedCourses: new Set(['KS-101']) }, today)).toBe(
      'Complete KS-102 first, or hold a seat in a session of it that ends before this one starts: it is a prerequisite of this course.',
    );
    expect(
      eligibilityRefusal(course, { ...none, completedCourses: new Set(['KS-101', 'KS-102']) }, today),
    ).toBeNull();
  });

  it('takes a seat held in an earlier session as a pending prerequisite (ADR 0033)', () => {
    const course = { renewal: false, prerequisites: ['KS-101', 'KS-102'] };
    const facts = { ...none, completedCourses: new Set(['KS-101']), heldSeats: new Set(['KS-102']) };
    expect(eligibilityRefusal(course, facts, today)).toBeNull();
    expect(prerequisiteStanding(course, facts)).toEqual({ missing: [], pending: ['KS-102'] });
    expect(prerequisiteNote(prerequisiteStanding(course, facts))).toMatch(
      /^Provisional: rests on a seat in KS-102/,
    );
    const lost = { ...facts, heldSeats: new Set<string>() };
    expect(prerequisiteNote(prerequisiteStanding(course, lost))).toMatch(/^Prerequisite not yet met: KS-102/);
    expect(
      prerequisiteNote(
        prerequisiteStanding(course, { ...lost, completedCourses: new Set(['KS-101', 'KS-102']) }),
      ),
    ).toBeNull();
  });

  it('refuses a renewal course for want of certification before it looks at prerequisites', () => {
    expect(eligibilityRefusal({ renewal: true, prerequisites: ['KS-101'] }, none, today)).toBe(
      'Renewal courses are open only to certified officials.',
    );
  });
});

describe('schedule warnings', () => {
  const now = Date.parse('2027-04-12T15:00:00Z');
  it('warns on the start field about a session that starts in the past, not about one to come', () => {
    expect(scheduleWarnings({ startsAt: '2027-04-12T14:00:00Z' }, now).map((w) => w.field)).toEqual([
      'startsAt',
    ]);
    expect(scheduleWarnings({ startsAt: '2027-04-12T14:00:00Z' }, now)[0]!.message).toMatch(/in the past/);
    expect(scheduleWarnings({ startsAt: '2027-04-12T15:00:01Z' }, now)).toEqual([]);
    // Starting this very instant: already too late to register.
    expect(scheduleWarnings({ startsAt: '2027-04-12T15:00:00Z' }, now)).toHaveLength(1);
  });
});
