import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNoindex, isWebPage, WEB_PAGES } from './web-paths.js';

// The router's page paths, read from its source (importing it would load every page component).
function routerPaths(): string[] {
  const source = readFileSync(path.resolve(import.meta.dirname, '../web/routes.tsx'), 'utf8');
  const paths = [...source.matchAll(/\bpath: '([^']+)'/g)].map((m) => m[1] ?? '');
  return paths.filter((p) => p !== '/' && p !== '*').map((p) => `/${p}`);
}

describe('the web pages the server knows', () => {
  it('are exactly the pages of the router (plus the dashboard at /)', () => {
    expect(new Set(WEB_PAGES)).toEqual(new Set(['/', ...routerPaths()]));
    expect(new Set(WEB_PAGES).size).toBe(WEB_PAGES.length);
  });

  it('match page addresses, with parameters as one segment each', () => {
    for (const p of [
      '/',
      '/people',
      '/people/',
      '/people/4f1c/edit',
      '/verify/CPO-2026-0001',
      '/verify/transcript/abc',
    ])
      expect(isWebPage(p), p).toBe(true);
    expect(isWebPage('/reports/coverage')).toBe(true);
    expect(isWebPage('/people/a%20b')).toBe(true);
  });

  it('refuse anything else', () => {
    for (const p of [
      '/no-such-page',
      '/people/1/2/3',
      '/people/4f1c/nonsense',
      '/reports/nope',
      '/sessions//edit',
      '/people/%E0%A4%A',
      '/api/people',
    ])
      expect(isWebPage(p), p).toBe(false);
  });

  it('mark public verification, page and API, as not to be indexed', () => {
    for (const p of [
      '/verify',
      '/verify/CPO-1',
      '/verify/transcript/abc',
      '/api/verify',
      '/api/verify/CPO-1',
    ])
      expect(isNoindex(p), p).toBe(true);
    for (const p of ['/', '/verifying', '/people', '/api/session']) expect(isNoindex(p), p).toBe(false);
  });
});
