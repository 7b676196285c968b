import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  totpAt,
  totpCounter,
  verifyTotp,
} from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890";
// the published 8-digit values end in the 6-digit values checked here.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'));
const rfcVectors: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC test vectors', () => {
    for (const [seconds, eight] of rfcVectors) {
      const counter = Math.floor(seconds / 30);
      expect(hotp(Buffer.from('12345678901234567890'), counter, 8)).toBe(eight);
      expect(totpAt(RFC_SECRET, new Date(seconds * 1000))).toBe(eight.slice(2));
    }
  });

  it('round-trips base32', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(base32Decode('mzxw 6ytb-oi======').toString()).toBe('foobar');
  });

  it('accepts one step of drift either way, and never the same step twice', () => {
    const secret = newTotpSecret();
    const now = new Date('2026-11-23T16:00:10Z');
    const counter = totpCounter(now);
    const code = totpAt(secret, now);
    expect(verifyTotp(secret, code, now, null)).toBe(counter);
    expect(verifyTotp(secret, code, new Date(now.getTime() + 30_000), null)).toBe(counter);
    expect(verifyTotp(secret, code, new Date(now.getTime() + 61_000), null)).toBeNull();
    expect(verifyTotp(secret, code, now, counter)).toBeNull();
    expect(verifyTotp(secret, '12345', now, null)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', now, null)).toBeNull();
  });

  it('builds an otpauth URI and distinct recovery codes', () => {
    expect(otpauthUri('ABC', 'ana@example.gov', 'CivicCert')).toBe(
      'otpauth://totp/CivicCert%3Aana%40example.gov?secret=ABC&issuer=CivicCert&algorithm=SHA1&digits=6&period=30',
    );
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
  });
});
