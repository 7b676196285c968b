/**
 * The web app's pages, as route patterns (`:name` is one path segment). The server answers a
 * page address with the app and 200, and anything else with the app's not-found page and 404,
 * so a mistyped or stale link is a real 404 to browsers, crawlers and link checkers.
 * `web-paths.test.ts` checks this list against the router in src/web/routes.tsx.
 */
export const WEB_PAGES = [
  '/',
  '/sign-in',
  '/password/forgot',
  '/password/set',
  '/email/confirm',
  '/account-request',
  '/account-requests',
  '/enrollment-requests',
  '/profile',
  '/profile/security',
  '/people',
  '/people/new',
  '/people/:id',
  '/people/:id/edit',
  '/people/:id/progress',
  '/people/:id/credits',
  '/jurisdictions',
  '/audit',
  '/outbox',
  '/imports',
  '/webhooks',
  '/catalog',
  '/catalog/new',
  '/catalog/:id/edit',
  '/sessions',
  '/sessions/new',
  '/sessions/below-minimum',
  '/sessions/:id',
  '/sessions/:id/edit',
  '/sessions/:id/roster',
  '/sessions/:id/attendance',
  '/events/:id',
  '/events/:id/edit',
  '/check-in/:id',
  '/my-sessions',
  '/progress',
  '/programs',
  '/programs/:id',
  '/programs/:id/certificate-design',
  '/verify',
  '/verify/:number',
  '/verify/transcript/:code',
  '/claims',
  '/claims/new',
  '/claims/:id',
  '/review',
  '/review/:id',
  '/credits',
  '/fees',
  '/fees/:id',
  '/reviewers',
  '/transcript',
  '/awards/eligible',
  '/awards/:id',
  '/renewals',
  '/certification',
  '/reports',
  '/reports/coverage',
  '/reports/cohorts',
  '/reports/funnel',
  '/reports/session-fill',
  '/reports/renewal',
  '/reports/turnaround',
  '/reports/seat-shortfall',
  // Issue 17, API tokens.
  '/admin/api-tokens',
] as const;

/** Public pages that show officials' names: search engines are asked not to index them. */
export const NOINDEX_PREFIXES = ['/verify', '/api/verify'] as const;

const patterns = WEB_PAGES.map((p) => p.split('/').filter(Boolean));

/** Whether a path (without its query) is one of the web app's pages. A trailing slash is allowed. */
export function isWebPage(path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  let decoded: string[];
  try {
    decoded = parts.map((s) => decodeURIComponent(s));
  } catch {
    return false;
  }
  if (path.includes('//')) return false;
  return patterns.some(
    (p) => p.length === decoded.length && p.every((seg, i) => seg.startsWith(':') || seg === decoded[i]),
  );
}

/** Whether a response for this path should carry `X-Robots-Tag: noindex`. */
export function isNoindex(path: string): boolean {
  return NOINDEX_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}
