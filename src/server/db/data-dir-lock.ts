/**
 * One CivicCert per data directory, and recovery from a crash that left the
 * embedded PostgreSQL running.
 *
 *  - `acquireDataDirLock` holds <dataDir>/civiccert.pid with our pid. A second
 *    instance finds a live pid there and stops with a message naming it; a file
 *    left by a process that died (kill -9, power loss) is taken over.
 *  - `stopLeftoverPostgres` runs only while holding that lock: a postmaster.pid
 *    whose process is still a live postgres on our directory belongs to an app
 *    that died without stopping it. It is stopped cleanly before we start ours.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const APP_LOCK_FILE = 'civiccert.pid';

export class DataDirInUseError extends Error {
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(
      `Another CivicCert instance (pid ${pid}) is running on the data directory ${dataDir}. ` +
        `Stop it first (kill ${pid}), or give this one its own CIVICCERT_DATA_DIR. ` +
        `Several instances can share one database only through DATABASE_URL.`,
    );
  }
}

/** True when a process with this pid runs (even one we may not signal); an exited, unreaped one does not. */
export function processExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A server orphaned by a killed app is re-parented; once stopped it may linger as a zombie
  // until its new parent reaps it. Signal 0 still reaches a zombie, so look at its state (Linux).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust the signal
  }
}

/** The command line of a process, or null when it cannot be read. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]!.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** A pid in our lock file still belongs to a running CivicCert (not to a reused pid). */
function isLiveApp(pid: number): boolean {
  if (pid === process.pid || !processExists(pid)) return false;
  const cmd = commandLine(pid);
  // Unknown command line: assume it is ours rather than run two servers on one folder.
  return cmd === null || /node|civiccert|tsx/i.test(cmd);
}

export interface DataDirLock {
  file: string;
  release: () => void;
}

/** Takes <dataDir>/civiccert.pid, or throws DataDirInUseError naming the live holder. */
export function acquireDataDirLock(dataDir: string, log: (msg: string) => void = () => {}): DataDirLock {
  const file = path.join(dataDir, APP_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        if (readPid(file) === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      };
      process.on('exit', release);
      return { file, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readPid(file);
    if (holder !== null && isLiveApp(holder)) throw new DataDirInUseError(holder, dataDir);
    log(`taking over ${file} left by pid ${holder ?? '(unreadable)'}, which is no longer running`);
    try {
      unlinkSync(file);
    } catch {
      // another starter took it over first; the next attempt sees its pid
    }
  }
  throw new Error(`Could not take the lock file ${file}; remove it if no CivicCert is running.`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pid: number, pidFile: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!processExists(pid) || !existsSync(pidFile)) return true;
    await sleep(100);
  }
  return !processExists(pid);
}

/**
 * Stops a PostgreSQL still running on `databaseDir` (from an app that was killed).
 * Returns the pid it stopped, or null when there was none.
 */
export async function stopLeftoverPostgres(
  databaseDir: string,
  log: (msg: string) => void = () => {},
): Promise<number | null> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const pid = readPid(pidFile);
  if (pid === null || !processExists(pid)) return null; // none, or stale: PostgreSQL clears it itself
  const cmd = commandLine(pid);
  const ours = cmd === null || (/postgres/.test(cmd) && (!cmd.includes(' -D ') || cmd.includes(databaseDir)));
  if (!ours) return null; // the pid was reused by something else; PostgreSQL handles the stale file
  log(`stopping PostgreSQL (pid ${pid}) left running on ${databaseDir} by an earlier start`);
  // SIGINT: PostgreSQL's "fast" shutdown (roll back open transactions, checkpoint, exit).
  process.kill(pid, 'SIGINT');
  if (await waitGone(pid, pidFile, 20_000)) return pid;
  // SIGQUIT: immediate shutdown; the next start recovers from the WAL.
  log(`PostgreSQL (pid ${pid}) did not stop within 20 s; sending SIGQUIT`);
  process.kill(pid, 'SIGQUIT');
  if (await waitGone(pid, pidFile, 10_000)) return pid;
  throw new Error(
    `A PostgreSQL (pid ${pid}) left running on ${databaseDir} did not stop. Stop it (kill -9 ${pid}) and start again.`,
  );
}
