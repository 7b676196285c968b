/**
 * fast-check as the domain's property tests see it under mutation testing (an alias in
 * vitest.domain.config.ts): the same library, with at most 25 runs per property. Each mutant
 * reruns the property tests that cover it, and the tests ask for 100 to 500 runs; `npm test`
 * still runs them in full.
 */
// @ts-expect-error: the library's own module file, bypassing the alias that points here
import * as real from '../node_modules/fast-check/lib/fast-check.js';
import type * as FastCheck from 'fast-check';

const lib = real as unknown as typeof FastCheck;
const MAX_RUNS = 25;

const assert: typeof FastCheck.assert = ((property: never, params?: FastCheck.Parameters<unknown>) =>
  lib.assert(property, { ...params, numRuns: Math.min(params?.numRuns ?? MAX_RUNS, MAX_RUNS) })) as never;

export * from '../node_modules/fast-check/lib/fast-check.js';
export { assert };
export default { ...(lib as unknown as { default: object }).default, assert };
