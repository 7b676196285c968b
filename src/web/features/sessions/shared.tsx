import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Course } from '../../../contract/catalog';
import type { ProgramSummary } from '../../../contract/programs';
import type {
  Event,
  Registration,
  Session,
  belowMinimumList,
  myRegistrationList,
  rosterSchema,
  rosterEntrySchema,
  checkInCodeSchema,
} from '../../../contract/sessions';
import { api, qs, type Paged } from '../../api';
import { dayText, timeText, zoneAbbreviation, zoned } from '../../format';
import './sessions.css';

export type { Course, Event, Registration, Session, ProgramSummary };
export type Roster = z.infer<typeof rosterSchema>;
export type RosterEntry = z.infer<typeof rosterEntrySchema>;
export type MyRegistrations = z.infer<typeof myRegistrationList>;
export type BelowMinimum = z.infer<typeof belowMinimumList>;
export type CheckInCode = z.infer<typeof checkInCodeSchema>;

export const formatLabels: Record<Course['format'], string> = {
  in_person: 'In person',
  webinar: 'Webinar',
  online: 'Online',
  hybrid: 'In person and online',
};

export const sessionStatusLabels: Record<Session['status'], string> = {
  scheduled: 'Open',
  full: 'Full (waitlist)',
  cancelled: 'Cancelled',
  completed: 'Completed',
};

/** USWDS tag colours by session status. */
export function StatusTag({ status }: { status: Session['status'] }) {
  const color =
    status === 'scheduled'
      ? 'bg-green'
      : status === 'full'
        ? 'bg-gold text-ink'
        : status === 'cancelled'
          ? 'bg-secondary-dark'
          : 'bg-base-dark';
  return <span className={`usa-tag ${color}`}>{sessionStatusLabels[status]}</span>;
}

/** Hours and minutes in words: 180 → "3 hours"; 90 → "1 hour 30 minutes". */
export function durationText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} ${h === 1 ? 'hour' : 'hours'}`);
  if (m || !h) parts.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`);
  return parts.join(' ');
}

/** "1.5 Budgeting and finance, 3 Elections": category names from the program, never internal ids. */
export function creditsText(credits: { categoryName: string; amount: number }[]): string {
  if (credits.length === 0) return 'None';
  return credits.map((c) => `${c.amount} ${c.categoryName}`).join(', ');
}

// ---- Dates and times in a session's own time zone -------------------------

// The zone helpers live in ../../format with the other formatting; re-exported for the session pages.
export { dayText, timeText, zoneAbbreviation } from '../../format';

/** "Mon, Apr 12, 2027, 9:00 AM – 12:00 PM CDT" (the end date too when it is another day). */
export function whenText(s: Pick<Session, 'startsAt' | 'endsAt' | 'timeZone'>): string {
  const startDay = dayText(s.startsAt, s.timeZone);
  const endDay = dayText(s.endsAt, s.timeZone);
  const end =
    endDay === startDay ? timeText(s.endsAt, s.timeZone) : `${endDay}, ${timeText(s.endsAt, s.timeZone)}`;
  return `${startDay}, ${timeText(s.startsAt, s.timeZone)} – ${end} ${zoneAbbreviation(s.endsAt, s.timeZone)}`;
}

/** "Apr 1, 2027, 5:00 PM CDT" for a single instant in the zone. */
export function instantText(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  return `${dayText(iso, timeZone)}, ${timeText(iso, timeZone)} ${zoneAbbreviation(iso, timeZone)}`;
}

/** The YYYY-MM-DD date of an instant in a zone. */
export function localDay(iso: string, timeZone: string): string {
  const parts = zoned(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(iso),
  );
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function whereText(s: Pick<Session, 'venue' | 'address' | 'webinarUrl'>): string {
  return [s.venue, s.address].filter(Boolean).join(', ') || (s.webinarUrl ? 'Online' : 'To be announced');
}

/** Today's date in the browser's zone, as YYYY-MM-DD. */
/**
 * A download of one session as a calendar file (.ics). The visible text is the
 * same everywhere; screen readers also hear which session it is for.
 */
export function CalendarLink({
  session,
  className,
}: {
  session: Pick<Session, 'id' | 'course'>;
  className?: string;
}) {
  return (
    <a href={`/api/sessions/${session.id}/calendar.ics`} download className={className}>
      Add to calendar (.ics)
      <span className="usa-sr-only">
        {' '}
        for {session.course.code}: {session.course.title}
      </span>
    </a>
  );
}

/**
 * The earliest date it is anywhere now (UTC-12). Sessions are dated in their own zone, so listing
 * "upcoming" from the browser's date hid tonight's Central-time sessions from a browser already
 * past midnight (UTC, or further east); from this date, a session dated today in its zone always
 * shows.
 */
export function earliestToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Etc/GMT+12',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export const usTimeZones: { id: string; label: string }[] = [
  { id: 'America/New_York', label: 'Eastern (America/New_York)' },
  { id: 'America/Chicago', label: 'Central (America/Chicago)' },
  { id: 'America/Denver', label: 'Mountain (America/Denver)' },
  { id: 'America/Phoenix', label: 'Arizona (America/Phoenix)' },
  { id: 'America/Los_Angeles', label: 'Pacific (America/Los_Angeles)' },
  { id: 'America/Anchorage', label: 'Alaska (America/Anchorage)' },
  { id: 'Pacific/Honolulu', label: 'Hawaii (Pacific/Honolulu)' },
];

// ---- Shared look-ups -------------------------------------------------------

export function usePrograms() {
  return useQuery({
    queryKey: ['programs'],
    queryFn: () => api.get<{ items: ProgramSummary[] }>('/api/programs'),
    staleTime: 60_000,
    select: (d) => d.items,
  });
}

/** Every course, for pickers (the catalog page searches on the server instead). */
export function useAllCourses() {
  return useQuery({
    queryKey: ['courses', 'all'],
    queryFn: () => api.get<Paged<Course>>(`/api/courses${qs({ pageSize: 200 })}`),
    staleTime: 60_000,
    select: (d) => d.items,
  });
}

/**
 * A roster entry's standing on the course's prerequisites (ADR 0033): a provisional seat resting
 * on an earlier one as a hint, "Prerequisite not yet met" in bold so the instructor notices it.
 */
export function PrerequisiteNote({ note }: { note: string | null | undefined }) {
  if (!note) return null;
  const unmet = note.startsWith('Prerequisite not yet met');
  return (
    <div className={unmet ? 'text-bold text-secondary-darker' : 'usa-hint'} data-testid="prerequisite-note">
      {note}
    </div>
  );
}
