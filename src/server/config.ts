/**
 * The only reader of process.env. Every setting has a default that suits the
 * embedded demo; see .env.example for what each one means.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { roles, type Role } from '../domain/authz/index.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int({ message: `${name} must be a whole number` })
    .min(0, { message: `${name} must be between 0 and 65535` })
    .max(65535, { message: `${name} must be between 0 and 65535` });

/** Names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY, as Fastify's `trustProxy` takes it: false (the default), true
 * (every hop: only when nothing but the proxy can reach the app), a number of
 * proxy hops, or a comma-separated list of proxy addresses and CIDR ranges.
 */
const trustProxy = z.string().transform((raw, zctx): boolean | number | string[] => {
  const value = raw.trim().toLowerCase();
  if (['false', 'no', 'off'].includes(value)) return false;
  if (['true', 'yes', 'on'].includes(value)) return true;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (!entries.length || bad.length) {
    zctx.addIssue({
      code: 'custom',
      message: `must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges such as 10.0.0.5,192.168.0.0/16${bad.length ? ` (not an address: ${bad.join(', ')})` : ''}`,
    });
    return z.NEVER;
  }
  return entries;
});

/** A 256-bit key: 64 hex digits or base64 (`openssl rand -base64 32`). */
const key256 = z.string().transform((raw, zctx): Buffer => {
  const value = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(value)
      ? Buffer.from(value, 'base64')
      : null;
  if (key?.length !== 32) {
    zctx.addIssue({
      code: 'custom',
      message:
        'must be 32 random bytes written as 64 hex digits or base64, e.g. the output of `openssl rand -base64 32`',
    });
    return z.NEVER;
  }
  return key;
});

/**
 * One OpenID Connect provider (issue 17, item 1), as written in OIDC_PROVIDERS (a JSON array) or
 * the JSON file OIDC_PROVIDERS_FILE names. See docs/identity.md, "Single sign-on".
 */
const oidcProviderSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
      message: 'must be 1 to 40 lower-case letters, digits or hyphens (it appears in addresses)',
    }),
    name: z.string().trim().min(1).max(60),
    issuer: z.url({ message: 'must be the issuer URL, such as https://idp.int.identitysandbox.gov/' }),
    clientId: z.string().min(1).max(300),
    clientAuth: z.enum(['private_key_jwt', 'client_secret_basic'], {
      message: 'must be private_key_jwt or client_secret_basic',
    }),
    /** private_key_jwt: the private key as a JWK object, a JWK in JSON or a PEM; or privateKeyFile. */
    privateKey: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    privateKeyFile: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    scopes: z
      .array(z.string().regex(/^[\x21-\x7e]+$/))
      .min(1)
      .default(['openid', 'email', 'profile']),
    acrValues: z.string().min(1).optional(),
    /** What counts as the provider's own two-step sign-in: any of these amr values, or one of these acr. */
    mfa: z
      .strictObject({
        amr: z.array(z.string().min(1)).default(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fido']),
        acr: z.array(z.string().min(1)).default([]),
      })
      .default({ amr: ['mfa', 'otp', 'hwk', 'swk', 'sc', 'fido'], acr: [] }),
    /** Just-in-time creation: off unless given; then only for these e-mail domains, with this role. */
    jit: z
      .strictObject({
        domains: z
          .array(z.string().trim().toLowerCase().min(3))
          .min(1, { message: 'name at least one domain' }),
        role: z.enum(roles).default('official'),
      })
      .optional(),
  })
  .superRefine((p, zctx) => {
    if (p.clientAuth === 'private_key_jwt' && !p.privateKey && !p.privateKeyFile)
      zctx.addIssue({
        code: 'custom',
        message: `${p.id}: private_key_jwt needs privateKey or privateKeyFile`,
      });
    if (p.clientAuth === 'client_secret_basic' && !p.clientSecret)
      zctx.addIssue({ code: 'custom', message: `${p.id}: client_secret_basic needs clientSecret` });
    if (!p.scopes.includes('openid'))
      zctx.addIssue({ code: 'custom', message: `${p.id}: scopes must include openid` });
  });

export interface OidcProviderConfig {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientAuth: 'private_key_jwt' | 'client_secret_basic';
  /** private_key_jwt: the key as a JWK (a PEM is turned into one when the server starts). */
  privateKey: string | Record<string, unknown> | null;
  clientSecret: string | null;
  scopes: string[];
  acrValues: string | null;
  mfa: { amr: string[]; acr: string[] };
  jit: { domains: string[]; role: Role } | null;
}

