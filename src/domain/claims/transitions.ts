/**
 * How a claim moves between statuses, and who may move it. A claim is
 * changed and submitted by the official who made it, as a draft or when more
 * information is asked for; submitting sends it to review, and is refused
 * (nothing changes) while required evidence is missing. A draft can be
 * deleted by its official. Only a submitted claim can be
 * decided, and never by the official who made it. Approved and rejected are
 * final. Pure; the claims service applies these under a row lock.
 */
import { DomainError } from '../errors.js';
import { missingEvidenceSentence, type ClaimStatus } from './index.js';

/** Every allowed move: from a status to the statuses it can become. */
export const claimTransitions: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  draft: ['submitted'],
  needs_information: ['submitted'],
  submitted: ['approved', 'rejected', 'needs_information'],
  approved: [],
  rejected: [],
};

export function canMove(from: ClaimStatus, to: ClaimStatus): boolean {
  return claimTransitions[from].includes(to);
}

export type ClaimDecision = 'approve' | 'reject' | 'request_information';

interface ClaimFacts {
  status: ClaimStatus;
  /** The official who made the claim. */
  personId: string;
}

const said = (s: ClaimStatus) => s.replace('_', ' ');

/** The official's own change or submission: refused (403 or 409) unless it is theirs and still open to change. */
export function assertOwnerMayChange(claim: ClaimFacts, actorPersonId: string | null): void {
  if (claim.personId !== actorPersonId)
    throw new DomainError('forbidden', 'Only the official who made a claim can change it.');
  if (!canMove(claim.status, 'submitted'))
    throw new DomainError(
      'conflict',
      `This claim is ${said(claim.status)}; it can be changed only as a draft or when more information is asked for.`,
    );
}

/** A reviewer's decision: refused (403) on their own claim, and (409) on anything but a submitted claim. */
export function assertReviewerMayDecide(claim: ClaimFacts, reviewerPersonId: string | null): void {
  if (claim.personId === reviewerPersonId)
    throw new DomainError('forbidden', 'You cannot review your own claim; another reviewer must.');
  if (claim.status !== 'submitted')
    throw new DomainError(
      'conflict',
      `This claim is ${said(claim.status)}; only a submitted claim can be decided.`,
    );
}

/**
 * A submission goes to review only with every required document; without
 * them it is refused (409, naming the documents on the field "documents")
 * and the claim stays as it was: a reviewer did not ask for anything.
 */
export function statusAfterSubmit(missingEvidence: readonly string[]): ClaimStatus {
  if (missingEvidence.length) {
    const message = missingEvidenceSentence(missingEvidence);
    throw new DomainError('conflict', message, { issues: [{ field: 'documents', message }] });
  }
  return 'submitted';
}

/** Deleting a claim: only its official, and only while it is a draft (403 or 409). */
export function assertOwnerMayDelete(claim: ClaimFacts, actorPersonId: string | null): void {
  if (claim.personId !== actorPersonId)
    throw new DomainError('forbidden', 'Only the official who made a claim can delete it.');
  if (claim.status !== 'draft')
    throw new DomainError('conflict', `This claim is ${said(claim.status)}; only a draft can be deleted.`);
}

/** The status a reviewer's decision leads to. */
export function statusAfterDecision(decision: ClaimDecision): ClaimStatus {
  return decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'needs_information';
}
