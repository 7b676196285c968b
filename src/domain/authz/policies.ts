/**
 * Resource policies (issue 17 item 4): every "may this actor do this to THIS record" question,
 * answered in one place. The table in ./index.ts says who may attempt an action at all; the
 * functions here add what depends on the record (whose it is, its county, its program, its
 * status). Each takes the actor and the record's relevant fields and returns the allowed actions
 * as a plain object of booleans. Services call them first (through `requireAccess`), and the API
 * returns the same object as the record's `abilities`, so the web shows buttons from them and
 * never works out roles itself. Pure: no I/O, no clock (times come in as facts).
 */
import { DomainError } from '../errors.js';
import {
  actions,
  can,
  coordinates,
  coordinatesProgram,
  countyScoped,
  hasRole,
  isStaff,
  peopleScope,
  personChangeRefusal,
  type Action,
  type Actor,
  type Role,
  type TokenActor,
} from './index.js';

/** The allowed actions on one record, e.g. `{ read: true, decide: false }`. */
export type Abilities<K extends string = string> = Readonly<Record<K, boolean>>;

/** How a refusal is answered: 403 when the actor knows the record exists, 404 when it stays hidden. */
export interface Denial {
  code: 'forbidden' | 'not_found';
  message: string;
}

/** Throws the denial (DomainError 403 or 404) unless the ability is true. */
export function requireAccess<K extends string>(abilities: Abilities<K>, ability: K, denial: Denial): void {
  if (!abilities[ability]) throw new DomainError(denial.code, denial.message);
}

const hidden = (what: string): Denial => ({
  code: 'not_found',
  message: `There is no ${what} with this id.`,
});
const refused = (message: string): Denial => ({ code: 'forbidden', message });

/**
 * Administrators and coordinators run registration and sessions. Which people's records they see
 * is `coordinates` (a coordinator may be limited to counties or programs).
 */
const runsPrograms = (actor: Actor | null) => hasRole(actor, 'administrator', 'coordinator');

/** Is this county (a FIPS code) one the actor supervises? */
const supervises = (actor: Actor | null, fips: string | null) =>
  !!actor && !!fips && hasRole(actor, 'supervisor') && (actor.counties ?? []).includes(fips);

// ---------------------------------------------------------------- the signed-in session

/**
 * Page-level abilities of the signed-in person: the actions of the table they may attempt (the
 * web's navigation and create buttons), whether they have staff pages, and whether they keep an
 * official's own record (My sessions, My progress, ...). The web reads these, never the roles.
 */
export function signedInAbilities(actor: Actor) {
  return {
    actions: actions.filter((a) => can(actor, a)),
    staff: isStaff(actor.roles),
    ownRecord: actor.roles.includes('official'),
  };
}

// ---------------------------------------------------------------- people

export interface PersonFacts {
  id: string;
  roles: readonly Role[];
  jurisdictionFips: string | null;
  /** The programs they are enrolled in (a coordinator limited to programs reaches these people). */
  programIds: readonly string[];
  /**
   * Reached through the actor's work as the people query finds it: on the roster of a session
   * they teach, or with a claim in a program they review (see peopleScope).
   */
  linked: boolean;
}

/**
 * Themselves, everyone for administrators and unscoped coordinators, a scoped coordinator's people,
 * whom their work reaches, their counties.
 */
function mayReadPerson(actor: Actor | null, p: PersonFacts): boolean {
  if (!actor) return false;
  return (
    actor.personId === p.id ||
    peopleScope(actor).all ||
    coordinates(actor, p) ||
    p.linked ||
    supervises(actor, p.jurisdictionFips)
  );
}

/** What the actor may do to this person's record. */
export function personAbilities(actor: Actor | null, p: PersonFacts) {
  const read = mayReadPerson(actor, p);
  // A coordinator changes, invites and records for the people they coordinate only; what their
  // other roles reach (a roster they teach, a claim they review) they may read, not change.
  const runs = coordinates(actor, p) || actor?.personId === p.id;
  const change = (action: Action, kind: Parameters<typeof personChangeRefusal>[2]) =>
    runs &&
    read &&
    can(actor, action) &&
    personChangeRefusal(actor, { personId: p.id, roles: p.roles }, kind) === null;
  return {
    read,
    update: change('people.update', 'details'),
    updateEmail: change('people.update', 'email'),
    updateRoles: change('people.roles.update', 'roles'),
    invite: change('people.invite', 'invite'),
    resetSecondFactor: change('people.second-factor.reset', 'second-factor-reset'),
    readSecondFactor: read && can(actor, 'people.second-factor.read'),
    /** Their single sign-on links (OpenID providers): list, and link or unlink by hand. */
    readIdentities: read && can(actor, 'people.identities.read'),
    manageIdentities: read && can(actor, 'people.identities.manage'),
    /** Register them for a session: themselves, staff registrars, or a supervisor of their county. */
    register: mayRegisterFor(actor, p),
    readCredits: read && can(actor, 'credits.read'),
    /** Enter a credit by hand, or reverse one: for the people the actor coordinates. */
    recordCredits: read && runs && can(actor, 'credits.create'),
    reverseCredits: read && runs && can(actor, 'credits.reverse'),
    readFacts: read && can(actor, 'facts.read'),
    recordFacts: read && runs && can(actor, 'facts.record'),
    withdrawFacts: read && runs && can(actor, 'facts.withdraw'),
    reopenCycles: read && runs && can(actor, 'cycles.reopen'),
    readAudit: read && can(actor, 'audit.read'),
    export: read && can(actor, 'people.export'),
  };
}
export type PersonAbilities = ReturnType<typeof personAbilities>;

