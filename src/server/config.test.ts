import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('loadConfig accepted a bad configuration');
}

describe('loadConfig', () => {
  it('has a default for every setting that suits the embedded demo', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: path.resolve('./data'),
      db: { poolMax: 10, statementTimeoutMs: 30_000 },
      smtp: null,
      logLevel: 'info',
      sessionTtlHours: 12,
      cookieSecure: false,
      demoData: true,
      signIn: { maxFailures: 5, windowMinutes: 15 },
    });
    expect(c.mailFrom).toMatch(/@/);
    expect(c.organization.name.length).toBeGreaterThan(0);
    expect(c.organization.state).toBe('KS');
    expect(c.staffTotp).toBe('optional');
  });

  it('requires two-step sign-in for staff in production unless told otherwise', () => {
    const production = {
      NODE_ENV: 'production',
      SECRETS_KEY: 'ab'.repeat(32),
      PUBLIC_URL: 'https://cert.example.gov',
    };
    expect(loadConfig(production).staffTotp).toBe('required');
    expect(loadConfig({ ...production, STAFF_TOTP: 'optional' }).staffTotp).toBe('optional');
    expect(loadConfig({ STAFF_TOTP: 'required' }).staffTotp).toBe('required');
    expect(loadConfig({ ORG_STATE: 'tx' }).organization.state).toBe('TX');
  });

  it('reads the settings it is given', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://cert.example.gov/',
      DATABASE_URL: 'postgresql://u:p@db.example.gov:5432/civiccert',
      CIVICCERT_DATA_DIR: '/var/lib/civiccert',
      DB_POOL_MAX: '25',
      DB_STATEMENT_TIMEOUT_MS: '5000',
      SMTP_HOST: 'smtp.example.gov',
      SMTP_PORT: '2525',
      SMTP_SECURE: 'true',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: 'secret',
      DEMO_DATA: 'false',
    });
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: 'https://cert.example.gov', // trailing slash dropped
      cookieSecure: true, // follows an https public URL
      databaseUrl: 'postgresql://u:p@db.example.gov:5432/civiccert',
      dataDir: '/var/lib/civiccert',
      db: { poolMax: 25, statementTimeoutMs: 5000 },
      smtp: { host: 'smtp.example.gov', port: 2525, secure: true, user: 'mailer', password: 'secret' },
      demoData: false,
    });
  });

  it('treats an empty value as unset, so `FOO=` in a .env file falls back to the default', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '', SMTP_HOST: '' });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.smtp).toBeNull();
  });

  it('lists every problem at once, each naming its setting', () => {
    const problems = problemsOf({
      PORT: 'abc',
      DATABASE_URL: 'mysql://x',
      SMTP_PORT: '99999',
      PUBLIC_URL: 'notaurl',
    });
    expect(problems).toHaveLength(4);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: .*number/),
        expect.stringMatching(/^DATABASE_URL: .*postgres:\/\//),
        expect.stringMatching(/^SMTP_PORT: .*between 0 and 65535/),
        expect.stringMatching(/^PUBLIC_URL: .*absolute URL/),
      ]),
    );
  });

  it('trusts X-Forwarded-For from nobody unless TRUST_PROXY names the proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        SECRETS_KEY: 'a'.repeat(64),
        PUBLIC_URL: 'https://cert.example.gov',
      }).trustProxy,
    ).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 192.168.0.0/16,::1,fd00::/8,loopback' }).trustProxy).toEqual(
      ['10.0.0.5', '192.168.0.0/16', '::1', 'fd00::/8', 'loopback'],
    );
    for (const bad of ['proxy.example.gov', '10.0.0.0/33', '10.0.0.300', '::1/129', '10.0.0.0/8/1', ', ,']) {
      const problems = problemsOf({ TRUST_PROXY: bad });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^TRUST_PROXY: must be false, true, a number of proxy hops, or a comma-separated list/,
      );
    }
  });

  it('requires SECRETS_KEY in production, and reads 32-byte keys as hex or base64', () => {
    const problems = problemsOf({ NODE_ENV: 'production', PUBLIC_URL: 'https://cert.example.gov' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SECRETS_KEY: required when NODE_ENV=production/);
    expect(loadConfig({}).secretsKey).toBeNull();
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ SECRETS_KEY: key.toString('hex') }).secretsKey).toEqual(key);
    expect(loadConfig({ SECRETS_KEY: key.toString('base64') }).secretsKey).toEqual(key);
    expect(loadConfig({ BACKUP_KEY: key.toString('base64url') }).backupKey).toEqual(key);
    for (const bad of ['secret', 'ab'.repeat(31), Buffer.alloc(16).toString('base64')]) {
      expect(problemsOf({ SECRETS_KEY: bad, BACKUP_KEY: bad }).map((p) => p.split(':')[0])).toEqual([
        'SECRETS_KEY',
        'BACKUP_KEY',
      ]);
    }
  });

  it('without PUBLIC_URL warns that links will say localhost, and production refuses to start', () => {
    expect(loadConfig({}).warnings).toEqual([
      'PUBLIC_URL is not set: links in e-mails, QR codes and certificates will say http://localhost:3000, which only this computer can open. Set PUBLIC_URL to the address people use to reach CivicCert, such as https://cert.example.gov (it is required when NODE_ENV=production).',
    ]);
    expect(loadConfig({ PUBLIC_URL: 'https://cert.example.gov' }).warnings).toEqual([]);
    const problems = problemsOf({ NODE_ENV: 'production', SECRETS_KEY: 'ab'.repeat(32) });
    expect(problems).toEqual([
      'PUBLIC_URL: required when NODE_ENV=production: the address people use to reach CivicCert, such as https://cert.example.gov; links in e-mails, QR codes and certificates point to it',
    ]);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        SECRETS_KEY: 'ab'.repeat(32),
        PUBLIC_URL: 'https://cert.example.gov/',
      }),
    ).toMatchObject({ publicUrl: 'https://cert.example.gov', warnings: [] });
  });

  it('rejects other bad values with a readable message', () => {
    const problems = problemsOf({
      PORT: '80.5',
      DB_POOL_MAX: '0',
      LOG_LEVEL: 'loud',
      SMTP_SECURE: 'maybe',
      DEMO_DATA: 'sure',
      NODE_ENV: 'staging',
      STAFF_TOTP: 'sometimes',
      ORG_STATE: 'Kansas',
    });
    const fields = problems.map((p) => p.split(':')[0]);
    expect(fields.sort()).toEqual(
      [
        'DB_POOL_MAX',
        'DEMO_DATA',
        'LOG_LEVEL',
        'NODE_ENV',
        'ORG_STATE',
        'PORT',
        'SMTP_SECURE',
        'STAFF_TOTP',
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith('ORG_STATE:'))).toMatch(/two-letter state code/);
    expect(problems.find((p) => p.startsWith('STAFF_TOTP:'))).toMatch(/required or optional/);
    expect(problems.find((p) => p.startsWith('PORT:'))).toMatch(/whole number/);
    expect(problems.find((p) => p.startsWith('SMTP_SECURE:'))).toMatch(/true or false/);
  });

  it('reads and checks the operations settings', () => {
    expect(loadConfig({})).toMatchObject({
      metricsToken: null,
      healthDbGraceSeconds: 60,
      embeddedPgMaxRestarts: 5,
      shutdownTimeoutSeconds: 10,
    });
    expect(
      loadConfig({ METRICS_TOKEN: 'a-long-random-token-1234', HEALTH_DB_GRACE_SECONDS: '0' }),
    ).toMatchObject({ metricsToken: 'a-long-random-token-1234', healthDbGraceSeconds: 0 });
    const problems = problemsOf({
      METRICS_TOKEN: 'short',
      HEALTH_DB_GRACE_SECONDS: 'soon',
      EMBEDDED_PG_MAX_RESTARTS: '-1',
      SHUTDOWN_TIMEOUT_SECONDS: '0',
    });
    for (const setting of [
      'METRICS_TOKEN',
      'HEALTH_DB_GRACE_SECONDS',
      'EMBEDDED_PG_MAX_RESTARTS',
      'SHUTDOWN_TIMEOUT_SECONDS',
    ])
      expect(problems.some((p) => p.startsWith(`${setting}: `))).toBe(true);
  });

  it('the error message is a readable list with one line per problem', () => {
    try {
      loadConfig({ PORT: 'abc', PUBLIC_URL: 'notaurl' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(
        'Invalid configuration:\n' +
          '  - PORT: PORT must be a number\n' +
          '  - PUBLIC_URL: must be an absolute URL such as https://cert.example.gov',
      );
    }
  });

  it('reads OpenID providers and refuses incomplete ones by name (issue 17)', () => {
    expect(loadConfig({}).oidc).toEqual({ providers: [], localPasswords: true });
    const entra = {
      id: 'entra',
      name: 'Entra ID',
      issuer: 'https://login.microsoftonline.com/t/v2.0',
      clientId: 'app',
      clientAuth: 'client_secret_basic',
      clientSecret: 's3cret',
    };
    const c = loadConfig({ OIDC_PROVIDERS: JSON.stringify([entra]), LOCAL_PASSWORDS: 'false' });
    expect(c.oidc.localPasswords).toBe(false);
    expect(c.oidc.providers[0]).toMatchObject({
      id: 'entra',
      scopes: ['openid', 'email', 'profile'],
      jit: null,
      mfa: { amr: expect.arrayContaining(['mfa', 'otp', 'hwk']), acr: [] },
    });
    expect(problemsOf({ OIDC_PROVIDERS: '{not json' })).toEqual([
      'OIDC_PROVIDERS: must be a JSON array of providers (see docs/identity.md)',
    ]);
    expect(
      problemsOf({
        OIDC_PROVIDERS: JSON.stringify([
          { ...entra, clientAuth: 'private_key_jwt', clientSecret: undefined },
        ]),
      }),
    ).toEqual(['OIDC_PROVIDERS: 0: entra: private_key_jwt needs privateKey or privateKeyFile']);
    expect(problemsOf({ OIDC_PROVIDERS: JSON.stringify([entra, entra]) })).toEqual([
      'OIDC_PROVIDERS: provider ids must differ (entra twice)',
    ]);
    expect(problemsOf({ LOCAL_PASSWORDS: 'false' })[0]).toMatch(/^LOCAL_PASSWORDS: can be false only with/);
    expect(
      problemsOf({
        NODE_ENV: 'production',
        SECRETS_KEY: 'a'.repeat(64),
        PUBLIC_URL: 'https://cert.example.gov',
        OIDC_PROVIDERS: JSON.stringify([{ ...entra, issuer: 'http://idp.example.gov' }]),
      }),
    ).toEqual(['OIDC_PROVIDERS: entra: the issuer must use https:// in production']);
  });
});

describe('civiccert serve with bad configuration', () => {
  it('exits non-zero and prints every problem, without a stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      cwd: path.resolve('.'),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: 'abc',
        DATABASE_URL: 'mysql://x',
        SMTP_PORT: '99999',
        PUBLIC_URL: 'notaurl',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(out).toContain('Invalid configuration:');
    for (const setting of ['PORT', 'DATABASE_URL', 'SMTP_PORT', 'PUBLIC_URL'])
      expect(out).toMatch(new RegExp(`^  - ${setting}: `, 'm'));
    expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack frames
    expect(out).not.toMatch(/ZodError|ConfigError/);
  }, 30_000);
});
