import { sql, type Kysely } from 'kysely';

// Person facts (issue 13, section 4): what the rules engine measures a person
// by besides their credits, recorded by staff with a reason for one program.
//   date        a dated fact the program measures from: `appointment` (taking
//               office) or one of the program's declared personFacts
//   exam        an exam result: `key` is the program's exam id, with a score
//   waiver      a requirement treated as met (`until`: when it ends, if it does)
//   provisional a requirement met for now, until `until`
//   extension   a deadline moved for this person to `until`
//   attestation a statement the person made, on `date`
// A fact is never edited: it is withdrawn with a reason (and, for a date or an
// extension, replaced by a new one), so the history of what was believed when
// stays. Every change is audited and re-evaluates the person at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_fact (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person (id),
      program_id uuid not null references program (id),
      kind text not null
        check (kind in ('date', 'exam', 'waiver', 'provisional', 'extension', 'attestation')),
      key text not null check (length(key) between 1 and 120),
      date date not null,
      score numeric(7, 2),
      until date,
      reason text not null check (length(btrim(reason)) between 1 and 1000),
      recorded_by uuid references user_account (id),
      recorded_at timestamptz not null,
      -- Entry order when two facts carry the same recorded_at.
      created_at timestamptz not null default clock_timestamp(),
      withdrawn_at timestamptz,
      withdrawn_by uuid references user_account (id),
      withdrawn_reason text,
      check ((kind = 'exam') = (score is not null)),
      check (kind <> 'extension' or until is not null),
      check (until is null or kind in ('waiver', 'provisional', 'extension')),
      check ((withdrawn_at is null) = (withdrawn_reason is null))
    );
    create index person_fact_program_person_idx on person_fact (program_id, person_id)
      where withdrawn_at is null;
    -- One current taking-office date (or other dated fact) and one extension per deadline.
    create unique index person_fact_one_current_idx on person_fact (person_id, program_id, kind, key)
      where withdrawn_at is null and kind in ('date', 'extension');
  `.execute(db);
}
