/**
 * Plan to certification benchmark (issue 19):
 *
 *   npx tsx bench/plan.ts [--sessions 2000] [--runs 20]
 *
 * 1. One official (Year One done) of the shipped Kansas program against a synthetic catalog of
 *    `--sessions` upcoming sessions of its nine courses over a year and a half (ten venues, one in
 *    ten online, seats 0 to 5, Year Two needing Year One): the planner alone (pure, no I/O),
 *    median of `--runs`, with the floor measured in the same run: one engine evaluation.
 * 2. Every official of the demo, planned in one batch through the server's planFor (their records
 *    and the upcoming sessions read from PostgreSQL, as GET /api/me/plan does), against the floor
 *    of evaluating the same people (evaluatePeople), also in this run.
 * Prints wall times, evaluations per plan, whether each plan was proven best (exact), and ratios.
 */
import { readFile } from 'node:fs/promises';
import { planCertification, type PlanSession } from '../src/domain/planning/index.js';
import { evaluate, parseProgram, type CreditRecord } from '../src/domain/requirements/index.js';
import { addDays } from '../src/domain/time/index.js';
import { systemCtx, type Deps } from '../src/server/context.js';
import { evaluatePeople } from '../src/server/modules/certification/evaluation.js';
import { loadDemoData } from '../src/server/modules/demo/demo.service.js';
import { planFor } from '../src/server/modules/planning/planning.service.js';
import { fmt, numberArg, withBenchApp } from './app-database.js';

const SESSIONS = numberArg('sessions', '2000');
const RUNS = numberArg('runs', '20');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => (n < 10 ? n.toFixed(2) : fmt(n));

// ---------------------------------------------------------------- 1. one official, pure
const parsed = parseProgram(JSON.parse(await readFile('programs/ks-county-election-official.json', 'utf8')));
if (!parsed.ok) throw new Error('the Kansas program does not parse');
const program = parsed.program;
const TODAY = '2026-12-05';
const records: CreditRecord[] = ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'].map((c, i) => ({
  id: `r${i}`,
  personId: 'p1',
  date: '2026-10-14',
  amount: 3,
  category: 'year-one',
  sourceType: 'sos-course',
  courseCode: c,
  status: 'approved',
}));
const codes = program.courses.filter((c) => /^KS-Y[23]/.test(c.code));
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed % n;
};
const sessions: PlanSession[] = Array.from({ length: SESSIONS }, (_, i) => {
  const course = codes[rand(codes.length)]!;
  const date = addDays(TODAY, 7 + rand(540));
  const hour = [9, 13][rand(2)]!;
  const start = new Date(`${date}T${String(hour + 6).padStart(2, '0')}:00:00Z`);
  const online = rand(10) === 0;
  return {
    id: `s${i}`,
    courseCode: course.code,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 180 * 60_000).toISOString(),
    date,
    credits: [{ category: course.category, amount: course.credits }],
    sponsored: false,
    sourceType: 'sos-course',
    prerequisites: course.category === 'year-two' ? ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'] : [],
    seatsFree: rand(6),
    registrationOpen: rand(20) !== 0,
    registered: false,
    travel: online || rand(10) === 0 ? 0 : 1,
  };
});
const context = { asOf: TODAY, personId: 'p1' };
const plans: number[] = [];
const floors: number[] = [];
let last: ReturnType<typeof planCertification> | undefined;
for (let i = 0; i < RUNS; i++) {
  const f0 = performance.now();
  evaluate(program, records, context);
  floors.push(performance.now() - f0);
  const t0 = performance.now();
  last = planCertification({ program, records, context, sessions });
  plans.push(performance.now() - t0);
}
console.log(
  `one official, ${fmt(SESSIONS)} upcoming sessions: plan ${ms(median(plans))} ms (median of ${RUNS}), ` +
    `one engine evaluation ${ms(median(floors))} ms, ratio ${(median(plans) / median(floors)).toFixed(1)}; ` +
    `${last!.outcome}, ${last!.sessions.length} sessions, finishes ${last!.finishesOn}, ` +
    `${last!.evaluations} evaluations, exact ${last!.exact}`,
);

// ---------------------------------------------------------------- 2. every demo official, through the server
await withBenchApp('planbench', async ({ db, config, mailer }) => {
  const now = new Date('2026-12-05T15:00:00Z');
  const deps: Deps = { config, db, mailer, now: () => now };
  await loadDemoData(deps);
  const ctx = systemCtx(deps, 'bench');
  const people = await db
    .selectFrom('enrollment')
    .select(['person_id', 'program_id'])
    .where('status', '=', 'active')
    .execute();
  const ids = [...new Set(people.map((p) => p.person_id))];
  const byProgram = new Map<string, string[]>();
  for (const p of people) byProgram.set(p.program_id, [...(byProgram.get(p.program_id) ?? []), p.person_id]);

  const f0 = performance.now();
  for (const [programId, mine] of byProgram) await evaluatePeople(db, programId, mine, now);
  const floor = performance.now() - f0;

  const t0 = performance.now();
  const outcomes = { done: 0, planned: 0, none: 0 };
  let inexact = 0;
  for (const id of ids) {
    const plan = await planFor(ctx, id, {});
    for (const p of plan.programs) {
      outcomes[p.outcome]++;
      if (!p.exact) inexact++;
    }
  }
  const wall = performance.now() - t0;
  console.log(
    `demo, ${fmt(ids.length)} officials (${fmt(people.length)} enrollments): plans ${fmt(wall)} ms ` +
      `(${ms(wall / ids.length)} ms each); evaluating them all ${fmt(floor)} ms; ratio ${(wall / floor).toFixed(1)}; ` +
      `done ${outcomes.done}, planned ${outcomes.planned}, none ${outcomes.none}, not proven best ${inexact}`,
  );
});
