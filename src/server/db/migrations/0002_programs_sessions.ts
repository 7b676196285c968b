import { sql, type Kysely } from 'kysely';

// Forward-only. Programs in the database, enrollment with fees, the course
// catalog, events and sessions, registrations with a waitlist, attendance,
// the append-only credit ledger, awards and private calendar feeds.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table program (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (length(code) between 1 and 80),
      name text not null,
      time_zone text not null,
      fee_amount_cents integer not null default 0 check (fee_amount_cents >= 0),
      partial_credit boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table program_version (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id),
      version text not null,
      effective_from date not null,
      definition jsonb not null,
      published boolean not null default false,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, version),
      check (published = (published_at is not null))
    );
    -- At most one draft per program.
    create unique index program_version_draft_key on program_version (program_id) where not published;

    create table enrollment (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id),
      person_id uuid not null references person (id),
      status text not null check (status in ('requested', 'active', 'withdrawn')),
      enrolled_on date,
      pinned_version text,
      fee_amount_cents integer not null default 0 check (fee_amount_cents >= 0),
      fee_status text not null check (fee_status in ('unpaid', 'paid', 'waived', 'invoiced')),
      fee_method text,
      receipt_number text,
      requested_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status <> 'active' or enrolled_on is not null)
    );
    create unique index enrollment_open_key on enrollment (program_id, person_id) where status <> 'withdrawn';
    create index enrollment_person_idx on enrollment (person_id);

    create table award (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id),
      person_id uuid not null references person (id),
      awarded_on date not null,
      number text,
      revoked_on date,
      revoked_reason text,
      created_at timestamptz not null default now()
    );
    create index award_person_idx on award (person_id, program_id);

    create table course (
      id uuid primary key default gen_random_uuid(),
      program_id uuid references program (id),
      code text not null unique,
      title text not null,
      description text not null default '',
      topics text[] not null default '{}',
      credits jsonb not null default '[]',
      sponsored boolean not null default false,
      format text not null check (format in ('in_person', 'webinar', 'online', 'hybrid')),
      duration_minutes integer not null check (duration_minutes > 0),
      requirement_ids text[] not null default '{}',
      renewal boolean not null default false,
      completion_min_percent integer not null default 90 check (completion_min_percent between 1 and 100),
      prerequisites text[] not null default '{}',
      source_type text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index course_title_idx on course (lower(title));

    create table event (
      id uuid primary key default gen_random_uuid(),
      program_id uuid references program (id),
      title text not null,
      description text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table session (
      id uuid primary key default gen_random_uuid(),
      event_id uuid not null references event (id),
      course_id uuid not null references course (id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      time_zone text not null,
      venue text,
      address text,
      webinar_url text,
      capacity integer not null check (capacity > 0),
      minimum integer not null default 0 check (minimum >= 0),
      registration_opens_at timestamptz,
      registration_closes_at timestamptz,
      status text not null default 'scheduled' check (status in ('scheduled', 'full', 'cancelled', 'completed')),
      -- Kept in step with the confirmed registrations under the session's row lock;
      -- the CHECK makes overbooking impossible even if a code path forgot the lock.
      confirmed_count integer not null default 0,
      sequence integer not null default 0,
      checkin_code text not null,
      cancelled_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ends_at > starts_at),
      check (confirmed_count >= 0 and confirmed_count <= capacity)
    );
    create index session_starts_idx on session (starts_at);
    create index session_event_idx on session (event_id);
    create index session_course_idx on session (course_id);

    create table session_instructor (
      session_id uuid not null references session (id),
      person_id uuid not null references person (id),
      primary key (session_id, person_id)
    );
    create index session_instructor_person_idx on session_instructor (person_id);

    create table registration (
      id uuid primary key default gen_random_uuid(),
      session_id uuid not null references session (id),
      person_id uuid not null references person (id),
      status text not null check (status in ('confirmed', 'waitlisted', 'cancelled')),
      -- Tie-breaker for equal join times: the order rows were written under the lock.
      seq bigint generated always as identity,
      joined_at timestamptz not null,
      confirmed_at timestamptz,
      cancelled_at timestamptz,
      cancel_reason text,
      registered_by uuid references user_account (id),
      revision integer not null default 0,
      checked_in_at timestamptz,
      minutes_attended integer check (minutes_attended >= 0),
      attendance_recorded_at timestamptz,
      reminder_sent_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index registration_active_key on registration (session_id, person_id) where status <> 'cancelled';
    create index registration_waitlist_idx on registration (session_id, joined_at, seq) where status = 'waitlisted';
    create index registration_person_idx on registration (person_id);

    create table credit_record (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      program_id uuid not null references program (id),
      amount numeric(8, 2) not null,
      category text not null,
      sponsored boolean not null default false,
      source_type text not null,
      course_code text,
      title text,
      session_id uuid references session (id),
      registration_id uuid references registration (id),
      earned_on date not null,
      status text not null check (status in ('approved', 'pending', 'rejected')),
      reverses_id uuid unique references credit_record (id),
      reason text,
      recorded_at timestamptz not null,
      recorded_by uuid references user_account (id),
      check ((reverses_id is null) = (reason is null)),
      check (reverses_id is not null or amount >= 0)
    );
    create index credit_record_person_idx on credit_record (person_id, program_id);
    create index credit_record_registration_idx on credit_record (registration_id);

    -- The ledger is append-only: corrections are new reversing rows.
    create function credit_record_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'credit_record is append-only: add a reversing record instead of %', tg_op
        using errcode = 'P0001';
    end $$;
    create trigger credit_record_no_update before update or delete on credit_record
      for each row execute function credit_record_append_only();
    create trigger credit_record_no_truncate before truncate on credit_record
      for each statement execute function credit_record_append_only();

    create table calendar_feed (
      person_id uuid primary key references person (id),
      token_hash text not null unique,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}
