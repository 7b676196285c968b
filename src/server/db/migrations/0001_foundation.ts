import { sql, type Kysely } from 'kysely';

// Forward-only. Never edit a migration that has shipped; add a new one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table jurisdiction (
      fips text primary key check (fips ~ '^[0-9]{2}([0-9]{3})?$'),
      kind text not null check (kind in ('state', 'county')),
      name text not null,
      state_fips text not null,
      state_code text not null,
      state_name text not null
    );
    create index jurisdiction_state_idx on jurisdiction (state_fips, kind, name);

    create table person (
      id uuid primary key default gen_random_uuid(),
      external_id text unique,
      first_name text not null check (length(first_name) between 1 and 100),
      last_name text not null check (length(last_name) between 1 and 100),
      preferred_name text,
      email text not null check (email = lower(email)),
      phone text,
      title text,
      jurisdiction_fips text references jurisdiction (fips),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index person_email_key on person (email);
    create index person_jurisdiction_idx on person (jurisdiction_fips);
    create index person_name_idx on person (lower(last_name), lower(first_name));

    create table user_account (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null unique references person (id),
      password_hash text,
      roles text[] not null default '{}'
        check (roles <@ array['administrator','coordinator','reviewer','instructor','official']::text[]),
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      password_changed_at timestamptz,
      last_sign_in_at timestamptz
    );
    create index user_account_roles_idx on user_account using gin (roles);

    create table auth_session (
      id text primary key,
      user_id uuid not null references user_account (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    );
    create index auth_session_user_idx on auth_session (user_id);

    create table password_token (
      token_hash text primary key,
      user_id uuid not null references user_account (id) on delete cascade,
      purpose text not null check (purpose in ('set', 'reset')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table sign_in_attempt (
      id bigserial primary key,
      email text not null,
      ip text not null,
      at timestamptz not null default now(),
      succeeded boolean not null
    );
    create index sign_in_attempt_email_idx on sign_in_attempt (email, at);
    create index sign_in_attempt_ip_idx on sign_in_attempt (ip, at);

    create table email_message (
      id uuid primary key default gen_random_uuid(),
      created_at timestamptz not null default now(),
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text,
      attachments jsonb not null default '[]',
      kind text not null,
      status text not null check (status in ('queued', 'sent', 'stored', 'failed')),
      attempts integer not null default 0,
      sent_at timestamptz,
      error text
    );
    create index email_message_created_idx on email_message (created_at desc);
    create index email_message_status_idx on email_message (status) where status = 'queued';

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_user_id uuid,
      actor_label text not null,
      action text not null,
      entity_type text not null,
      entity_id text,
      before jsonb,
      after jsonb,
      request_id text
    );
    create index audit_log_at_idx on audit_log (at desc);
    create index audit_log_entity_idx on audit_log (entity_type, entity_id);
    create index audit_log_action_idx on audit_log (action);

    create table app_meta (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