/**
 * A person outside the reader's reach: a county supervisor (who knows the other offices exist)
 * is refused (403); anyone else is told there is no such person (404).
 */
export function personDenial(actor: Actor | null): Denial {
  return countyScoped(actor)
    ? refused('This person is not in the counties you supervise.')
    : hidden('person');
}

// ---------------------------------------------------------------- registrations

/**
 * Registering someone for a session, or cancelling their registration: themselves, staff
 * registrars (administrators, coordinators), or a supervisor who can read the person (their county).
 */
function mayRegisterFor(actor: Actor | null, p: PersonFacts): boolean {
  if (!actor) return false;
  if (actor.personId === p.id || coordinates(actor, p)) return true;
  return hasRole(actor, 'supervisor') && mayReadPerson(actor, p);
}

/** Registering this person (the actor themselves, or someone else) for a session. */
export function registerForAbilities(actor: Actor | null, p: PersonFacts) {
  return {
    register: can(actor, 'registrations.create') && mayRegisterFor(actor, p),
    /** Staff registrars also register before registration opens and after it closes. */
    outsideRegistrationWindow: runsPrograms(actor),
  };
}

/** One registration, with the facts of its person: cancelled by the same people who register. */
export function registrationAbilities(actor: Actor | null, person: PersonFacts) {
  return { cancel: can(actor, 'registrations.cancel') && mayRegisterFor(actor, person) };
}

/**
 * Why registering someone else, or cancelling their registration, is refused: a supervisor as for
 * reading the person (403 outside their counties, 404 when there is no such person); anyone else
 * 403 with the given message.
 */
export function registrationDenial(actor: Actor | null, otherwise: string, personExists: boolean): Denial {
  if (countyScoped(actor)) return personExists ? personDenial(actor) : hidden('person');
  if (!hasRole(actor, 'supervisor') || runsPrograms(actor)) return refused(otherwise);
  return personExists ? personDenial(actor) : hidden('person');
}

// ---------------------------------------------------------------- sessions and rosters

export interface SessionFacts {
  /** The people who teach it. */
  instructorIds: readonly string[];
  status: string;
}

/** One session: its roster and attendance are for its instructors, coordinators and administrators. */
export function sessionAbilities(actor: Actor | null, s: SessionFacts) {
  const teaches = !!actor && s.instructorIds.includes(actor.personId);
  const roster = can(actor, 'roster.read') && (runsPrograms(actor) || teaches);
  const open = s.status !== 'cancelled';
  return {
    /** Register themselves: an official, while it is not cancelled (seats and dates decide the rest). */
    registerSelf: !!actor && actor.roles.includes('official') && can(actor, 'registrations.create') && open,
    readRoster: roster,
    recordAttendance: roster && can(actor, 'attendance.record'),
    readCheckInCode: roster && can(actor, 'sessions.check-in-code.read'),
    update: can(actor, 'sessions.update') && open,
    updateEvent: can(actor, 'events.update'),
    cancel: can(actor, 'sessions.cancel') && open,
    /** Register others from the roster: staff registrars. */
    registerOthers: runsPrograms(actor) && can(actor, 'registrations.create'),
  };
}
export type SessionAbilities = ReturnType<typeof sessionAbilities>;

export const rosterDenial = refused(
  'Only the instructors of this session, coordinators and administrators can see its roster.',
);

// ---------------------------------------------------------------- claims

export interface ClaimFacts {
  personId: string;
  /** The county of the claim's person (a coordinator limited to counties sees theirs only). */
  personFips: string | null;
  programId: string;
  status: 'draft' | 'submitted' | 'needs_information' | 'approved' | 'rejected';
  /** The fee its program charges for it; 0 when none applies. */
  feeCents: number;
}

