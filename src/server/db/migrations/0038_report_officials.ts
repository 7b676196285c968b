import { sql, type Kysely } from 'kysely';

// Forward-only. The lists of a report's officials (a county's officials, a cohort's members, the
// certified officials by renewal state) read one page as one index range scan (issue 14, ADR 0038;
// docs/performance.md, "The report's officials one index range away", 5 December 2026).
//
// `report_official` holds one row per official of a program (an active enrollment, or without one
// an award of the program) with what those lists filter and sort by: the day from which they are
// an official (`official_from`: the enrollment's date, '-infinity' without one, else the earliest
// award), the enrollment's cohorts, the person's name and jurisdiction, and the cached status
// columns (status, whether figures are stored, ever awarded, renewal state; null/false without a
// cached row). The report counts group over it too.
// Nothing in the application writes it: triggers on enrollment, award, certification_status and
// person recompute a row with `report_official_refresh` whenever what it is made of changes, so no
// writer can forget it. The reports still read the figures themselves (`report_facts`) and the
// person from their tables, for the page's rows only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_official (
      program_id uuid not null references program (id),
      person_id uuid not null references person (id),
      official_from date not null,
      cohorts text[] not null,
      last_name text not null,
      first_name text not null,
      jurisdiction_fips text,
      status text,
      facts_known boolean not null,
      ever_awarded boolean not null,
      renewal_state text,
      primary key (program_id, person_id)
    );

    create function report_official_refresh(p uuid, q uuid) returns void language plpgsql as $$
    begin
      insert into report_official (program_id, person_id, official_from, cohorts, last_name, first_name,
                                   jurisdiction_fips, status, facts_known, ever_awarded, renewal_state)
      select p, q, w.official_from, w.cohorts, pe.last_name, pe.first_name, pe.jurisdiction_fips,
             s.status, coalesce(s.facts_known, false), coalesce(s.ever_awarded, false), s.renewal_state
        from (select coalesce(e.enrolled_on, '-infinity'::date) as official_from, e.cohorts
                from enrollment e where e.program_id = p and e.person_id = q and e.status = 'active'
              union all
              select min(a.awarded_on), array[]::text[] from award a
               where a.program_id = p and a.person_id = q
                 and not exists (select 1 from enrollment e
                                  where e.program_id = p and e.person_id = q and e.status = 'active')
              having count(*) > 0
               limit 1) w
        join person pe on pe.id = q
        left join certification_status s on s.person_id = q and s.program_id = p
      on conflict (program_id, person_id) do update
        set official_from = excluded.official_from, cohorts = excluded.cohorts,
            last_name = excluded.last_name, first_name = excluded.first_name,
            jurisdiction_fips = excluded.jurisdiction_fips, status = excluded.status,
            facts_known = excluded.facts_known, ever_awarded = excluded.ever_awarded,
            renewal_state = excluded.renewal_state;
      if not found then
        delete from report_official where program_id = p and person_id = q;
      end if;
    end $$;

    create function report_official_changed() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        perform report_official_refresh(old.program_id, old.person_id);
      end if;
      if tg_op in ('INSERT', 'UPDATE')
         and (tg_op = 'INSERT' or new.program_id <> old.program_id or new.person_id <> old.person_id) then
        perform report_official_refresh(new.program_id, new.person_id);
      end if;
      return null;
    end $$;
    -- Each table's rows refresh what they feed when they come or go, and on an update only when a
    -- column the lists read changed: the sweep rewrites a status row every time (computed_at, the
    -- next transition), and most of those writes change nothing here.
    create trigger report_official_enrollment after insert or delete on enrollment
      for each row execute function report_official_changed();
    create trigger report_official_enrollment_update after update on enrollment
      for each row when ((old.status, old.enrolled_on, old.cohorts, old.program_id, old.person_id)
                         is distinct from (new.status, new.enrolled_on, new.cohorts, new.program_id, new.person_id))
      execute function report_official_changed();
    create trigger report_official_award after insert or delete on award
      for each row execute function report_official_changed();
    create trigger report_official_award_update after update on award
      for each row when ((old.awarded_on, old.program_id, old.person_id)
                         is distinct from (new.awarded_on, new.program_id, new.person_id))
      execute function report_official_changed();
    create trigger report_official_status after insert or delete on certification_status
      for each row execute function report_official_changed();
    create trigger report_official_status_update after update on certification_status
      for each row when ((old.status, old.facts_known, old.ever_awarded, old.renewal_state, old.program_id, old.person_id)
                         is distinct from (new.status, new.facts_known, new.ever_awarded, new.renewal_state,
                                           new.program_id, new.person_id))
      execute function report_official_changed();

    create function report_official_person_changed() returns trigger language plpgsql as $$
    begin
      update report_official
         set last_name = new.last_name, first_name = new.first_name, jurisdiction_fips = new.jurisdiction_fips
       where person_id = new.id;
      return null;
    end $$;
    create trigger report_official_person after update of last_name, first_name, jurisdiction_fips on person
      for each row when ((old.last_name, old.first_name, old.jurisdiction_fips)
                         is distinct from (new.last_name, new.first_name, new.jurisdiction_fips))
      execute function report_official_person_changed();

    -- The whole table from its sources, set-based (the rule of report_official_refresh for everyone):
    -- the migration's fill, and after a TRUNCATE of a source table, which row triggers do not see.
    create function report_official_rebuild() returns void language plpgsql as $$
    begin
      delete from report_official;
      insert into report_official (program_id, person_id, official_from, cohorts, last_name, first_name,
                                   jurisdiction_fips, status, facts_known, ever_awarded, renewal_state)
      select w.program_id, w.person_id, w.official_from, w.cohorts, pe.last_name, pe.first_name,
             pe.jurisdiction_fips, s.status, coalesce(s.facts_known, false), coalesce(s.ever_awarded, false),
             s.renewal_state
        from (select e.program_id, e.person_id, coalesce(e.enrolled_on, '-infinity'::date) as official_from,
                     e.cohorts
                from enrollment e where e.status = 'active'
              union all
              select a.program_id, a.person_id, min(a.awarded_on), array[]::text[]
                from award a
               where not exists (select 1 from enrollment e where e.program_id = a.program_id
                                    and e.person_id = a.person_id and e.status = 'active')
               group by a.program_id, a.person_id) w
        join person pe on pe.id = w.person_id
        left join certification_status s on s.person_id = w.person_id and s.program_id = w.program_id;
    end $$;
    create function report_official_truncated() returns trigger language plpgsql as $$
    begin
      perform report_official_rebuild();
      return null;
    end $$;
    create trigger report_official_enrollment_truncate after truncate on enrollment
      for each statement execute function report_official_truncated();
    create trigger report_official_award_truncate after truncate on award
      for each statement execute function report_official_truncated();
    create trigger report_official_status_truncate after truncate on certification_status
      for each statement execute function report_official_truncated();

    select report_official_rebuild();

    -- One index per list, each in the lists' order (name, then person) and with the day the row
    -- counts from, so a page is a range scan and its total an index-only count. The report counts
    -- group the county and renewal indexes (which include what they count) without reading the table.
    create index report_official_renewal_idx
      on report_official (program_id, renewal_state, last_name, first_name, person_id)
      include (official_from, facts_known);
    create index report_official_renewed_idx on report_official (program_id, last_name, first_name, person_id)
      include (official_from) where renewal_state is not null;
    create index report_official_county_idx
      on report_official (program_id, jurisdiction_fips, last_name, first_name, person_id)
      include (official_from, status, facts_known, ever_awarded);
    create index report_official_cohort_idx on report_official (program_id, last_name, first_name, person_id)
      include (official_from, cohorts) where cohorts <> '{}';
    create index report_official_person_idx on report_official (person_id);
    create index report_official_unknown_idx on report_official (program_id) where not facts_known;
  `.execute(db);
}
