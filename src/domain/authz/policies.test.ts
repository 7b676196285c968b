import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import {
  coordinates,
  coordinatesProgram,
  coordinatorScoped,
  peopleScope,
  type Actor,
  type Role,
} from './index.js';
import {
  awardAbilities,
  claimAbilities,
  issuedTranscriptAbilities,
  personAbilities,
  personDenial,
  programAbilities,
  progressAbilities,
  providerRosterAbilities,
  registerForAbilities,
  registrationAbilities,
  registrationDenial,
  requestAbilities,
  requireAccess,
  reviewedProgramsOf,
  sessionAbilities,
  signedInAbilities,
  transcriptAbilities,
  transcriptCredentialAbilities,
  type ClaimFacts,
  type PersonFacts,
} from './policies.js';

const actor = (roles: Role[], personId = 'me', counties?: string[]): Actor => ({
  userId: `u-${personId}`,
  personId,
  roles,
  ...(counties && { counties }),
});
const SHAWNEE = '20177';
const DOUGLAS = '20045';
const official = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  id: 'them',
  roles: ['official'],
  jurisdictionFips: SHAWNEE,
  programIds: [],
  linked: false,
  ...over,
});
const supervisor = actor(['supervisor'], 'clerk', [SHAWNEE]);

describe('personAbilities', () => {
  it('administrators and coordinators read and change anyone below them; roles stay with administrators', () => {
    const admin = personAbilities(actor(['administrator']), official());
    expect(admin).toMatchObject({
      read: true,
      update: true,
      updateRoles: true,
      invite: true,
      register: true,
    });
    const coord = personAbilities(actor(['coordinator']), official());
    expect(coord).toMatchObject({ read: true, update: true, updateRoles: false, updateEmail: false });
    expect(personAbilities(actor(['coordinator']), official({ roles: ['administrator'] }))).toMatchObject({
      read: true,
      update: false,
      invite: false,
    });
  });

  it('a supervisor reads and registers the officials of their counties only, and changes nobody', () => {
    expect(personAbilities(supervisor, official())).toMatchObject({
      read: true,
      register: true,
      readCredits: true,
      update: false,
      invite: false,
    });
    expect(personAbilities(supervisor, official({ jurisdictionFips: DOUGLAS }))).toMatchObject({
      read: false,
      register: false,
      readCredits: false,
    });
    expect(personAbilities(supervisor, official({ jurisdictionFips: null })).read).toBe(false);
  });

  it('instructors and reviewers read the people their work reaches, and themselves', () => {
    expect(personAbilities(actor(['instructor']), official({ linked: true })).read).toBe(true);
    expect(personAbilities(actor(['instructor']), official()).read).toBe(false);
    expect(personAbilities(actor(['reviewer']), official({ id: 'me' })).read).toBe(true);
    expect(personAbilities(actor(['reviewer']), official({ linked: true })).update).toBe(false);
  });

  it('an official reads only their own record', () => {
    expect(personAbilities(actor(['official']), official({ id: 'me' })).read).toBe(true);
    expect(personAbilities(actor(['official']), official()).read).toBe(false);
    expect(personAbilities(null, official()).read).toBe(false);
  });

  it('refuses a county supervisor (403) and hides the person from anyone else (404)', () => {
    expect(personDenial(supervisor).code).toBe('forbidden');
    expect(personDenial(actor(['supervisor', 'reviewer'], 'x', [SHAWNEE])).code).toBe('not_found');
    expect(personDenial(actor(['instructor'])).code).toBe('not_found');
  });
});

