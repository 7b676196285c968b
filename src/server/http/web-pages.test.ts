import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/harness.js';

// The server's answers for the web app's addresses: pages with 200, anything else with the
// app's not-found page and a real 404, robots.txt, and noindex on public verification.
let t: TestApp;
let webRoot: string;

beforeAll(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'civiccert-web-'));
  writeFileSync(
    path.join(webRoot, 'index.html'),
    '<!doctype html><title>CivicCert</title><div id="root"></div>',
  );
  // The app's own robots.txt, as the build copies it from src/web/public.
  copyFileSync(
    path.resolve(import.meta.dirname, '../../web/public/robots.txt'),
    path.join(webRoot, 'robots.txt'),
  );
  t = await createTestApp({ webRoot });
});
afterAll(async () => {
  await t?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('web addresses', () => {
  it('a page of the app answers 200 with the app', async () => {
    for (const url of [
      '/',
      '/people',
      '/sessions/4f1c0000-0000-4000-8000-000000000000/roster',
      '/verify?name=Ada',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('an address that is no page answers 404 with the app, which shows its not-found page', async () => {
    for (const url of ['/no-such-page', '/people/1/2/3', '/reports/nope?x=1']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('unknown API paths and files stay problem+json 404s', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/application\/problem\+json/);
    const file = await t.app.inject({ method: 'GET', url: '/missing.js' });
    expect(file.statusCode).toBe(404);
    expect(file.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('robots.txt is served, and keeps crawlers out of the API', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/robots.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toContain('Disallow: /api/');
  });

  it('public verification, page and API, asks search engines not to index it', async () => {
    for (const url of [
      '/verify',
      '/verify/CPO-2026-0001',
      '/verify/transcript/abc',
      '/api/verify?name=Ada&county=20001',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['x-robots-tag'], url).toBe('noindex');
    }
    const other = await t.app.inject({ method: 'GET', url: '/people' });
    expect(other.headers['x-robots-tag']).toBeUndefined();
  });
});
