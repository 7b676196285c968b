import { can, type Action, type Role } from '../domain/authz';
import type { SessionUser } from './api';

export const staffRoles: readonly Role[] = [
  'administrator',
  'coordinator',
  'reviewer',
  'instructor',
  'supervisor',
];

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

/** May this signed-in user attempt the action? The same table the server uses. */
export function allowed(user: SessionUser | null | undefined, action: Action): boolean {
  return can(user ?? null, action);
}

export function isStaff(user: SessionUser | null | undefined): boolean {
  return !!user && user.roles.some((r) => staffRoles.includes(r));
}

/** The role that decides which dashboard a person sees, most powerful first. */
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