describe('registrations', () => {
  it('registers oneself, anyone for staff registrars, and the county officials for a supervisor', () => {
    expect(registerForAbilities(actor(['official']), official({ id: 'me' })).register).toBe(true);
    expect(registerForAbilities(actor(['official']), official()).register).toBe(false);
    expect(
      registerForAbilities(actor(['coordinator']), official({ jurisdictionFips: DOUGLAS })).register,
    ).toBe(true);
    expect(registerForAbilities(supervisor, official()).register).toBe(true);
    expect(registerForAbilities(supervisor, official({ jurisdictionFips: DOUGLAS })).register).toBe(false);
    // An instructor cannot register anyone, even someone on their roster.
    expect(registerForAbilities(actor(['instructor']), official({ linked: true })).register).toBe(false);
  });

  it('only staff registrars register outside the registration window', () => {
    expect(registerForAbilities(actor(['coordinator']), official()).outsideRegistrationWindow).toBe(true);
    expect(registerForAbilities(supervisor, official()).outsideRegistrationWindow).toBe(false);
    expect(registerForAbilities(actor(['official']), official({ id: 'me' })).outsideRegistrationWindow).toBe(
      false,
    );
  });

  it('cancels as it registers, and says why not', () => {
    expect(registrationAbilities(actor(['official']), official({ id: 'me' })).cancel).toBe(true);
    expect(registrationAbilities(actor(['official']), official()).cancel).toBe(false);
    expect(registrationAbilities(actor(['administrator']), official()).cancel).toBe(true);
    expect(registrationAbilities(supervisor, official({ jurisdictionFips: DOUGLAS })).cancel).toBe(false);
    expect(registrationDenial(actor(['official']), 'Not yours.', true)).toEqual({
      code: 'forbidden',
      message: 'Not yours.',
    });
    expect(registrationDenial(supervisor, 'Not yours.', true).code).toBe('forbidden');
    expect(registrationDenial(supervisor, 'Not yours.', false).code).toBe('not_found');
  });
});

describe('sessionAbilities', () => {
  const s = (over: Partial<{ instructorIds: string[]; status: string }> = {}) => ({
    instructorIds: ['teacher'],
    status: 'scheduled',
    ...over,
  });
  it('gives the roster to its instructors, coordinators and administrators', () => {
    expect(sessionAbilities(actor(['instructor'], 'teacher'), s())).toMatchObject({
      readRoster: true,
      recordAttendance: true,
      update: false,
      cancel: false,
    });
    expect(sessionAbilities(actor(['instructor'], 'other'), s()).readRoster).toBe(false);
    expect(sessionAbilities(actor(['coordinator']), s())).toMatchObject({
      readRoster: true,
      update: true,
      cancel: true,
      registerOthers: true,
      registerSelf: false,
    });
    expect(sessionAbilities(supervisor, s()).readRoster).toBe(false);
    expect(sessionAbilities(null, s()).readRoster).toBe(false);
  });
  it('lets an official register for a session that is not cancelled', () => {
    expect(sessionAbilities(actor(['official']), s()).registerSelf).toBe(true);
    expect(sessionAbilities(actor(['official']), s({ status: 'cancelled' })).registerSelf).toBe(false);
    expect(sessionAbilities(actor(['coordinator']), s({ status: 'cancelled' })).cancel).toBe(false);
  });
});

describe('claimAbilities', () => {
  const claim = (over: Partial<ClaimFacts> = {}): ClaimFacts => ({
    personId: 'owner',
    personFips: SHAWNEE,
    programId: 'p1',
    status: 'submitted',
    feeCents: 0,
    ...over,
  });
  const reviewer = actor(['reviewer'], 'rev');
  it('lets the owner change, submit and delete while open, and never decide', () => {
    const owner = actor(['official', 'reviewer'], 'owner');
    expect(claimAbilities(owner, claim({ status: 'draft' }), ['p1'])).toMatchObject({
      read: true,
      edit: true,
      submit: true,
      delete: true,
      decide: false,
    });
    expect(claimAbilities(owner, claim({ status: 'needs_information' }), [])).toMatchObject({
      edit: true,
      delete: false,
    });
    expect(claimAbilities(owner, claim(), ['p1'])).toMatchObject({
      edit: false,
      decide: false,
      review: true,
    });
  });
  it('lets a reviewer of its program decide a submitted claim, and hides it from reviewers of others', () => {
    expect(claimAbilities(reviewer, claim(), ['p1'])).toMatchObject({
      read: true,
      decide: true,
      edit: false,
    });
    expect(claimAbilities(reviewer, claim({ status: 'approved' }), ['p1']).decide).toBe(false);
    expect(claimAbilities(reviewer, claim(), ['p2'])).toMatchObject({
      read: false,
      decide: false,
      review: false,
    });
  });
  it('administrators see and decide every program; coordinators see all and set fees but do not decide', () => {
    expect(claimAbilities(actor(['administrator']), claim(), null)).toMatchObject({
      read: true,
      decide: true,
    });
    expect(claimAbilities(actor(['coordinator']), claim({ feeCents: 500 }), [])).toMatchObject({
      read: true,
      decide: false,
      updateFee: true,
    });
    expect(claimAbilities(actor(['coordinator']), claim(), []).updateFee).toBe(false);
  });
  it('hides the claim from officials, instructors and supervisors', () => {
    for (const a of [actor(['official']), actor(['instructor']), supervisor])
      expect(claimAbilities(a, claim(), reviewedProgramsOf(a, ['p1'])).read).toBe(false);
  });
  it('reviewedProgramsOf: every program for administrators, the assigned ones for reviewers, none else', () => {
    expect(reviewedProgramsOf(actor(['administrator', 'reviewer']), ['p1'])).toBeNull();
    expect(reviewedProgramsOf(reviewer, ['p1'])).toEqual(['p1']);
    expect(reviewedProgramsOf(actor(['coordinator']), ['p1'])).toEqual([]);
  });
});

