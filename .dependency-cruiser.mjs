/**
 * The dependency rule (docs/architecture.md, ADR 0012), checked by `npm run lint`
 * through scripts/check-dependencies.ts:
 * - no import cycles between files anywhere in src/;
 * - src/domain is pure: it imports nothing from the server, the web app or the CLI;
 * - src/contract is shared by server, web and CLI, so it imports none of them.
 * Cycles between the folders of src/server/modules are checked in a second pass
 * with .dependency-cruiser.modules.mjs (only the modules are in that graph, so
 * the composition root, src/server/app.ts, which imports every module, does not count).
 */
import fs from 'node:fs';

export default {
  forbidden: [
    {
      name: 'no-file-cycle',
      comment: 'Files must not import each other, directly or through others.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds the rules as pure functions: no server, web or CLI code.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(server|web|cli)/' },
    },
    {
      name: 'contract-is-shared',
      comment: 'src/contract is read by server, web and CLI alike; it imports none of them.',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: '^src/(server|web|cli)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    ...(fs.existsSync('tsconfig.json') ? { tsConfig: { fileName: 'tsconfig.json' } } : {}),
  },
};
