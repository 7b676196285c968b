import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import { claimStatuses, type ClaimStatus } from './index.js';
import {
  assertOwnerMayChange,
  assertOwnerMayDelete,
  assertReviewerMayDecide,
  canMove,
  claimTransitions,
  statusAfterDecision,
  statusAfterSubmit,
} from './transitions.js';

const OWNER = 'person-owner';
const REVIEWER = 'person-reviewer';

function refusal(f: () => void): { code: string; message: string } | null {
  try {
    f();
    return null;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { code: e.code, message: e.message };
  }
}

describe('claim transitions', () => {
  it('lists a move for every status, and approved and rejected are final', () => {
    expect(Object.keys(claimTransitions).sort()).toEqual([...claimStatuses].sort());
    expect(claimTransitions.approved).toEqual([]);
    expect(claimTransitions.rejected).toEqual([]);
    for (const to of claimStatuses) {
      expect(canMove('approved', to)).toBe(false);
      expect(canMove('rejected', to)).toBe(false);
    }
  });

  it('decides only from submitted; a draft cannot be approved without review', () => {
    const decidedFrom = claimStatuses.filter((s) => canMove(s, 'approved') || canMove(s, 'rejected'));
    expect(decidedFrom).toEqual(['submitted']);
  });

  it('lets only the owner change a claim, and only as a draft or when information is asked for', () => {
    expect(refusal(() => assertOwnerMayChange({ status: 'draft', personId: OWNER }, OWNER))).toBeNull();
    expect(
      refusal(() => assertOwnerMayChange({ status: 'needs_information', personId: OWNER }, OWNER)),
    ).toBeNull();
    expect(refusal(() => assertOwnerMayChange({ status: 'draft', personId: OWNER }, REVIEWER))).toEqual({
      code: 'forbidden',
      message: 'Only the official who made a claim can change it.',
    });
    expect(refusal(() => assertOwnerMayChange({ status: 'draft', personId: OWNER }, null))?.code).toBe(
      'forbidden',
    );
    for (const status of ['submitted', 'approved', 'rejected'] as ClaimStatus[])
      expect(refusal(() => assertOwnerMayChange({ status, personId: OWNER }, OWNER))?.code).toBe('conflict');
    expect(
      refusal(() => assertOwnerMayChange({ status: 'submitted', personId: OWNER }, OWNER))?.message,
    ).toBe(
      'This claim is submitted; it can be changed only as a draft or when more information is asked for.',
    );
  });

  it('lets nobody decide their own claim, even a submitted one', () => {
    expect(refusal(() => assertReviewerMayDecide({ status: 'submitted', personId: OWNER }, OWNER))).toEqual({
      code: 'forbidden',
      message: 'You cannot review your own claim; another reviewer must.',
    });
    expect(
      refusal(() => assertReviewerMayDecide({ status: 'submitted', personId: OWNER }, REVIEWER)),
    ).toBeNull();
    // A reviewer with no person record is not the owner.
    expect(refusal(() => assertReviewerMayDecide({ status: 'submitted', personId: OWNER }, null))).toBeNull();
  });

  it('decides only a submitted claim', () => {
    for (const status of claimStatuses.filter((s) => s !== 'submitted'))
      expect(refusal(() => assertReviewerMayDecide({ status, personId: OWNER }, REVIEWER))?.code).toBe(
        'conflict',
      );
    expect(
      refusal(() => assertReviewerMayDecide({ status: 'needs_information', personId: OWNER }, REVIEWER))
        ?.message,
    ).toBe('This claim is needs information; only a submitted claim can be decided.');
  });

  it('sends a complete submission to review and refuses one with evidence missing, naming it', () => {
    expect(statusAfterSubmit([])).toBe('submitted');
    expect(canMove('draft', statusAfterSubmit([]))).toBe(true);
    expect(refusal(() => statusAfterSubmit(['A course description or agenda']))).toEqual({
      code: 'conflict',
      message: 'Add this document before submitting: A course description or agenda.',
    });
    // Only a reviewer's question puts a claim in "needs information".
    expect(canMove('draft', 'needs_information')).toBe(false);
  });

  it('lets only the official delete their claim, and only as a draft', () => {
    expect(refusal(() => assertOwnerMayDelete({ status: 'draft', personId: OWNER }, OWNER))).toBeNull();
    expect(refusal(() => assertOwnerMayDelete({ status: 'draft', personId: OWNER }, REVIEWER))?.code).toBe(
      'forbidden',
    );
    for (const status of claimStatuses.filter((s) => s !== 'draft'))
      expect(refusal(() => assertOwnerMayDelete({ status, personId: OWNER }, OWNER))?.code).toBe('conflict');
  });

  it('maps each decision to an allowed move from submitted', () => {
    for (const d of ['approve', 'reject', 'request_information'] as const)
      expect(canMove('submitted', statusAfterDecision(d))).toBe(true);
    expect(statusAfterDecision('approve')).toBe('approved');
    expect(statusAfterDecision('reject')).toBe('rejected');
    expect(statusAfterDecision('request_information')).toBe('needs_information');
  });
});
