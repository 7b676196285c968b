import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine, type CalendarEvent } from './ics.js';

const event: CalendarEvent = {
  uid: 'session-7d0c@civiccert',
  sequence: 3,
  start: '2027-04-12T14:00:00.000Z', // 09:00 CDT
  end: '2027-04-12T17:00:00.000Z',
  timeZone: 'America/Chicago',
  summary: 'Year One: Planning for an Election; Topeka, KS',
  description: "Bring your county's election calendar.\nParking: lot B, level 2 — free.",
  location: 'Memorial Building, 120 SW 10th Ave, Topeka, KS 66612',
  status: 'CONFIRMED',
  organizer: { name: 'CivicCert', email: 'no-reply@civiccert.local' },
  attendee: { name: 'Dana Kessler', email: 'dana@example.gov', partstat: 'ACCEPTED' },
};

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('iCalendar (RFC 5545)', () => {
  const ics = buildCalendar([event], { method: 'REQUEST', stamp: '2027-03-01T12:00:00.000Z' });

  it('uses CRLF line endings only and folds every line at 75 octets', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('writes local times with TZID, a matching VTIMEZONE, UID, SEQUENCE and METHOD', () => {
    const u = unfold(ics);
    expect(u).toContain('METHOD:REQUEST');
    expect(u).toContain('UID:session-7d0c@civiccert');
    expect(u).toContain('SEQUENCE:3');
    expect(u).toContain('DTSTART;TZID=America/Chicago:20270412T090000');
    expect(u).toContain('DTEND;TZID=America/Chicago:20270412T120000');
    expect(u).toContain('DTSTAMP:20270301T120000Z');
    expect(u).toContain('BEGIN:VTIMEZONE\r\nTZID:America/Chicago');
    // 2027: DST starts March 14 at 02:00 CST and ends November 7 at 02:00 CDT.
    expect(u).toMatch(/BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0500/);
    expect(u).toMatch(/BEGIN:STANDARD\r\nDTSTART:20271107T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0600/);
    expect(u).toContain('ORGANIZER;CN=CivicCert:mailto:no-reply@civiccert.local');
    expect(u).toMatch(
      /ATTENDEE;CN=Dana Kessler;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:dana@example.gov/,
    );
  });

  it('escapes commas, semicolons, backslashes and newlines in text', () => {
    const u = unfold(ics);
    expect(u).toContain('SUMMARY:Year One: Planning for an Election\\; Topeka\\, KS');
    expect(u).toContain(
      "DESCRIPTION:Bring your county's election calendar.\\nParking: lot B\\, level 2 — free.",
    );
    expect(escapeText('a\\b')).toBe('a\\\\b');
  });

  it('folds without splitting a multi-byte character', () => {
    const long = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
  });

  it('writes METHOD:CANCEL with STATUS:CANCELLED for a cancellation', () => {
    const cancel = buildCalendar([{ ...event, status: 'CANCELLED', sequence: 4 }], {
      method: 'CANCEL',
      stamp: '2027-03-02T12:00:00.000Z',
    });
    expect(cancel).toContain('METHOD:CANCEL');
    expect(cancel).toContain('STATUS:CANCELLED');
    expect(cancel).toContain('SEQUENCE:4');
  });

  it('gives a zone without daylight saving time one STANDARD observance', () => {
    const az = buildCalendar([{ ...event, timeZone: 'America/Phoenix' }], {
      stamp: '2027-03-01T12:00:00.000Z',
    });
    expect(az).toContain(
      'BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0700',
    );
    expect(az).not.toContain('DAYLIGHT');
    expect(az).toContain('DTSTART;TZID=America/Phoenix:20270412T070000');
  });
});
