/**
 * The one rate limiter, for public endpoints that need no sign-in (award and
 * transcript verification). It lives in PostgreSQL, so every app instance
 * behind a load balancer counts against the same limit: each accepted request
 * is a row in rate_limit_hit, and a request is refused when the caller already
 * has `limit` rows in the last `windowSeconds` (a sliding window). A
 * transaction-scoped advisory lock per bucket and caller serialises the
 * count-then-insert, so simultaneous requests cannot slip past the limit.
 * Refused requests are not recorded, so the caller gets in again as soon as
 * the oldest counted request leaves the window.
 */
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.js';
import type { Ctx } from '../context.js';

export interface RateLimit {
  /** Names what is limited, e.g. 'verify.award'; each bucket has its own count. */
  bucket: string;
  /** Requests allowed per window and caller. */
  limit: number;
  windowSeconds: number;
  /** The problem detail a refused caller reads. */
  message?: string;
}

/** Rows older than this are deleted as the limiter goes (no window is longer). */
const KEEP_MS = 24 * 3_600_000;

/**
 * Counts one request by `key` (the caller's address unless given) against the
 * limit, or throws `rate_limited` (429 with Retry-After) when it is used up.
 */
export async function enforceRateLimit(ctx: Ctx, rule: RateLimit, key: string = ctx.ip): Promise<void> {
  const now = ctx.now();
  const since = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
  const retryAfter = await ctx.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${rule.bucket}), hashtext(${key}))`.execute(tx);
    const recent = await tx
      .selectFrom('rate_limit_hit')
      .select([sql<string>`count(*)`.as('n'), sql<string | null>`min(at)`.as('oldest')])
      .where('bucket', '=', rule.bucket)
      .where('key', '=', key)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= rule.limit) {
      const frees = Date.parse(String(recent.oldest)) + rule.windowSeconds * 1000;
      return Math.max(1, Math.ceil((frees - now.getTime()) / 1000));
    }
    await tx
      .insertInto('rate_limit_hit')
      .values({ bucket: rule.bucket, key, at: now.toISOString() })
      .execute();
    // Keep the table small: this caller's rows that left the window, and a few stale rows of anyone.
    await sql`delete from rate_limit_hit
      where (bucket = ${rule.bucket} and key = ${key} and at <= ${since})
         or id in (select id from rate_limit_hit where at < ${new Date(now.getTime() - KEEP_MS).toISOString()} limit 100)`.execute(
      tx,
    );
    return 0;
  });
  if (retryAfter > 0)
    throw new DomainError('rate_limited', rule.message ?? 'Too many requests. Try again in a minute.', {
      retryAfterSeconds: retryAfter,
    });
}