/**
 * The programs whose claims the actor reviews: null means every program (administrators),
 * an empty list none. The service looks the reviewer's programs up and passes them in.
 */
export type ReviewedPrograms = readonly string[] | null;

/** Does answering reviewedProgramsOf need the programs assigned to the actor (a reviewer, not an administrator)? */
export const needsAssignedPrograms = (actor: Actor | null) =>
  hasRole(actor, 'reviewer') && !hasRole(actor, 'administrator');

/** Which programs' claims the actor reviews, given the programs assigned to them as a reviewer. */
export function reviewedProgramsOf(actor: Actor | null, assigned: readonly string[]): ReviewedPrograms {
  if (hasRole(actor, 'administrator')) return null;
  if (!hasRole(actor, 'reviewer')) return [];
  return assigned;
}

/** Does the actor's reviewing reach this program? */
export const reviews = (reviewed: ReviewedPrograms, programId: string) =>
  reviewed === null || reviewed.includes(programId);

/**
 * One claim. Seen by its owner, administrators and coordinators, and reviewers of its program;
 * anyone else is told it does not exist (404). Changed, submitted and deleted by its owner while
 * open; decided by a reviewer of its program who did not make it, while submitted.
 */
export function claimAbilities(actor: Actor | null, c: ClaimFacts, reviewed: ReviewedPrograms) {
  const own = !!actor && actor.personId === c.personId;
  const runs = coordinates(actor, { jurisdictionFips: c.personFips, programIds: [c.programId] });
  const read = !!actor && (own || runs || reviews(reviewed, c.programId));
  const open = c.status === 'draft' || c.status === 'needs_information';
  return {
    read,
    edit: own && open,
    submit: own && open,
    delete: own && c.status === 'draft',
    /** Its program is one the actor reviews (a reviewer of another program is told it does not exist). */
    review: read && can(actor, 'claims.review') && reviews(reviewed, c.programId),
    decide:
      read &&
      !own &&
      can(actor, 'claims.review') &&
      reviews(reviewed, c.programId) &&
      c.status === 'submitted',
    updateFee: runs && can(actor, 'claims.fee.update') && c.feeCents > 0,
  };
}
export type ClaimAbilities = ReturnType<typeof claimAbilities>;

export const claimDenial = hidden('claim');

// ---------------------------------------------------------------- transcripts

export interface TranscriptFacts {
  personId: string;
  jurisdictionFips: string | null;
  /** The programs the person is enrolled in. */
  programIds: readonly string[];
}

/**
 * A person's transcript for a staff reader: whole for themselves, administrators, coordinators
 * and a supervisor of the person's county; a reviewer sees only the programs they review (the
 * service filters, and answers 404 when nothing is left).
 */
export function transcriptAbilities(actor: Actor | null, t: TranscriptFacts) {
  const whole =
    !!actor &&
    (actor.personId === t.personId || coordinates(actor, t) || supervises(actor, t.jurisdictionFips));
  return {
    readWhole: whole,
    /** A reviewer's part; a supervisor who reviews nothing is refused (personDenial) instead. */
    readReviewedPrograms: !whole && !!actor && !countyScoped(actor),
  };
}

/**
 * An issued transcript covers every program: its PDF is for its person, administrators and the
 * coordinators who run the person's programs.
 */
export function issuedTranscriptAbilities(actor: Actor | null, t: TranscriptFacts) {
  return { download: !!actor && (actor.personId === t.personId || coordinates(actor, t)) };
}

export const issuedTranscriptDenial = hidden('transcript');

/**
 * A transcript as a signed CLR 2.0 credential, one program at a time (issue 18, item 4): like an
 * issued transcript, for its person, administrators and the coordinators who run that program.
 */
export function transcriptCredentialAbilities(actor: Actor | null, t: TranscriptFacts, programId: string) {
  return {
    download:
      !!actor &&
      can(actor, 'transcripts.credential.read') &&
      t.programIds.includes(programId) &&
      (actor.personId === t.personId || coordinates(actor, { ...t, programIds: [programId] })),
    // A wallet's QR code of it (ADR 0034): the person's own only; staff download the file.
    offer:
      !!actor &&
      can(actor, 'transcripts.credential.offer') &&
      t.programIds.includes(programId) &&
      actor.personId === t.personId,
  };
}

/**
 * Why a wallet code is refused to someone who may read the credential but does not hold it (staff
 * who run the program): the code puts the credential in the wallet of whoever scans it.
 */
export const walletOfferDenial = refused(
  'Only the holder can show a wallet code of a credential: it puts the credential in the wallet of whoever scans it. Download the file instead.',
);

