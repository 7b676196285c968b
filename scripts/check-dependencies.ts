/**
 * The dependency check of `npm run lint`: dependency-cruiser over src/ with
 * .dependency-cruiser.mjs (no file cycles, a pure domain, a shared contract)
 * and, on the module folders alone, .dependency-cruiser.modules.mjs (no cycle
 * between folders of src/server/modules). Both passes run at once; the check
 * fails when either finds a violation, printing what it found.
 *
 *   npx tsx scripts/check-dependencies.ts [root]   (root defaults to the repository)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const configs = ['.dependency-cruiser.mjs', '.dependency-cruiser.modules.mjs'];

function pass(root: string, config: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cli, 'src', '--config', path.join(repo, config), '--output-type', 'err', '--no-progress'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output: `${config}:${output}` }));
  });
}

/** Runs both passes over `root` (a folder holding src/); ok when neither finds a violation. */
export async function checkDependencies(root = repo): Promise<{ ok: boolean; output: string }> {
  const results = await Promise.all(configs.map((c) => pass(root, c)));
  return {
    ok: results.every((r) => r.code === 0),
    output: results.map((r) => r.output.trim()).join('\n'),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ? path.resolve(process.argv[2]) : repo;
  const { ok, output } = await checkDependencies(root);
  console.log(output);
  process.exit(ok ? 0 : 1);
}
