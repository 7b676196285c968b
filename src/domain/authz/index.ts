/**
 * The one authorization table. Every HTTP route names an action; the server
 * asks `can` before the handler runs, and services ask again with the
 * resource when the answer depends on it (an official's own record).
 * Anything not listed here is denied.
 */
export const roles = [
  'administrator',
  'coordinator',
  'reviewer',
  'instructor',
  'supervisor',
  'official',
] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  userId: string;
  personId: string;
  roles: readonly Role[];
  /**
   * The counties (FIPS codes) the account is limited to: a county supervisor's counties, and a
   * coordinator's when they are scoped to counties. Absent or empty for everyone else.
   */
  counties?: readonly string[];
  /** The programs a coordinator is limited to; absent or empty means every program. */
  programs?: readonly string[];
}

/** Who may attempt an action. 'public' needs no sign-in; 'signed-in' needs any account. */
type Audience = 'public' | 'signed-in' | readonly Role[];

const staff: readonly Role[] = ['administrator', 'coordinator', 'reviewer', 'instructor'];

export const policy = {
  'system.health': 'public',
  'system.docs': 'public',
  'system.web': 'public',
  'auth.sign-in': 'public',
  'auth.password.request': 'public',
  'auth.password.set': 'public',
  'auth.email.confirm': 'public',
  'auth.session.read': 'public',
  'auth.sign-out': 'signed-in',
  'jurisdictions.search': 'public',
  'profile.read': 'signed-in',
  'profile.update': 'signed-in',
  'profile.second-factor.read': 'signed-in',
  'profile.second-factor.setup': 'signed-in',
  'profile.second-factor.confirm': 'signed-in',
  'profile.second-factor.disable': 'signed-in',
  'people.second-factor.read': ['administrator'],
  'people.second-factor.reset': ['administrator'],
  // County supervisors (issue 17): a county clerk sees the officials of their counties only
  // (peopleScope below), their progress, ledger and transcripts, and registers them for sessions.
  'people.list': [...staff, 'supervisor'],
  'people.read': [...staff, 'supervisor'],
  'people.create': ['administrator', 'coordinator'],
  'people.update': ['administrator', 'coordinator'],
  'people.roles.update': ['administrator'],
  'people.invite': ['administrator', 'coordinator'],
  // Asking for an account needs none (issue 17); coordinators approve or decline.
  'account-requests.create': 'public',
  'account-requests.list': ['administrator', 'coordinator'],
  'account-requests.decide': ['administrator', 'coordinator'],
  'audit.read': ['administrator'],
  'outbox.read': ['administrator'],
  // The one-click unsubscribe link of a bulk notice: its signed token stands in for sign-in.
  'notifications.unsubscribe': 'public',
  'dashboard.read': [...staff, 'supervisor'],
  // Each staff role's own section of the dashboard (issue 15): a person with several roles sees each.
  'dashboard.section.reviewer': ['reviewer'],
  'dashboard.section.instructor': ['instructor'],
  'dashboard.section.coordinator': ['coordinator'],
  'dashboard.section.administrator': ['administrator'],
  // Programs, enrollment, catalog, sessions, attendance and credits (issue 4).
  'programs.list': 'signed-in',
  'programs.read': 'signed-in',
  'programs.create': ['administrator'],
  'programs.draft.update': ['administrator'],
  'programs.publish': ['administrator'],
  // The impact of a draft on everyone enrolled, checked before publishing (issue 19, ADR 0029).
  'programs.impact.check': ['administrator'],
  'programs.impact.read': ['administrator'],
  'programs.settings.update': ['administrator'],
  'enrollments.list': ['administrator', 'coordinator'],
  'enrollments.create': ['administrator', 'coordinator'],
  'enrollments.update': ['administrator', 'coordinator'],
  'enrollments.request': 'signed-in',
  'enrollments.read.own': 'signed-in',
  // The catalog and the session calendar are public (issue 17): a clerk looks up course dates
  // before having an account. Signed out, a session shows seats left but no names and no webinar link.
  'courses.list': 'public',
  'courses.read': 'public',
  'courses.create': ['administrator', 'coordinator'],
  'courses.update': ['administrator', 'coordinator'],
  'events.list': 'signed-in',
  'events.read': 'signed-in',
  'events.create': ['administrator', 'coordinator'],
  'events.update': ['administrator', 'coordinator'],
  'sessions.list': 'public',
  'sessions.read': 'public',
  'sessions.create': ['administrator', 'coordinator'],
  'sessions.update': ['administrator', 'coordinator'],
  'sessions.cancel': ['administrator', 'coordinator'],
  'sessions.below-minimum': ['administrator', 'coordinator'],
  'registrations.create': ['official', 'administrator', 'coordinator', 'supervisor'],
  'registrations.cancel': ['official', 'administrator', 'coordinator', 'supervisor'],
  'registrations.read.own': 'signed-in',
  'roster.read': ['administrator', 'coordinator', 'instructor'],
  'attendance.record': ['administrator', 'coordinator', 'instructor'],
  'sessions.check-in': 'signed-in',
  'sessions.check-in-code.read': ['administrator', 'coordinator', 'instructor'],
  'calendar.feed.read': 'public',
  'calendar.feed.create': 'signed-in',
  'calendar.feed.view': 'signed-in',
  'calendar.feed.replace': 'signed-in',
  'credits.read': ['administrator', 'coordinator', 'reviewer', 'supervisor'],
  'credits.reverse': ['administrator', 'coordinator'],
  'credits.read.own': 'signed-in',
  'progress.read': ['administrator', 'coordinator', 'reviewer', 'supervisor'],
  'progress.read.own': 'signed-in',
  // The plan to certification (issue 19): the official's own, or a person staff may read; the
  // coordinators' view of courses short of seats.
  'plans.read.own': 'signed-in',
  'plans.read': ['administrator', 'coordinator', 'reviewer', 'supervisor'],
  'plans.shortfall.read': ['administrator', 'coordinator'],
  // Outside-credit claims, review, staff entries and transcripts (issue 5).
  'claims.read.own': 'signed-in',
  'claims.create': 'signed-in',
  'claims.read': 'signed-in',
  'claims.update': 'signed-in',
  'claims.submit': 'signed-in',
  'claims.review': ['administrator', 'reviewer'],
  'claims.fee.update': ['administrator', 'coordinator'],
  'claims.fee.list': ['administrator', 'coordinator'],
  'reviewers.manage': ['administrator'],
  'credits.create': ['administrator', 'coordinator'],
  'transcripts.read.own': 'signed-in',
  'transcripts.read': ['administrator', 'coordinator', 'reviewer', 'supervisor'],
  'transcripts.issue': 'signed-in',
  'transcripts.download': 'signed-in',
  'transcripts.verify': 'public',
  // A transcript as a signed CLR 2.0 credential per program (issue 18): transcriptCredentialAbilities decides.
  'transcripts.credential.read': 'signed-in',
  // Awards, certificates, verification and renewals (issue 6).
  'awards.eligible.list': ['administrator'],
  'awards.list': ['administrator', 'coordinator'],
  'awards.create': ['administrator'],
  'awards.reissue': ['administrator'],
  'awards.revoke': ['administrator'],
  // Plaque orders for awards made at a ceremony or conference (issue 15 item 1).
  'awards.plaques.update': ['administrator', 'coordinator'],
  'awards.read.own': 'signed-in',
  'awards.verify': 'public',
  // Verifiable credentials (issue 18): an award's signed credential for whoever may read the award
  // (awardAbilities decides per award); the issuer's DID document and status lists are public;
  // administrators rotate an issuer's keys and set its name, address and logo.
  'awards.credential.read': 'signed-in',
  // A wallet's QR code of one's own credential (ADR 0034): a short-lived, single-use address whose
  // token stands in for sign-in once; awardAbilities / transcriptCredentialAbilities decide (the holder only).
  'awards.credential.offer': 'signed-in',
  'transcripts.credential.offer': 'signed-in',
  'credentials.offer.fetch': 'public',
  // Anyone may check a credential file on the public verification page (rate-limited).
  'credentials.check': 'public',
  'issuers.read': 'public',
  'issuers.status.read': 'public',
  'issuers.update': ['administrator'],
  'issuers.keys.rotate': ['administrator'],
  // Certificate designs per program (issue 18 item 6): administrators save and preview them;
  // coordinators read the design of a program they run (designs.service decides per program).
  'designs.read': ['administrator', 'coordinator'],
  'designs.update': ['administrator'],
  'designs.preview': ['administrator'],
  // Closed renewal cycles (issue 13): staff reopen one with a reason.
  'cycles.reopen': ['administrator', 'coordinator'],
  // Person facts (issue 13): taking office, exams, waivers, extensions, attestations.
  'facts.read': ['administrator', 'coordinator', 'reviewer'],
  'facts.record': ['administrator', 'coordinator'],
  'facts.withdraw': ['administrator', 'coordinator'],
  // Reports and exports (issue 7).
  'reports.read': ['administrator', 'coordinator'],
  // Evaluating a program's officials as of another day again (ADR 0039): whoever reads its reports.
  'reports.prepare': ['administrator', 'coordinator'],
  'profile.export': 'signed-in',
  'people.export': ['administrator'],
  // Spreadsheet imports (issue 7).
  'imports.run': ['administrator'],
  'imports.read': ['administrator'],
  // API tokens and provider rosters (issue 17, items 5 and 7). The roster is posted by a training
  // provider's API token only (see tokenPolicy below): no person's role calls it.
  'tokens.list': ['administrator'],
  'tokens.create': ['administrator'],
  'tokens.revoke': ['administrator'],
  'providers.list': ['administrator', 'coordinator'],
  'provider-rosters.submit': [],
  // Webhooks (issue 17, item 6): endpoints, their secrets and the delivery log.
  'webhooks.read': ['administrator'],
  'webhooks.manage': ['administrator'],
  // OpenID Connect sign-in (issue 17, item 1): the redirect to the provider, its return, the local
  // code when the provider did not assert two-step sign-in; administrators link and unlink by hand.
  'auth.oidc.start': 'public',
  'auth.oidc.callback': 'public',
  'auth.oidc.code': 'public',
  'people.identities.read': ['administrator'],
  'people.identities.manage': ['administrator'],
} as const satisfies Record<string, Audience>;

