/**
 * No cycles between the folders of src/server/modules: if module a imports
 * module b, nothing in b imports a, directly or through other modules. Tests
 * count too. Shared code goes to a lower module (e.g. modules/certification)
 * instead. Run by scripts/check-dependencies.ts after .dependency-cruiser.mjs.
 */
import base from './.dependency-cruiser.mjs';

export default {
  forbidden: [
    {
      name: 'no-module-folder-cycle',
      comment: 'Module folders must not import each other, directly or through other modules.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/server/modules/[^/]+' },
      to: { circular: true },
    },
  ],
  options: { ...base.options, includeOnly: '^src/server/modules/' },
};
