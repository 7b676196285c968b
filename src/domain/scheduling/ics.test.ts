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
  // Built inside each test (not at collection time) so mutation testing sees which tests run it.
  const build = () => buildCalendar([event], { method: 'REQUEST', stamp: '2027-03-01T12:00:00.000Z' });

  it('uses CRLF line endings only and folds every line at 75 octets', () => {
    const ics = build();
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('writes local times with TZID, a matching VTIMEZONE, UID, SEQUENCE and METHOD', () => {
    const u = unfold(build());
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
    const u = unfold(build());
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

describe('iCalendar document, byte for byte', () => {
  it('writes the whole calendar: zones sorted by name, optional properties only when given, quoted parameters', () => {
    const ics = buildCalendar(
      [
        {
          uid: 'a@c',
          sequence: 0,
          start: '2027-01-05T15:00:00.000Z',
          end: '2027-01-05T16:30:00.000Z',
          timeZone: 'America/Phoenix',
          summary: 'S',
          url: 'https://x.test/s/1',
          status: 'TENTATIVE',
          organizer: { name: 'Board; of, Elections: "KS"', email: 'o@x.test' },
          attendee: { name: 'Lee\r\nRoe', email: 'l@x.test', partstat: 'NEEDS-ACTION' },
        },
        {
          uid: 'b@c',
          sequence: 1,
          start: '2027-06-05T15:00:00.000Z',
          end: '2027-06-05T16:00:00.000Z',
          timeZone: 'America/Chicago',
          summary: 'T',
          status: 'CONFIRMED',
        },
      ],
      { method: 'PUBLISH', stamp: '2027-02-03T04:05:06.000Z', name: 'Kansas, sessions; 2027' },
    );
    expect(ics).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//CivicCert//Sessions//EN',
        'CALSCALE:GREGORIAN',
        'METHOD:PUBLISH',
        'X-WR-CALNAME:Kansas\\, sessions\\; 2027',
        // Chicago sorts before Phoenix; its transitions cover the year before the first event.
        'BEGIN:VTIMEZONE',
        'TZID:America/Chicago',
        'BEGIN:DAYLIGHT',
        'DTSTART:20260308T020000',
        'TZOFFSETFROM:-0600',
        'TZOFFSETTO:-0500',
        'END:DAYLIGHT',
        'BEGIN:STANDARD',
        'DTSTART:20261101T020000',
        'TZOFFSETFROM:-0500',
        'TZOFFSETTO:-0600',
        'END:STANDARD',
        'BEGIN:DAYLIGHT',
        'DTSTART:20270314T020000',
        'TZOFFSETFROM:-0600',
        'TZOFFSETTO:-0500',
        'END:DAYLIGHT',
        'BEGIN:STANDARD',
        'DTSTART:20271107T020000',
        'TZOFFSETFROM:-0500',
        'TZOFFSETTO:-0600',
        'END:STANDARD',
        'END:VTIMEZONE',
        'BEGIN:VTIMEZONE',
        'TZID:America/Phoenix',
        'BEGIN:STANDARD',
        'DTSTART:19700101T000000',
        'TZOFFSETFROM:-0700',
        'TZOFFSETTO:-0700',
        'END:STANDARD',
        'END:VTIMEZONE',
        'BEGIN:VEVENT',
        'UID:a@c',
        'DTSTAMP:20270203T040506Z',
        'SEQUENCE:0',
        'DTSTART;TZID=America/Phoenix:20270105T080000',
        'DTEND;TZID=America/Phoenix:20270105T093000',
        'SUMMARY:S',
        'URL:https://x.test/s/1',
        'STATUS:TENTATIVE',
        'ORGANIZER;CN="Board; of, Elections: KS":mailto:o@x.test',
        'ATTENDEE;CN=LeeRoe;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:ma',
        ' ilto:l@x.test',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:b@c',
        'DTSTAMP:20270203T040506Z',
        'SEQUENCE:1',
        'DTSTART;TZID=America/Chicago:20270605T100000',
        'DTEND;TZID=America/Chicago:20270605T110000',
        'SUMMARY:T',
        'STATUS:CONFIRMED',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('covers every year from the one before the first event through the last, with positive offsets', () => {
    const ics = buildCalendar(
      [
        {
          uid: 'x@c',
          sequence: 0,
          start: '2029-12-31T20:00:00.000Z',
          end: '2029-12-31T21:00:00.000Z',
          timeZone: 'Australia/Sydney',
          summary: 'A',
          status: 'CONFIRMED',
        },
        {
          uid: 'y@c',
          sequence: 0,
          start: '2031-03-01T00:00:00.000Z',
          end: '2031-03-01T01:00:00.000Z',
          timeZone: 'Asia/Kolkata',
          summary: 'B',
          status: 'CONFIRMED',
        },
        {
          uid: 'z@c',
          sequence: 0,
          start: '2031-03-01T00:00:00.000Z',
          end: '2031-03-01T01:00:00.000Z',
          timeZone: 'Australia/Sydney',
          summary: 'C',
          status: 'CONFIRMED',
        },
      ],
      { stamp: '2029-01-01T00:00:00.000Z' },
    );
    const u = unfold(ics);
    expect(u).not.toContain('METHOD:');
    expect(u).not.toContain('X-WR-CALNAME');
    expect(u).not.toContain('DESCRIPTION');
    expect(u).not.toContain('LOCATION');
    expect(u).not.toContain('URL');
    expect(u).not.toContain('ORGANIZER');
    expect(u).not.toContain('ATTENDEE');
    // Kolkata (+05:30, no DST) sorts before Sydney.
    expect(u.indexOf('TZID:Asia/Kolkata')).toBeLessThan(u.indexOf('TZID:Australia/Sydney'));
    expect(u).toContain(
      'TZID:Asia/Kolkata\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE',
    );
    const sydney = u.slice(
      u.indexOf('TZID:Australia/Sydney'),
      u.indexOf('END:VTIMEZONE', u.indexOf('TZID:Australia/Sydney')),
    );
    // Southern hemisphere: DST ends in April (STANDARD) and starts in October (DAYLIGHT), 2028 to 2031.
    const starts = [
      ...sydney.matchAll(
        /BEGIN:(\w+)\r\nDTSTART:(\d{8})T(\d{6})\r\nTZOFFSETFROM:([+-]\d{4})\r\nTZOFFSETTO:([+-]\d{4})\r\nEND:\1/g,
      ),
    ].map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]} ${m[5]}`);
    expect(starts).toEqual([
      'STANDARD 20280402 030000 +1100 +1000',
      'DAYLIGHT 20281001 020000 +1000 +1100',
      'STANDARD 20290401 030000 +1100 +1000',
      'DAYLIGHT 20291007 020000 +1000 +1100',
      'STANDARD 20300407 030000 +1100 +1000',
      'DAYLIGHT 20301006 020000 +1000 +1100',
      'STANDARD 20310406 030000 +1100 +1000',
      'DAYLIGHT 20311005 020000 +1000 +1100',
    ]);
    expect(u).toContain('DTSTART;TZID=Australia/Sydney:20300101T070000');
    expect(u).toContain('DTSTART;TZID=Asia/Kolkata:20310301T053000');
  });

  it('writes a zone west of UTC with a minus sign and one east of it with a plus sign', () => {
    const at = (timeZone: string) =>
      unfold(
        buildCalendar(
          [
            {
              uid: 'u',
              sequence: 0,
              start: '2032-05-01T12:00:00Z',
              end: '2032-05-01T13:00:00Z',
              timeZone,
              summary: 'x',
              status: 'CONFIRMED',
            },
          ],
          { stamp: '2032-01-01T00:00:00Z' },
        ),
      );
    expect(at('UTC')).toContain('TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000');
    expect(at('Pacific/Honolulu')).toContain('TZOFFSETFROM:-1000\r\nTZOFFSETTO:-1000');
    expect(at('Asia/Tokyo')).toContain('TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900');
  });

  it('writes a description and location only when given, escaped', () => {
    const u = unfold(
      buildCalendar(
        [
          {
            uid: 'u',
            sequence: 0,
            start: '2032-05-01T12:00:00Z',
            end: '2032-05-01T13:00:00Z',
            timeZone: 'UTC',
            summary: 'a\\b',
            description: 'one\r\ntwo\rthree',
            location: 'Room 1; Hall, B',
            status: 'CONFIRMED',
          },
        ],
        { stamp: '2032-01-01T00:00:00Z' },
      ),
    );
    expect(u).toContain(
      'SUMMARY:a\\\\b\r\nDESCRIPTION:one\\ntwo\\nthree\r\nLOCATION:Room 1\\; Hall\\, B\r\nSTATUS:CONFIRMED\r\n',
    );
  });
});

describe('line folding counts UTF-8 octets', () => {
  const lines = (s: string) => foldLine(s).split('\r\n');
  it('folds a line of 76 octets and keeps one of exactly 75', () => {
    expect(lines('a'.repeat(75))).toEqual(['a'.repeat(75)]);
    expect(lines('a'.repeat(76))).toEqual(['a'.repeat(75), ' a']);
    expect(lines('a'.repeat(75 + 74 + 1))).toEqual(['a'.repeat(75), ` ${'a'.repeat(74)}`, ' a']);
  });

  it.each([
    ['\u007f', 1],
    ['\u0080', 2],
    ['\u07ff', 2],
    ['\u0800', 3],
    ['\uffff', 3],
    ['\u{10000}', 4],
  ])('counts %j as %i octets', (ch, octets) => {
    // Fits exactly: 75 - octets ASCII characters then the character.
    expect(lines('a'.repeat(75 - octets) + ch)).toEqual(['a'.repeat(75 - octets) + ch]);
    // One octet too many: the character moves to a continuation line.
    expect(lines('a'.repeat(76 - octets) + ch)).toEqual(['a'.repeat(76 - octets), ` ${ch}`]);
  });
});

const stamp = '2027-03-01T12:00:00.000Z';

describe('a subscribed feed says how often to fetch it again', () => {
  it('writes REFRESH-INTERVAL and X-PUBLISHED-TTL in the calendar, before any component', () => {
    const ics = buildCalendar([event], { method: 'PUBLISH', stamp, refreshInterval: 'PT1H' });
    const lines = ics.split('\r\n');
    const refresh = lines.indexOf('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
    expect(refresh).toBeGreaterThan(0);
    expect(lines[refresh + 1]).toBe('X-PUBLISHED-TTL:PT1H');
    expect(refresh).toBeLessThan(lines.indexOf('BEGIN:VTIMEZONE'));
  });

  it('leaves them out of single invitations and downloads', () => {
    const ics = buildCalendar([event], { method: 'REQUEST', stamp });
    expect(ics).not.toMatch(/REFRESH-INTERVAL|X-PUBLISHED-TTL/);
  });

  it('accepts only iCalendar durations', () => {
    for (const ok of ['PT1H', 'P1D', 'P1W', 'PT30M', 'P1DT12H', 'PT1H30M']) {
      expect(() => buildCalendar([], { stamp, refreshInterval: ok }), ok).not.toThrow();
    }
    for (const bad of ['1H', 'PT', 'P', 'P1DT', 'PT1H2', 'P1W2D', 'pt1h', 'PT1H\r\nX-EVIL:1']) {
      expect(() => buildCalendar([], { stamp, refreshInterval: bad }), bad).toThrow(RangeError);
    }
  });
});
