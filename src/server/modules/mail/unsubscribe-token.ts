/**
 * One-click unsubscribe links (RFC 8058). A token names a person and a kind of bulk notice and is
 * signed with an HMAC-SHA256 key derived from SECRETS_KEY, so the link needs no sign-in and
 * cannot be forged or pointed at another person or kind. Tokens do not expire: an old notice's
 * link keeps working, and following it again changes nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { noticeCategories, type NoticeCategory } from '../../../contract/notifications.js';
import type { Config } from '../../config.js';
import { secretsKeyOf } from '../../secrets.js';

const signingKey = (config: Config): Buffer =>
  createHmac('sha256', secretsKeyOf(config)).update('civiccert unsubscribe v1').digest();

const signature = (config: Config, personId: string, category: string): Buffer =>
  createHmac('sha256', signingKey(config)).update(`${personId}.${category}`).digest();

export function unsubscribeToken(config: Config, personId: string, category: NoticeCategory): string {
  return `${personId}.${category}.${signature(config, personId, category).toString('base64url')}`;
}

/** The person and kind a token names, or null when it is malformed or its signature is wrong. */
export function readUnsubscribeToken(
  config: Config,
  token: string,
): { personId: string; category: NoticeCategory } | null {
  const m = /^([0-9a-f-]{36})\.([a-z-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, personId, category, sig] = m as unknown as [string, string, string, string];
  if (!(noticeCategories as readonly string[]).includes(category)) return null;
  const given = Buffer.from(sig, 'base64url');
  const expected = signature(config, personId, category);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { personId, category: category as NoticeCategory };
}

/** The https (PUBLIC_URL) address of the one-click unsubscribe for one person and kind. */
export function unsubscribeUrl(config: Config, personId: string, category: NoticeCategory): string {
  return `${config.publicUrl}/api/unsubscribe?token=${unsubscribeToken(config, personId, category)}`;
}

/** The web page a person reads the link on (it asks before turning anything off). */
export function unsubscribePageUrl(config: Config, personId: string, category: NoticeCategory): string {
  return `${config.publicUrl}/unsubscribe?token=${unsubscribeToken(config, personId, category)}`;
}
