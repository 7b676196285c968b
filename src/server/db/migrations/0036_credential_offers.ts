import { sql, type Kysely } from 'kysely';

// Forward-only. Credential offers for a wallet (issue 18, item 5; ADR 0034). A holder asks for a
// QR code; the server keeps one row per code: the SHA-256 of its random token (never the token),
// whose credential it gives (an award's badge, or the person's CLR transcript in a program), when
// it expires and when it was fetched. A code gives its credential once: the fetch sets used_at in
// one UPDATE ... WHERE used_at IS NULL AND expires_at > now. A newer code for the same credential
// ends the older ones (their expires_at is brought forward). Rows expired for a day are deleted as
// new codes are made.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table credential_offer (
      token_hash text primary key,
      kind text not null check (kind in ('award', 'transcript')),
      person_id uuid not null references person (id) on delete cascade,
      award_id uuid references award (id) on delete cascade,
      program_id uuid references program (id) on delete cascade,
      created_by uuid references user_account (id) on delete set null,
      created_at timestamptz not null,
      expires_at timestamptz not null check (expires_at >= created_at),
      used_at timestamptz,
      check (
        (kind = 'award' and award_id is not null and program_id is null)
        or (kind = 'transcript' and program_id is not null and award_id is null)
      )
    );
    create index credential_offer_expires on credential_offer (expires_at);
    create index credential_offer_award on credential_offer (award_id) where award_id is not null;
    create index credential_offer_person on credential_offer (person_id, program_id);
  `.execute(db);
}
