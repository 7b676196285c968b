/**
 * The security headers (helmet's, worked out once at start-up and set by one hook in buildApp) are
 * on every answer: a page of the API, a refusal, an address that is nothing; a route that sets its
 * own policy still wins; a site served over https gets HSTS and upgrade-insecure-requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/harness.js';

let plain: TestApp;
let https: TestApp;
beforeAll(async () => {
  plain = await createTestApp();
  https = await createTestApp({ env: { PUBLIC_URL: 'https://cert.example.gov' } });
});
afterAll(async () => {
  await plain?.close();
  await https?.close();
});

describe('security headers', () => {
  it('are the same on a public answer, a refusal and a not-found problem', async () => {
    const answers = await Promise.all(
      ['/api/openapi.json', '/api/me/progress', '/api/nothing-here'].map((url) =>
        plain.app.inject({ method: 'GET', url }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404]);
    for (const a of answers) {
      expect(a.headers['content-security-policy']).toContain("default-src 'self'");
      expect(a.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(a.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(a.headers['strict-transport-security']).toBeUndefined();
      expect(a.headers['cross-origin-embedder-policy']).toBeUndefined();
    }
    expect(answers[1]!.headers['content-security-policy']).toBe(
      answers[2]!.headers['content-security-policy'],
    );
  });

  it('over https also ask browsers to keep to https', async () => {
    const a = await https.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(a.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(a.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
