/**
 * The sign-in limits (SIGN_IN_MAX_FAILURES within SIGN_IN_WINDOW_MINUTES per
 * e-mail address, four times that per client address), kept by the shared
 * PostgreSQL limiter. An attempt is reserved before its password or code is
 * checked and released when it succeeds, so only failures stay counted.
 */
import type { Ctx } from '../../context.js';
import { reserveRateLimit, type RateLimit, type Reservation } from '../../http/rate-limit.js';

/** The sign-in limits: failures per e-mail address, and four times as many per client address. */
export function signInLimits(config: Ctx['config']): { perEmail: RateLimit; perAddress: RateLimit } {
  const { maxFailures, windowMinutes } = config.signIn;
  const message = (retryAfterSeconds: number) => {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    return `Too many failed sign-in attempts. For your security, sign-in is paused for ${minutes} minute${minutes === 1 ? '' : 's'}. You can also reset your password.`;
  };
  const windowSeconds = windowMinutes * 60;
  return {
    perEmail: { bucket: 'sign-in.email', limit: maxFailures, windowSeconds, message },
    perAddress: { bucket: 'sign-in.address', limit: maxFailures * 4, windowSeconds, message },
  };
}

/** Counts one sign-in attempt now (or throws rate_limited); release it if the attempt succeeds. */
export function reserveSignInAttempt(ctx: Ctx, email: string): Promise<Reservation> {
  const { perEmail, perAddress } = signInLimits(ctx.config);
  return reserveRateLimit(ctx, [
    { rule: perEmail, key: email },
    { rule: perAddress, key: ctx.ip },
  ]);
}
