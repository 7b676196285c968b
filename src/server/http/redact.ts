/**
 * Secrets that travel in links (password set/reset, e-mail confirmation,
 * private calendar feeds, wallet codes of credentials) are hidden wherever people other than their owner
 * could read them: request logs, and the outbox administrators read. The
 * e-mail itself still goes out with the real link.
 */
export const HIDDEN = '[hidden]';

/** `token=<secret>` in a query string or a link inside text. */
const TOKEN_PARAM = /([?&](?:token|code)=)[^&#\s"'<>]+/gi;
/**
 * A secret carried in the path: a calendar feed (`/calendar-feed/<secret>`) and a wallet code
 * (`/credential-offers/<token>`, which gives a credential to whoever fetches it first; ADR 0034).
 */
const FEED_PATH = /(\/(?:calendar-feed|credential-offers)\/)[^/?#\s"'<>]+/gi;

/** Hides secrets in a request URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_PARAM, `$1${HIDDEN}`).replace(FEED_PATH, `$1${HIDDEN}`);
}

/** Hides the secrets of the links in a message body, for readers other than its recipient. */
export function maskLinkSecrets(text: string): string {
  return text.replace(TOKEN_PARAM, `$1${HIDDEN}`).replace(FEED_PATH, `$1${HIDDEN}`);
}