describe('transcripts', () => {
  it('a supervisor reads the whole transcript in their county and nothing outside it', () => {
    expect(
      transcriptAbilities(supervisor, { personId: 'them', jurisdictionFips: SHAWNEE, programIds: [] })
        .readWhole,
    ).toBe(true);
    expect(
      transcriptAbilities(supervisor, { personId: 'them', jurisdictionFips: DOUGLAS, programIds: [] }),
    ).toEqual({
      readWhole: false,
      readReviewedPrograms: false,
    });
  });
  it('a reviewer reads only the programs they review; the person and staff read it whole', () => {
    expect(
      transcriptAbilities(actor(['reviewer']), { personId: 'them', jurisdictionFips: null, programIds: [] }),
    ).toEqual({
      readWhole: false,
      readReviewedPrograms: true,
    });
    expect(
      transcriptAbilities(actor(['official'], 'them'), {
        personId: 'them',
        jurisdictionFips: null,
        programIds: [],
      }).readWhole,
    ).toBe(true);
    expect(
      transcriptAbilities(actor(['coordinator']), {
        personId: 'them',
        jurisdictionFips: null,
        programIds: [],
      }).readWhole,
    ).toBe(true);
  });
  it('an issued transcript downloads for its person, administrators and coordinators only', () => {
    expect(
      issuedTranscriptAbilities(actor(['official'], 'them'), {
        personId: 'them',
        jurisdictionFips: null,
        programIds: [],
      }).download,
    ).toBe(true);
    expect(
      issuedTranscriptAbilities(actor(['reviewer']), {
        personId: 'them',
        jurisdictionFips: null,
        programIds: [],
      }).download,
    ).toBe(false);
    expect(
      issuedTranscriptAbilities(supervisor, { personId: 'them', jurisdictionFips: null, programIds: [] })
        .download,
    ).toBe(false);
    expect(
      issuedTranscriptAbilities(actor(['coordinator']), {
        personId: 'them',
        jurisdictionFips: null,
        programIds: [],
      }).download,
    ).toBe(true);
  });
});

describe('progressAbilities', () => {
  it('shows corrections to administrators and coordinators only', () => {
    expect(progressAbilities(actor(['coordinator'])).readCorrections).toBe(true);
    expect(progressAbilities(actor(['official'])).readCorrections).toBe(false);
    expect(progressAbilities(supervisor).readCorrections).toBe(false);
    expect(progressAbilities(null).readCorrections).toBe(false);
  });
});

