import type { Action, Role } from '../domain/authz';
import type { SessionUser } from './api';

export const roleLabels: Record<Role, string> = {
  administrator: 'Administrator',
  coordinator: 'Coordinator',
  reviewer: 'Reviewer',
  instructor: 'Instructor',
  supervisor: 'County supervisor',
  official: 'Official',
};

export const roleDescriptions: Record<Role, string> = {
  administrator: 'Runs the program: people, settings, audit log and e-mail.',
  coordinator: 'Runs registration, waitlists, attendance and fees.',
  reviewer: 'Approves or rejects outside credit claims.',
  instructor: 'Keeps session rosters and marks attendance.',
  supervisor: "A county clerk: sees their counties' officials, progress and transcripts, and registers them.",
  official: 'Takes part in the program and tracks their own progress.',
};

/**
 * May this signed-in user attempt the action? The server says so in the session's abilities
 * (signedInAbilities in src/domain/authz/policies.ts); the web never works it out from roles.
 */
export function allowed(user: SessionUser | null | undefined, action: Action): boolean {
  return !!user && user.abilities.actions.includes(action);
}

/** Has this user staff pages (People, Jurisdictions, the staff dashboard)? From the session's abilities. */
export function isStaff(user: SessionUser | null | undefined): boolean {
  return !!user && user.abilities.staff;
}

/** Does this user keep an official's own record (My sessions, My progress, ...)? From the session's abilities. */
export function hasOwnRecord(user: SessionUser | null | undefined): boolean {
  return !!user && user.abilities.ownRecord;
}

/** The role whose welcome the staff dashboard shows (a display of the roles), most powerful first. */
export function mainRole(user: SessionUser): Role {
  const order: Role[] = ['administrator', 'coordinator', 'reviewer', 'instructor', 'supervisor', 'official'];
  return order.find((r) => user.roles.includes(r)) ?? 'official';
}

/** A same-site path to return to after sign-in, or '/' when the value is unsafe. */
export function safeNext(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (value.startsWith('/sign-in')) return '/';
  return value;
}
