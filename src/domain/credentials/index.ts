/**
 * Verifiable credentials (issue 18): the unsigned Open Badges 3.0 credential of an award, the
 * did:web identifiers of a program's issuer, and the Bitstring Status List bits. Pure: the server
 * gathers the facts, signs (src/server/credentials) and publishes.
 */
import { addDays, parseLocalDate, startOfLocalDay, zoneOffsetMs, type LocalDate } from '../time/index.js';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const CLR_V2_CONTEXT = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';

/** Entries per status list: the spec's minimum of 16 KB (131,072 bits), so an index hides the award. */
export const STATUS_LIST_LENGTH = 131_072;
export const statusPurposes = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof statusPurposes)[number];

/** What a credential says about its issuer: a program's issuing body under its did:web. */
export interface IssuerProfile {
  /** did:web:<host>:issuers:<slug> */
  id: string;
  name: string;
  url: string;
  logoUrl: string | null;
}

/** The facts of one award a credential states. */
export interface AwardFacts {
  awardId: string;
  certificateNumber: string;
  nameOnCertificate: string;
  awardedOn: LocalDate;
  /** The renewal due date, if the certification must be renewed. */
  dueOn: LocalDate | null;
  designation: string;
  program: { id: string; code: string; name: string; timeZone: string };
  /** The requirements in words (the achievement's criteria). */
  criteria: string;
  /** Credits earned toward the award, in the program's unit. */
  creditsEarned: number;
  unitPlural: string;
}

/** The public addresses a credential links to, all under the deployment's public URL. */
export interface CredentialUrls {
  /** The credential's own id (an address that names the award; it reveals nothing without sign-in). */
  credential: string;
  achievement: string;
  verifyPage: string;
  statusList: Record<StatusPurpose, string>;
}

/**
 * did:web for a program's issuer: the host (a port's colon written %3A) and the path segments
 * `issuers:<slug>`; it resolves to https://<host>/issuers/<slug>/did.json.
 */
export function issuerDid(publicUrl: string, slug: string): string {
  const u = new URL(publicUrl);
  const host = encodeURIComponent(u.host);
  const base = u.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(s));
  return ['did:web', host, ...base, 'issuers', encodeURIComponent(slug)].join(':');
}

/** The address of a program's issuer documents (DID document, status lists), under the public URL. */
export const issuerBaseUrl = (publicUrl: string, slug: string): string =>
  `${publicUrl.replace(/\/$/, '')}/issuers/${encodeURIComponent(slug)}`;

/** The slug of a program in issuer addresses: its code in lower case, anything else a hyphen. */
export const issuerSlug = (programCode: string): string =>
  programCode
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'program';

