import { sql, type Kysely } from 'kysely';

// Two-step sign-in (TOTP) for staff: the confirmed secret, a secret being set
// up, when it was turned on, the last accepted time step (a code works once),
// and single-use recovery codes kept as SHA-256 hashes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table user_account
      add column totp_secret text,
      add column totp_pending_secret text,
      add column totp_enabled_at timestamptz,
      add column totp_last_counter bigint;

    create table recovery_code (
      user_id uuid not null references user_account (id) on delete cascade,
      code_hash text not null,
      created_at timestamptz not null default now(),
      used_at timestamptz,
      primary key (user_id, code_hash)
    );
  `.execute(db);
}
