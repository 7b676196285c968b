/**
 * Scheduling policy: seats, waitlist order and promotion, completion rules,
 * and RFC 5545 calendar documents. Pure; the server applies it under locks.
 */
export {
  byJoinOrder,
  placeRegistrant,
  planPromotions,
  checkCapacityChange,
  waitlistPosition,
  creditEarned,
} from './waitlist.js';
export type { WaitlistEntry, PromotionPlan, CapacityCheck, CompletionInput } from './waitlist.js';
export { buildCalendar, foldLine, escapeText, vtimezone } from './ics.js';
export type { CalendarEvent, CalendarOptions } from './ics.js';
