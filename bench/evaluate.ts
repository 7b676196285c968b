/**
 * Rules engine throughput (issue 3, item 8).
 *
 *   npx tsx bench/evaluate.ts [--officials 100000] [--records 50] [--program cpo|ks|both|overlap|adversarial]
 *
 * `overlap` is the CPO program with its Management tier accepting every CPO
 * category, so each job-module credit could count toward Management or its
 * module: every official's records are contended and allocation is timed.
 * `adversarial` is the same with every record's credits drawn from quarter
 * hours (0.25 to 8), so few records are interchangeable and the exact search
 * has the most to do; the run prints how many searches ran out of budget.
 *
 * Generates officials with N credit records each (deterministic pseudo-random
 * data) and measures, in the same run and on the same records:
 *  - evaluate(): status, full explained requirement tree, allocation and, for
 *    awarded officials, the renewal cycles;
 *  - a baseline that only sums credits per person and category.
 * Records are generated in batches so memory stays flat; only evaluation and
 * the baseline are timed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allocationCounters } from '../src/domain/requirements/allocate.js';
import {
  evaluate,
  parseProgram,
  type CreditRecord,
  type EvaluationContext,
  type ProgramDefinition,
} from '../src/domain/requirements/index.js';
import { addDays } from '../src/domain/time/index.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const OFFICIALS = Number(arg('officials', '100000'));
const PER = Number(arg('records', '50'));
const WHICH = arg('program', 'both');
const BATCH = 5_000;
const AS_OF = '2026-05-01';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
function load(file: string): ProgramDefinition {
  const parsed = parseProgram(JSON.parse(readFileSync(path.join(root, 'programs', file), 'utf8')));
  if (!parsed.ok) throw new Error(`${file} is invalid`);
  return parsed.program;
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Person {
  ctx: EvaluationContext;
  records: CreditRecord[];
}

const CPO_CATS = [
  'management',
  'management-supervision',
  'management-finance',
  'management-ethics',
  'elections',
  'land-records',
  'records-management',
  'clerk-court',
];
const CPO_SOURCES = [
  'igo-conference',
  'igo-webinar',
  'state-association',
  'online-course',
  'internal-training',
  'work-experience',
  'college-credit',
];
const KS_COURSES = [
  'KS-Y1-01',
  'KS-Y1-02',
  'KS-Y1-03',
  'KS-Y2-01',
  'KS-Y2-02',
  'KS-Y2-03',
  'KS-Y3-01',
  'KS-Y3-02',
  'KS-Y3-03',
];

const QUARTERS = WHICH === 'adversarial';

function generate(kind: 'cpo' | 'ks', first: number, count: number): Person[] {
  const rand = rng(first * 7919 + (kind === 'cpo' ? 1 : 2));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const people: Person[] = [];
  for (let p = first; p < first + count; p += 1) {
    const personId = `${kind}-${p}`;
    const records: CreditRecord[] = [];
    const status = (): CreditRecord['status'] => {
      const x = rand();
      return x < 0.9 ? 'approved' : x < 0.96 ? 'pending' : x < 0.99 ? 'rejected' : 'reversed';
    };
    for (let i = 0; i < PER; i += 1) {
      const date = addDays('2020-01-01', Math.floor(rand() * 2300));
      if (kind === 'cpo') {
        const source = pick(CPO_SOURCES);
        records.push({
          id: `${personId}-${i}`,
          personId,
          date,
          amount: QUARTERS ? Math.ceil(rand() * 32) / 4 : Math.ceil(rand() * 8) / (rand() < 0.2 ? 2 : 1),
          category: pick(CPO_CATS),
          sponsored: source.startsWith('igo'),
          sourceType: source,
          status: status(),
        });
      } else {
        const arc = i >= 9 && rand() < 0.3;
        records.push({
          id: `${personId}-${i}`,
          personId,
          date,
          sourceType: 'sos-course',
          ...(arc
            ? { courseCode: `KS-ARC-${date.slice(0, 4)}`, category: 'advance-renewal' }
            : { courseCode: pick(KS_COURSES) }),
          status: status(),
        });
      }
    }
    const ctx: EvaluationContext = { asOf: AS_OF, personId };
    if (rand() < 0.3)
      ctx.awards = [{ id: `${personId}-award`, awardedOn: addDays('2021-06-01', Math.floor(rand() * 1200)) }];
    if (kind === 'ks' && rand() < 0.2) ctx.cohorts = ['pilot-2024'];
    people.push({ ctx, records });
  }
  return people;
}

function baseline(people: readonly Person[]): number {
  const sums = new Map<string, number>();
  for (const person of people)
    for (const r of person.records) {
      const key = `${r.personId}\u0000${r.category ?? ''}`;
      sums.set(key, (sums.get(key) ?? 0) + (r.amount ?? 0));
    }
  return sums.size;
}

/** The CPO program with overlapping tiers (see the header): a load test for allocation. */
function overlapping(program: ProgramDefinition): ProgramDefinition {
  const root = program.initial.requirement;
  if (root.type !== 'allOf') throw new Error('unexpected CPO shape');
  const items = root.items.map((item) =>
    item.type === 'credits' && item.id === 'management-tier'
      ? {
          ...item,
          filter: {
            categories: ['management', 'clerk-court', 'elections', 'land-records', 'records-management'],
          },
        }
      : item,
  );
  return {
    ...program,
    name: `${program.name}, tiers overlapping`,
    initial: { ...program.initial, requirement: { ...root, items } },
  };
}

