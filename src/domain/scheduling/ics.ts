/**
 * RFC 5545 iCalendar documents for sessions: CRLF line endings, lines folded
 * at 75 octets, TEXT escaped, local times with TZID and a VTIMEZONE computed
 * from the IANA zone (Intl), a stable UID per session and a SEQUENCE the
 * caller increases on every change. METHOD:REQUEST / CANCEL follow RFC 5546.
 */
import { zoneOffsetMs } from '../time/index.js';

export interface CalendarEvent {
  /** Stable per session, e.g. "session-<uuid>@civiccert". */
  uid: string;
  sequence: number;
  start: string; // ISO instant
  end: string; // ISO instant
  timeZone: string;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  organizer?: { name: string; email: string };
  attendee?: {
    name: string;
    email: string;
    partstat: 'ACCEPTED' | 'TENTATIVE' | 'DECLINED' | 'NEEDS-ACTION';
  };
}

export interface CalendarOptions {
  method?: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  /** DTSTAMP: when the document was made. */
  stamp: string;
  name?: string;
  /**
   * For a subscribed feed: how often a client should fetch it again, as an ISO 8601 duration
   * (e.g. "PT1H"), written as RFC 7986 REFRESH-INTERVAL and the older X-PUBLISHED-TTL.
   */
  refreshInterval?: string;
}

const CRLF = '\r\n';
/** An RFC 5545 dur-value without sign: weeks, or days and/or a time part with at least one field. */
const DURATION = /^P(?:\d+W|\d+D(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?|T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)$/;
const utf8Length = (s: string): number => {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
};

/** Folds a content line so no line exceeds 75 octets (continuations start with one space). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const len = utf8Length(ch);
    if (octets + len > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += len;
  }
  out.push(current);
  return out.join(CRLF);
}

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value, quoted when it holds characters that need it. */
const param = (s: string): string => {
  const clean = s.replace(/["\r\n]/g, '');
  return /[;:,]/.test(clean) ? `"${clean}"` : clean;
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function utcStamp(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** Local wall time of an instant in a zone, as an iCalendar DATE-TIME without Z. */
function localStamp(epochMs: number, offsetMs: number): string {
  const d = new Date(epochMs + offsetMs);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

function offsetText(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(ms / 60_000));
  return `${sign}${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
}

interface Transition {
  at: number;
  from: number;
  to: number;
}

const transitionCache = new Map<string, Transition[]>();

/** Offset changes of a zone during one calendar year (UTC), found by day steps then bisection. */
function transitionsIn(timeZone: string, year: number): Transition[] {
  const key = `${timeZone}|${year}`;
  const cached = transitionCache.get(key);
  if (cached) return cached;
  const found: Transition[] = [];
  const DAY = 86_400_000;
  let t = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  let prev = zoneOffsetMs(timeZone, t);
  while (t < end) {
    const next = Math.min(t + DAY, end);
    const off = zoneOffsetMs(timeZone, next);
    if (off !== prev) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (zoneOffsetMs(timeZone, mid) === prev) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, from: prev, to: off });
      prev = off;
    }
    t = next;
  }
  transitionCache.set(key, found);
  return found;
}

/**
 * A VTIMEZONE covering the given instants: the zone's transitions from the
 * year before the first instant through the year of the last, or a single
 * STANDARD observance for a zone without daylight saving time.
 */
export function vtimezone(timeZone: string, instants: number[]): string[] {
  const years = instants.map((i) => new Date(i).getUTCFullYear());
  const from = Math.min(...years) - 1;
  const to = Math.max(...years);
  const transitions: Transition[] = [];
  for (let y = from; y <= to; y++) transitions.push(...transitionsIn(timeZone, y));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  if (transitions.length === 0) {
    const off = offsetText(zoneOffsetMs(timeZone, instants[0] ?? 0));
    lines.push(
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${off}`,
      `TZOFFSETTO:${off}`,
      'END:STANDARD',
    );
  }
  for (const tr of transitions) {
    const kind = tr.to > tr.from ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      // DTSTART of an observance is local time in the offset before the change.
      `DTSTART:${localStamp(tr.at, tr.from)}`,
      `TZOFFSETFROM:${offsetText(tr.from)}`,
      `TZOFFSETTO:${offsetText(tr.to)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

function eventLines(e: CalendarEvent, stamp: string): string[] {
  const start = Date.parse(e.start);
  const end = Date.parse(e.end);
  const lines = [
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `DTSTAMP:${utcStamp(stamp)}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTART;TZID=${e.timeZone}:${localStamp(start, zoneOffsetMs(e.timeZone, start))}`,
    `DTEND;TZID=${e.timeZone}:${localStamp(end, zoneOffsetMs(e.timeZone, end))}`,
    `SUMMARY:${escapeText(e.summary)}`,
  ];
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.url) lines.push(`URL:${e.url}`);
  lines.push(`STATUS:${e.status}`);
  if (e.organizer) lines.push(`ORGANIZER;CN=${param(e.organizer.name)}:mailto:${e.organizer.email}`);
  if (e.attendee) {
    lines.push(
      `ATTENDEE;CN=${param(e.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${e.attendee.partstat};RSVP=FALSE:mailto:${e.attendee.email}`,
    );
  }
  lines.push('END:VEVENT');
  return lines;
}

/** A complete VCALENDAR with one VTIMEZONE per zone used. */
export function buildCalendar(events: readonly CalendarEvent[], opts: CalendarOptions): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//CivicCert//Sessions//EN', 'CALSCALE:GREGORIAN'];
  if (opts.method) lines.push(`METHOD:${opts.method}`);
  if (opts.name) lines.push(`X-WR-CALNAME:${escapeText(opts.name)}`);
  if (opts.refreshInterval) {
    if (!DURATION.test(opts.refreshInterval)) {
      throw new RangeError(`Not an iCalendar duration: ${opts.refreshInterval}`);
    }
    lines.push(
      `REFRESH-INTERVAL;VALUE=DURATION:${opts.refreshInterval}`,
      `X-PUBLISHED-TTL:${opts.refreshInterval}`,
    );
  }
  const zones = new Map<string, number[]>();
  for (const e of events) {
    const list = zones.get(e.timeZone) ?? [];
    list.push(Date.parse(e.start), Date.parse(e.end));
    zones.set(e.timeZone, list);
  }
  for (const [zone, instants] of [...zones.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(...vtimezone(zone, instants));
  }
  for (const e of events) lines.push(...eventLines(e, opts.stamp));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
