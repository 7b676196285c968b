/**
 * JSON text for a jsonb column. JSON.stringify writes a lone UTF-16 surrogate
 * as "\ud800", which PostgreSQL's jsonb refuses; replace such characters with
 * U+FFFD first (the same thing pg does when it encodes text parameters).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function jsonb(value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify writes a lone surrogate as the escape \udXXX and a pair as it is, so text
  // without "\ud" has none: the common case needs no replacer call per value (the credit import
  // writes a fingerprint per row). "\ud" may also be an escaped backslash before "ud"; the
  // careful way below decides then.
  if (!text?.includes('\\ud')) return text;
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v,
  );
}
