/**
 * Credential offers for a wallet (issue 18, item 5; ADR 0034). The holder of a credential (an
 * award's Open Badges 3.0 badge, or their CLR transcript in a program) asks for a QR code; the
 * code is an address under the public URL with a random token in it, which a phone or wallet that
 * is not signed in can fetch:
 *
 * - the token is 32 random bytes; only its SHA-256 is stored, with whose credential it gives and
 *   when it expires (OFFER_MINUTES after it was made);
 * - it gives its credential once: the fetch signs the credential with no lock held, then marks the
 *   code used in one UPDATE ... WHERE used_at IS NULL AND expires_at > now RETURNING, so of two
 *   fetches at once exactly one gets the credential, and a fetch that fails (the award was revoked
 *   since) uses nothing up; a used or expired code answers 410, an unknown one 404;
 * - a new code for the same credential ends the holder's older unused ones;
 * - the credential is signed at the fetch, by the same code as the download (same shape).
 */
import { sql } from 'kysely';
import { DomainError } from '../../../domain/errors.js';
import {
  awardAbilities,
  issuedTranscriptDenial,
  requireAccess,
  transcriptCredentialAbilities,
  walletOfferDenial,
} from '../../../domain/authz/policies.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { awardFacts, getAwardRow, readableAwardRow } from '../awards/awards.service.js';
import { transcriptPolicyFacts } from '../transcripts/transcripts.service.js';
import { signedAwardCredential, signedTranscriptCredential } from './credentials.service.js';

/** How long a wallet code lasts: long enough to open a wallet app and scan, short on a screen. */
export const OFFER_MINUTES = 10;

/** Used and expired codes are kept this long (a late scan is told "expired", not "unknown"), then deleted. */
const KEEP_MS = 24 * 3_600_000;

type Target =
  | { kind: 'award'; personId: string; awardId: string }
  | { kind: 'transcript'; personId: string; programId: string };

/** The code's address (under the app's public URL) and when it stops working. */
export interface Offer {
  offerUrl: string;
  expiresAt: string;
}

/** A wallet code for the holder's own award credential; 409 when the award is revoked or replaced. */
export async function offerAwardCredential(ctx: Ctx, awardId: string): Promise<Offer> {
  const a = await readableAwardRow(ctx, awardId);
  if (a.revoked_on)
    throw new DomainError('conflict', 'This award is revoked; it has no credential to put in a wallet.');
  if (a.superseded_by_id)
    throw new DomainError(
      'conflict',
      'This certificate was replaced by a re-issue; show the wallet code of the current certificate.',
    );
  requireAccess(awardAbilities(ctx.actor, awardFacts(a)), 'walletOffer', walletOfferDenial);
  return createOffer(ctx, { kind: 'award', personId: a.person_id, awardId: a.id });
}

/** A wallet code for the person's own CLR transcript in a program. */
export async function offerTranscriptCredential(
  ctx: Ctx,
  personId: string,
  programId: string,
): Promise<Offer> {
  const facts = await transcriptPolicyFacts(ctx.db, personId);
  const abilities = transcriptCredentialAbilities(ctx.actor, facts, programId);
  requireAccess(abilities, 'download', issuedTranscriptDenial);
  requireAccess(abilities, 'offer', walletOfferDenial);
  return createOffer(ctx, { kind: 'transcript', personId, programId });
}

const sameTarget = (db: Db, t: Target) => {
  const q = db.updateTable('credential_offer').where('person_id', '=', t.personId);
  return t.kind === 'award' ? q.where('award_id', '=', t.awardId) : q.where('program_id', '=', t.programId);
};

async function createOffer(ctx: Ctx, target: Target): Promise<Offer> {
  const token = newToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + OFFER_MINUTES * 60_000).toISOString();
  await ctx.db.transaction().execute(async (tx) => {
    // The purge: codes long past use (there is no cleanup job; codes are made rarely).
    await tx
      .deleteFrom('credential_offer')
      .where('expires_at', '<', new Date(now.getTime() - KEEP_MS).toISOString())
      .execute();
    // A new code ends the older ones of the same credential: one live code on a screen at a time.
    await sameTarget(tx, target)
      // Never before its own creation (the table's check), whatever another instance's clock said.
      .set({ expires_at: sql<string>`greatest(created_at, ${now.toISOString()}::timestamptz)` })
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .execute();
    await tx
      .insertInto('credential_offer')
      .values({
        token_hash: hashToken(token),
        kind: target.kind,
        person_id: target.personId,
        award_id: target.kind === 'award' ? target.awardId : null,
        program_id: target.kind === 'transcript' ? target.programId : null,
        created_by: ctx.actor?.userId ?? null,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    await recordAudit(tx, ctx, {
      action: 'credential-offer.create',
      entityType: target.kind,
      entityId: target.kind === 'award' ? target.awardId : `${target.personId}/${target.programId}`,
      after: { personId: target.personId, expiresAt },
    });
  });
  return { offerUrl: `${ctx.config.publicUrl}/api/credential-offers/${token}`, expiresAt };
}

/**
 * The credential a wallet code gives, once, signed as for a download. 404 for a code that never
 * existed (or was deleted a day after it expired), 410 for a used or expired one.
 */
export async function fetchOfferedCredential(ctx: Ctx, token: string) {
  const hash = hashToken(token);
  const now = ctx.now().toISOString();
  const used = () =>
    new DomainError(
      'gone',
      'This wallet code was used already: each code gives its credential once. Show a new code on the award or transcript page.',
    );
  const offer = await ctx.db
    .selectFrom('credential_offer')
    .select(['kind', 'person_id', 'award_id', 'program_id', 'used_at', 'expires_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst();
  if (!offer)
    throw new DomainError(
      'not_found',
      'There is no wallet code with this address. Show a new code on the award or transcript page.',
    );
  if (offer.used_at) throw used();
  if (offer.expires_at <= now)
    throw new DomainError(
      'gone',
      `This wallet code has expired (codes last ${OFFER_MINUTES} minutes). Show a new code on the award or transcript page.`,
    );
  // Signed first, with no lock or transaction held: signing reads on the pool (and may create the
  // issuer's key), so a fetch holding a connection and a row lock while it waited for more
  // connections could starve the pool under parallel fetches. A fetch that gives nothing (the
  // award was revoked since: 409) leaves the code unused.
  const signed = offer.award_id
    ? await signedAwardCredential(ctx, await getAwardRow(ctx.db, offer.award_id)).then((c) => ({
        credential: c.credential,
        filename: `credential-${c.number}.json`,
      }))
    : await signedTranscriptCredential(ctx, offer.person_id, offer.program_id!).then((c) => ({
        credential: c.credential,
        filename: `transcript-${c.slug}.clr.json`,
      }));
  // Then the code is taken in one short transaction: of parallel fetches, the one whose UPDATE
  // finds it unused gives the credential; the others answer 410.
  const taken = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('credential_offer')
      .set({ used_at: now })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['kind', 'person_id', 'award_id', 'program_id'])
      .executeTakeFirst();
    if (!row) return false;
    await recordAudit(tx, ctx, {
      action: 'credential-offer.fetch',
      entityType: row.kind,
      entityId: row.award_id ?? `${row.person_id}/${row.program_id}`,
      after: { personId: row.person_id, ip: ctx.ip },
    });
    return true;
  });
  if (!taken) throw used();
  return signed;
}
