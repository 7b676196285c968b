/**
 * JSON text for a jsonb column. JSON.stringify writes a lone UTF-16 surrogate
 * as "\ud800", which PostgreSQL's jsonb refuses; replace such characters with
 * U+FFFD first (the same thing pg does when it encodes text parameters).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function jsonb(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v,
  );
}
