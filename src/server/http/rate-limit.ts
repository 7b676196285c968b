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
 *
 * Sign-in uses the same limiter as a reservation: the attempt is counted
 * before the slow password check, under the lock, and a successful sign-in
 * releases its row afterwards, so only failures stay counted. However the
 * requests interleave, no more than `limit` of them get to the check.
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
  /** The problem detail a refused caller reads (given the seconds until a request is let in again). */
  message?: string | ((retryAfterSeconds: number) => string);
}

/** Rows older than this are deleted as the limiter goes (unless a window is longer). */
const KEEP_MS = 24 * 3_600_000;

/** Counted requests that can be taken back (a sign-in that succeeded is not a failure). */
export interface Reservation {
  release: () => Promise<void>;
}

/**
 * Counts one request against each rule (for its key) in one transaction, or
 * throws `rate_limited` (429 with Retry-After) and counts nothing when any of
 * them is used up. The locks are taken in one fixed order, so callers that
 * name several rules cannot deadlock each other.
 */
export async function reserveRateLimit(
  ctx: Ctx,
  claims: ReadonlyArray<{ rule: RateLimit; key: string }>,
): Promise<Reservation> {
  const now = ctx.now();
  const ordered = [...claims].sort((a, b) =>
    a.rule.bucket === b.rule.bucket ? a.key.localeCompare(b.key) : a.rule.bucket.localeCompare(b.rule.bucket),
  );
  const outcome = await ctx.db.transaction().execute(async (tx) => {
    let refused: { rule: RateLimit; retryAfter: number } | null = null;
    for (const { rule, key } of ordered) {
      await sql`select pg_advisory_xact_lock(hashtext(${rule.bucket}), hashtext(${key}))`.execute(tx);
      const since = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
      const recent = await tx
        .selectFrom('rate_limit_hit')
        .select([sql<string>`count(*)`.as('n'), sql<string | null>`min(at)`.as('oldest')])
        .where('bucket', '=', rule.bucket)
        .where('key', '=', key)
        .where('at', '>', since)
        .executeTakeFirstOrThrow();
      if (Number(recent.n) >= rule.limit) {
        const frees = Date.parse(String(recent.oldest)) + rule.windowSeconds * 1000;
        const retryAfter = Math.max(1, Math.ceil((frees - now.getTime()) / 1000));
        if (!refused || retryAfter > refused.retryAfter) refused = { rule, retryAfter };
      }
    }
    if (refused) return { refused, ids: [] };
    const ids: string[] = [];
    for (const { rule, key } of ordered) {
      const since = new Date(now.getTime() - rule.windowSeconds * 1000).toISOString();
      const row = await tx
        .insertInto('rate_limit_hit')
        .values({ bucket: rule.bucket, key, at: now.toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
      // Keep the table small: this caller's rows that left the window, and a few stale rows of anyone.
      const stale = new Date(now.getTime() - Math.max(KEEP_MS, rule.windowSeconds * 1000)).toISOString();
      await sql`delete from rate_limit_hit
        where (bucket = ${rule.bucket} and key = ${key} and at <= ${since})
           or id in (select id from rate_limit_hit where bucket = ${rule.bucket} and at < ${stale} limit 100)`.execute(
        tx,
      );
    }
    return { refused: null, ids };
  });
  if (outcome.refused) {
    const { rule, retryAfter } = outcome.refused;
    const message =
      typeof rule.message === 'function'
        ? rule.message(retryAfter)
        : (rule.message ?? 'Too many requests. Try again in a minute.');
    throw new DomainError('rate_limited', message, { retryAfterSeconds: retryAfter });
  }
  return {
    release: async () => {
      if (outcome.ids.length)
        await ctx.db.deleteFrom('rate_limit_hit').where('id', 'in', outcome.ids).execute();
    },
  };
}

/**
 * Counts one request by `key` (the caller's address unless given) against the
 * limit, or throws `rate_limited` (429 with Retry-After) when it is used up.
 */
export async function enforceRateLimit(ctx: Ctx, rule: RateLimit, key: string = ctx.ip): Promise<void> {
  await reserveRateLimit(ctx, [{ rule, key }]);
}
