/**
 * Domain errors carry a stable code. Services throw or return them; the HTTP
 * layer maps each code to a status and problem type in one table
 * (src/server/http/problems.ts), which the compiler checks for completeness.
 */
export const errorCodes = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  /** Existed, but no longer answers (a used or expired single-use link): 410. */
  'gone',
  'rate_limited',
  'invalid_token',
  'invalid_credentials',
  'second_factor_required',
  'second_factor_setup_required',
  'payload_too_large',
  'unsupported_media_type',
  'provider_unavailable',
  /** Too busy to answer in time; nothing was saved, try again (503 with Retry-After). */
  'unavailable',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "email" or "address.zip". */
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly retryAfterSeconds: number | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    opts: { issues?: FieldIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = opts.issues ?? [];
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

export const fieldError = (field: string, message: string): DomainError =>
  new DomainError('validation', message, { issues: [{ field, message }] });
