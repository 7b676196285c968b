import { sql, type Kysely } from 'kysely';

// Forward-only. The sweep evaluates only the officials whose status time can change today
// (issue 14, section 2; ADR 0017). Each cached status keeps next_transition_on: the first day in
// the program's zone on which a date of the evaluation (a due date, the end of grace or of
// reinstatement, a reminder, a deadline, an award or record dated ahead …) could change what it
// says with no new fact, capped by the safety net (at most 28 days ahead). The sweep queues the
// rows whose day has come through the index below, instead of everyone at each new day.
// Rows cached before this migration were computed without it: each is due the day after it was
// computed, so the first sweep after the upgrade evaluates them once and fills the column in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table certification_status add column next_transition_on date;
    update certification_status s
      set next_transition_on = (s.computed_at at time zone p.time_zone)::date + 1
      from program p where p.id = s.program_id;
    alter table certification_status alter column next_transition_on set not null;
    create index certification_status_next_transition_idx
      on certification_status (program_id, next_transition_on);
  `.execute(db);
}