function run(kind: 'cpo' | 'ks', program: ProgramDefinition): void {
  // Warm up the JIT on a separate batch.
  for (const person of generate(kind, 10_000_000, 500)) evaluate(program, person.records, person.ctx);
  const searchesBefore = { ...allocationCounters };
  let engineMs = 0;
  let baseMs = 0;
  let records = 0;
  const statuses = new Map<string, number>();
  let sink = 0;
  for (let first = 0; first < OFFICIALS; first += BATCH) {
    const people = generate(kind, first, Math.min(BATCH, OFFICIALS - first));
    for (const p of people) records += p.records.length;
    let t = performance.now();
    sink += baseline(people);
    baseMs += performance.now() - t;
    t = performance.now();
    for (const p of people) {
      const result = evaluate(program, p.records, p.ctx);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
    }
    engineMs += performance.now() - t;
  }
  const engineRate = records / (engineMs / 1000);
  const baseRate = records / (baseMs / 1000);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(
    `\n${program.name} (${kind}): ${fmt(OFFICIALS)} officials x ${PER} records = ${fmt(records)} records`,
  );
  console.log(
    `  evaluate():        ${fmt(engineMs)} ms  ${fmt(engineRate)} records/s  ${fmt(OFFICIALS / (engineMs / 1000))} officials/s  (${((engineMs * 1000) / OFFICIALS).toFixed(1)} µs per official)`,
  );
  console.log(`  baseline (sum per person+category): ${fmt(baseMs)} ms  ${fmt(baseRate)} records/s`);
  console.log(`  ratio: evaluate is ${(baseRate / engineRate).toFixed(1)}x slower than the baseline`);
  console.log(
    `  statuses: ${[...statuses]
      .sort()
      .map(([s, n]) => `${s} ${fmt(n)}`)
      .join(', ')}  (checksum ${sink})`,
  );
  const searches = allocationCounters.searches - searchesBefore.searches;
  const scored = allocationCounters.scored - searchesBefore.scored;
  console.log(
    `  allocation searches: ${fmt(searches)}, not proven within the budget: ${fmt(allocationCounters.unproven - searchesBefore.unproven)}, assignments scored: ${searches ? (scored / searches).toFixed(1) : '0'} on average, ${fmt(allocationCounters.maxScored)} at most`,
  );
}

console.log(`Node ${process.version}, ${process.platform}/${process.arch}; as of ${AS_OF}`);
if (WHICH === 'cpo' || WHICH === 'both') run('cpo', load('igo-cpo.json'));
if (WHICH === 'ks' || WHICH === 'both') run('ks', load('ks-county-election-official.json'));
if (WHICH === 'overlap' || WHICH === 'adversarial') run('cpo', overlapping(load('igo-cpo.json')));
