/**
 * Sums Stryker JSON reports (one or several runs split by file) into one table: per file and in
 * total, mutants killed, timed out, survived and not covered, and the share detected as Stryker
 * counts it (killed and timed out over all valid mutants; ignored, compile and runtime errors are
 * left out). Usage: `npx tsx scripts/mutation-summary.ts [--without-static] reports/mutation/*.json`.
 * A file measured by more than one report is taken from the last one named, except that runs
 * over line ranges of one file ("tree.ts:1-500", "tree.ts:501-1000") add up: their mutants are
 * merged by place and kind, a later report's result for the same mutant winning. Each report counts
 * only the files its own run mutated (its `config.mutate` globs): a run seeded with another run's
 * incremental file also carries that run's old results for files it did not mutate.
 */
import { readFileSync } from 'node:fs';

interface Mutant {
  status: string;
  static?: boolean;
  mutatorName?: string;
  replacement?: string;
  location?: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report {
  files: Record<string, { mutants: Mutant[] }>;
  config?: { mutate?: string[] };
}

const RANGE = /:\d+(?::\d+)?-\d+(?::\d+)?$/;

/** Whether the run mutated only some lines of the file (a glob naming it with a line range). */
function rangedFor(mutate: readonly string[] | undefined, file: string): boolean {
  return (mutate ?? []).some((g) => RANGE.test(g) && globToRegExp(g.replace(RANGE, '')).test(file));
}

/** A mutant's place and kind, the same in every run over unchanged code. */
const mutantKey = (m: Mutant, i: number) =>
  m.location
    ? `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName ?? ''} ${m.replacement ?? ''}`
    : `#${i}`;

// A Stryker `mutate` glob as a regular expression: "**" then "/" spans folders, "*" stays within one name.
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i]!;
    if (glob.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 2;
    } else if (ch === '*') out += '[^/]*';
    else out += '.+?^$()|[]{}\\'.includes(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`^${out}$`);
}

/** Whether a run with these `mutate` globs mutated the file (no globs: every file counts). */
export function mutatedBy(mutate: readonly string[] | undefined, file: string): boolean {
  if (!mutate || mutate.length === 0) return true;
  // A glob may end in a line range ("tree.ts:1-500"): the run mutated only those lines of the file,
  // and its report holds only their mutants.
  const hit = (g: string) => globToRegExp(g.replace(RANGE, '')).test(file);
  return (
    mutate.some((g) => !g.startsWith('!') && hit(g)) &&
    !mutate.some((g) => g.startsWith('!') && hit(g.slice(1)))
  );
}

const counted = ['Killed', 'Timeout', 'Survived', 'NoCoverage'] as const;
type Tally = Record<(typeof counted)[number], number>;

/**
 * With `withoutStatic`, mutants Stryker flags as static (module-level code run when a file loads,
 * e.g. a table of labels) are left out, as `ignoreStatic` intends: Stryker's vitest runner runs
 * such a mutant only with the first test that loaded its module, which cannot see it, so they
 * "survive" whatever the tests check.
 */
export function tallyReports(reports: Report[], withoutStatic = false): Map<string, Tally> {
  const mutantsByFile = new Map<string, Map<string, Mutant>>();
  for (const report of reports) {
    for (const [file, { mutants }] of Object.entries(report.files)) {
      if (!mutatedBy(report.config?.mutate, file)) continue;
      // A whole-file run replaces what earlier reports said of the file; a line range adds to it.
      const kept = rangedFor(report.config?.mutate, file)
        ? (mutantsByFile.get(file) ?? new Map())
        : new Map();
      mutants.forEach((m, i) => kept.set(mutantKey(m, i), m));
      mutantsByFile.set(file, kept);
    }
  }
  const byFile = new Map<string, Tally>();
  for (const [file, mutants] of mutantsByFile) {
    const t: Tally = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
    for (const m of mutants.values())
      if (m.status in t && !(withoutStatic && m.static)) t[m.status as keyof Tally]++;
    byFile.set(file, t);
  }
  return byFile;
}

const pct = (t: Tally) => {
  const valid = t.Killed + t.Timeout + t.Survived + t.NoCoverage;
  return valid === 0 ? '—' : `${((100 * (t.Killed + t.Timeout)) / valid).toFixed(1)}%`;
};

function main(args: string[]) {
  const withoutStatic = args.includes('--without-static');
  const paths = args.filter((a) => a !== '--without-static');
  if (paths.length === 0) {
    console.error('usage: mutation-summary [--without-static] <report.json>…');
    process.exit(2);
  }
  const byFile = tallyReports(
    paths.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Report),
    withoutStatic,
  );
  const total: Tally = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  console.log('| file | detected | killed | timed out | survived | not covered |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [file, t] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    for (const k of counted) total[k] += t[k];
    console.log(`| ${file} | ${pct(t)} | ${t.Killed} | ${t.Timeout} | ${t.Survived} | ${t.NoCoverage} |`);
  }
  console.log(
    `| **all ${byFile.size} files** | **${pct(total)}** | ${total.Killed} | ${total.Timeout} | ${total.Survived} | ${total.NoCoverage} |`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
