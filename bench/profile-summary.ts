/**
 * Summarises a V8 CPU profile (`.cpuprofile`, as written by `bench/read.ts --profile` or
 * `node --cpu-prof`): the share of sampled time spent in each function itself (self time) and
 * per package or source folder, so a profile can be quoted in docs/performance.md.
 *
 *   npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 30]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { numberArg } from './app-database.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 30]');
const TOP = numberArg('top', '30');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const root = path.resolve(import.meta.dirname, '..');

/** Where a frame's code lives: a package, a source folder, a Node internal, or V8 itself. */
function placeOf(url: string, fnName: string): { short: string; group: string } {
  const plain = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(plain);
  if (pkg) return { short: `${pkg[1]}/${pkg[2]}`, group: pkg[1]! };
  if (plain.startsWith(root)) {
    const rel = path.relative(root, plain);
    return { short: rel, group: rel.split('/').slice(0, 3).join('/') };
  }
  if (plain.startsWith('node:')) return { short: plain, group: plain.split('/')[0]! };
  return { short: plain, group: fnName ? `(${fnName})` : '(native)' };
}

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTime = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
  total += dt;
});
const byFunction = new Map<string, number>();
const byGroup = new Map<string, number>();
const add = (m: Map<string, number>, k: string, t: number) => m.set(k, (m.get(k) ?? 0) + t);
for (const [id, t] of selfTime) {
  const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
  const { short, group } = placeOf(url, functionName);
  add(byFunction, `${functionName || '(anonymous)'}${short ? ` ${short}:${lineNumber + 1}` : ''}`, t);
  add(byGroup, group, t);
}
const busy = total - (byGroup.get('((idle))') ?? 0);
const table = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(
  [
    `${(total / 1e6).toFixed(1)} s sampled, ${((100 * busy) / total).toFixed(0)}% of it busy (not idle)`,
    `self time by package or folder (share of all samples):`,
    table(byGroup),
    `self time by function:`,
    table(byFunction),
  ].join('\n'),
);
