import { sql, type Kysely } from 'kysely';

// Forward-only. Certificate designs per program (issue 18, item 6; ADR 0027).
// - certificate_image: a PNG a design draws (logo, seal, signature), stored as bytes once per
//   program and content (sha256), checked by decoding (at most 512 KB as uploaded)
//   and stored re-encoded as plain 8-bit RGBA (what the PDF writer draws without surprises).
// - certificate_design: one row per saved version of a program's design; a save adds a version,
//   nothing is updated or deleted, so a certificate keeps rendering with the version it names.
// - award.certificate_design_id: the design version an award was issued with; null means the
//   program's default design (no version saved when it was issued).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table certificate_image (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id),
      content_type text not null check (content_type = 'image/png'),
      size_bytes integer not null check (size_bytes > 0 and size_bytes <= 4194304),
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      sha256 text not null,
      content bytea not null,
      created_at timestamptz not null default now(),
      unique (program_id, sha256)
    );
    create table certificate_design (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id),
      version integer not null check (version >= 1),
      heading text not null check (length(heading) between 1 and 120),
      intro_line text not null check (length(intro_line) between 1 and 120),
      met_line text not null check (length(met_line) between 1 and 160),
      designation_line text not null check (length(designation_line) between 1 and 160),
      primary_color text not null check (primary_color ~ '^#[0-9a-f]{6}$'),
      accent_color text not null check (accent_color ~ '^#[0-9a-f]{6}$'),
      border text not null check (border in ('double', 'single', 'ornate', 'none')),
      logo_image_id uuid references certificate_image (id),
      seal_image_id uuid references certificate_image (id),
      signer1_name text check (length(signer1_name) between 1 and 100),
      signer1_title text check (length(signer1_title) between 1 and 100),
      signer1_signature_image_id uuid references certificate_image (id),
      signer2_name text check (length(signer2_name) between 1 and 100),
      signer2_title text check (length(signer2_title) between 1 and 100),
      signer2_signature_image_id uuid references certificate_image (id),
      created_at timestamptz not null default now(),
      created_by uuid references user_account (id),
      unique (program_id, version),
      check (signer2_name is null or signer1_name is not null)
    );
    alter table award add column certificate_design_id uuid references certificate_design (id);
  `.execute(db);
}
