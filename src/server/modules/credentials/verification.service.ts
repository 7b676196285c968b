/**
 * Checking a credential file on the public verification page (issue 18, item 5): a badge or a CLR
 * transcript of ours, pasted or uploaded. Each check is a finding (src/domain/credentials/check.ts):
 *
 * - format: JSON of a W3C VC 2.0 with an embedded Data Integrity proof;
 * - issuer: a did:web of one of our own issuers, answered from the database. Every other issuer
 *   is a plain finding: nothing is ever fetched from the network;
 * - signature: digitalbazaar's verify path (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022),
 *   with a document loader over the bundled contexts and our issuers' DID documents only, at an
 *   instant inside the validity dates (the dates are their own finding);
 * - status: each BitstringStatusListEntry's bit, read from the database (revocation, suspension);
 * - dates: validFrom and validUntil against now.
 */
import { verifyCredential } from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { datesFinding, verdictOf, type Finding } from '../../../domain/credentials/check.js';
import { issuerDid, statusPurposes, type StatusPurpose } from '../../../domain/credentials/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { Deps } from '../../context.js';
import { bundledContextLoader } from '../../credentials/contexts.js';
import { didDocument, issuerOf, programIdBySlug, type ProgramIssuer } from '../issuers/issuers.service.js';
import { isStatusSet } from './credentials.service.js';

/** The largest credential the page checks (a long transcript is well under it). */
export const CREDENTIAL_MAX_CHARS = 256 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The text as JSON, or a 400 naming the field. */
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError(
      'validation',
      'This is not JSON: paste or upload the credential file as it was downloaded.',
      {
        issues: [
          {
            field: 'credential',
            message: 'Not JSON: paste or upload the credential file as it was downloaded.',
          },
        ],
      },
    );
  }
}

/** Which of our issuers a did:web names, or null (another host, another path, no such program). */
async function ourIssuer(deps: Deps, did: string): Promise<ProgramIssuer | null> {
  const m = /^did:web:.+:issuers:([a-z0-9-]{1,100})$/.exec(did);
  if (!m || issuerDid(deps.config.publicUrl, m[1]!) !== did) return null;
  try {
    return await issuerOf(deps, await programIdBySlug(deps.db, m[1]!));
  } catch (e) {
    if (e instanceof DomainError && e.code === 'not_found') return null;
    throw e;
  }
}

/** The signature check's document loader: bundled contexts and this issuer's DID document only. */
function loaderFor(deps: Deps, issuer: ProgramIssuer) {
  return async (url: string) => {
    const [did, fragment] = url.split('#');
    if (did !== issuer.id) return bundledContextLoader(url);
    const document = await didDocument(deps, issuer.programId);
    if (!fragment) return { contextUrl: null, documentUrl: url, document };
    const method = document.verificationMethod.find((v) => v.id === url);
    if (!method) throw new Error(`The issuer has no key ${url}.`);
    return { contextUrl: null, documentUrl: url, document: { '@context': document['@context'], ...method } };
  };
}

const kindOf = (types: unknown[]) =>
  types.includes('ClrCredential')
    ? 'CLR 2.0 transcript'
    : types.includes('OpenBadgeCredential') || types.includes('AchievementCredential')
      ? 'Open Badges 3.0 credential'
      : 'verifiable credential';

const statusWords: Record<StatusPurpose, string> = {
  revocation: 'It was revoked by the issuer (or replaced by a re-issued certificate).',
  suspension: 'The certification has lapsed: it is suspended until the official is reinstated.',
};

