import { describe, expect, it } from 'vitest';
import { DomainError, fieldError } from './errors.js';

describe('domain errors', () => {
  it('names the field a validation error is about', () => {
    const e = fieldError('address.zip', 'Enter a five-digit ZIP code.');
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('DomainError');
    expect(e.code).toBe('validation');
    expect(e.message).toBe('Enter a five-digit ZIP code.');
    expect(e.issues).toEqual([{ field: 'address.zip', message: 'Enter a five-digit ZIP code.' }]);
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it('has no field issues unless given, and carries a retry delay', () => {
    const e = new DomainError('validation', 'Slow down.', { retryAfterSeconds: 30 });
    expect(e.issues).toEqual([]);
    expect(e.retryAfterSeconds).toBe(30);
    expect(new DomainError('validation', 'x').issues).toEqual([]);
  });
});
