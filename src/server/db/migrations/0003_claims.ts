import { sql, type Kysely } from 'kysely';

// Forward-only. Outside-credit claims with evidence documents (bytes in
// PostgreSQL), their message thread, reviewer assignments per program, the
// link from ledger records to the claim or manual entry they came from, and
// issued transcripts (immutable).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table claim (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      program_id uuid not null references program (id),
      claim_type text not null check (claim_type in ('state-association', 'speaker', 'online-course',
        'webinar', 'professional-development', 'internal-training', 'work-experience', 'college-credit')),
      title text not null,
      provider text not null,
      start_date date not null,
      end_date date not null,
      hours numeric(8, 2) not null check (hours > 0),
      category text not null,
      notes text,
      status text not null check (status in ('draft', 'submitted', 'needs_information', 'approved', 'rejected')),
      missing_evidence jsonb not null default '[]',
      submitted_at timestamptz,
      decided_at timestamptz,
      decided_by uuid references user_account (id),
      approved_amount numeric(8, 2),
      approved_category text,
      decision_reason text,
      fee_cents integer not null default 0 check (fee_cents >= 0),
      fee_status text not null default 'not_required'
        check (fee_status in ('not_required', 'unpaid', 'paid', 'waived')),
      fee_receipt text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (end_date >= start_date),
      check ((status = 'approved') = (approved_amount is not null))
    );
    create index claim_person_idx on claim (person_id, created_at);
    create index claim_queue_idx on claim (submitted_at) where status = 'submitted';

    create table claim_document (
      id uuid primary key default gen_random_uuid(),
      claim_id uuid not null references claim (id),
      kind text not null check (kind in ('description', 'certificate', 'registration',
        'supervisor-confirmation', 'college-transcript', 'other')),
      filename text not null,
      content_type text not null check (content_type in ('application/pdf', 'image/png', 'image/jpeg')),
      size_bytes integer not null check (size_bytes > 0 and size_bytes <= 10485760),
      sha256 text not null,
      content bytea not null,
      uploaded_at timestamptz not null,
      uploaded_by uuid references user_account (id)
    );
    create index claim_document_claim_idx on claim_document (claim_id);

    create table claim_message (
      id bigint generated always as identity primary key,
      claim_id uuid not null references claim (id),
      at timestamptz not null,
      author_user_id uuid references user_account (id),
      author_label text not null,
      kind text not null check (kind in ('submitted', 'needs_information', 'request_information',
        'response', 'approved', 'rejected')),
      body text
    );
    create index claim_message_claim_idx on claim_message (claim_id, at);

    create table program_reviewer (
      program_id uuid not null references program (id),
      person_id uuid not null references person (id),
      primary key (program_id, person_id)
    );

    -- Where a ledger record came from when it is not attendance: an approved claim or a staff entry.
    create table credit_source (
      credit_record_id uuid primary key references credit_record (id),
      claim_id uuid references claim (id),
      manual_reason text,
      check ((claim_id is null) <> (manual_reason is null))
    );
    create index credit_source_claim_idx on credit_source (claim_id);

    create table issued_transcript (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      code text not null unique,
      issued_at timestamptz not null,
      issued_by uuid references user_account (id),
      snapshot jsonb not null,
      pdf bytea not null,
      sha256 text not null
    );
    create index issued_transcript_person_idx on issued_transcript (person_id, issued_at);
    create function issued_transcript_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'issued_transcript is immutable: issue a new transcript instead of %', tg_op
        using errcode = 'P0001';
    end $$;
    create trigger issued_transcript_no_change before update or delete on issued_transcript
      for each row execute function issued_transcript_immutable();
  `.execute(db);
}
