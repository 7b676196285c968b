import { sql, type Kysely } from 'kysely';

// Forward-only. OpenID Connect sign-in (issue 17, item 1).
// - external_identity: an account's link to a provider's subject (`sub`), made on a first sign-in
//   by verified e-mail, by just-in-time creation, or by an administrator by hand. One link per
//   provider per account.
// - oidc_sign_in: a sign-in under way, keyed by the SHA-256 of its `state`: the PKCE verifier and
//   nonce stay on the server; used once. While it waits for the local authenticator code (a
//   provider that did not assert MFA), it holds the account and the ID token.
// - auth_session: which provider opened the session, its ID token (for RP-initiated logout), and
//   whether the provider's own two-step sign-in stands in for the local one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table external_identity (
      id uuid primary key default gen_random_uuid(),
      provider text not null check (length(provider) between 1 and 40),
      subject text not null check (length(subject) between 1 and 255),
      user_id uuid not null references user_account (id) on delete cascade,
      email text,
      linked_by text not null check (linked_by in ('email', 'jit', 'administrator')),
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      unique (provider, subject),
      unique (provider, user_id)
    );
    create index external_identity_user on external_identity (user_id);
    create table oidc_sign_in (
      state_hash text primary key,
      provider text not null,
      code_verifier text not null,
      nonce text not null,
      return_to text not null default '/',
      user_id uuid references user_account (id) on delete cascade,
      id_token text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    alter table auth_session
      add column oidc_provider text,
      add column oidc_id_token text,
      add column provider_mfa boolean not null default false;
  `.execute(db);
}
