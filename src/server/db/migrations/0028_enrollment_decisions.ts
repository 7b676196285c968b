import { sql, type Kysely } from 'kysely';

// Forward-only. Enrollment requests are decided like account requests (issue 17, item 2): who
// decided and when, and a declined request keeps its reason. A declined request no longer holds
// the person's place in the program, so they can ask again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table enrollment
      add column decided_at timestamptz,
      add column decided_by uuid references user_account (id),
      add column decline_reason text;
    alter table enrollment drop constraint enrollment_status_check;
    alter table enrollment add constraint enrollment_status_check
      check (status in ('requested', 'active', 'withdrawn', 'declined'));
    alter table enrollment add constraint enrollment_declined_reason
      check ((status = 'declined') = (decline_reason is not null));
    drop index enrollment_open_key;
    create unique index enrollment_open_key on enrollment (program_id, person_id)
      where status not in ('withdrawn', 'declined');
    create index enrollment_requested_idx on enrollment (requested_at) where status = 'requested';
  `.execute(db);
}
