/**
 * Issue 14, ADR 0040: `report_official` stays equal to what `report_official_rebuild()` makes from
 * its sources when two transactions change the same official at once. Each case runs two real
 * transactions on two connections, in an order that left the row stale when the row triggers
 * refreshed it from their own statement's snapshot (ADR 0038's known limit).
 */
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { buildPerson, createTestDatabase } from '../../testing/harness.js';
import { buildEnrollment, programId } from '../../testing/scheduling.js';

let db: Database;
let url: string;
let drop: () => Promise<void>;
let program: string;
const clients: pg.Client[] = [];

beforeAll(async () => {
  ({ db, url, drop } = await createTestDatabase());
  program = await programId(db);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await drop();
});

/** A connection of its own, with a transaction open. */
async function begin(): Promise<pg.Client & { pid: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  const pid = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  await c.query('begin');
  return Object.assign(c, { pid });
}

/**
 * Starts a statement and returns once it has either finished or is waiting for a lock another
 * transaction holds, so the next step happens while it waits (no timing involved).
 */
async function started(
  c: pg.Client & { pid: number },
  text: string,
  values: unknown[],
): Promise<{ done: Promise<unknown> }> {
  let settled = false;
  const running = c.query(text, values).finally(() => (settled = true));
  running.catch(() => undefined);
  await db.connection().execute(async (w) => {
    for (;;) {
      if (settled) return;
      const r = await sql<{ waiting: boolean }>`
        select wait_event_type = 'Lock' as waiting from pg_stat_activity where pid = ${c.pid}`.execute(w);
      if (r.rows[0]?.waiting) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  return { done: running };
}

/** The officials' rows as the table holds them, and as a rebuild from the sources makes them. */
async function heldAndRebuilt(): Promise<{ held: unknown[]; rebuilt: unknown[] }> {
  const rows = (tx: Database) =>
    sql`select program_id, person_id, official_from::text, cohorts, last_name, first_name, jurisdiction_fips,
               status, facts_known, ever_awarded, renewal_state
          from report_official order by program_id, person_id`
      .execute(tx)
      .then((r) => r.rows);
  let out: { held: unknown[]; rebuilt: unknown[] } | null = null;
  await db
    .transaction()
    .execute(async (tx) => {
      const held = await rows(tx);
      await sql`select report_official_rebuild()`.execute(tx);
      out = { held, rebuilt: await rows(tx) };
      throw new Error('roll back');
    })
    .catch((e: Error) => expect(e.message).toBe('roll back'));
  return out!;
}

async function official(lastName: string): Promise<string> {
  const { personId } = await buildPerson(db, { lastName, password: null });
  await buildEnrollment(db, personId);
  await sql`insert into certification_status (person_id, program_id, status, computed_at, next_transition_on)
            values (${personId}, ${program}, 'in_progress', now(), '2030-01-01')`.execute(db);
  return personId;
}

const rowOf = async (personId: string, on: Database = db) =>
  (
    await sql<{ status: string; cohorts: string[]; last_name: string }>`
      select status, cohorts, last_name from report_official where program_id = ${program} and person_id = ${personId}`.execute(
      on,
    )
  ).rows;

describe('report_official under two concurrent writers of the same official (ADR 0040)', () => {
  it('a new status and a new cohort, the cohort waiting: the row has both', async () => {
    const person = await official('Both');
    const sweep = await begin();
    await sweep.query(
      `update certification_status set status = 'certified' where program_id = $1 and person_id = $2`,
      [program, person],
    );
    const coordinator = await begin();
    const cohort = await started(
      coordinator,
      `update enrollment set cohorts = '{pilot-2027}' where program_id = $1 and person_id = $2`,
      [program, person],
    );
    await sweep.query('commit');
    await cohort.done;
    await coordinator.query('commit');

    expect(await rowOf(person)).toEqual([
      { status: 'certified', cohorts: ['pilot-2027'], last_name: 'Both' },
    ]);
    const { held, rebuilt } = await heldAndRebuilt();
    expect(held).toEqual(rebuilt);
  });

  it('a withdrawal committed while a status recompute of the same official waits: no longer an official', async () => {
    const person = await official('Withdrawn');
    const withdrawal = await begin();
    await withdrawal.query(
      `update enrollment set status = 'withdrawn' where program_id = $1 and person_id = $2`,
      [program, person],
    );
    const sweep = await begin();
    const recompute = await started(
      sweep,
      `update certification_status set status = 'certified' where program_id = $1 and person_id = $2`,
      [program, person],
    );
    await withdrawal.query('commit');
    await recompute.done;
    await sweep.query('commit');

    expect(await rowOf(person)).toEqual([]);
    const { held, rebuilt } = await heldAndRebuilt();
    expect(held).toEqual(rebuilt);
  });

  it('a rename committed while the same person is being enrolled: the new official carries the new name', async () => {
    const { personId: person } = await buildPerson(db, { lastName: 'Before', password: null });
    const enrolling = await begin();
    await enrolling.query(
      `insert into enrollment (program_id, person_id, status, enrolled_on, fee_amount_cents, fee_status)
       values ($1, $2, 'active', '2026-01-15', 0, 'waived')`,
      [program, person],
    );
    const rename = await begin();
    await await started(rename, `update person set last_name = 'After' where id = $1`, [person]);
    await rename.query('commit');
    await enrolling.query('commit');

    expect(await rowOf(person)).toEqual([{ status: null, cohorts: [], last_name: 'After' }]);
    const { held, rebuilt } = await heldAndRebuilt();
    expect(held).toEqual(rebuilt);
  });

  it('two writers of the same two officials, in opposite orders, committing together: both commit, both rows right', async () => {
    const a = await official('Opposite-A');
    const b = await official('Opposite-B');
    const status = `update certification_status set status = 'certified' where program_id = $1 and person_id = $2`;
    const cohort = `update enrollment set cohorts = '{opposite}' where program_id = $1 and person_id = $2`;
    const first = await begin();
    const second = await begin();
    await first.query(status, [program, a]);
    await second.query(status, [program, b]);
    await first.query(cohort, [program, b]);
    await second.query(cohort, [program, a]);
    await Promise.all([first.query('commit'), second.query('commit')]);

    for (const person of [a, b])
      expect(await rowOf(person)).toEqual([
        { status: 'certified', cohorts: ['opposite'], last_name: person === a ? 'Opposite-A' : 'Opposite-B' },
      ]);
    const { held, rebuilt } = await heldAndRebuilt();
    expect(held).toEqual(rebuilt);
  });

  it("two commits of the same official queued behind its lock: the second refreshes from the first one's rows", async () => {
    const person = await official('Queued');
    // A third transaction holds the person's commit lock (ADR 0040: key 40040, hashtext of the id).
    const holder = await begin();
    await holder.query('select pg_advisory_xact_lock(40040, hashtext($1::text))', [person]);
    const sweep = await begin();
    await sweep.query(
      `update certification_status set status = 'certified' where program_id = $1 and person_id = $2`,
      [program, person],
    );
    const coordinator = await begin();
    await coordinator.query(
      `update enrollment set cohorts = '{queued}' where program_id = $1 and person_id = $2`,
      [program, person],
    );
    const first = await started(sweep, 'commit', []);
    const second = await started(coordinator, 'commit', []);
    // Both commits wait for the lock, the statuses and cohorts they wrote not yet visible to each other.
    const waits = await sql<{ wait_event: string }>`
      select wait_event from pg_stat_activity where pid in (${sweep.pid}, ${coordinator.pid})`.execute(db);
    expect(waits.rows).toEqual([{ wait_event: 'advisory' }, { wait_event: 'advisory' }]);
    await holder.query('commit');
    await Promise.all([first.done, second.done]);

    expect(await rowOf(person)).toEqual([{ status: 'certified', cohorts: ['queued'], last_name: 'Queued' }]);
    const { held, rebuilt } = await heldAndRebuilt();
    expect(held).toEqual(rebuilt);
  });

  it('a person locked for an edit while their re-enrollment commits: both commit, with the new name', async () => {
    const person = await official('Locked');
    await sql`update enrollment set status = 'withdrawn' where person_id = ${person}`.execute(db);
    expect(await rowOf(person)).toEqual([]);
    const edit = await begin();
    await edit.query('select id from person where id = $1 for update', [person]);
    const reenrol = await begin();
    await reenrol.query(`update enrollment set status = 'active' where program_id = $1 and person_id = $2`, [
      program,
      person,
    ]);
    const committed = await started(reenrol, 'commit', []);
    await edit.query(`update person set last_name = 'Locked-Renamed' where id = $1`, [person]);
    await edit.query('commit');
    await committed.done;

    expect(await rowOf(person)).toEqual([
      { status: 'in_progress', cohorts: [], last_name: 'Locked-Renamed' },
    ]);
    const { held, rebuilt } = await heldAndRebuilt();
    expect(held).toEqual(rebuilt);
  });

  it('one transaction changing an official many times writes their row once, when it commits', async () => {
    const { personId: person } = await buildPerson(db, { lastName: 'Once', password: null });
    // Rows written to report_official by this backend (the counter may hold earlier transactions').
    const written = async (tx: Database) =>
      Number(
        (
          await sql<{ n: string }>`select n_tup_ins + n_tup_upd + n_tup_del as n from pg_stat_xact_user_tables
                                    where relname = 'report_official'`.execute(tx)
        ).rows[0]!.n,
      );
    const writes = await db.transaction().execute(async (tx) => {
      const before = await written(tx);
      await buildEnrollment(tx, person);
      await sql`insert into certification_status (person_id, program_id, status, computed_at, next_transition_on)
                values (${person}, ${program}, 'in_progress', now(), '2030-01-01')`.execute(tx);
      await sql`update certification_status set status = 'certified' where person_id = ${person}`.execute(tx);
      await sql`update enrollment set cohorts = '{once}' where person_id = ${person}`.execute(tx);
      await sql`update person set last_name = 'Once-Renamed' where id = ${person}`.execute(tx);
      // Nothing yet, even for the transaction itself: the row is written at commit (here brought forward).
      expect(await rowOf(person, tx)).toEqual([]);
      expect(await written(tx)).toBe(before);
      await sql`set constraints all immediate`.execute(tx);
      return (await written(tx)) - before;
    });
    expect(Number(writes)).toBe(1);
    expect(await rowOf(person)).toEqual([
      { status: 'certified', cohorts: ['once'], last_name: 'Once-Renamed' },
    ]);
  });
});
