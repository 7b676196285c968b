/**
 * Changes made without a network, kept on the device and sent when it is back online (issue 19,
 * item 3): an instructor's attendance minutes and an official's QR check-in. They live in
 * localStorage, so a reload, a closed tab or a restarted tablet keeps them.
 *
 * Attendance is sent with the minutes the device last read from the server (`expected`): when
 * someone else changed that person's minutes meanwhile, the server refuses the entry (409) and it
 * becomes a conflict the page shows; nothing is overwritten. The instructor then keeps the
 * server's value or sends theirs again, now knowingly.
 */
import { useSyncExternalStore } from 'react';
import { api, ApiError } from '../api';

export interface PendingAttendance {
  kind: 'attendance';
  sessionId: string;
  registrationId: string;
  displayName: string;
  minutes: number;
  /** What the server had when the change was made (null: no record). */
  expected: number | null;
  savedAt: string;
}
export interface PendingCheckIn {
  kind: 'check-in';
  sessionId: string;
  code: string;
  scannedAt: string;
}
export type Pending = PendingAttendance | PendingCheckIn;

/** A change the server refused: a conflict (someone else changed it) or any other refusal. */
export interface Refused {
  kind: Pending['kind'];
  sessionId: string;
  registrationId: string | null;
  displayName: string | null;
  minutes: number | null;
  /** The server's words: for a conflict, what it holds now and what this device has. */
  message: string;
  /** Someone else changed the value since this device read it (409). */
  conflict: boolean;
}

interface State {
  pending: Pending[];
  refused: Refused[];
  sending: boolean;
}

const KEY = 'civiccert.offline.v1';
const empty: State = { pending: [], refused: [], sending: false };
let state: State = load();
const listeners = new Set<() => void>();

function load(): State {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    if (!raw) return empty;
    const parsed = JSON.parse(raw) as Partial<State>;
    return {
      pending: Array.isArray(parsed.pending) ? parsed.pending : [],
      refused: Array.isArray(parsed.refused) ? parsed.refused : [],
      sending: false,
    };
  } catch {
    return empty;
  }
}

function set(next: Partial<State>): void {
  state = { ...state, ...next };
  try {
    localStorage.setItem(KEY, JSON.stringify({ pending: state.pending, refused: state.refused }));
  } catch {
    // Storage full or disabled: the changes stay in memory for this page's life.
  }
  for (const listener of listeners) listener();
}

/** Set while sync runs (startOfflineSync): sends at once what was just queued, if online. */
let kick: (() => void) | null = null;
const soon = () => setTimeout(() => kick?.(), 0);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The queue as React state: re-renders when it changes (also from another tab, via `storage`). */
export function useOfflineQueue(): State {
  return useSyncExternalStore(subscribe, () => state);
}

/** Keep attendance changes on the device. A second change for the same person replaces the first but keeps what the server had. */
export function queueAttendance(entries: Omit<PendingAttendance, 'kind' | 'savedAt'>[]): void {
  const now = new Date().toISOString();
  let pending = state.pending;
  for (const e of entries) {
    const earlier = pending.find(
      (p): p is PendingAttendance =>
        p.kind === 'attendance' && p.sessionId === e.sessionId && p.registrationId === e.registrationId,
    );
    const next: PendingAttendance = {
      kind: 'attendance',
      ...e,
      expected: earlier ? earlier.expected : e.expected,
      savedAt: now,
    };
    pending = earlier ? pending.map((p) => (p === earlier ? next : p)) : [...pending, next];
  }
  const refused = state.refused.filter(
    (r) => !entries.some((e) => r.sessionId === e.sessionId && r.registrationId === e.registrationId),
  );
  set({ pending, refused });
  soon();
}

/** Keep a QR check-in on the phone, dated when it was scanned. */
export function queueCheckIn(sessionId: string, code: string): void {
  if (state.pending.some((p) => p.kind === 'check-in' && p.sessionId === sessionId)) return;
  set({
    pending: [...state.pending, { kind: 'check-in', sessionId, code, scannedAt: new Date().toISOString() }],
  });
  soon();
}

/** Forget a refused change (the instructor keeps the server's value). */
export function dismissRefused(item: Refused): void {
  set({ refused: state.refused.filter((r) => r !== item) });
}

/** True when the request never reached the server (no network), as opposed to a refusal. */
export const isOffline = (error: unknown): boolean => error instanceof ApiError && error.status === 0;

/**
 * Send everything waiting, one request per session for attendance. Stops at the first network
 * failure (still offline). Returns the sessions whose data changed on the server.
 */
