/**
 * The dependency check in `npm run lint` (scripts/check-dependencies.ts): it
 * fails on a fixture whose module folders import each other (orders imports
 * invoices, invoices imports another file of orders: no file cycle, only a
 * folder cycle) and whose domain imports server code, and passes on the real
 * tree, so the rule holds today and a new cycle breaks the lint.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDependencies } from './check-dependencies.js';

const fixture = path.resolve(import.meta.dirname, 'fixtures/dependency-cycle');

describe('dependency check (npm run lint)', () => {
  it(
    'fails on a cycle between module folders and on a domain file importing server code',
    { timeout: 120_000 },
    async () => {
      const r = await checkDependencies(fixture);
      expect(r.ok).toBe(false);
      expect(r.output).toMatch(
        /no-module-folder-cycle: src\/server\/modules\/orders →\s+src\/server\/modules\/invoices →\s+src\/server\/modules\/orders/,
      );
      expect(r.output).toMatch(/domain-is-pure: src\/domain\/rules\.ts → src\/server\/modules\/orders/);
    },
  );

  it('passes on the real tree', { timeout: 120_000 }, async () => {
    const r = await checkDependencies();
    expect(r.output).not.toMatch(/error/);
    expect(r.ok).toBe(true);
  });
});
