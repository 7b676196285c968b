/**
 * The renewal program the lifecycle tests share: a one-credit initial tier, then yearly cycles of
 * 10 renewal credits (previous expiry as the basis, a reminder 30 days before, 30 days of grace,
 * 100 days to reinstate), with the award on 2024-01-01, so cycle 1 runs through 2024-12-31.
 */
import { mgmtTier, testProgram } from '../requirements/testkit.js';
import type { RenewalPolicy, Requirement } from '../requirements/types.js';

export const renewalReq: Requirement = {
  id: 'renew',
  type: 'credits',
  title: 'Renewal credits',
  noun: 'renewal',
  min: 10,
  filter: { categories: ['mgmt'] },
};

export function renewalProgram(policy: Partial<RenewalPolicy> = {}) {
  return testProgram(mgmtTier(1), {
    renewal: {
      cycleYears: 1,
      expiryBasis: 'previousExpiry',
      remindDaysBefore: [30],
      graceDays: 30,
      reinstatement: { withinDays: 100 },
      requirement: renewalReq,
      ...policy,
    },
  });
}

export const awards = [{ id: 'a1', awardedOn: '2024-01-01' }];