/** Checks a pasted or uploaded credential and says what it found, check by check. */
export async function checkCredential(deps: Deps, text: string) {
  const doc = parse(text);
  const findings: Finding[] = [];
  const skip = (...checks: Finding['check'][]) =>
    checks.forEach((check) =>
      findings.push({ check, outcome: 'not-checked', message: 'Not checked: an earlier check failed.' }),
    );
  const done = (about: { kind?: string; name?: string; issuer?: string } = {}) => ({
    ...verdictOf(findings),
    kind: about.kind ?? null,
    name: about.name ?? null,
    issuerName: about.issuer ?? null,
    findings,
  });

  const types = isObject(doc) ? asArray(doc.type) : [];
  const proof = isObject(doc) ? doc.proof : undefined;
  const issuerId = isObject(doc) ? (isObject(doc.issuer) ? doc.issuer.id : doc.issuer) : undefined;
  if (
    !isObject(doc) ||
    !types.includes('VerifiableCredential') ||
    !isObject(proof) ||
    typeof issuerId !== 'string'
  ) {
    findings.push({
      check: 'format',
      outcome: 'failed',
      message:
        'It is not a signed verifiable credential: it needs a type VerifiableCredential, an issuer and a proof.',
    });
    skip('issuer', 'signature', 'status', 'dates');
    return done();
  }
  const about = {
    kind: kindOf(types),
    name: typeof doc.name === 'string' ? doc.name : undefined,
    issuer: isObject(doc.issuer) && typeof doc.issuer.name === 'string' ? doc.issuer.name : undefined,
  };
  findings.push({ check: 'format', outcome: 'passed', message: `It is a signed ${about.kind}.` });

  const issuer = await ourIssuer(deps, issuerId);
  if (!issuer) {
    findings.push({
      check: 'issuer',
      outcome: 'failed',
      message: `The issuer ${issuerId} is not one this office knows: only credentials of its own programs are checked here.`,
    });
    skip('signature', 'status', 'dates');
    return done(about);
  }
  findings.push({ check: 'issuer', outcome: 'passed', message: `Issued by ${issuer.name} (${issuer.id}).` });

  const validFrom = typeof doc.validFrom === 'string' ? doc.validFrom : undefined;
  const validUntil = typeof doc.validUntil === 'string' ? doc.validUntil : undefined;
  // The proof alone, at an instant inside the validity dates: the dates are the last finding.
  const inside = validFrom && !Number.isNaN(Date.parse(validFrom)) ? new Date(validFrom) : deps.now();
  const signed = await verifyCredential({
    credential: doc,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader: loaderFor(deps, issuer),
    now: inside,
    checkStatus: async () => ({ verified: true }),
  }).catch((error: unknown) => ({ verified: false, error }));
  if (!signed.verified) {
    findings.push({
      check: 'signature',
      outcome: 'failed',
      message:
        'The signature does not match the content: the credential was changed after it was signed, or was not signed by this issuer.',
    });
    skip('status', 'dates');
    return done(about);
  }
  findings.push({
    check: 'signature',
    outcome: 'passed',
    message: 'The signature matches the content and the issuer’s published key.',
  });

  const entries = asArray(doc.credentialStatus).filter(isObject);
  if (entries.length === 0)
    findings.push({
      check: 'status',
      outcome: 'passed',
      message: `It has no status list: it states the record as of ${validFrom ?? 'its issue'}.`,
    });
  else {
    const set: StatusPurpose[] = [];
    let unknown = false;
    for (const e of entries) {
      const purpose = statusPurposes.find((p) => p === e.statusPurpose);
      const index = Number(e.statusListIndex);
      if (
        !purpose ||
        e.statusListCredential !== `${issuer.baseUrl}/status/${purpose}` ||
        !Number.isInteger(index)
      )
        unknown = true;
      else if (await isStatusSet(deps.db, issuer.programId, purpose, index)) set.push(purpose);
    }
    if (unknown)
      findings.push({
        check: 'status',
        outcome: 'failed',
        message: 'It names a status list this issuer does not publish.',
      });
    else if (set.length)
      findings.push({
        check: 'status',
        outcome: 'failed',
        message: set.map((p) => statusWords[p]).join(' '),
      });
    else
      findings.push({ check: 'status', outcome: 'passed', message: 'It is neither revoked nor suspended.' });
  }
  findings.push(datesFinding(validFrom, validUntil, deps.now().getTime()));
  return done(about);
}