/**
 * A person's progress: the corrections staff must see (a cycle flagged after a credit was
 * withdrawn, a late correction) are for administrators and coordinators, not for the person.
 */
export function progressAbilities(actor: Actor | null) {
  return { readCorrections: runsPrograms(actor) };
}

// ---------------------------------------------------------------- programs

/**
 * A program: drafts (an unpublished program, a draft version, the status run) are administrators';
 * its enrollments are for administrators and the coordinators who run it.
 */
export function programAbilities(actor: Actor | null, p: { id: string; published: boolean }) {
  const seeDrafts = hasRole(actor, 'administrator');
  const runs = coordinatesProgram(actor, p.id);
  return {
    read: p.published || seeDrafts,
    readDrafts: seeDrafts,
    updateDraft: seeDrafts && can(actor, 'programs.draft.update'),
    publish: seeDrafts && can(actor, 'programs.publish'),
    updateSettings: can(actor, 'programs.settings.update'),
    /** The credential issuer's name, address and logo, and its key rotation (issue 18). */
    updateIssuer: can(actor, 'issuers.update') && can(actor, 'issuers.keys.rotate'),
    /** The certificate design (issue 18 item 6): read by those who run the program, saved by administrators. */
    readDesign: designAbilities(actor, p.id).read,
    updateDesign: designAbilities(actor, p.id).update,
    listEnrollments: p.published && runs && can(actor, 'enrollments.list'),
    enroll: p.published && runs && can(actor, 'enrollments.create'),
    /** Ask to enroll: an official, in a published program. */
    requestEnrollment:
      p.published && !!actor && actor.roles.includes('official') && can(actor, 'enrollments.request'),
  };
}

export const programDenial = hidden('program');

/**
 * A program's certificate design (issue 18 item 6): administrators save and preview it; the
 * coordinators who run the program may read it; nobody else.
 */
export function designAbilities(actor: Actor | null, programId: string) {
  return {
    read: coordinatesProgram(actor, programId) && can(actor, 'designs.read'),
    update: can(actor, 'designs.update') && can(actor, 'designs.preview'),
  };
}
export const designDenial = refused('Only those who run this program can see its certificate design.');

export const awardDenial = refused('You can see only your own awards.');

// ---------------------------------------------------------------- awards

/**
 * An award: read by its person, administrators and coordinators (anyone else is refused, 403);
 * re-issued and revoked by administrators while it stands; plaques by coordinators too.
 */
export function awardAbilities(
  actor: Actor | null,
  a: {
    personId: string;
    programId: string;
    jurisdictionFips: string | null;
    revoked: boolean;
    superseded?: boolean;
  },
) {
  const runs = coordinates(actor, { jurisdictionFips: a.jurisdictionFips, programIds: [a.programId] });
  const read = !!actor && (actor.personId === a.personId || runs);
  return {
    read,
    // The signed credential (issue 18): whoever reads the award, while it stands (not revoked or replaced).
    credential: read && !a.revoked && !a.superseded && can(actor, 'awards.credential.read'),
    // A wallet's QR code of the credential (ADR 0034): the holder's own, while the award stands.
    walletOffer:
      !!actor &&
      actor.personId === a.personId &&
      !a.revoked &&
      !a.superseded &&
      can(actor, 'awards.credential.offer'),
    reissue: !a.revoked && can(actor, 'awards.reissue'),
    revoke: !a.revoked && can(actor, 'awards.revoke'),
    updatePlaque: !a.revoked && runs && can(actor, 'awards.plaques.update'),
  };
}

// ---------------------------------------------------------------- account and enrollment requests

/**
 * An account or enrollment request: decided once, while it is pending, by an administrator or a
 * coordinator who runs it (the county asked for; the program of an enrollment).
 */
export function requestAbilities(
  actor: Actor | null,
  r: {
    kind: 'account' | 'enrollment';
    waiting: boolean;
    jurisdictionFips: string | null;
    /** The enrollment's program; null for an account request. */
    programIds: readonly string[] | null;
  },
) {
  const action: Action = r.kind === 'account' ? 'account-requests.decide' : 'enrollments.update';
  return { decide: r.waiting && can(actor, action) && coordinates(actor, r) };
}

// ---------------------------------------------------------------- API tokens on records

/**
 * A session's completion roster posted with an API token: it needs `credits:write`, and a token
 * limited to a training provider posts only for the sessions of its provider's courses (403).
 */
export function providerRosterAbilities(token: TokenActor | null, s: { providerId: string | null }) {
  return {
    submit:
      !!token &&
      token.scopes.includes('credits:write') &&
      (token.providerId === null || token.providerId === s.providerId),
  };
}

export const providerRosterDenial = refused(
  'This API token posts rosters only for the sessions of its own training provider’s courses.',
);
