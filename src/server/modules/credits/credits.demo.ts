/**
 * Demo staff entries and fee states (issue 5's staff screens), loaded once
 * (app_meta key) after the demo claims: the demo coordinator entered a CPO
 * official's legacy paper records by hand, then corrected one that was
 * entered twice (a reversing record; nothing deleted). The approved demo
 * claim was paid by check and another claim's fee was invoiced.
 */
import type { Deps } from '../../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { systemCtx } from '../../context.js';

export async function loadDemoStaffCredit(deps: Deps): Promise<{ loaded: boolean; entries: number }> {
  const ctx = systemCtx(deps, 'demo loader');
  return deps.db.transaction().execute(async (tx) => {
    const igo = await tx.selectFrom('program').select('id').where('code', '=', 'igo-cpo').executeTakeFirst();
    const coordinator = await tx
      .selectFrom('person as p')
      .innerJoin('user_account as u', 'u.person_id', 'p.id')
      .select('u.id')
      .where('p.external_id', '=', 'demo-staff-coordinator')
      .executeTakeFirst();
    // The second CPO official the demo claims use (not Dana Kessler, whose record the demo tells apart).
    const official = igo
      ? await tx
          .selectFrom('enrollment as e')
          .innerJoin('person as p', 'p.id', 'e.person_id')
          .select('p.id')
          .where('e.program_id', '=', igo.id)
          .where('e.status', '=', 'active')
          .where('p.external_id', '<>', 'demo-official')
          .orderBy('p.external_id')
          .offset(1)
          .limit(1)
          .executeTakeFirst()
      : undefined;
    if (!igo || !coordinator || !official) return { loaded: false, entries: 0 };
    const first = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.staff-credit.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!first) return { loaded: false, entries: 0 };

    const now = deps.now().getTime();
    const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString();
    const entries = [
      {
        amount: 8,
        category: 'management',
        sponsored: true,
        sourceType: 'igo-conference',
        title: 'iGO Annual Conference 2019 (management track)',
        earnedOn: '2019-07-16',
        reason: 'Legacy paper record: 2019 CPO workbook, conference certificates on file at the iGO office.',
      },
      {
        amount: 3,
        category: 'land-records',
        sponsored: false,
        sourceType: 'state-association',
        title: 'Register of Deeds Association fall meeting 2020',
        earnedOn: '2020-10-08',
        reason: 'Legacy paper record: 2020 workbook page 4, agenda and sign-in sheet on file.',
      },
      {
        amount: 3,
        category: 'land-records',
        sponsored: false,
        sourceType: 'state-association',
        title: 'Register of Deeds Association fall meeting 2020',
        earnedOn: '2020-10-08',
        reason: 'Legacy paper record: 2020 workbook page 4.',
      },
    ];
    const ids: string[] = [];
    for (const [i, e] of entries.entries()) {
      const row = await tx
        .insertInto('credit_record')
        .values({
          person_id: official.id,
          program_id: igo.id,
          amount: e.amount,
          category: e.category,
          sponsored: e.sponsored,
          source_type: e.sourceType,
          course_code: null,
          title: e.title,
          session_id: null,
          registration_id: null,
          earned_on: e.earnedOn,
          status: 'approved',
          reverses_id: null,
          reason: null,
          recorded_at: at(40 - i),
          recorded_by: coordinator.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('credit_source')
        .values({ credit_record_id: row.id, claim_id: null, manual_reason: e.reason })
        .execute();
      ids.push(row.id);
    }
    // The third entry repeated the second: corrected by a reversing record.
    const twice = entries[2]!;
    await tx
      .insertInto('credit_record')
      .values({
        person_id: official.id,
        program_id: igo.id,
        amount: -twice.amount,
        category: twice.category,
        sponsored: twice.sponsored,
        source_type: twice.sourceType,
        course_code: null,
        title: twice.title,
        session_id: null,
        registration_id: null,
        earned_on: twice.earnedOn,
        status: 'approved',
        reverses_id: ids[2]!,
        reason: 'Entered twice: the 2020 fall meeting is already in the ledger.',
        recorded_at: at(37),
        recorded_by: coordinator.id,
      })
      .execute();

    // Fee states on the demo claims: the approved one paid by check, the oldest waiting one invoiced.
    await tx
      .updateTable('claim')
      .set({ fee_method: 'check' })
      .where('program_id', '=', igo.id)
      .where('status', '=', 'approved')
      .where('fee_status', '=', 'paid')
      .execute();
    await tx
      .updateTable('claim')
      .set({ fee_status: 'invoiced', fee_receipt: 'INV-2026-031' })
      .where('program_id', '=', igo.id)
      .where('title', '=', 'Ethics for public officials')
      .where('fee_status', '=', 'unpaid')
      .execute();
    await recordAudit(tx, ctx, {
      action: 'demo.staff-credit',
      entityType: 'system',
      entityId: null,
      after: { entries: entries.length, corrections: 1 },
    });
    return { loaded: true, entries: entries.length };
  });
}
