import { sql, type Kysely } from 'kysely';

// Forward-only. Coordinators scoped to counties or programs (issue 17, item 3). The counties an
// account is limited to serve both roles that take them: a county supervisor's counties (at least
// one) and a regional coordinator's (none means statewide), so the table supervisor_county (0029)
// becomes account_county. A coordinator may also be limited to some programs (none means every
// program), as reviewers are through program_reviewer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table supervisor_county rename to account_county`.execute(db);
  await sql`alter index supervisor_county_pkey rename to account_county_pkey`.execute(db);
  await sql`
    create table coordinator_program (
      user_id uuid not null references user_account (id) on delete cascade,
      program_id uuid not null references program (id) on delete cascade,
      primary key (user_id, program_id)
    )
  `.execute(db);
}
