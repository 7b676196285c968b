import type { Tx } from '../../db/database.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { TOKEN_PREFIX } from './api-tokens.service.js';

/**
 * Demo data for issue 17: iGO's own training arm gives the sponsored CPO courses, and two example
 * API tokens exist — iGO's roster sync (credits:write, limited to it) and a read-only reporting
 * token. Their secrets are made and thrown away: a token's secret is shown once, at creation.
 */
export async function loadDemoIntegrations(tx: Tx, sponsoredCourseIds: string[], now: Date): Promise<void> {
  const provider = await tx
    .insertInto('provider')
    .values({ name: 'iGO Professional Education' })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!provider) return;
  if (sponsoredCourseIds.length)
    await tx
      .updateTable('course')
      .set({ provider_id: provider.id })
      .where('id', 'in', sponsoredCourseIds)
      .execute();
  const day = 86_400_000;
  const token = (name: string, scopes: string[], providerId: string | null, ageDays: number) => {
    const secret = `${TOKEN_PREFIX}${newToken()}`;
    return {
      name,
      token_hash: hashToken(secret),
      hint: secret.slice(0, TOKEN_PREFIX.length + 4),
      scopes,
      provider_id: providerId,
      created_at: new Date(now.getTime() - ageDays * day).toISOString(),
      expires_at: new Date(now.getTime() + (365 - ageDays) * day).toISOString(),
      created_by: null,
      revoked_at: null,
      revoked_by: null,
      last_used_at: null,
      last_used_ip: null,
    };
  };
  await tx
    .insertInto('api_token')
    .values([
      token('iGO LMS roster sync', ['credits:write'], provider.id, 20),
      token('State reporting dashboard', ['reports:read'], null, 45),
    ])
    .execute();
}