describe('programAbilities', () => {
  it('lets administrators alone set the credential issuer and rotate its keys', () => {
    expect(programAbilities(actor(['administrator']), { id: 'p1', published: true }).updateIssuer).toBe(true);
    for (const role of ['coordinator', 'reviewer', 'instructor', 'official'] as const)
      expect(programAbilities(actor([role]), { id: 'p1', published: true }).updateIssuer).toBe(false);
    expect(programAbilities(null, { id: 'p1', published: true }).updateIssuer).toBe(false);
  });
  it('shows the certificate design to those who run the program; administrators alone save it', () => {
    const of = (a: Actor | null) => programAbilities(a, { id: 'p1', published: true });
    expect(of(actor(['administrator']))).toMatchObject({ readDesign: true, updateDesign: true });
    expect(of(actor(['coordinator']))).toMatchObject({ readDesign: true, updateDesign: false });
    expect(of({ ...actor(['coordinator']), programs: ['p2'] })).toMatchObject({ readDesign: false });
    for (const role of ['reviewer', 'instructor', 'official', 'supervisor'] as const)
      expect(of(actor([role]))).toMatchObject({ readDesign: false, updateDesign: false });
    expect(of(null)).toMatchObject({ readDesign: false, updateDesign: false });
  });
  it('keeps drafts to administrators', () => {
    expect(programAbilities(actor(['administrator']), { id: 'p1', published: false })).toMatchObject({
      read: true,
      readDrafts: true,
      updateDraft: true,
      enroll: false,
    });
    expect(programAbilities(actor(['coordinator']), { id: 'p1', published: false }).read).toBe(false);
    expect(programAbilities(actor(['coordinator']), { id: 'p1', published: true })).toMatchObject({
      read: true,
      readDrafts: false,
      enroll: true,
    });
    expect(programAbilities(actor(['official']), { id: 'p1', published: true })).toMatchObject({
      enroll: false,
      requestEnrollment: true,
    });
  });
});

describe('awards and requests', () => {
  it('re-issues and revokes a standing award for administrators; plaques for coordinators too', () => {
    expect(
      awardAbilities(actor(['administrator']), {
        personId: 'them',
        programId: 'p1',
        jurisdictionFips: SHAWNEE,
        revoked: false,
      }),
    ).toEqual({
      read: true,
      credential: true,
      walletOffer: false,
      reissue: true,
      revoke: true,
      updatePlaque: true,
    });
    expect(
      awardAbilities(actor(['coordinator']), {
        personId: 'them',
        programId: 'p1',
        jurisdictionFips: SHAWNEE,
        revoked: false,
      }),
    ).toEqual({
      read: true,
      credential: true,
      walletOffer: false,
      reissue: false,
      revoke: false,
      updatePlaque: true,
    });
    expect(
      awardAbilities(actor(['administrator']), {
        personId: 'them',
        programId: 'p1',
        jurisdictionFips: SHAWNEE,
        revoked: true,
      }).revoke,
    ).toBe(false);
    expect(
      awardAbilities(actor(['official'], 'them'), {
        personId: 'them',
        programId: 'p1',
        jurisdictionFips: SHAWNEE,
        revoked: false,
      }).read,
    ).toBe(true);
    for (const who of [actor(['official']), actor(['reviewer']), supervisor])
      expect(
        awardAbilities(who, { personId: 'them', programId: 'p1', jurisdictionFips: SHAWNEE, revoked: false })
          .read,
      ).toBe(false);
  });
  it('gives the signed credential of a standing award to whoever reads it, none once revoked or replaced', () => {
    const own = actor(['official'], 'them');
    expect(
      awardAbilities(own, { personId: 'them', programId: 'p1', jurisdictionFips: SHAWNEE, revoked: false })
        .credential,
    ).toBe(true);
    expect(
      awardAbilities(own, { personId: 'them', programId: 'p1', jurisdictionFips: SHAWNEE, revoked: true })
        .credential,
    ).toBe(false);
    expect(
      awardAbilities(own, {
        personId: 'them',
        programId: 'p1',
        jurisdictionFips: SHAWNEE,
        revoked: false,
        superseded: true,
      }).credential,
    ).toBe(false);
    expect(
      awardAbilities(actor(['official']), {
        personId: 'them',
        programId: 'p1',
        jurisdictionFips: SHAWNEE,
        revoked: false,
      }).credential,
    ).toBe(false);
    expect(
      awardAbilities(null, { personId: 'them', programId: 'p1', jurisdictionFips: SHAWNEE, revoked: false })
        .credential,
    ).toBe(false);
  });
  it('gives a wallet code of a standing award to its holder only, not to staff who may download it', () => {
    const award = { personId: 'them', programId: 'p1', jurisdictionFips: SHAWNEE, revoked: false };
    expect(awardAbilities(actor(['official'], 'them'), award).walletOffer).toBe(true);
    expect(awardAbilities(actor(['official'], 'them'), { ...award, revoked: true }).walletOffer).toBe(false);
    expect(awardAbilities(actor(['official'], 'them'), { ...award, superseded: true }).walletOffer).toBe(
      false,
    );
    for (const who of [actor(['administrator']), actor(['coordinator']), actor(['official']), null])
      expect(awardAbilities(who, award).walletOffer).toBe(false);
    const transcript = { personId: 'them', jurisdictionFips: SHAWNEE, programIds: ['p1'] };
    expect(transcriptCredentialAbilities(actor(['official'], 'them'), transcript, 'p1')).toEqual({
      download: true,
      offer: true,
    });
    expect(transcriptCredentialAbilities(actor(['official'], 'them'), transcript, 'p2').offer).toBe(false);
    expect(transcriptCredentialAbilities(actor(['administrator']), transcript, 'p1')).toEqual({
      download: true,
      offer: false,
    });
  });
  it('decides a pending request once', () => {
    expect(
      requestAbilities(actor(['coordinator']), {
        kind: 'account',
        waiting: true,
        jurisdictionFips: SHAWNEE,
        programIds: ['p1'],
      }).decide,
    ).toBe(true);
    expect(
      requestAbilities(actor(['coordinator']), {
        kind: 'account',
        waiting: false,
        jurisdictionFips: SHAWNEE,
        programIds: ['p1'],
      }).decide,
    ).toBe(false);
    expect(
      requestAbilities(actor(['official']), {
        kind: 'enrollment',
        waiting: true,
        jurisdictionFips: SHAWNEE,
        programIds: ['p1'],
      }).decide,
    ).toBe(false);
  });
});

