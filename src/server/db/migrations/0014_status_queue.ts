import { sql, type Kysely } from 'kysely';

// Forward-only. Status is maintained, not recomputed every minute (issue 14, section 2).
// Certification status depends on a person's facts and on the day in the program's zone, nothing
// finer: every writer of facts recomputes at once (the change hook), and the rest queues people
// here. status_due holds who must be evaluated again; the sweep takes them in batches, deleting
// the rows in the transaction that stores the new status, so a crash loses nothing.
// status_day records, per program, the day for which everyone was queued: the first sweep of each
// new day in the program's zone queues everyone once, and seats_checked_at the instant up to which
// sessions that started (a confirmed seat stops counting as upcoming) have been queued.
// certification_status.apply_by stores the application deadline of an eligible person's ceremony,
// so the eligible list is read from the cache instead of evaluating everyone.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table status_due (
      program_id uuid not null references program(id) on delete cascade,
      person_id uuid not null references person(id) on delete cascade,
      reason text not null,
      queued_at timestamptz not null default now(),
      primary key (program_id, person_id)
    );
    create table status_day (
      program_id uuid primary key references program(id) on delete cascade,
      queued_on date,
      seats_checked_at timestamptz,
      -- A whole-program run (a new day, new rules): how many were queued, for progress.
      run_reason text,
      run_total integer not null default 0,
      run_started_at timestamptz
    );
    alter table certification_status add column apply_by date;
  `.execute(db);
}
