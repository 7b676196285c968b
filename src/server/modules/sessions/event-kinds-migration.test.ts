import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.js';
import { buildPerson, createTestDatabase } from '../../testing/harness.js';
import { buildSession, programId } from '../../testing/scheduling.js';

// Migration 0017 (event kinds) on a database that already has events, sessions and awards: the
// events that carry awards become conferences or ceremonies, and those without sessions to date
// them are dated by their earliest award; every other event is a class.
describe('migration 0017 on a database that already has events and awards', () => {
  it('turns events with awards into ceremonies or conferences, dated by their first award when no session dates them', async () => {
    const { db, drop } = await createTestDatabase();
    try {
      // Back to the schema before 0017 (and 0018 and 0019 after it, which the migrator applies again).
      await sql`
        drop table notification_opt_out;
        alter table email_message drop column list_unsubscribe;
        drop function register_seat;
        drop table session_mail_due;
        drop table plaque_order;
        alter table event drop column kind, drop column held_on, drop column follows_session_id;
        delete from kysely_migration where name in ('0017_event_kinds', '0018_session_mail_due', '0019_mail_notices');
      `.execute(db);
      const ks = await programId(db, 'ks-county-election-official');
      const event = async (title: string) =>
        (
          await db
            .insertInto('event')
            .values({ title, program_id: ks } as never)
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      let n = 0;
      const award = async (eventId: string, awardedOn: string) => {
        const person = (await buildPerson(db, { password: null })).personId;
        await db
          .insertInto('award')
          .values({
            program_id: ks,
            person_id: person,
            awarded_on: awardedOn,
            number: `KS-MIG-${++n}`,
            revoked_on: null,
            revoked_reason: null,
            event_id: eventId,
          } as never)
          .execute();
      };
      // A conference with sessions and awards: a conference, dated by its sessions.
      const conference = await event('Annual Clerks Conference 2025');
      await buildSession(db, { eventId: conference });
      await award(conference, '2025-06-12');
      // A dinner with awards and no session: a ceremony on its earliest award's day.
      const dinner = await event('Recognition dinner, Topeka');
      await award(dinner, '2025-11-20');
      await award(dinner, '2025-11-19');
      // Awards at an event whose only session was cancelled: dated by the award too.
      const cancelled = await event('Year Three, Fall 2025, Salina');
      const s = await buildSession(db, { eventId: cancelled });
      await db.updateTable('session').set({ status: 'cancelled' }).where('id', '=', s.id).execute();
      await award(cancelled, '2025-10-02');
      // An event with sessions and no awards stays a class.
      const course = await event('Year One, Spring 2026, Hays');
      await buildSession(db, { eventId: course });

      expect((await migrateToLatest(db)).applied).toEqual([
        '0017_event_kinds',
        '0018_session_mail_due',
        '0019_mail_notices',
      ]);
      const rows = await db
        .selectFrom('event')
        .select(['id', 'kind', 'held_on', 'follows_session_id'])
        .where('id', 'in', [conference, dinner, cancelled, course])
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(conference)).toMatchObject({ kind: 'conference', held_on: null });
      expect(byId.get(dinner)).toMatchObject({ kind: 'ceremony', held_on: '2025-11-19' });
      expect(byId.get(cancelled)).toMatchObject({ kind: 'ceremony', held_on: '2025-10-02' });
      expect(byId.get(course)).toMatchObject({ kind: 'class', held_on: null });
      expect(rows.every((r) => r.follows_session_id === null)).toBe(true);
      // Every plaque starts "to order" (no row yet).
      expect(await db.selectFrom('plaque_order').selectAll().execute()).toEqual([]);
    } finally {
      await drop();
    }
  });
});
