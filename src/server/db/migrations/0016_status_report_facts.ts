import { sql, type Kysely } from 'kysely';

// Forward-only. The people-based reports (pilot cohort, funnel, renewal compliance) read the status
// cache as of today instead of evaluating everyone per request (issue 14, section 2). Each cached
// status keeps the few figures those reports show (report_facts: the deadline states, initial
// progress, whether ever awarded, the renewal state and its dates), written by the same recompute
// that writes the status. Rows cached before this migration have none: everyone is queued for the
// sweep, which fills them in within minutes; until then a report evaluates the people it lacks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table certification_status add column report_facts jsonb;
    insert into status_due (program_id, person_id, reason)
      select program_id, person_id, 'report figures stored' from certification_status
      on conflict do nothing;
  `.execute(db);
}
