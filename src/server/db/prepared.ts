/**
 * Queries built and compiled once (issue 14, item 7; ADR 0036). A Kysely query is an immutable
 * tree built anew on every call, then compiled to SQL text: for the statements every signed-in
 * read sends (the session lookup, the evaluation's reads), building and compiling was the app's
 * largest own cost after the socket writes in a profile of the progress read. `prepared` builds
 * the query once, with a marker in place of each argument, compiles it, and remembers which bind
 * parameter each argument fills; later calls send the same SQL text with the arguments put in.
 *
 * An argument must reach the query unchanged (a string, or an array of strings such as the ids
 * `anyId` takes): a marker that is transformed on the way (`x.toUpperCase()`, `'%' + x`) is not
 * found in the compiled parameters, and the first call says so instead of running a wrong query.
 */
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './database.js';

type Arg = string | readonly string[];

const MARK = '\u0000prepared-argument-';

interface Plan<R> {
  compiled: CompiledQuery<R>;
  /** For each bind parameter: the index of the argument it takes, or its constant value. */
  slots: ({ arg: number } | { value: unknown })[];
}

function markerOf(i: number, sample: Arg): Arg {
  return Array.isArray(sample) ? [`${MARK}${i}`] : `${MARK}${i}`;
}

function argumentIn(p: unknown): number | undefined {
  const s = Array.isArray(p) && p.length === 1 ? p[0] : p;
  if (typeof s === 'string' && s.startsWith(MARK)) return Number(s.slice(MARK.length));
  return undefined;
}

function hasMarker(p: unknown): boolean {
  if (typeof p === 'string') return p.includes(MARK);
  if (Array.isArray(p)) return p.some(hasMarker);
  return false;
}

function plan<A extends readonly Arg[], R>(
  db: Db,
  build: (db: Db, ...args: A) => Compilable<R>,
  sample: A,
): Plan<R> {
  const markers = sample.map((a, i) => markerOf(i, a)) as unknown as A;
  const compiled = build(db, ...markers).compile();
  const seen = new Set<number>();
  const slots = compiled.parameters.map((p) => {
    const arg = argumentIn(p);
    if (arg !== undefined) {
      seen.add(arg);
      return { arg };
    }
    if (hasMarker(p)) throw new Error('prepared: an argument was changed on its way into the query');
    return { value: p };
  });
  if (seen.size !== sample.length)
    throw new Error('prepared: an argument does not reach the query as a bind parameter');
  return { compiled, slots };
}

/**
 * `build` once, the SQL text reused: returns a function that runs the query with new arguments
 * on any database or transaction and gives its rows.
 */
export function prepared<A extends readonly Arg[], R>(
  build: (db: Db, ...args: A) => Compilable<R>,
): (db: Db, ...args: A) => Promise<R[]> {
  let cached: Plan<R> | undefined;
  return async (db, ...args) => {
    const p = (cached ??= plan(db, build, args));
    const parameters = p.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    const { rows } = await db.executeQuery<R>({ ...p.compiled, parameters });
    return rows;
  };
}
