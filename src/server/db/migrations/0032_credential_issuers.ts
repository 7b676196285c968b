import { sql, type Kysely } from 'kysely';

// Forward-only. Verifiable credentials (issue 18, items 1-3).
// - program_issuer: what a program's credentials and documents name as their issuer. Every column
//   may be null: null means the default (the program definition's issuing body, then the
//   deployment's organization and public URL), so a row exists only once someone sets a value or
//   a key is made.
// - issuer_key: the Ed25519 signing keys of a program's issuer. The private key is sealed with
//   SECRETS_KEY (src/server/secrets.ts, ADR 0011); the public key is the Multikey value published
//   in the issuer's DID document. Rotation adds a key; old keys stay so earlier proofs verify.
//   The newest key signs.
// - credential_status: the one Bitstring Status List index of an award's credential within its
//   program's lists. Indexes are drawn at random from the whole list and never reused (the
//   unique constraint decides a race; the row is never deleted).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table program_issuer (
      program_id uuid primary key references program (id) on delete cascade,
      name text check (length(name) between 1 and 200),
      url text check (length(url) between 1 and 500),
      logo_url text check (length(logo_url) between 1 and 500),
      updated_at timestamptz not null default now()
    );
    create table issuer_key (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id) on delete cascade,
      key_number integer not null check (key_number >= 1),
      public_key_multibase text not null,
      private_key_sealed text not null,
      created_at timestamptz not null default now(),
      unique (program_id, key_number)
    );
    create table credential_status (
      award_id uuid primary key references award (id),
      program_id uuid not null references program (id),
      list_index integer not null check (list_index >= 0),
      created_at timestamptz not null default now(),
      unique (program_id, list_index)
    );
  `.execute(db);
}
