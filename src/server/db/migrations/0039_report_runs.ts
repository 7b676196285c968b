import { sql, type Kysely } from 'kysely';

// Forward-only. Reports as of a day other than today, prepared once in the background and then
// read like the status cache (issue 14: "reports never evaluate everyone per request"; ADR 0039).
//
// - report_run: one prepared evaluation of a program's officials as of one day (in the program's
//   zone). A new preparation of the same day supersedes the last once it is finished (readers
//   keep reading the older one meanwhile; superseded runs are deleted some minutes later), and
//   the run keeps the database snapshot it began with. It goes through the program's
//   officials (`report_official` rows counting by then) in person id order, a batch at a time:
//   `after_person` is where the next batch starts, `done` of `total` its progress.
// - report_run_official: one row per official of the run, shaped like `report_official` (the day
//   they count from, cohorts, name and jurisdiction as they were when prepared) with the status and
//   report figures the rules engine gave as of the day. The columns the counts group by are
//   derived by PostgreSQL from the figures, as on the status cache (migration 0037), and the
//   indexes are those of report_official (0038) with the run in place of the program, so the
//   report pages read a run with the same queries and plans as today's cache.
// - certification_status.inputs_xid: the transaction that last changed an official's records,
//   enrollment, awards or rules, so `changedSince` counts the officials changed after a run's
//   snapshot (not only re-evaluated because the day moved).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_run (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references program (id) on delete cascade,
      as_of date not null,
      requested_by uuid references user_account (id) on delete set null,
      started_at timestamptz not null,
      finished_at timestamptz,
      failed text,
      total integer not null check (total >= 0),
      done integer not null default 0 check (done >= 0),
      after_person uuid,
      snapshot pg_snapshot not null,
      superseded_at timestamptz
    );
    create index report_run_day_idx on report_run (program_id, as_of, started_at desc);
    create table report_run_official (
      run_id uuid not null references report_run (id) on delete cascade,
      person_id uuid not null references person (id) on delete cascade,
      official_from date not null,
      cohorts text[] not null,
      last_name text not null,
      first_name text not null,
      jurisdiction_fips text,
      status text not null,
      report_facts jsonb not null,
      facts_known boolean generated always as (report_facts is not null) stored,
      ever_awarded boolean generated always as (coalesce((report_facts->>'awarded')::boolean, false)) stored,
      renewal_state text generated always as (report_facts->'renewal'->>'state') stored,
      primary key (run_id, person_id)
    );
    create index report_run_official_renewal_idx
      on report_run_official (run_id, renewal_state, last_name, first_name, person_id)
      include (official_from, facts_known);
    create index report_run_official_renewed_idx on report_run_official (run_id, last_name, first_name, person_id)
      include (official_from) where renewal_state is not null;
    create index report_run_official_county_idx
      on report_run_official (run_id, jurisdiction_fips, last_name, first_name, person_id)
      include (official_from, status, facts_known, ever_awarded);
    create index report_run_official_cohort_idx on report_run_official (run_id, last_name, first_name, person_id)
      include (official_from, cohorts) where cohorts <> '{}';
    create index report_run_official_person_idx on report_run_official (person_id);
    -- Whether a run is out of date: the officials whose records, enrollment, awards or rules
    -- changed in a transaction the run's snapshot does not see (the sweep's day-only
    -- re-evaluations leave the stamp as it was), counted through an index from the snapshot's xmin.
    alter table certification_status add column inputs_xid xid8;
    create index certification_status_inputs_idx on certification_status (program_id, inputs_xid);
    -- A prepared run counts officials by the county and name they had: an edit of either stamps
    -- the person's cached statuses too, so the runs that counted them know.
    create function certification_status_person_edited() returns trigger language plpgsql as $$
    begin
      update certification_status set inputs_xid = pg_current_xact_id() where person_id = new.id;
      return null;
    end $$;
    create trigger certification_status_person_edited after update of last_name, first_name, jurisdiction_fips on person
      for each row when ((old.last_name, old.first_name, old.jurisdiction_fips)
                         is distinct from (new.last_name, new.first_name, new.jurisdiction_fips))
      execute function certification_status_person_edited();
  `.execute(db);
}
