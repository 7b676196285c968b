import { sql, type Kysely } from 'kysely';

// Forward-only. Account requests (issue 17, item 2): someone without an account asks for one from
// the public pages; a coordinator approves (an official's account is created and the set-password
// e-mail sent) or declines with a reason. At most one request per address waits at a time.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table account_request (
      id uuid primary key default gen_random_uuid(),
      first_name text not null,
      last_name text not null,
      email text not null,
      jurisdiction_fips text not null references jurisdiction (fips),
      position text not null,
      note text,
      status text not null default 'pending' check (status in ('pending', 'approved', 'declined')),
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by uuid references user_account (id),
      decline_reason text,
      person_id uuid references person (id),
      check ((status = 'pending') = (decided_at is null))
    );
    create unique index account_request_pending_email on account_request (email) where status = 'pending';
    create index account_request_status_created on account_request (status, created_at);
  `.execute(db);
}
