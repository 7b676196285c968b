import { sql, type Kysely } from 'kysely';

// Forward-only. The report pages count in PostgreSQL close to a grouped count over the status cache
// (issue 14, "Report pages counted in SQL"; docs/performance.md, 5 December 2026).
//
// 1. The few figures of `report_facts` that the counts read for every official become columns
//    PostgreSQL derives itself (stored generated columns, so no writer can forget them): whether
//    the figures are there at all, whether the official was ever awarded, and their renewal state.
//    A join of the cache then carries a few bytes per official instead of the whole JSON.
// 2. The cache in person order within a program, carrying those columns and the status, and the
//    active enrollments in the same order: the report counts and lists match officials to their
//    cached rows with a merge of two index-only scans instead of hashing the program's rows.
// 3. Renewals due reads what it lists from the cache too (`report_facts.openCycle`: the award, due
//    date, end of grace and what is missing), instead of evaluating the page. Rows cached before
//    this migration lack it: the ones that can have a renewal to complete are queued for the sweep,
//    which stores it within minutes; until then renewals due evaluates the rows of its page that lack it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table certification_status
      add column facts_known boolean generated always as (report_facts is not null) stored,
      add column ever_awarded boolean
        generated always as (coalesce((report_facts->>'awarded')::boolean, false)) stored,
      add column renewal_state text generated always as (report_facts->'renewal'->>'state') stored;
    create index certification_status_program_person_idx on certification_status (program_id, person_id)
      include (status, facts_known, ever_awarded, renewal_state);
    create index enrollment_active_idx on enrollment (program_id, person_id)
      include (enrolled_on) where status = 'active';
    insert into status_due (program_id, person_id, reason)
      select program_id, person_id, 'renewal figures stored' from certification_status
       where status in ('certified', 'renewal_due', 'lapsed')
      on conflict do nothing;
  `.execute(db);
}