/** An instant written with the zone's offset at that instant, to the second (xsd:dateTimeStamp). */
export function zonedTimestamp(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMs(timeZone, epochMs);
  const local = new Date(epochMs + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** The last second of a local date in the zone (a renewal due "on D" is in force all of D). */
export function endOfDayTimestamp(date: LocalDate, timeZone: string): string {
  return zonedTimestamp(startOfLocalDay(addDays(date, 1), timeZone) - 1000, timeZone);
}

/** The first instant of a local date in the zone. */
export function startOfDayTimestamp(date: LocalDate, timeZone: string): string {
  return zonedTimestamp(startOfLocalDay(date, timeZone), timeZone);
}

/**
 * The unsigned OpenBadgeCredential of an award (VC 2.0 + OB 3.0 contexts): the achievement is the
 * program's designation with its criteria in words; validFrom the award date and validUntil the
 * end of the renewal due date, both in the program's zone; one status entry per purpose, at the
 * award's index. The holder is named, not identified by a DID (officials have none).
 */
export function openBadgeCredential(
  a: AwardFacts,
  issuer: IssuerProfile,
  urls: CredentialUrls,
  index: number,
) {
  if (!parseLocalDate(a.awardedOn)) throw new RangeError(`Not an award date: ${a.awardedOn}`);
  if (!Number.isInteger(index) || index < 0 || index >= STATUS_LIST_LENGTH)
    throw new RangeError(`Not a status list index: ${index}`);
  const issuerNode = {
    id: issuer.id,
    type: ['Profile'],
    name: issuer.name,
    url: issuer.url,
    ...(issuer.logoUrl ? { image: { id: issuer.logoUrl, type: 'Image' } } : {}),
  };
  return {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: urls.credential,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: `${a.designation}: ${a.nameOnCertificate}`,
    issuer: issuerNode,
    validFrom: startOfDayTimestamp(a.awardedOn, a.program.timeZone),
    ...(a.dueOn ? { validUntil: endOfDayTimestamp(a.dueOn, a.program.timeZone) } : {}),
    credentialSubject: {
      type: ['AchievementSubject'],
      name: a.nameOnCertificate,
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: a.certificateNumber,
          identityType: 'identifier',
          hashed: false,
        },
      ],
      creditsEarned: a.creditsEarned,
      achievement: {
        id: urls.achievement,
        type: ['Achievement'],
        achievementType: 'Certification',
        name: a.designation,
        description: `${a.program.name}: the designation ${a.designation}, awarded by ${issuer.name}.`,
        criteria: { narrative: a.criteria },
        fieldOfStudy: a.program.name,
        humanCode: a.program.code,
        creator: issuerNode,
      },
    },
    evidence: [
      {
        id: urls.verifyPage,
        type: ['Evidence'],
        name: `Certificate number ${a.certificateNumber}`,
        narrative: `The public verification page of certificate number ${a.certificateNumber}.`,
      },
    ],
    credentialStatus: statusPurposes.map((purpose) => ({
      id: `${urls.statusList[purpose]}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: urls.statusList[purpose],
    })),
  };
}
export type OpenBadgeCredential = ReturnType<typeof openBadgeCredential>;

/**
 * The status list bits, most significant bit first (index 0 is the first byte's high bit), as the
 * Bitstring Status List spec orders them. Out-of-range indexes are refused, not wrapped.
 */
export function statusBits(setIndexes: Iterable<number>, length = STATUS_LIST_LENGTH): Uint8Array {
  if (length % 8) throw new RangeError('A status list length is a whole number of bytes.');
  const bits = new Uint8Array(length / 8);
  for (const i of setIndexes) {
    if (!Number.isInteger(i) || i < 0 || i >= length) throw new RangeError(`Not a status list index: ${i}`);
    bits[i >> 3]! |= 0x80 >> (i & 7);
  }
  return bits;
}

/**
 * The unsigned BitstringStatusListCredential of one purpose. No validFrom: the list is made at each
 * request and holds as of then (the proof's `created` says when); a server clock a little ahead
 * of a verifier's must not make the list "not yet valid" and every credential unverifiable.
 */
export function statusListCredential(
  listUrl: string,
  issuer: IssuerProfile,
  purpose: StatusPurpose,
  encodedList: string,
) {
  return {
    '@context': [VC_V2_CONTEXT],
    id: listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuer.id,
    name: `${issuer.name}: ${purpose} list`,
    credentialSubject: {
      id: `${listUrl}#list`,
      type: 'BitstringStatusList',
      statusPurpose: purpose,
      encodedList,
    },
  };
}

/** A requirement tree node's words, for the criteria: "Title: description" or the title alone. */
export function criteriaInWords(
  initial: { title?: string; description?: string; items?: readonly { title?: string }[] },
  designation: string,
): string {
  const head = initial.title
    ? `${initial.title}${initial.description ? `: ${initial.description}` : ''}`
    : '';
  const parts = (initial.items ?? []).map((i) => i.title).filter((t): t is string => !!t);
  const list = parts.length ? `Complete every requirement: ${parts.join('; ')}.` : '';
  return (
    [head, list].filter(Boolean).join('. ') ||
    `Meet every requirement of the program for the designation ${designation}.`
  );
}

// ---------------------------------------------------------------- CLR 2.0 transcript (item 4)

/** One line of a transcript: a session attended, outside credit approved, or an award. */
export interface TranscriptEntry {
  kind: 'session' | 'credit' | 'award';
  title: string;
  /** The day it was earned (a session or credit) or awarded, in the program's zone. */
  date: LocalDate;
  /** Credits earned, in the program's unit (an award: the credits toward it). */
  credits: number;
  /** The credit category's name (an award: the program's name). */
  category: string;
  /** Who provided it, in words; null for what the program itself provided (its issuer). */
  provider: string | null;
  /** An award only: its certificate number, renewal due date, criteria and verification page. */
  award?: { certificateNumber: string; dueOn: LocalDate | null; criteria: string; verifyPage: string };
}

/** The facts of one person's transcript in one program, as of an instant. */
export interface ClrTranscriptFacts {
  personName: string;
  program: { code: string; name: string; timeZone: string };
  unitPlural: string;
  entries: readonly TranscriptEntry[];
}

const achievementTypes: Record<TranscriptEntry['kind'], string> = {
  session: 'Course',
  credit: 'Course',
  award: 'Certification',
};

/**
 * The unsigned ClrCredential (VC 2.0 + CLR 2.0 + OB 3.0 contexts) of a person's transcript in one
 * program, issued by the program's issuer as of `asOf`: every session, credit and award is an
 * Achievement (with its credits, date and provider) and an AchievementCredential the CLR's own
 * proof covers. Achievements and providers are named by fragments of the CLR's id (`#entry-1`,
 * `#provider-1`), so nothing needs an address of its own. No status entry: a transcript is a
 * statement as of its `validFrom`, and each award in it names its verification page.
 */
export function clrCredential(
  t: ClrTranscriptFacts,
  issuer: IssuerProfile,
  credentialId: string,
  asOf: number,
) {
  if (!Number.isFinite(asOf)) throw new RangeError('A transcript needs the instant it is as of.');
  // CLR 2.0 requires at least one credential in the subject.
  if (t.entries.length === 0) throw new RangeError('A transcript with no entries has nothing to state.');
  const zone = t.program.timeZone;
  const issuerNode = {
    id: issuer.id,
    type: ['Profile'],
    name: issuer.name,
    url: issuer.url,
    ...(issuer.logoUrl ? { image: { id: issuer.logoUrl, type: 'Image' } } : {}),
  };
  const providers = new Map<string, { id: string; type: string[]; name: string }>();
  const providerOf = (name: string | null) => {
    if (!name) return issuerNode;
    let p = providers.get(name);
    if (!p) {
      p = { id: `${credentialId}#provider-${providers.size + 1}`, type: ['Profile'], name };
      providers.set(name, p);
    }
    return p;
  };
  const achievements = t.entries.map((e, i) => {
    if (!parseLocalDate(e.date)) throw new RangeError(`Not a date: ${e.date}`);
    const provider = providerOf(e.provider);
    return {
      id: `${credentialId}#entry-${i + 1}`,
      type: ['Achievement'],
      achievementType: achievementTypes[e.kind],
      name: e.title,
      description:
        e.kind === 'award'
          ? `The designation ${e.title} of ${t.program.name}, awarded by ${issuer.name}.`
          : `${e.title}: ${e.credits} ${t.unitPlural} of ${e.category} toward ${t.program.name}, provided by ${provider.name}.`,
      criteria: {
        narrative:
          e.award?.criteria ??
          (e.kind === 'session' ? 'Attend the session.' : 'Complete the activity; approved by the program.'),
      },
      creditsAvailable: e.credits,
      fieldOfStudy: t.program.name,
      tag: [e.category],
      creator: provider,
    };
  });
  const credentials = t.entries.map((e, i) => ({
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    type: ['VerifiableCredential', 'AchievementCredential'],
    name: `${e.title}: ${t.personName}`,
    issuer: issuerNode,
    validFrom: startOfDayTimestamp(e.date, zone),
    ...(e.award?.dueOn ? { validUntil: endOfDayTimestamp(e.award.dueOn, zone) } : {}),
    credentialSubject: {
      type: ['AchievementSubject'],
      ...(e.award
        ? {
            identifier: [
              {
                type: 'IdentityObject',
                identityHash: e.award.certificateNumber,
                identityType: 'identifier',
                hashed: false,
              },
            ],
          }
        : {}),
      creditsEarned: e.credits,
      activityEndDate: startOfDayTimestamp(e.date, zone),
      achievement: achievements[i]!,
    },
    ...(e.award
      ? {
          evidence: [
            {
              id: e.award.verifyPage,
              type: ['Evidence'],
              name: `Certificate number ${e.award.certificateNumber}`,
              narrative: `The public verification page of certificate number ${e.award.certificateNumber}.`,
            },
          ],
        }
      : {}),
  }));
  const total =
    Math.round(t.entries.filter((e) => e.kind !== 'award').reduce((a, e) => a + e.credits, 0) * 100) / 100;
  return {
    '@context': [VC_V2_CONTEXT, CLR_V2_CONTEXT, OB_V3_CONTEXT],
    id: credentialId,
    type: ['VerifiableCredential', 'ClrCredential'],
    name: `Transcript, ${t.program.name}: ${t.personName}`,
    description: `${t.personName}'s record in ${t.program.name} as of ${zonedTimestamp(asOf, zone)}: ${t.entries.length} entries, ${total} ${t.unitPlural} approved.`,
    issuer: issuerNode,
    validFrom: zonedTimestamp(asOf, zone),
    partial: false,
    credentialSubject: {
      type: ['ClrSubject'],
      identifier: [
        { type: 'IdentityObject', identityHash: t.personName, identityType: 'name', hashed: false },
      ],
      achievement: achievements,
      verifiableCredential: credentials,
    },
  };
}
export type ClrCredential = ReturnType<typeof clrCredential>;
