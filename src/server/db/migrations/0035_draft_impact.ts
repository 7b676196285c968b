import { sql, type Kysely } from 'kysely';

// Forward-only. The impact of a rule change, checked before the draft is published (issue 19,
// item 2; ADR 0029).
// - draft_impact: the one impact run of a program's draft (a new run replaces the last). It names
//   the draft version checked, the day it was checked as of (in the program's zone), when it ran,
//   and the draft's last edit time at the start. Saving the draft again sets stale_at; publishing
//   refuses a draft whose impact is missing, unfinished, failed or stale. The run goes through the
//   active enrollments in person id order, a batch at a time: `after_person` is where the next
//   batch starts, `done` and `total` are its progress.
// - draft_impact_change: one row per official whose status or next due date would change, with
//   the kind of change and the values before and after.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table draft_impact (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null unique references program (id) on delete cascade,
      version_id uuid not null references program_version (id) on delete cascade,
      draft_version text not null,
      draft_updated_at timestamptz not null,
      as_of date not null,
      requested_by uuid references user_account (id),
      started_at timestamptz not null,
      finished_at timestamptz,
      failed text,
      stale_at timestamptz,
      total integer not null check (total >= 0),
      done integer not null default 0 check (done >= 0),
      under_draft integer not null default 0 check (under_draft >= 0),
      after_person uuid
    );
    create table draft_impact_change (
      impact_id uuid not null references draft_impact (id) on delete cascade,
      person_id uuid not null references person (id) on delete cascade,
      kind text not null check (kind in ('became-eligible', 'no-longer-eligible', 'lapsed', 'due-earlier', 'due-later', 'other')),
      before_status text not null,
      after_status text not null,
      before_due date,
      after_due date,
      primary key (impact_id, person_id)
    );
    create index draft_impact_change_kind on draft_impact_change (impact_id, kind);
  `.execute(db);
}
