/**
 * Reading and writing a program definition (plain JSON) by path, in the same
 * notation the server uses for validation problems: `initial.requirement.items[0].min`.
 * The form editor binds each field to one path and, on save, writes only those
 * paths into a copy of the definition it loaded, so rules it cannot show are
 * kept exactly as they were.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Segment = string | number;

export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

export function getAt(root: Json | undefined, path: string): Json | undefined {
  let cur: Json | undefined = root;
  for (const s of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (typeof s === 'number' ? cur[s] : undefined) : (cur as JsonObject)[String(s)];
  }
  return cur;
}

/** Sets (or, with `undefined`, removes) the value at a path, creating missing objects and arrays on the way. */
export function setAt(root: JsonObject, path: string, value: Json | undefined): void {
  const segments = parsePath(path);
  let cur: Json = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i]!;
    const container = cur as Record<string | number, Json>;
    let next = container[s];
    if (next === undefined || next === null || typeof next !== 'object') {
      if (value === undefined) return; // nothing to remove
      next = typeof segments[i + 1] === 'number' ? [] : {};
      container[s] = next;
    }
    cur = next;
  }
  const last = segments[segments.length - 1]!;
  const container = cur as Record<string | number, Json>;
  if (value === undefined) {
    if (Array.isArray(container) && typeof last === 'number') container.splice(last, 1);
    else delete container[last];
  } else container[last] = value;
}

export const clone = <T extends Json>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** An element id for a path: `initial.requirement.items[0].min` → `rule-initial-requirement-items-0-min`. */
export const fieldId = (path: string): string =>
  `rule-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}`;
