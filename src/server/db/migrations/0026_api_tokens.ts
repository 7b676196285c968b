import { sql, type Kysely } from 'kysely';

// Forward-only. API tokens and training providers (issue 17, items 5 and 7). An administrator
// creates a token for an integration: named, with scopes, an expiry, and optionally limited to
// one training provider. Only the SHA-256 of the secret is kept. A provider is the organisation
// that gives a sponsored course; a `credits:write` token limited to it posts rosters only for the
// sessions of its courses.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table provider (
      id uuid primary key default gen_random_uuid(),
      name text not null unique check (length(name) between 1 and 200),
      created_at timestamptz not null default now()
    );
    alter table course add column provider_id uuid references provider (id);
    create index course_provider on course (provider_id) where provider_id is not null;
    create table api_token (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 100),
      token_hash text not null unique,
      -- The first characters of the secret, shown so a person can tell tokens apart.
      hint text not null,
      scopes text[] not null check (cardinality(scopes) > 0),
      provider_id uuid references provider (id),
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      created_by uuid references user_account (id),
      revoked_at timestamptz,
      revoked_by uuid references user_account (id),
      last_used_at timestamptz,
      last_used_ip text
    );
    create index api_token_created on api_token (created_at);
  `.execute(db);
}
