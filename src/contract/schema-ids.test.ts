import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// Every contract schema named with .meta({ id }) becomes one entry of the OpenAPI document's
// components. Zod's registry keeps the last schema given an id, so two contracts with the same id
// silently become one, and the routes of the first are documented with the second's shape.
describe('contract schema ids', () => {
  it('are unique across every contract module', async () => {
    const seen = new Map<string, number>();
    const add = z.globalRegistry.add.bind(z.globalRegistry);
    z.globalRegistry.add = ((schema: z.ZodType, meta?: { id?: string }) => {
      if (meta?.id) seen.set(meta.id, (seen.get(meta.id) ?? 0) + 1);
      return add(schema, meta as never);
    }) as typeof z.globalRegistry.add;
    try {
      const dir = import.meta.dirname;
      const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
      expect(modules.length).toBeGreaterThan(10);
      for (const f of modules) await import(path.join(dir, f));
    } finally {
      z.globalRegistry.add = add;
    }
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].filter(([, n]) => n > 1).map(([id]) => id)).toEqual([]);
  });
});