export async function flushQueue(): Promise<string[]> {
  if (state.sending || state.pending.length === 0) return [];
  set({ sending: true });
  const changed: string[] = [];
  try {
    for (const sessionId of [...new Set(state.pending.map((p) => p.sessionId))]) {
      const mine = state.pending.filter((p) => p.sessionId === sessionId);
      const attendance = mine.filter((p): p is PendingAttendance => p.kind === 'attendance');
      const checkIn = mine.find((p): p is PendingCheckIn => p.kind === 'check-in');
      if (attendance.length) {
        const ok = await sendAttendance(sessionId, attendance);
        if (ok === 'offline') return changed;
        changed.push(sessionId);
      }
      if (checkIn) {
        const ok = await sendCheckIn(checkIn);
        if (ok === 'offline') return changed;
        changed.push(sessionId);
      }
    }
    return changed;
  } finally {
    set({ sending: false });
  }
}

async function sendAttendance(sessionId: string, entries: PendingAttendance[]): Promise<'sent' | 'offline'> {
  let left = entries;
  // Conflicts are taken out and the rest sent again: the server saves a request whole or not at all.
  while (left.length) {
    try {
      await api.put(`/api/sessions/${sessionId}/attendance`, {
        entries: left.map((e) => ({
          registrationId: e.registrationId,
          minutesAttended: e.minutes,
          expectedMinutes: e.expected,
        })),
      });
      drop(left);
      return 'sent';
    } catch (error) {
      if (isOffline(error)) return 'offline';
      const byIndex = error instanceof ApiError ? entryErrors(error) : new Map<number, string>();
      if (byIndex.size === 0) {
        // Refused as a whole (e.g. the session no longer takes attendance, or access ended).
        refuse(left, error instanceof Error ? error.message : 'The server refused these changes.', false);
        return 'sent';
      }
      const conflict = error instanceof ApiError && error.status === 409;
      const current = left;
      refuse(
        current.filter((_, i) => byIndex.has(i)),
        (p) => byIndex.get(current.indexOf(p as PendingAttendance)) ?? '',
        conflict,
      );
      left = left.filter((_, i) => !byIndex.has(i));
    }
  }
  return 'sent';
}

async function sendCheckIn(p: PendingCheckIn): Promise<'sent' | 'offline'> {
  try {
    await api.post(`/api/sessions/${p.sessionId}/check-in`, { code: p.code, scannedAt: p.scannedAt });
    drop([p]);
  } catch (error) {
    if (isOffline(error)) return 'offline';
    refuse([p], error instanceof Error ? error.message : 'The server refused the check-in.', false);
  }
  return 'sent';
}

function entryErrors(error: ApiError): Map<number, string> {
  const out = new Map<number, string>();
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    const m = /^entries\.(\d+)\./.exec(field);
    if (m) out.set(Number(m[1]), message);
  }
  return out;
}

function drop(items: Pending[]): void {
  set({ pending: state.pending.filter((p) => !items.includes(p)) });
}

function refuse(items: Pending[], message: string | ((p: Pending) => string), conflict: boolean): void {
  const refused: Refused[] = items.map((p) => ({
    kind: p.kind,
    sessionId: p.sessionId,
    registrationId: p.kind === 'attendance' ? p.registrationId : null,
    displayName: p.kind === 'attendance' ? p.displayName : null,
    minutes: p.kind === 'attendance' ? p.minutes : null,
    message: typeof message === 'string' ? message : message(p),
    conflict,
  }));
  set({
    pending: state.pending.filter((p) => !items.includes(p)),
    refused: [...state.refused, ...refused],
  });
}

/**
 * Start sending: now, whenever the browser comes back online, and every 30 seconds while
 * something waits (the `online` event is not fired everywhere). `onSent` hears which sessions
 * changed, to refresh their pages.
 */
export function startOfflineSync(onSent: (sessionIds: string[]) => void): () => void {
  const run = () => {
    if (state.pending.length === 0 || !navigator.onLine) return;
    void flushQueue().then((ids) => ids.length && onSent(ids));
  };
  kick = run;
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) {
      state = { ...load(), sending: state.sending };
      for (const listener of listeners) listener();
    }
  };
  window.addEventListener('online', run);
  window.addEventListener('storage', onStorage);
  const timer = window.setInterval(run, 30_000);
  run();
  return () => {
    kick = null;
    window.removeEventListener('online', run);
    window.removeEventListener('storage', onStorage);
    window.clearInterval(timer);
  };
}

/**
 * Forget the API answers the service worker kept for offline use (rosters, who was signed in):
 * on sign-out, so the next person on a shared tablet cannot read them. The name is public/sw.js's
 * DATA cache. Changes still waiting to be sent stay: they are sent under the next sign-in, and
 * refused if that person may not record them.
 */
export async function forgetOfflineReads(): Promise<void> {
  try {
    await globalThis.caches?.delete('civiccert-data-v1');
  } catch {
    // No Cache Storage (an insecure origin): nothing was kept.
  }
}

/** Whether the browser says it has a network, as React state. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
    () => navigator.onLine,
  );
}