/** Reads and checks the providers (the env var's JSON, or the file's), reporting problems by name. */
function loadOidcProviders(
  env: Record<string, string | undefined>,
  problems: string[],
): OidcProviderConfig[] {
  let raw: string | undefined = env.OIDC_PROVIDERS;
  let source = 'OIDC_PROVIDERS';
  if (!raw && env.OIDC_PROVIDERS_FILE) {
    source = 'OIDC_PROVIDERS_FILE';
    try {
      raw = readFileSync(env.OIDC_PROVIDERS_FILE, 'utf8');
    } catch (e) {
      problems.push(`OIDC_PROVIDERS_FILE: cannot read ${env.OIDC_PROVIDERS_FILE}: ${(e as Error).message}`);
      return [];
    }
  }
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    problems.push(`${source}: must be a JSON array of providers (see docs/identity.md)`);
    return [];
  }
  const parsed = z.array(oidcProviderSchema).safeParse(json);
  if (!parsed.success) {
    for (const i of parsed.error.issues) problems.push(`${source}: ${i.path.join('.')}: ${i.message}`);
    return [];
  }
  const ids = parsed.data.map((p) => p.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) problems.push(`${source}: provider ids must differ (${twice.join(', ')} twice)`);
  return parsed.data.map((p) => {
    let privateKey: OidcProviderConfig['privateKey'] = p.privateKey ?? null;
    if (!privateKey && p.privateKeyFile) {
      try {
        privateKey = readFileSync(p.privateKeyFile, 'utf8');
      } catch (e) {
        problems.push(`${source}: ${p.id}: cannot read privateKeyFile: ${(e as Error).message}`);
      }
    }
    if (env.NODE_ENV === 'production' && !p.issuer.startsWith('https://'))
      problems.push(`${source}: ${p.id}: the issuer must use https:// in production`);
    return {
      id: p.id,
      name: p.name,
      issuer: p.issuer,
      clientId: p.clientId,
      clientAuth: p.clientAuth,
      privateKey,
      clientSecret: p.clientSecret ?? null,
      scopes: p.scopes,
      acrValues: p.acrValues ?? null,
      mfa: p.mfa,
      jit: p.jit ?? null,
    };
  });
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port('PORT').default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TRUST_PROXY: trustProxy.optional(),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://cert.example.gov' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must start with postgres:// or postgresql://' })
    .optional(),
  CIVICCERT_DATA_DIR: z.string().min(1).default('./data'),
  DB_POOL_MAX: z.coerce.number({ message: 'must be a number' }).int().min(1).max(500).default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int().min(0).default(30_000),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port('SMTP_PORT').default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().min(3).default('CivicCert <no-reply@civiccert.local>'),
  ORG_NAME: z.string().min(1).max(120).default('Kansas Secretary of State · Elections Division'),
  ORG_LOGO_URL: z.string().optional(),
  ORG_STATE: z
    .string()
    .regex(/^[A-Za-z]{2}$/, { message: 'must be a two-letter state code such as KS' })
    .transform((s) => s.toUpperCase())
    .default('KS'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number({ message: 'must be a number' }).positive().default(12),
  COOKIE_SECURE: bool.optional(),
  DEMO_DATA: bool.default(true),
  SIGN_IN_MAX_FAILURES: z.coerce.number({ message: 'must be a number' }).int().min(1).default(5),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number({ message: 'must be a number' }).int().min(1).default(15),
  REMINDER_DAYS_BEFORE: z.coerce.number({ message: 'must be a number' }).int().min(0).max(60).default(3),
  SECRETS_KEY: key256.optional(),
  BACKUP_KEY: key256.optional(),
  STAFF_TOTP: z.enum(['required', 'optional'], { message: 'must be required or optional' }).optional(),
  METRICS_TOKEN: z
    .string()
    .min(16, { message: 'must be at least 16 characters (a long random value)' })
    .regex(/^[\x21-\x7e]+$/, { message: 'must be printable characters without spaces' })
    .optional(),
  HEALTH_DB_GRACE_SECONDS: z.coerce.number({ message: 'must be a number' }).int().min(0).default(60),
  EMBEDDED_PG_MAX_RESTARTS: z.coerce.number({ message: 'must be a number' }).int().min(0).max(100).default(5),
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: bool.optional(),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(60).default(10),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(20).default(8),
  WEBHOOK_RETRY_DELAY_SECONDS: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1)
    .max(3600)
    .default(30),
  LOCAL_PASSWORDS: bool.default(true),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(1)
    .max(300)
    .default(10),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /**
   * Whose X-Forwarded-For to believe (Fastify's trustProxy): false, true, a hop
   * count, or proxy addresses/CIDR ranges. Off unless TRUST_PROXY says so.
   */
  trustProxy: boolean | number | string[];
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  db: { poolMax: number; statementTimeoutMs: number };
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string } | null;
  mailFrom: string;
  /** `state`: the postal code of the state whose counties people pages offer first. */
  organization: { name: string; logoUrl: string | null; state: string };
  logLevel: string;
  sessionTtlHours: number;
  cookieSecure: boolean;
  demoData: boolean;
  signIn: { maxFailures: number; windowMinutes: number };
  /** Session reminders go out this many days before the start. */
  reminderDaysBefore: number;
  /**
   * Two-step sign-in for staff (any role besides official). 'required': a staff
   * account without an authenticator can do nothing but set one up. Default:
   * required in production, optional elsewhere (demo, development, tests).
   */
  staffTotp: 'required' | 'optional';
  /**
   * SECRETS_KEY: encrypts the two-step sign-in secrets in the database
   * (AES-256-GCM). Required in production; elsewhere, when unset, the server
   * keeps a generated key in CIVICCERT_DATA_DIR/secrets.key (see secrets-key.ts).
   */
  secretsKey: Buffer | null;
  /** BACKUP_KEY: encrypts `civiccert backup --encrypt` files and decrypts them on restore. */
  backupKey: Buffer | null;
  webRoot: string;
  /** Bearer token for GET /metrics; null: /metrics answers 404. */
  metricsToken: string | null;
  /** /healthz fails once the database has been unreachable this long (a supervisor then restarts us). */
  healthDbGraceSeconds: number;
  /** Restart attempts when the embedded PostgreSQL dies on its own. */
  embeddedPgMaxRestarts: number;
  /** A shutdown (SIGINT/SIGTERM) finishes within this many seconds, forced if need be. */
  shutdownTimeoutSeconds: number;
  /**
   * Webhook deliveries (docs/webhooks.md): private and loopback addresses are refused unless
   * allowed (default: allowed outside production); each attempt times out; after `maxAttempts`
   * a delivery is marked failed; pg-boss waits about `retryDelaySeconds`, doubling, between attempts.
   */
  webhooks: {
    allowPrivateAddresses: boolean;
    timeoutMs: number;
    maxAttempts: number;
    retryDelaySeconds: number;
  };
  /**
   * Single sign-on (issue 17, item 1): the OpenID Connect providers (OIDC_PROVIDERS or
   * OIDC_PROVIDERS_FILE), and whether local passwords work at all (LOCAL_PASSWORDS; on by default).
   */
  oidc: { providers: OidcProviderConfig[]; localPasswords: boolean };
  /** Settings that work but are probably wrong: `civiccert serve` logs each as a warning at start-up. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset so `FOO=` in a .env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (cleaned.NODE_ENV === 'production' && !cleaned.SECRETS_KEY)
    problems.push(
      'SECRETS_KEY: required when NODE_ENV=production (it encrypts the two-step sign-in secrets): 32 random bytes, e.g. the output of `openssl rand -base64 32`; keep it apart from the backups',
    );
  // Outside the demo, links that say localhost reach nobody: e-mails, QR codes, certificates.
  if (cleaned.NODE_ENV === 'production' && !cleaned.PUBLIC_URL)
    problems.push(
      'PUBLIC_URL: required when NODE_ENV=production: the address people use to reach CivicCert, such as https://cert.example.gov; links in e-mails, QR codes and certificates point to it',
    );
  const oidcProviders = loadOidcProviders(cleaned, problems);
  if (parsed.success && !parsed.data.LOCAL_PASSWORDS && oidcProviders.length === 0)
    problems.push(
      'LOCAL_PASSWORDS: can be false only with at least one OpenID provider in OIDC_PROVIDERS or OIDC_PROVIDERS_FILE; otherwise nobody could sign in',
    );
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const warnings = e.PUBLIC_URL
    ? []
    : [
        `PUBLIC_URL is not set: links in e-mails, QR codes and certificates will say ${publicUrl}, which only this computer can open. Set PUBLIC_URL to the address people use to reach CivicCert, such as https://cert.example.gov (it is required when NODE_ENV=production).`,
      ];
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY ?? false,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.CIVICCERT_DATA_DIR),
    db: { poolMax: e.DB_POOL_MAX, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS },
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE,
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
        }
      : null,
    mailFrom: e.MAIL_FROM,
    organization: { name: e.ORG_NAME, logoUrl: e.ORG_LOGO_URL ?? null, state: e.ORG_STATE },
    logLevel: e.LOG_LEVEL,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
    demoData: e.DEMO_DATA,
    signIn: { maxFailures: e.SIGN_IN_MAX_FAILURES, windowMinutes: e.SIGN_IN_WINDOW_MINUTES },
    reminderDaysBefore: e.REMINDER_DAYS_BEFORE,
    staffTotp: e.STAFF_TOTP ?? (e.NODE_ENV === 'production' ? 'required' : 'optional'),
    secretsKey: e.SECRETS_KEY ?? null,
    backupKey: e.BACKUP_KEY ?? null,
    webRoot: path.resolve('dist/web'),
    metricsToken: e.METRICS_TOKEN ?? null,
    healthDbGraceSeconds: e.HEALTH_DB_GRACE_SECONDS,
    embeddedPgMaxRestarts: e.EMBEDDED_PG_MAX_RESTARTS,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    webhooks: {
      allowPrivateAddresses: e.WEBHOOK_ALLOW_PRIVATE_ADDRESSES ?? e.NODE_ENV !== 'production',
      timeoutMs: e.WEBHOOK_TIMEOUT_SECONDS * 1000,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryDelaySeconds: e.WEBHOOK_RETRY_DELAY_SECONDS,
    },
    oidc: { providers: oidcProviders, localPasswords: e.LOCAL_PASSWORDS },
    warnings,
  };
}
