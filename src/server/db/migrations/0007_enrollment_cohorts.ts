import { sql, type Kysely } from 'kysely';

// Reports (issue 7): an enrollment names the cohorts the official belongs to
// (ids from the program definition's `cohorts`, e.g. `pilot-2024`). The rules
// engine holds people to cohort-only requirements and deadlines from this list.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table enrollment add column cohorts text[] not null default '{}';
    create index enrollment_cohorts_idx on enrollment using gin (cohorts);
  `.execute(db);
}