describe('signedInAbilities', () => {
  it('lists the actions of the table the person may attempt, and their kind of pages', () => {
    const off = signedInAbilities(actor(['official']));
    expect(off).toMatchObject({ staff: false, ownRecord: true });
    expect(off.actions).toContain('claims.create');
    expect(off.actions).not.toContain('people.list');
    const clerk = signedInAbilities(supervisor);
    expect(clerk).toMatchObject({ staff: true, ownRecord: false });
    expect(clerk.actions).toContain('people.list');
    expect(clerk.actions).not.toContain('audit.read');
  });
});

describe('a coordinator limited to counties or programs', () => {
  const regional = actor(['coordinator'], 'regional', [SHAWNEE]);
  const cpo: Actor = { ...actor(['coordinator'], 'cpo'), programs: ['cpo'] };
  const both: Actor = { ...actor(['coordinator'], 'both', [SHAWNEE]), programs: ['cpo'] };
  it('reads, changes and registers the people of their counties only, and is refused (403) the others', () => {
    expect(coordinatorScoped(regional)).toBe(true);
    expect(coordinatorScoped(actor(['coordinator']))).toBe(false);
    expect(coordinatorScoped({ ...actor(['coordinator', 'administrator']), programs: ['cpo'] })).toBe(false);
    const inside = personAbilities(regional, official());
    expect(inside).toMatchObject({ read: true, update: true, register: true, recordCredits: true });
    const outside = personAbilities(regional, official({ jurisdictionFips: DOUGLAS }));
    expect(outside).toMatchObject({ read: false, update: false, register: false, recordFacts: false });
    expect(personDenial(regional).code).toBe('forbidden');
    expect(peopleScope(regional)).toEqual({
      all: false,
      rosters: false,
      reviews: false,
      counties: [],
      coordinator: { counties: [SHAWNEE], programs: [] },
    });
  });
  it('a program coordinator reaches the people enrolled in their programs, and those programs only', () => {
    expect(personAbilities(cpo, official({ programIds: ['cpo'] })).update).toBe(true);
    expect(personAbilities(cpo, official({ programIds: ['kansas'] })).read).toBe(false);
    expect(personDenial(cpo).code).toBe('not_found');
    expect(coordinatesProgram(cpo, 'cpo')).toBe(true);
    expect(coordinatesProgram(cpo, 'kansas')).toBe(false);
    expect(programAbilities(cpo, { id: 'kansas', published: true })).toMatchObject({
      listEnrollments: false,
      enroll: false,
    });
    expect(programAbilities(cpo, { id: 'cpo', published: true }).enroll).toBe(true);
  });
  it('both limits must hold, on people and on their records', () => {
    expect(coordinates(both, { jurisdictionFips: SHAWNEE, programIds: ['cpo'] })).toBe(true);
    expect(coordinates(both, { jurisdictionFips: SHAWNEE, programIds: ['kansas'] })).toBe(false);
    expect(coordinates(both, { jurisdictionFips: DOUGLAS, programIds: ['cpo'] })).toBe(false);
    expect(coordinates(both, { jurisdictionFips: null, programIds: ['cpo'] })).toBe(false);
    const claim = (programId: string, personFips: string): ClaimFacts => ({
      personId: 'them',
      personFips,
      programId,
      status: 'submitted',
      feeCents: 500,
    });
    expect(claimAbilities(both, claim('cpo', SHAWNEE), [])).toMatchObject({ read: true, updateFee: true });
    expect(claimAbilities(both, claim('kansas', SHAWNEE), []).read).toBe(false);
    expect(claimAbilities(both, claim('cpo', DOUGLAS), []).read).toBe(false);
    const award = { personId: 'them', programId: 'cpo', jurisdictionFips: SHAWNEE, revoked: false };
    expect(awardAbilities(both, award)).toMatchObject({ read: true, updatePlaque: true });
    expect(awardAbilities(both, { ...award, programId: 'kansas' })).toMatchObject({
      read: false,
      updatePlaque: false,
    });
    const t = { personId: 'them', jurisdictionFips: SHAWNEE, programIds: ['cpo'] };
    expect(transcriptAbilities(both, t).readWhole).toBe(true);
    expect(transcriptAbilities(both, { ...t, jurisdictionFips: DOUGLAS }).readWhole).toBe(false);
    expect(issuedTranscriptAbilities(both, { ...t, programIds: [] }).download).toBe(false);
    const request = { kind: 'account' as const, waiting: true, jurisdictionFips: DOUGLAS, programIds: [] };
    expect(requestAbilities(regional, request).decide).toBe(false);
    expect(requestAbilities(regional, { ...request, jurisdictionFips: SHAWNEE }).decide).toBe(true);
    expect(requestAbilities(actor(['coordinator']), request).decide).toBe(true);
  });
  it('an instructor who is a scoped coordinator reads a roster person outside their scope but changes nothing', () => {
    const teacher: Actor = { ...actor(['coordinator', 'instructor'], 'teacher', [SHAWNEE]) };
    const p = personAbilities(teacher, official({ jurisdictionFips: DOUGLAS, linked: true }));
    expect(p).toMatchObject({
      read: true,
      update: false,
      invite: false,
      register: false,
      recordCredits: false,
    });
  });
});

