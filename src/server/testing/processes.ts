/**
 * Test helpers for real `civiccert serve` processes: start one, wait for
 * /readyz, stop it, and read the embedded PostgreSQL's postmaster.pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processExists } from '../db/data-dir-lock.js';

export interface ServedApp {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running: () => boolean;
}

export function serve(env: Record<string, string>): ServedApp {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
    cwd: path.resolve('.'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return { child, port: Number(env.PORT), output: () => out, exited, running: () => !done };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls /readyz until 200; fails early when the process exits. */
export async function waitReady(app: ServedApp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!app.running()) throw new Error(`the app exited before it was ready:\n${app.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${app.port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms:\n${app.output()}`);
    await sleep(250);
  }
}

/** Sends `signal` and waits (up to `timeoutMs`) for the exit. */
export async function stopApp(
  app: ServedApp,
  signal: NodeJS.Signals,
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!app.running()) return app.exited;
  app.child.kill(signal);
  return Promise.race([
    app.exited,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`no exit within ${timeoutMs} ms of ${signal}:\n${app.output()}`)),
        timeoutMs,
      ),
    ),
  ]);
}

/** The embedded PostgreSQL's pid and port, from <dataDir>/postgres/postmaster.pid. */
export function postmaster(dataDir: string): { pid: number; port: number } | null {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** The process runs (an exited one waiting to be reaped does not count). */
export const alive = processExists;
