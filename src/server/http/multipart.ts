/**
 * Multipart bodies that cannot be read as a form (no boundary in the
 * Content-Type, a boundary longer than the standard allows, a body cut off
 * before its closing boundary) are the client's mistake: a 400 naming the
 * body, never a 500. The form parser reports them as plain errors, known
 * here by their messages.
 */
import { DomainError } from '../../domain/errors.js';

const malformed = [
  /boundary not found/i,
  /needle cannot/i, // a boundary longer than 70 characters (RFC 2046) reaches the parser's search limit
  /unexpected end of (multipart data|form)/i,
  /terminated early/i,
  /malformed/i,
];

/** A 400 for a form the parser could not read, or undefined for any other error. */
export function malformedFormError(e: unknown, expected: string): DomainError | undefined {
  if (e instanceof DomainError || !(e instanceof Error)) return undefined;
  if ((e as { code?: string }).code?.startsWith('FST_')) return undefined;
  if (!malformed.some((m) => m.test(e.message))) return undefined;
  const message = `The form could not be read (it has no boundary or was cut off). ${expected}`;
  return new DomainError('validation', message, { issues: [{ field: '(body)', message }] });
}
