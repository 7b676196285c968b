import { describe, expect, it } from 'vitest';
import {
  claimDateAndHourIssues,
  claimFeeCents,
  missingEvidence,
  missingEvidenceSentence,
  pdfHasJavaScript,
  sanitizeFilename,
  sniffType,
} from './index.js';

describe('evidence rules', () => {
  it('needs a description and proof of attendance for a non-sponsored course', () => {
    expect(missingEvidence('igo-cpo', 'online-course', []).map((r) => r.id)).toEqual([
      'description',
      'attendance',
    ]);
    expect(missingEvidence('igo-cpo', 'online-course', ['registration']).map((r) => r.id)).toEqual([
      'description',
    ]);
    expect(missingEvidence('igo-cpo', 'webinar', ['description', 'certificate'])).toEqual([]);
  });
  it('asks work experience for a supervisor and college credit for a transcript', () => {
    expect(missingEvidence('x', 'work-experience', ['description']).map((r) => r.id)).toEqual(['supervisor']);
    expect(missingEvidence('x', 'college-credit', ['certificate']).map((r) => r.id)).toEqual(['transcript']);
  });
});

describe('files', () => {
  it('knows PDF, PNG and JPEG by their first bytes only', () => {
    expect(sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffType(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniffType(Buffer.alloc(0))).toBeNull();
  });
  it('keeps no folders in a file name and gives it the real extension', () => {
    expect(sanitizeFilename('../../x.pdf', 'application/pdf')).toBe('x.pdf');
    expect(sanitizeFilename('..\\..\\etc\\passwd', 'image/png')).toBe('passwd.png');
    expect(sanitizeFilename('.htaccess', 'application/pdf')).toBe('document.pdf');
    expect(sanitizeFilename('Certificate <script>.exe', 'image/jpeg')).toBe('Certificate _script_.jpg');
    expect(sanitizeFilename('Zertifikat Müller.pdf', 'application/pdf')).toBe('Zertifikat Müller.pdf');
  });
  it('finds JavaScript in a PDF, also behind #xx escapes', () => {
    expect(pdfHasJavaScript('<< /S /JavaScript /JS (app.alert(1)) >>')).toBe(true);
    expect(pdfHasJavaScript('<< /OpenAction << /S /J#61vaScript >> >>')).toBe(true);
    expect(pdfHasJavaScript('<< /Type /Page /JSX 1 >>')).toBe(false);
    expect(pdfHasJavaScript('BT (JavaScript course) Tj ET')).toBe(false);
  });
});

describe('fees per credit', () => {
  it("charges the program's fee per credit, and nothing when the setting is off (0)", () => {
    expect(claimFeeCents(500, 6)).toBe(3000);
    expect(claimFeeCents(500, 1.5)).toBe(750);
    expect(claimFeeCents(0, 6)).toBe(0);
    expect(claimFeeCents(500, -2)).toBe(0);
  });
});

describe('dates and hours an official is told about', () => {
  const today = '2027-03-01';
  const fields = (c: { startDate: string; endDate: string | null; hours: number }) =>
    claimDateAndHourIssues(c, today).map((i) => i.field);
  it('takes an empty end date as a one-day activity', () => {
    expect(claimDateAndHourIssues({ startDate: '2027-02-10', endDate: null, hours: 3 }, today)).toEqual([]);
  });
  it('puts each date problem on the date that is wrong', () => {
    expect(fields({ startDate: '2027-04-01', endDate: null, hours: 3 })).toEqual(['startDate']);
    expect(fields({ startDate: '2027-04-01', endDate: '2027-04-02', hours: 3 })).toEqual(['startDate']);
    expect(fields({ startDate: '2027-02-10', endDate: '2027-02-01', hours: 3 })).toEqual(['endDate']);
    expect(fields({ startDate: '2027-02-10', endDate: '2027-03-02', hours: 3 })).toEqual(['endDate']);
    expect(fields({ startDate: '2027-03-01', endDate: '2027-03-01', hours: 3 })).toEqual([]);
  });
  it('refuses more than 24 hours a day', () => {
    expect(fields({ startDate: '2027-02-10', endDate: null, hours: 500 })).toEqual(['hours']);
    expect(fields({ startDate: '2027-02-10', endDate: null, hours: 24 })).toEqual([]);
    expect(fields({ startDate: '2027-02-01', endDate: '2027-02-05', hours: 120 })).toEqual([]);
    expect(fields({ startDate: '2027-02-01', endDate: '2027-02-05', hours: 120.5 })).toEqual(['hours']);
    expect(
      claimDateAndHourIssues({ startDate: '2027-02-10', endDate: null, hours: 500 }, today)[0]!.message,
    ).toBe(
      '500 hours in one day cannot be right: a day has at most 24 hours. Check the hours, or give the end date of a longer activity.',
    );
  });
  it('names the missing documents in one sentence', () => {
    expect(missingEvidenceSentence(['A', 'B'])).toBe('Add these documents before submitting: A; B.');
  });
});
