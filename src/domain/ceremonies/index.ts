/**
 * Events that carry awards (issue 15 item 1). Pure: the caller passes the event's day and "today",
 * both local dates in the program's zone.
 *
 * The choice: only a ceremony or a conference can carry awards, and only once it has happened or
 * is taking place today. A class is where credit is earned, not where a designation is conferred;
 * a certificate must never print an event that has not taken place yet.
 */
import { formatLongDate, type LocalDate } from '../time/index.js';
import type { FieldIssue } from '../errors.js';

export const eventKinds = ['class', 'conference', 'ceremony'] as const;
export type EventKind = (typeof eventKinds)[number];
export const eventKindLabels: Record<EventKind, string> = {
  class: 'Class',
  conference: 'Conference',
  ceremony: 'Recognition ceremony',
};

/** Kinds of event at which a designation may be awarded. */
export const awardingKinds: readonly EventKind[] = ['ceremony', 'conference'];

/**
 * The day an event takes place: its own date when it has one (a ceremony or conference), else the
 * day of the session it follows, else the day its first session starts. Null when none is known.
 */
export function eventDay(e: {
  heldOn: LocalDate | null;
  followsSessionDay: LocalDate | null;
  firstSessionDay: LocalDate | null;
}): LocalDate | null {
  return e.heldOn ?? e.followsSessionDay ?? e.firstSessionDay;
}

/** Why an award cannot be made at this event today (on `eventId`), or null when it can. */
export function awardEventRefusal(
  e: { title: string; kind: EventKind; day: LocalDate | null },
  today: LocalDate,
): FieldIssue | null {
  if (!awardingKinds.includes(e.kind))
    return {
      field: 'eventId',
      message: `"${e.title}" is a class; awards are made at a recognition ceremony or a conference.`,
    };
  if (!e.day)
    return {
      field: 'eventId',
      message: `"${e.title}" has no date yet; give it one before awarding at it.`,
    };
  if (e.day > today)
    return {
      field: 'eventId',
      message: `"${e.title}" takes place on ${formatLongDate(e.day)}; awards can be made at it from that day, not before.`,
    };
  return null;
}

export const plaqueStates = ['to_order', 'ordered', 'delivered'] as const;
export type PlaqueState = (typeof plaqueStates)[number];
export const plaqueStateLabels: Record<PlaqueState, string> = {
  to_order: 'To order',
  ordered: 'Ordered',
  delivered: 'Delivered',
};

/**
 * A plaque goes to order → ordered → delivered. An order can be taken back (ordered → to order)
 * and a delivery undone when it was recorded by mistake (delivered → ordered); nothing skips a step.
 */
export function plaqueChangeRefusal(from: PlaqueState, to: PlaqueState): string | null {
  if (from === to) return null;
  const allowed: Record<PlaqueState, PlaqueState[]> = {
    to_order: ['ordered'],
    ordered: ['delivered', 'to_order'],
    delivered: ['ordered'],
  };
  if (allowed[from].includes(to)) return null;
  return `A plaque that is "${plaqueStateLabels[from]}" cannot become "${plaqueStateLabels[to]}" directly; mark it ordered first.`;
}
