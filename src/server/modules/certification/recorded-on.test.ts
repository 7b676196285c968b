/**
 * Issue 14, section 4: each credit record stores the day it was recorded in its program's zone
 * (recorded_on, set by a trigger), so evaluations stop converting every record's instant. It must
 * be the same day the domain's own conversion gives, at midnights and DST changes, for every
 * writer, and follow the program if its zone changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf } from '../../../domain/time/index.js';
import { sql } from 'kysely';
import { migrateToLatest } from '../../db/migrate.js';
import { buildPerson, createTestApp, createTestDatabase, type TestApp } from '../../testing/harness.js';
import { programId } from '../../testing/scheduling.js';

let t: TestApp;
let personId: string;
beforeAll(async () => {
  t = await createTestApp();
  personId = (await buildPerson(t.db, { lastName: 'Recorded', password: null })).personId;
});
afterAll(() => t.close());

// Around local midnight and the 2026 DST changes in the US (8 March, 1 November), in UTC.
const INSTANTS = [
  '2026-03-08T05:59:59Z',
  '2026-03-08T06:00:00Z',
  '2026-03-08T07:59:00Z',
  '2026-03-08T08:00:00Z',
  '2026-03-09T04:59:59Z',
  '2026-03-09T05:00:00Z',
  '2026-11-01T04:30:00Z',
  '2026-11-01T05:00:00Z',
  '2026-11-01T06:30:00Z',
  '2026-11-02T05:59:59Z',
  '2026-11-02T06:00:00Z',
  '2026-12-31T23:59:59.999Z',
  '2027-01-01T04:59:59Z',
  '2027-01-01T05:00:00Z',
];

async function insert(program: string, recordedAt: string): Promise<string> {
  const row = await t.db
    .insertInto('credit_record')
    .values({
      person_id: personId,
      program_id: program,
      amount: 1,
      category: 'management',
      sponsored: false,
      source_type: 'state-association',
      course_code: null,
      title: null,
      session_id: null,
      registration_id: null,
      earned_on: '2026-03-01',
      status: 'approved',
      reverses_id: null,
      reason: null,
      recorded_at: recordedAt,
      recorded_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function recordedOn(id: string): Promise<string> {
  const r = await t.db
    .selectFrom('credit_record')
    .select('recorded_on')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return r.recorded_on;
}

describe('a record stores the day it was recorded, in its program zone', () => {
  it('matches the domain conversion at midnights and DST changes, in both shipped programs', async () => {
    for (const code of ['ks-county-election-official', 'igo-cpo']) {
      const program = await programId(t.db, code);
      const { time_zone: zone } = await t.db
        .selectFrom('program')
        .select('time_zone')
        .where('id', '=', program)
        .executeTakeFirstOrThrow();
      for (const at of INSTANTS) {
        const id = await insert(program, at);
        expect(await recordedOn(id), `${code} ${at}`).toBe(localDateOf(Date.parse(at), zone));
      }
    }
  });

  it('an evening in Chicago is still that day, not the next (UTC) one', async () => {
    const id = await insert(await programId(t.db, 'ks-county-election-official'), '2026-06-10T02:30:00Z');
    expect(await recordedOn(id)).toBe('2026-06-09');
  });

  it('follows a change of the program zone, and the ledger stays append-only otherwise', async () => {
    const program = await programId(t.db, 'ks-county-election-official');
    const late = await insert(program, '2026-06-11T03:00:00Z');
    expect(await recordedOn(late)).toBe('2026-06-10');
    await t.db.updateTable('program').set({ time_zone: 'Europe/Berlin' }).where('id', '=', program).execute();
    try {
      expect(await recordedOn(late)).toBe('2026-06-11');
    } finally {
      await t.db
        .updateTable('program')
        .set({ time_zone: 'America/Chicago' })
        .where('id', '=', program)
        .execute();
    }
    expect(await recordedOn(late)).toBe('2026-06-10');
    await expect(
      t.db.updateTable('credit_record').set({ category: 'elections' }).where('id', '=', late).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db
        .updateTable('credit_record')
        .set({ recorded_at: '2026-06-11T12:00:00Z' })
        .where('id', '=', late)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('credit_record').where('id', '=', late).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('migrations 0016 and 0022 on a database that already has records', () => {
  it('dates the existing records and queues the cached statuses, through the append-only rule; each cached status is due the day after it was computed', async () => {
    const { db, drop } = await createTestDatabase();
    try {
      // Back to the schema before 0016 (and 0022, which adds a required column to the status cache,
      // and 0037, whose columns are derived from report_facts, and 0038, whose triggers read them,
      // and 0040, which has those triggers note the officials refreshed at commit).
      await sql`
        drop schema report_official_work cascade;
        drop function report_official_commit();
        delete from kysely_migration where name = '0040_report_official_at_commit';
        drop table report_official;
        drop trigger report_official_enrollment on enrollment;
        drop trigger report_official_enrollment_update on enrollment;
        drop trigger report_official_enrollment_truncate on enrollment;
        drop trigger report_official_award on award;
        drop trigger report_official_award_update on award;
        drop trigger report_official_award_truncate on award;
        drop trigger report_official_status on certification_status;
        drop trigger report_official_status_update on certification_status;
        drop trigger report_official_status_truncate on certification_status;
        drop trigger report_official_person on person;
        drop function report_official_changed(), report_official_person_changed(), report_official_truncated(),
          report_official_rebuild(), report_official_refresh(uuid, uuid);
        delete from kysely_migration where name = '0038_report_officials';
        alter table certification_status
          drop column facts_known, drop column ever_awarded, drop column renewal_state;
        drop index enrollment_active_idx;
        delete from kysely_migration where name = '0037_report_columns';
        alter table certification_status drop column next_transition_on;
        delete from kysely_migration where name = '0022_next_transition';
        drop trigger credit_record_recorded_on on credit_record;
        drop function credit_record_recorded_on();
        drop trigger program_zone_redates_records on program;
        drop function program_zone_redates_records();
        alter table credit_record drop column recorded_on;
        alter table certification_status drop column report_facts;
        delete from kysely_migration where name = '0016_scale_reads';
      `.execute(db);
      const person = (await buildPerson(db, { lastName: 'Before', password: null })).personId;
      const program = await programId(db, 'ks-county-election-official');
      await sql`
        insert into credit_record (person_id, program_id, amount, category, sponsored, source_type,
          earned_on, status, recorded_at)
        values (${person}, ${program}, 3, 'year-one', false, 'sos-course', '2026-06-09', 'approved',
                '2026-06-10T02:30:00Z')`.execute(db);
      await sql`
        insert into certification_status (person_id, program_id, status, computed_at)
        values (${person}, ${program}, 'in_progress', now())`.execute(db);
      expect((await migrateToLatest(db)).applied).toEqual([
        '0016_scale_reads',
        '0022_next_transition',
        '0037_report_columns',
        '0038_report_officials',
        '0040_report_official_at_commit',
      ]);
      const r = await db
        .selectFrom('credit_record')
        .select('recorded_on')
        .where('person_id', '=', person)
        .execute();
      expect(r.map((x) => x.recorded_on)).toEqual(['2026-06-09']);
      const due = await db.selectFrom('status_due').select(['person_id', 'reason']).execute();
      expect(due).toEqual([{ person_id: person, reason: 'report figures stored' }]);
      // Computed before 0022 without a next transition: due the day after, in Kansas.
      const cached = await sql<{ ok: boolean }>`
        select next_transition_on = (computed_at at time zone 'America/Chicago')::date + 1 as ok
        from certification_status where person_id = ${person}`.execute(db);
      expect(cached.rows).toEqual([{ ok: true }]);
    } finally {
      await drop();
    }
  });
});
