import { sql, type Kysely } from 'kysely';

// Forward-only. County supervisors (issue 17, item 3): a role scoped to one or more counties. A
// county clerk sees the officials of their counties, their progress and transcripts, and
// registers them for sessions; the counties are kept per account.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table user_account drop constraint user_account_roles_check;
    alter table user_account add constraint user_account_roles_check
      check (roles <@ array['administrator','coordinator','reviewer','instructor','supervisor','official']::text[]);
    create table supervisor_county (
      user_id uuid not null references user_account (id) on delete cascade,
      jurisdiction_fips text not null references jurisdiction (fips),
      primary key (user_id, jurisdiction_fips)
    );
  `.execute(db);
}
