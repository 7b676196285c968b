import { sql, type Kysely } from 'kysely';

// Forward-only. The last lists over 10× their floor at 100,000 officials (issue 14, ADR 0041;
// docs/performance.md, "Last endpoints within 10x", 5 December 2026).
//
// 1. `report_official_tally` holds how many of a program's officials are in each renewal state, as
//    deltas: statement triggers on `report_official` append one row per (program, state) a statement
//    changed, with the net change, and never update a row, so concurrent writers never wait on
//    each other or deadlock over a counter. The total of the renewal officials' list is the sum of
//    the program's rows (a handful: the sweep folds them together, `foldReportTally`), less the
//    few certified officials whose day is still to come (`report_official_future_idx`), instead of
//    an index-only count of every certified official (23,298 entries, about 5 ms, at 100,000).
// 2. The eligible list's first page (also on the administrator dashboard) read every eligible row
//    (42,259 at 100,000) to sort them by date: two partial indexes in its order, for all programs
//    and for one, let it stop after a page.
// 3. The dashboard's failed e-mails: a partial index, so the few are found without reading every
//    message.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_official_tally (
      program_id uuid not null,
      renewal_state text not null,
      n integer not null
    );
    create index report_official_tally_idx on report_official_tally (program_id, renewal_state) include (n);

    create function report_official_tallied() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into report_official_tally (program_id, renewal_state, n)
        select program_id, renewal_state, count(*) from added where renewal_state is not null group by 1, 2;
      elsif tg_op = 'DELETE' then
        insert into report_official_tally (program_id, renewal_state, n)
        select program_id, renewal_state, -count(*) from removed where renewal_state is not null group by 1, 2;
      else
        insert into report_official_tally (program_id, renewal_state, n)
        select program_id, renewal_state, sum(d)
          from (select program_id, renewal_state, 1 as d from added
                union all
                select program_id, renewal_state, -1 from removed) x
         where renewal_state is not null
         group by 1, 2
        having sum(d) <> 0;
      end if;
      return null;
    end $$;
    create trigger report_official_tally_insert after insert on report_official
      referencing new table as added for each statement execute function report_official_tallied();
    create trigger report_official_tally_update after update on report_official
      referencing old table as removed new table as added for each statement execute function report_official_tallied();
    create trigger report_official_tally_delete after delete on report_official
      referencing old table as removed for each statement execute function report_official_tallied();
    create function report_official_tally_truncated() returns trigger language plpgsql as $$
    begin
      -- TRUNCATE, not DELETE: it waits for a fold under way and then clears the sums it wrote too.
      truncate report_official_tally;
      return null;
    end $$;
    create trigger report_official_tally_truncate after truncate on report_official
      for each statement execute function report_official_tally_truncated();

    insert into report_official_tally (program_id, renewal_state, n)
    select program_id, renewal_state, count(*) from report_official where renewal_state is not null group by 1, 2;

    -- The certified officials who are not yet officials on a day (an enrollment or award dated
    -- later): usually none, found without reading the others.
    create index report_official_future_idx on report_official (program_id, official_from)
      include (renewal_state) where renewal_state is not null;

    create index certification_status_eligible_idx on certification_status (eligible_on nulls first)
      where status = 'eligible';
    create index certification_status_program_eligible_idx
      on certification_status (program_id, eligible_on nulls first) where status = 'eligible';

    -- The administrator dashboard's failed e-mails, newest first, and their number: without it,
    -- both read every message (42,619 after the first recompute at 100,000 officials).
    create index email_message_failed_idx on email_message (created_at desc, id) where status = 'failed';
  `.execute(db);
}
