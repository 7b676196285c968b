import type { Actor, TokenActor } from '../domain/authz/index.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Mailer } from './modules/mail/mailer.js';

/** Long-lived collaborators, wired once in app.ts (plain factory functions, no container). */
export interface Deps {
  config: Config;
  db: Database;
  mailer: Mailer;
  /** The clock. Tests and demos can move it; the domain never reads the time itself. */
  now: () => Date;
}

/** Who is asking, for one request or CLI command. */
export interface Ctx extends Deps {
  actor: Actor | null;
  /** An integration calling with an API token (then actor is null): its scopes and provider. */
  token?: TokenActor | null;
  /** Shown in the audit log when there is no signed-in actor (e.g. "cli", "system", "demo loader"). */
  actorLabel: string;
  /** The signed-in person's name as shown (with their preferred name), when a person is signed in. */
  actorName?: string;
  requestId: string | null;
  ip: string;
}

export function systemCtx(deps: Deps, label: string): Ctx {
  return { ...deps, actor: null, actorLabel: label, requestId: null, ip: '127.0.0.1' };
}
