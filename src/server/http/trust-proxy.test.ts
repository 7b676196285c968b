/**
 * Whose X-Forwarded-For the app believes. A client that may name its own
 * address gets a fresh per-address limit with every request, so the header
 * counts only when it comes from a proxy named in TRUST_PROXY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/harness.js';

let production: TestApp; // NODE_ENV=production with TRUST_PROXY unset
let proxied: TestApp; // TRUST_PROXY=127.0.0.1
let oneHop: TestApp; // TRUST_PROXY=1
beforeAll(async () => {
  oneHop = await createTestApp({ env: { TRUST_PROXY: '1' } });
  production = await createTestApp({ env: { NODE_ENV: 'production', SECRETS_KEY: 'ab'.repeat(32) } });
  proxied = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
});
afterAll(async () => {
  await production.close();
  await proxied.close();
  await oneHop.close();
});

/** A public lookup (30 a minute per address), from `remoteAddress`, claiming to be for `forwarded`. */
const lookup = (t: TestApp, forwarded: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({
    method: 'GET',
    url: '/api/verify/KS-0000-000000',
    headers: { 'x-forwarded-for': forwarded },
    remoteAddress,
  });

const loggedAddresses = async (t: TestApp) =>
  (await t.db.selectFrom('rate_limit_hit').select('key').where('bucket', '=', 'verify.award').execute()).map(
    (r) => r.key,
  );

describe('X-Forwarded-For', () => {
  it('is ignored by default, even in production: 30 spoofed addresses still hit the per-address limit', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 31; i++) statuses.push((await lookup(production, `203.0.113.${i}`)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(new Set(await loggedAddresses(production))).toEqual(new Set(['127.0.0.1']));
  });

  it('names the client when it comes from a proxy in TRUST_PROXY, and only then', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 31; i++) statuses.push((await lookup(proxied, `198.51.100.${i}`)).statusCode);
    expect(statuses.every((s) => s !== 429)).toBe(true);
    expect(await loggedAddresses(proxied)).toContain('198.51.100.31');

    // The same header from an address that is not the proxy is not believed.
    const stranger = await lookup(proxied, '198.51.100.200', '10.7.7.7');
    expect(stranger.statusCode).not.toBe(429);
    const keys = await loggedAddresses(proxied);
    expect(keys).toContain('10.7.7.7');
    expect(keys).not.toContain('198.51.100.200');
  });

  it('with a hop count, takes the address the nearest proxy saw', async () => {
    await lookup(oneHop, '192.0.2.1, 192.0.2.2', '10.8.8.8');
    expect(await loggedAddresses(oneHop)).toEqual(['192.0.2.2']);
  });
});