describe('requireAccess', () => {
  it('throws the denial when the ability is false, and nothing when it is true', () => {
    expect(() => requireAccess({ read: true }, 'read', personDenial(null))).not.toThrow();
    try {
      requireAccess({ read: false }, 'read', personDenial(supervisor));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('forbidden');
    }
  });
});

describe('providerRosterAbilities', () => {
  const token = (scopes: ('credits:write' | 'reports:read')[], providerId: string | null = null) => ({
    tokenId: 't',
    name: 'LMS',
    scopes,
    providerId,
  });
  it('posts a roster with credits:write, for its own provider only when it is limited to one', () => {
    expect(providerRosterAbilities(token(['credits:write']), { providerId: 'p1' }).submit).toBe(true);
    expect(providerRosterAbilities(token(['reports:read']), { providerId: 'p1' }).submit).toBe(false);
    expect(providerRosterAbilities(token(['credits:write'], 'p1'), { providerId: 'p1' }).submit).toBe(true);
    expect(providerRosterAbilities(token(['credits:write'], 'p1'), { providerId: 'p2' }).submit).toBe(false);
    expect(providerRosterAbilities(token(['credits:write'], 'p1'), { providerId: null }).submit).toBe(false);
    expect(providerRosterAbilities(null, { providerId: 'p1' }).submit).toBe(false);
  });
});
