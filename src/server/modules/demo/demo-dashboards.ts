/**
 * Demo data for the role dashboards (issue 15) that the other demo loaders do
 * not make: two e-mails that could not be delivered (a county clerk's mailbox
 * that no longer exists, and a full one), so the administrator's dashboard
 * shows what a failed e-mail looks like; and a second enrollment request.
 * The rest of each dashboard comes from the sessions, claims and awards demo.
 * Loaded once (app_meta key `demo.dashboards.loaded`).
 */
import type { Deps } from '../../context.js';

export async function loadDemoDashboards(deps: Deps): Promise<{ loaded: boolean }> {
  return deps.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.dashboards.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return { loaded: false };
    const now = deps.now().getTime();
    const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();
    // Two of the generated county officials (not the demo official, whose external id is demo-official).
    const people = await tx
      .selectFrom('person as p')
      .select(['p.id', 'p.email', 'p.first_name'])
      .where('p.external_id', 'like', 'demo-20%')
      .orderBy('p.external_id')
      .limit(2)
      .execute();
    const failures = [
      {
        hours: 5,
        subject: 'Your seat is confirmed: Year One, Spring 2027',
        error: '550 5.1.1 The e-mail account that you tried to reach does not exist',
        kind: 'registration',
      },
      {
        hours: 30,
        subject: 'Set your CivicCert password',
        error: '452 4.2.2 The recipient’s mailbox is full (gave up after 5 attempts)',
        kind: 'password-set',
      },
    ];
    for (const [i, f] of failures.entries()) {
      const p = people[i];
      if (!p) break;
      await tx
        .insertInto('email_message')
        .values({
          created_at: hoursAgo(f.hours),
          to_address: p.email,
          subject: f.subject,
          text_body: `Hello ${p.first_name},\n\n(This message could not be delivered.)\n`,
          html_body: null,
          kind: f.kind,
          status: 'failed',
          attempts: 5,
          sent_at: null,
          error: f.error,
        })
        .execute();
    }
    // Two more officials asking to join iGO's CPO program (the sessions demo has one), from the
    // other end of the list, so none is enrolled in it already.
    const igo = await tx.selectFrom('program').select('id').where('code', '=', 'igo-cpo').executeTakeFirst();
    if (igo) {
      const askers = await tx
        .selectFrom('person as p')
        .select('p.id')
        .where('p.external_id', 'like', 'demo-20%')
        .orderBy('p.external_id', 'desc')
        .limit(2)
        .execute();
      for (const [i, a] of askers.entries())
        await tx
          .insertInto('enrollment')
          .values({
            program_id: igo.id,
            person_id: a.id,
            status: 'requested',
            enrolled_on: null,
            pinned_version: null,
            fee_amount_cents: 2500,
            fee_status: 'unpaid',
            fee_method: null,
            receipt_number: null,
            requested_at: hoursAgo(26 + i * 48),
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
    }
    return { loaded: true };
  });
}
