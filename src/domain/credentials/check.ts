/**
 * What the public verification page says about a credential file (issue 18, item 5): one finding
 * per check, in the order a verifier makes them, and a verdict in plain words that names the
 * first check that failed. Pure: the server runs the checks and passes the instant (`asOf`).
 */

export const credentialChecks = ['format', 'issuer', 'signature', 'status', 'dates'] as const;
export type CredentialCheck = (typeof credentialChecks)[number];

export interface Finding {
  check: CredentialCheck;
  /** passed; failed; or not made, because an earlier check failed or the credential has nothing to check. */
  outcome: 'passed' | 'failed' | 'not-checked';
  /** What was found, in a sentence. */
  message: string;
}

export const checkLabels: Record<CredentialCheck, string> = {
  format: 'Credential format',
  issuer: 'Issuer',
  signature: 'Signature',
  status: 'Revocation and suspension',
  dates: 'Validity dates',
};

/**
 * The validity dates against the instant of checking: not yet valid before `validFrom`, expired
 * after `validUntil`. The dates are quoted as the credential writes them (with their offset).
 */
export function datesFinding(
  validFrom: string | undefined,
  validUntil: string | undefined,
  asOf: number,
): Finding {
  const from = validFrom === undefined ? undefined : Date.parse(validFrom);
  const until = validUntil === undefined ? undefined : Date.parse(validUntil);
  if (Number.isNaN(from) || Number.isNaN(until))
    return { check: 'dates', outcome: 'failed', message: 'Its validity dates are not dates.' };
  if (from !== undefined && asOf < from)
    return { check: 'dates', outcome: 'failed', message: `It is not valid yet: valid from ${validFrom}.` };
  if (until !== undefined && asOf > until)
    return { check: 'dates', outcome: 'failed', message: `It expired: valid until ${validUntil}.` };
  return {
    check: 'dates',
    outcome: 'passed',
    message: validUntil
      ? `It is within its validity dates (valid until ${validUntil}).`
      : 'It is valid from ' + (validFrom ?? 'its issue') + ' and does not expire.',
  };
}

/** The verdict: valid when no check failed; otherwise the first failing check, named. */
export function verdictOf(findings: readonly Finding[]): {
  valid: boolean;
  failedCheck: CredentialCheck | null;
  summary: string;
} {
  const failed = findings.find((f) => f.outcome === 'failed');
  if (!failed)
    return {
      valid: true,
      failedCheck: null,
      summary:
        'This credential is genuine and in force: the signature matches, the issuer is known, and it is neither revoked, lapsed nor expired.',
    };
  return {
    valid: false,
    failedCheck: failed.check,
    summary: `This credential does not verify. Failed check: ${checkLabels[failed.check]}. ${failed.message}`,
  };
}
