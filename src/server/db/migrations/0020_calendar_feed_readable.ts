import { sql, type Kysely } from 'kysely';

// Forward-only. A private calendar feed's address can be shown again (issue 16 item 5): the token
// is kept sealed (AES-256-GCM under SECRETS_KEY, as the two-step sign-in secrets are) beside its
// hash, so a second device can subscribe without replacing the address the first one uses. The
// hash stays the lookup key. Feeds made before this have no sealed token: their address works but
// cannot be shown; replacing it makes one that can.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table calendar_feed add column token_sealed text`.execute(db);
}