export type Action = keyof typeof policy;
export const actions = Object.keys(policy) as Action[];

export function isPublic(action: Action): boolean {
  return policy[action] === 'public';
}

/** May this actor (or an anonymous visitor, when actor is null) attempt the action? */
export function can(actor: Actor | null, action: Action): boolean {
  const audience: Audience = policy[action];
  if (audience === 'public') return true;
  if (!actor) return false;
  if (audience === 'signed-in') return true;
  return actor.roles.some((r) => (audience as readonly Role[]).includes(r));
}

// ---------------------------------------------------------------- API tokens (issue 17)

/** What an integration's API token may be given. A token has scopes, never roles. */
export const tokenScopes = ['credits:write', 'reports:read'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** An integration calling with an API token: not a person, and never a web session. */
export interface TokenActor {
  tokenId: string;
  name: string;
  scopes: readonly TokenScope[];
  /** A `credits:write` token limited to one training provider posts rosters only for its courses' sessions. */
  providerId: string | null;
}

/**
 * The actions an API token may attempt, each with the scope it needs. Every other action refuses
 * a token (403), public ones included: a token opens no web page, no session and no sign-in.
 */
export const tokenPolicy: Partial<Record<Action, TokenScope>> = {
  'provider-rosters.submit': 'credits:write',
  'reports.read': 'reports:read',
};

/** An action no person's role calls, only an API token with its scope (a provider's roster). */
export function isTokenOnly(action: Action): boolean {
  const audience: Audience = policy[action];
  return typeof audience !== 'string' && audience.length === 0;
}

/**
 * May this token attempt the action? Answers null when it may, otherwise why not: the scope it
 * lacks, or that the action is not open to tokens at all.
 */
export function tokenRefusal(token: TokenActor, action: Action): string | null {
  const scope = tokenPolicy[action];
  if (!scope) return 'API tokens cannot call this. It needs a signed-in person.';
  if (!token.scopes.includes(scope))
    return `This API token does not have the scope ${scope}, which this call needs.`;
  return null;
}

/** Staff: anyone holding a role besides official. Staff may be required to use two-step sign-in. */
export const isStaff = (userRoles: readonly Role[]): boolean => userRoles.some((r) => r !== 'official');

/**
 * What a staff account may still do while two-step sign-in is required but not
 * yet set up: sign in and out, read its profile, and set up the authenticator.
 */
export const allowedBeforeSecondFactor: ReadonlySet<Action> = new Set<Action>([
  'auth.sign-in',
  'auth.sign-out',
  'auth.session.read',
  'auth.password.request',
  'auth.password.set',
  'auth.email.confirm',
  'profile.read',
  'profile.second-factor.read',
  'profile.second-factor.setup',
  'profile.second-factor.confirm',
]);

export function hasRole(actor: Actor | null, ...wanted: Role[]): boolean {
  return !!actor && actor.roles.some((r) => wanted.includes(r));
}

/**
 * Standing among roles, for changes to another person: administrator above
 * coordinator above reviewer and instructor above official. A person's
 * standing is that of their highest role.
 */
const rank: Record<Role, number> = {
  administrator: 3,
  coordinator: 2,
  reviewer: 1,
  instructor: 1,
  supervisor: 1,
  official: 0,
};
export const standing = (userRoles: readonly Role[]): number => Math.max(0, ...userRoles.map((r) => rank[r]));

/** What a change to a person's record touches. */
export type PersonChange =
  /** Name, title, phone, county. */
  | 'details'
  /** The sign-in e-mail address. */
  | 'email'
  | 'roles'
  /** E-mailing a password set/reset link. */
  | 'invite'
  | 'second-factor-reset';

/**
 * May this actor make this change to this person? Answers null when allowed,
 * otherwise the reason to give. The route's action (the table above) is
 * checked first; this adds the rules that depend on whom the change is to:
 *
 * - nobody changes a person who stands above them (a coordinator cannot touch
 *   an administrator's record, invite them, or reset their second factor);
 * - the sign-in e-mail and the roles are an administrator's to change, and an
 *   administrator's own e-mail and roles are changed by another administrator;
 * - an administrator's second factor is reset by another administrator.
 *
 * No actor means a trusted system caller (the CLI, run with database access).
 */
export function personChangeRefusal(
  actor: Actor | null,
  target: { personId: string; roles: readonly Role[] },
  change: PersonChange,
): string | null {
  if (!actor) return null;
  const self = actor.personId === target.personId;
  if (!self && standing(target.roles) > standing(actor.roles))
    return 'You cannot change the account of someone whose role is above yours. Ask an administrator.';
  const isAdmin = actor.roles.includes('administrator');
  const targetIsAdmin = target.roles.includes('administrator');
  switch (change) {
    case 'email':
      if (!isAdmin) return 'Only an administrator can change a sign-in e-mail address.';
      if (self && targetIsAdmin)
        return 'Another administrator must change your sign-in e-mail address, so one stolen session cannot take over an administrator account.';
      return null;
    case 'roles':
      if (!isAdmin) return 'Only an administrator can change roles.';
      if (self && targetIsAdmin)
        return 'Another administrator must change your roles, so one stolen session cannot take over or lock out an administrator account.';
      return null;
    case 'second-factor-reset':
      if (!isAdmin) return 'Only an administrator can reset two-step sign-in.';
      if (self) return 'Another administrator must reset your two-step sign-in.';
      return null;
    case 'invite':
    case 'details':
      return null;
  }
}

/**
 * A coordinator limited to some counties or programs (issue 17 item 3): a regional coordinator, or
 * the coordinator of one of several programs. Administrators and unscoped coordinators run
 * everything. Scoped or not, sessions, courses and events stay shared: the catalog is one.
 */
export const coordinatorScoped = (actor: Actor | null): boolean =>
  hasRole(actor, 'coordinator') &&
  !hasRole(actor, 'administrator') &&
  ((actor?.counties ?? []).length > 0 || (actor?.programs ?? []).length > 0);

/**
 * What a list for a scoped coordinator is filtered by (its counties and programs, either may be
 * empty); null when the actor is not a scoped coordinator and the list is not filtered for them.
 */
export function coordinatorLimits(
  actor: Actor | null,
): { counties: readonly string[]; programs: readonly string[] } | null {
  if (!actor || !coordinatorScoped(actor)) return null;
  return { counties: actor.counties ?? [], programs: actor.programs ?? [] };
}

/** Does the actor run this program: an administrator, or a coordinator not limited to other programs? */
export function coordinatesProgram(actor: Actor | null, programId: string): boolean {
  if (hasRole(actor, 'administrator')) return true;
  if (!hasRole(actor, 'coordinator')) return false;
  const programs = actor?.programs ?? [];
  return programs.length === 0 || programs.includes(programId);
}

/**
 * Does the actor run the programs for this person (or this record of theirs): an administrator,
 * or a coordinator whose counties, if limited, include the person's county and whose programs, if
 * limited, include one of `programIds` (the programs the person is enrolled in, or the record's own;
 * null for a record of no program, such as an account request, which only the counties limit).
 */
export function coordinates(
  actor: Actor | null,
  p: { jurisdictionFips: string | null; programIds: readonly string[] | null },
): boolean {
  if (hasRole(actor, 'administrator')) return true;
  if (!hasRole(actor, 'coordinator')) return false;
  const counties = actor?.counties ?? [];
  const programs = actor?.programs ?? [];
  if (counties.length > 0 && !(p.jurisdictionFips && counties.includes(p.jurisdictionFips))) return false;
  return programs.length === 0 || p.programIds === null || p.programIds.some((id) => programs.includes(id));
}

/**
 * Whose personal details (e-mail, phone, records) a staff member may read.
 * Administrators and unscoped coordinators run the programs and see everyone;
 * a scoped coordinator, the people of their counties enrolled in their programs.
 * An instructor sees the people on the rosters of their sessions; a reviewer,
 * the people with claims in the programs they review; a county supervisor, the
 * people of their counties; each sees themselves.
 */
export type PeopleScope =
  | { all: true }
  | {
      all: false;
      rosters: boolean;
      reviews: boolean;
      counties: readonly string[];
      /** A scoped coordinator's reach: both lists must match when not empty; null when not a coordinator. */
      coordinator: { counties: readonly string[]; programs: readonly string[] } | null;
    };
export function peopleScope(actor: Actor): PeopleScope {
  if (hasRole(actor, 'administrator') || (hasRole(actor, 'coordinator') && !coordinatorScoped(actor)))
    return { all: true };
  return {
    all: false,
    rosters: hasRole(actor, 'instructor'),
    reviews: hasRole(actor, 'reviewer'),
    counties: hasRole(actor, 'supervisor') ? (actor.counties ?? []) : [],
    coordinator: hasRole(actor, 'coordinator')
      ? { counties: actor.counties ?? [], programs: actor.programs ?? [] }
      : null,
  };
}

/**
 * Limited to counties, holding no role that sees more: a county supervisor (not also a reviewer or
 * an unscoped coordinator), or a coordinator scoped to counties. Someone outside their counties is
 * refused (403), not hidden, since they know the other offices exist.
 */
export const countyScoped = (actor: Actor | null): boolean =>
  (hasRole(actor, 'supervisor') && !hasRole(actor, 'administrator', 'coordinator', 'reviewer')) ||
  (coordinatorScoped(actor) && (actor?.counties ?? []).length > 0);
