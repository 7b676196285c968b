/**
 * API tokens for integrations (issue 17, item 5). An administrator creates a named token with
 * scopes, an expiry and optionally one training provider; the secret is shown once and only its
 * SHA-256 is stored. A request with `Authorization: Bearer cct_…` is answered for the token, never
 * for a person: app.ts resolves it here, the one table's tokenPolicy decides what it may call, and
 * every use is recorded (an audit row and the token's last use).
 */
import { sql } from 'kysely';
import { tokenScopes, type TokenActor, type TokenScope } from '../../../domain/authz/index.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import type { ApiToken, CreateApiTokenInput } from '../../../contract/api-tokens.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { hashToken, newToken } from '../auth/tokens.js';

/** Every token starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'cct_';
const HINT_LENGTH = TOKEN_PREFIX.length + 4;
/** `cct_` and 32 random bytes in base64url. */
const TOKEN_SHAPE = /^cct_[A-Za-z0-9_-]{43}$/;

/** The bearer token of an Authorization header, or null when the header names no bearer token. */
export function bearerOf(header: string | undefined): string | null {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

export type ResolvedToken =
  | { ok: true; token: TokenActor; label: string }
  | { ok: false; tokenId: string | null; label: string; reason: string };

const labelOf = (name: string, hint: string) => `API token "${name}" (${hint}…)`;

/** Looks a presented secret up by its hash: a live token, or why it cannot be used (401). */
export async function resolveApiToken(db: Db, secret: string, now: Date): Promise<ResolvedToken> {
  const unknown = {
    ok: false as const,
    tokenId: null,
    label: 'API token (unknown)',
    reason: 'This API token is not valid. Ask an administrator for a new one.',
  };
  if (!TOKEN_SHAPE.test(secret)) return unknown;
  const row = await db
    .selectFrom('api_token')
    .select(['id', 'name', 'hint', 'scopes', 'provider_id', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashToken(secret))
    .executeTakeFirst();
  if (!row) return unknown;
  const label = labelOf(row.name, row.hint);
  if (row.revoked_at) return { ok: false, tokenId: row.id, label, reason: 'This API token was revoked.' };
  if (new Date(row.expires_at) <= now)
    return { ok: false, tokenId: row.id, label, reason: 'This API token has expired.' };
  const scopes = row.scopes.filter((s): s is TokenScope => (tokenScopes as readonly string[]).includes(s));
  return {
    ok: true,
    label,
    token: { tokenId: row.id, name: row.name, scopes, providerId: row.provider_id },
  };
}

/**
 * Records one use of a token, allowed or refused: an audit row naming the operation and the
 * answer's status, and the token's last use (time and address), shown on the tokens page.
 */
export async function recordTokenUse(
  ctx: Ctx,
  tokenId: string,
  use: { method: string; route: string; status: number },
): Promise<void> {
  // Two independent statements side by side, not one transaction: a use record is a log line, and
  // BEGIN/COMMIT would double the round trips every token request pays (docs/performance.md).
  await Promise.all([
    ctx.db
      .updateTable('api_token')
      .set({ last_used_at: ctx.now().toISOString(), last_used_ip: ctx.ip })
      .where('id', '=', tokenId)
      .execute(),
    recordAudit(ctx.db, ctx, {
      action: use.status < 400 ? 'api-token.use' : 'api-token.refused',
      entityType: 'api_token',
      entityId: tokenId,
      after: use,
    }),
  ]);
}

// ---------------------------------------------------------------- administration

function tokenQuery(db: Db) {
  return db
    .selectFrom('api_token as t')
    .leftJoin('provider as pv', 'pv.id', 't.provider_id')
    .leftJoin('user_account as cu', 'cu.id', 't.created_by')
    .leftJoin('person as cp', 'cp.id', 'cu.person_id')
    .leftJoin('user_account as ru', 'ru.id', 't.revoked_by')
    .leftJoin('person as rp', 'rp.id', 'ru.person_id')
    .select([
      't.id',
      't.name',
      't.hint',
      't.scopes',
      't.expires_at',
      't.created_at',
      't.revoked_at',
      't.last_used_at',
      't.last_used_ip',
      'pv.id as provider_id',
      'pv.name as provider_name',
      'cp.first_name as c_first',
      'cp.last_name as c_last',
      'cp.preferred_name as c_preferred',
      'rp.first_name as r_first',
      'rp.last_name as r_last',
      'rp.preferred_name as r_preferred',
    ]);
}
type TokenRow = Awaited<ReturnType<ReturnType<typeof tokenQuery>['executeTakeFirstOrThrow']>>;

const nameOf = (first: string | null, last: string | null, preferred: string | null) =>
  first && last ? displayName({ first_name: first, last_name: last, preferred_name: preferred }) : null;

function toApiToken(r: TokenRow, now: Date): ApiToken {
  return {
    id: r.id,
    name: r.name,
    hint: `${r.hint}…`,
    scopes: r.scopes as TokenScope[],
    provider: r.provider_id && r.provider_name ? { id: r.provider_id, name: r.provider_name } : null,
    status: r.revoked_at ? 'revoked' : new Date(r.expires_at) <= now ? 'expired' : 'active',
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    createdBy: nameOf(r.c_first, r.c_last, r.c_preferred),
    revokedAt: r.revoked_at,
    revokedBy: nameOf(r.r_first, r.r_last, r.r_preferred),
    lastUsedAt: r.last_used_at,
    lastUsedIp: r.last_used_ip,
  };
}

/** Every token, newest first: the live ones and, for the record, the expired and revoked. */
export async function listApiTokens(ctx: Ctx): Promise<{ items: ApiToken[] }> {
  const rows = await tokenQuery(ctx.db).orderBy('t.created_at', 'desc').orderBy('t.id').limit(500).execute();
  return { items: rows.map((r) => toApiToken(r, ctx.now())) };
}

export async function createApiToken(
  ctx: Ctx,
  input: CreateApiTokenInput,
): Promise<{ token: ApiToken; secret: string }> {
  if (input.providerId) {
    const provider = await ctx.db
      .selectFrom('provider')
      .select('id')
      .where('id', '=', input.providerId)
      .executeTakeFirst();
    if (!provider) throw fieldError('providerId', 'There is no training provider with this id.');
  }
  const secret = `${TOKEN_PREFIX}${newToken()}`;
  const expiresAt = new Date(ctx.now().getTime() + input.expiresInDays * 86_400_000).toISOString();
  return ctx.db.transaction().execute(async (tx) => {
    const { id } = await tx
      .insertInto('api_token')
      .values({
        name: input.name,
        token_hash: hashToken(secret),
        hint: secret.slice(0, HINT_LENGTH),
        scopes: [...input.scopes].sort(),
        provider_id: input.providerId,
        expires_at: expiresAt,
        created_at: ctx.now().toISOString(),
        created_by: ctx.actor?.userId ?? null,
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
        last_used_ip: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The audit row names the token, never its secret.
    await recordAudit(tx, ctx, {
      action: 'api-token.create',
      entityType: 'api_token',
      entityId: id,
      after: { name: input.name, scopes: input.scopes, providerId: input.providerId, expiresAt },
    });
    const row = await tokenQuery(tx).where('t.id', '=', id).executeTakeFirstOrThrow();
    return { token: toApiToken(row, ctx.now()), secret };
  });
}

/** Revokes a token at once: its next use gets 401. Revoking twice is a conflict (409). */
export async function revokeApiToken(ctx: Ctx, id: string): Promise<ApiToken> {
  return ctx.db.transaction().execute(async (tx) => {
    const revoked = await tx
      .updateTable('api_token')
      .set({ revoked_at: ctx.now().toISOString(), revoked_by: ctx.actor?.userId ?? null })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!revoked) {
      const exists = await tx.selectFrom('api_token').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) throw new DomainError('not_found', 'There is no API token with this id.');
      throw new DomainError('conflict', 'This API token was already revoked.');
    }
    await recordAudit(tx, ctx, { action: 'api-token.revoke', entityType: 'api_token', entityId: id });
    const row = await tokenQuery(tx).where('t.id', '=', id).executeTakeFirstOrThrow();
    return toApiToken(row, ctx.now());
  });
}

/** The training providers, by name. */
export async function listProviders(ctx: Ctx): Promise<{ items: { id: string; name: string }[] }> {
  const rows = await ctx.db
    .selectFrom('provider')
    .select(['id', 'name'])
    .orderBy(sql`lower(name)`)
    .execute();
  return { items: rows };
}
