/**
 * The only reader of process.env. Every setting has a default that suits the
 * embedded demo; see .env.example for what each one means.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (name: string) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int({ message: `${name} must be a whole number` })
    .min(0, { message: `${name} must be between 0 and 65535` })
    .max(65535, { message: `${name} must be between 0 and 65535` });

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port('PORT').default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
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
  STAFF_TOTP: z.enum(['required', 'optional'], { message: 'must be required or optional' }).optional(),
  METRICS_TOKEN: z
    .string()
    .min(16, { message: 'must be at least 16 characters (a long random value)' })
    .regex(/^[\x21-\x7e]+$/, { message: 'must be printable characters without spaces' })
    .optional(),
  HEALTH_DB_GRACE_SECONDS: z.coerce.number({ message: 'must be a number' }).int().min(0).default(60),
  EMBEDDED_PG_MAX_RESTARTS: z.coerce.number({ message: 'must be a number' }).int().min(0).max(100).default(5),
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
  webRoot: string;
  /** Bearer token for GET /metrics; null: /metrics answers 404. */
  metricsToken: string | null;
  /** /healthz fails once the database has been unreachable this long (a supervisor then restarts us). */
  healthDbGraceSeconds: number;
  /** Restart attempts when the embedded PostgreSQL dies on its own. */
  embeddedPgMaxRestarts: number;
  /** A shutdown (SIGINT/SIGTERM) finishes within this many seconds, forced if need be. */
  shutdownTimeoutSeconds: number;
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
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
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
    webRoot: path.resolve('dist/web'),
    metricsToken: e.METRICS_TOKEN ?? null,
    healthDbGraceSeconds: e.HEALTH_DB_GRACE_SECONDS,
    embeddedPgMaxRestarts: e.EMBEDDED_PG_MAX_RESTARTS,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
  };
}
