// @ts-check
// The server run without the TypeScript checker, for splitting the server by file on two cores:
// `npx stryker run stryker/server-nocheck.config.mjs --mutate <files> --incrementalFile <file>`.
// Mutants that would not compile are run like any other and counted by what the tests say.
// STRYKER_REPORT names the JSON report, so runs of different files do not overwrite each other.
import process from 'node:process';
import base from './server.config.mjs';
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  checkers: [],
  jsonReporter: { fileName: process.env.STRYKER_REPORT ?? 'reports/mutation/server.json' },
};
export default config;
