/**
 * Demo data for the reports (issue 7). The Kansas seed says "a pilot program
 * involving select counties will complete all the training courses prior to
 * the 2024 General Election". The seed does not name the counties, so the
 * demo picks eight: their officials are enrolled since January 2023 in the
 * `pilot-2024` cohort. In five of them the officials finished all nine courses
 * before the deadline, and in three of those the officials were certified at
 * the end of their Year Three session (September 2024) and have taken the
 * annual advance renewal course since; in the other three counties they
 * finished only Years One and Two, so the cohort report shows who missed the
 * deadline.
 * Loaded once (app_meta key `demo.reports.loaded`).
 */
import type { Deps } from '../../context.js';

export const PILOT_COUNTIES = [
  '20055', // Finney
  '20057', // Ford
  '20161', // Riley
  '20169', // Saline
  '20155', // Reno
  '20015', // Butler
  '20037', // Crawford
  '20051', // Ellis
];
const FINISHED = new Set(PILOT_COUNTIES.slice(0, 5));
const AWARDED = new Set(PILOT_COUNTIES.slice(0, 3));

const courseDates: [string, string, string][] = [
  ['year-one', 'KS-Y1', '2023-04-'],
  ['year-two', 'KS-Y2', '2024-03-'],
  ['year-three', 'KS-Y3', '2024-09-'],
];

export async function loadDemoReports(deps: Deps): Promise<{ loaded: boolean; pilot: number }> {
  return deps.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.reports.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return { loaded: false, pilot: 0 };
    const ks = await tx
      .selectFrom('program')
      .select('id')
      .where('code', '=', 'ks-county-election-official')
      .executeTakeFirst();
    if (!ks) return { loaded: true, pilot: 0 };
    const pilots = await tx
      .selectFrom('enrollment as e')
      .innerJoin('person as p', 'p.id', 'e.person_id')
      .leftJoin('award as a', (j) =>
        j.onRef('a.person_id', '=', 'p.id').onRef('a.program_id', '=', 'e.program_id'),
      )
      .select(['e.id as enrollment_id', 'p.id', 'p.first_name', 'p.last_name', 'p.jurisdiction_fips'])
      .where('e.program_id', '=', ks.id)
      .where('a.id', 'is', null)
      .where('p.jurisdiction_fips', 'in', PILOT_COUNTIES)
      .orderBy('p.jurisdiction_fips')
      .orderBy('p.last_name')
      .execute();
    if (!pilots.length) return { loaded: true, pilot: 0 };
    await tx
      .updateTable('enrollment')
      .set({ cohorts: ['pilot-2024'], enrolled_on: '2023-01-15' })
      .where(
        'id',
        'in',
        pilots.map((p) => p.enrollment_id),
      )
      .execute();
    const recordedAt = '2024-10-15T15:00:00Z';
    const credits = pilots.flatMap((p, n) =>
      courseDates
        .filter(([cat]) => FINISHED.has(p.jurisdiction_fips!) || cat !== 'year-three')
        .flatMap(([category, prefix, month]) =>
          [1, 2, 3].map((i) => ({
            person_id: p.id,
            program_id: ks.id,
            amount: 3,
            category,
            sponsored: true,
            source_type: 'sos-course',
            course_code: `${prefix}-0${i}`,
            title: null,
            session_id: null,
            registration_id: null,
            earned_on: `${month}${String(10 + i + (n % 5)).padStart(2, '0')}`,
            status: 'approved' as const,
            reverses_id: null,
            reason: null,
            recorded_at: recordedAt,
            recorded_by: null,
          })),
        ),
    );
    const awarded = pilots.filter((p) => AWARDED.has(p.jurisdiction_fips!));
    // The annual advance renewal course, for the certified pilot officials.
    for (const [n, p] of awarded.entries())
      for (const [code, on] of [
        ['KS-ARC-2026', '2025-10-2'],
        ['KS-ARC-2027', '2026-10-2'],
      ] as const)
        if (code === 'KS-ARC-2026' || n % 3 !== 0)
          credits.push({
            ...credits[0]!,
            person_id: p.id,
            category: 'advance-renewal',
            course_code: code,
            earned_on: `${on}${n % 10}`,
          });
    await tx.insertInto('credit_record').values(credits).execute();
    if (awarded.length)
      await tx
        .insertInto('award')
        .values(
          awarded.map((p, i) => ({
            program_id: ks.id,
            person_id: p.id,
            awarded_on: '2024-09-27',
            number: `KS-CEO-2024-P${String(i + 1).padStart(2, '0')}`,
            revoked_on: null,
            revoked_reason: null,
          })),
        )
        .execute();
    return { loaded: true, pilot: pilots.length };
  });
}
