import { sql, type Kysely } from 'kysely';

// A change of sign-in e-mail waits for confirmation from the new address: one
// row per e-mailed single-use link (its SHA-256 hash), voided by a newer one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table email_change (
      token_hash text primary key,
      person_id uuid not null references person (id) on delete cascade,
      new_email text not null check (new_email = lower(new_email)),
      requested_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      confirmed_at timestamptz
    );
    create index email_change_pending_idx on email_change (person_id) where confirmed_at is null;
  `.execute(db);
}
