import { sql, type Kysely } from 'kysely';

// Forward-only. Reads that scale to a statewide program (issue 14, sections 2 and 4).
//
// 1. The people-based reports (pilot cohort, funnel, renewal compliance) read the status cache as
//    of today instead of evaluating everyone per request. Each cached status keeps the few figures
//    those reports show (report_facts: the deadline states, initial progress, whether ever awarded,
//    the renewal state and its dates), written by the same recompute that writes the status. Rows
//    cached before this migration have none: everyone is queued for the sweep, which fills them in
//    within minutes; until then a report evaluates the people it lacks.
//
// 2. Each credit record keeps the local date it was recorded on, in its program's zone
//    (recorded_on), so an evaluation no longer converts every record's instant per request. A
//    trigger sets it on every insert, so no writer can forget it; a change of a program's zone
//    re-dates its records. The append-only rule now lets exactly that column change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table certification_status add column report_facts jsonb;
    insert into status_due (program_id, person_id, reason)
      select program_id, person_id, 'report figures stored' from certification_status
      on conflict do nothing;

    alter table credit_record add column recorded_on date;
    -- The ledger stays append-only; the one column a row may change is this derived day.
    create or replace function credit_record_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and (to_jsonb(new) - 'recorded_on') = (to_jsonb(old) - 'recorded_on') then
        return new;
      end if;
      raise exception 'credit_record is append-only: add a reversing record instead of %', tg_op
        using errcode = 'P0001';
    end $$;
    update credit_record c set recorded_on = (c.recorded_at at time zone p.time_zone)::date
      from program p where p.id = c.program_id;
    alter table credit_record alter column recorded_on set not null;
    create function credit_record_recorded_on() returns trigger language plpgsql as $$
    begin
      new.recorded_on := (new.recorded_at at time zone
        (select time_zone from program where id = new.program_id))::date;
      return new;
    end $$;
    create trigger credit_record_recorded_on before insert on credit_record
      for each row execute function credit_record_recorded_on();
    create function program_zone_redates_records() returns trigger language plpgsql as $$
    begin
      update credit_record set recorded_on = (recorded_at at time zone new.time_zone)::date
        where program_id = new.id;
      return new;
    end $$;
    create trigger program_zone_redates_records
      after update of time_zone on program
      for each row when (old.time_zone is distinct from new.time_zone)
      execute function program_zone_redates_records();
  `.execute(db);
}
