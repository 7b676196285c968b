/**
 * The words and limits an official meets on the claim form: the activity types and document kinds
 * as the CPO seed names them, the evidence each type needs, the file size limit, the extension a
 * stored file gets, and the refusals of impossible dates and hours.
 */
import { describe, expect, it } from 'vitest';
import {
  claimDateAndHourIssues,
  claimFeeFor,
  claimFeeHowToPay,
  claimTypeLabels,
  claimTypes,
  documentKindLabels,
  evidenceRules,
  MAX_DOCUMENT_BYTES,
  sanitizeFilename,
} from './index.js';

describe('names on the claim form', () => {
  it('names each activity type as the seed does', () => {
    expect(claimTypeLabels).toEqual({
      'state-association': 'State association meeting',
      speaker: 'Speaker or presentation',
      'online-course': 'Online course',
      webinar: 'Webinar',
      'professional-development': 'Professional development course',
      'internal-training': 'Internal county training',
      'work-experience': 'Work experience',
      'college-credit': 'College credit',
    });
  });
  it('names each kind of document', () => {
    expect(documentKindLabels).toEqual({
      description: 'Course description or agenda',
      certificate: 'Attendance certificate',
      registration: 'Registration confirmation',
      'supervisor-confirmation': "Supervisor's confirmation",
      'college-transcript': 'College transcript',
      other: 'Other document',
    });
  });
  it('says what the fee pays for and that it is not paid online', () => {
    expect(claimFeeFor).toContain('a claim that is not approved owes nothing');
    expect(claimFeeHowToPay).toMatch(/^You do not pay online\./);
  });
});

describe('the evidence each activity needs', () => {
  const course = [
    { id: 'description', label: 'A course description or agenda', anyOf: ['description'] },
    {
      id: 'attendance',
      label: 'Proof of attendance (an attendance certificate or a registration confirmation)',
      anyOf: ['certificate', 'registration'],
    },
  ];
  it('asks a description and proof of attendance for every kind of course or meeting', () => {
    for (const type of claimTypes.filter((t) => t !== 'work-experience' && t !== 'college-credit'))
      expect(evidenceRules('igo-cpo', type), type).toEqual(course);
  });
  it('asks work experience for a description and a supervisor, college credit for a transcript', () => {
    expect(evidenceRules('igo-cpo', 'work-experience')).toEqual([
      { id: 'description', label: 'A description of the work', anyOf: ['description'] },
      { id: 'supervisor', label: "A supervisor's confirmation", anyOf: ['supervisor-confirmation'] },
    ]);
    expect(evidenceRules('ks-ceo', 'college-credit')).toEqual([
      {
        id: 'transcript',
        label: 'A college transcript showing the course and grade',
        anyOf: ['college-transcript'],
      },
    ]);
  });
});

describe('uploaded files', () => {
  it('takes files up to 10 MiB', () => {
    expect(MAX_DOCUMENT_BYTES).toBe(10_485_760);
  });
  it('gives a stored file the extension of its real type', () => {
    expect(sanitizeFilename('scan.exe', 'application/pdf')).toBe('scan.pdf');
    expect(sanitizeFilename('scan.exe', 'image/png')).toBe('scan.png');
    expect(sanitizeFilename('scan.exe', 'image/jpeg')).toBe('scan.jpg');
  });
});

describe('impossible dates and hours, in words', () => {
  const today = '2027-03-01';
  it('says why a future start or end is refused', () => {
    expect(claimDateAndHourIssues({ startDate: '2027-03-02', endDate: null, hours: 3 }, today)).toEqual([
      {
        field: 'startDate',
        message: 'Claim an activity once it has happened; the start date is in the future.',
      },
    ]);
    // Started today, ends tomorrow: not over yet.
    expect(
      claimDateAndHourIssues({ startDate: '2027-03-01', endDate: '2027-03-02', hours: 3 }, today),
    ).toEqual([
      { field: 'endDate', message: 'Claim an activity once it has ended; the end date is in the future.' },
    ]);
    expect(
      claimDateAndHourIssues({ startDate: '2027-02-10', endDate: '2027-02-09', hours: 3 }, today),
    ).toEqual([{ field: 'endDate', message: 'The end date cannot be before the start date.' }]);
  });
  it('counts the days of a longer activity when refusing its hours', () => {
    expect(
      claimDateAndHourIssues({ startDate: '2027-02-01', endDate: '2027-02-03', hours: 80 }, today),
    ).toEqual([
      {
        field: 'hours',
        message:
          '80 hours in 3 days cannot be right: at most 72 hours (24 a day). Check the hours and dates.',
      },
    ]);
  });
});
