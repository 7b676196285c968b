import { sql, type Kysely } from 'kysely';

// Awards (issue 6): the award row becomes an immutable certificate record
// (program version, designation, event, certificate number, name printed,
// expiry); re-issue is a new row that supersedes the old; revocation is its own
// row with a reason; renewal cycles and their outcomes are rows of their own;
// certification_status is a cache recomputed from facts; notices are sent
// once each (unique key); public verification lookups are logged (and the log
// is the rate limiter).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table award
      add column program_version text,
      add column designation text,
      add column event_id uuid references event (id),
      add column certificate_number text,
      add column name_on_certificate text,
      add column issued_on date,
      add column expires_on date,
      add column supersedes_id uuid references award (id),
      add column reason text,
      add column issued_by uuid references user_account (id);
    create unique index award_certificate_number_key on award (certificate_number);
    create unique index award_supersedes_key on award (supersedes_id);
    create sequence award_certificate_seq start 1001;

    create table award_revocation (
      id uuid primary key default gen_random_uuid(),
      award_id uuid not null unique references award (id),
      revoked_on date not null,
      reason text not null check (length(btrim(reason)) > 0),
      revoked_by uuid references user_account (id),
      created_at timestamptz not null default now()
    );

    -- An award never changes, except that the revocation (kept in award_revocation)
    -- is mirrored once into revoked_on / revoked_reason for readers of the award row.
    create function award_immutable() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'awards are never deleted' using errcode = '55000';
      end if;
      if old.revoked_on is not null
         or (to_jsonb(new) - 'revoked_on' - 'revoked_reason') <> (to_jsonb(old) - 'revoked_on' - 'revoked_reason') then
        raise exception 'awards are immutable; re-issue or revoke with a new record' using errcode = '55000';
      end if;
      return new;
    end $$;
    create trigger award_immutable before update or delete on award
      for each row execute function award_immutable();

    create table renewal_cycle (
      id uuid primary key default gen_random_uuid(),
      award_id uuid not null references award (id),
      person_id uuid not null references person (id),
      program_id uuid not null references program (id),
      cycle_index int not null,
      starts_on date not null,
      due_on date not null,
      grace_ends_on date not null,
      reinstate_by date,
      created_at timestamptz not null default now(),
      unique (award_id, starts_on)
    );
    -- Each change of a cycle's state is a new row; nothing is overwritten.
    create table renewal_cycle_event (
      id uuid primary key default gen_random_uuid(),
      cycle_id uuid not null references renewal_cycle (id),
      state text not null,
      completed_on date,
      observed_at timestamptz not null,
      unique (cycle_id, state)
    );

    create table certification_status (
      person_id uuid not null references person (id),
      program_id uuid not null references program (id),
      status text not null,
      award_id uuid references award (id),
      eligible_on date,
      award_year int,
      next_due date,
      lapsed_on date,
      computed_at timestamptz not null,
      primary key (person_id, program_id)
    );
    create index certification_status_status_idx on certification_status (program_id, status);

    create table award_notice (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      program_id uuid not null references program (id),
      kind text not null,
      key text not null,
      sent_at timestamptz not null,
      unique (person_id, program_id, kind, key)
    );

    create table verification_lookup (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      ip text not null,
      kind text not null,
      query text not null,
      results int not null
    );
    create index verification_lookup_ip_at_idx on verification_lookup (ip, at);
  `.execute(db);
}
