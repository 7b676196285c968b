import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { openSecret, sealSecret, SecretsKeyError, withSecretsKey } from './secrets.js';

describe('secrets at rest', () => {
  it('seals with a random nonce, opens only with the same key and purpose', () => {
    const key = Buffer.alloc(32, 3);
    const a = sealSecret(key, 'user_account.totp:1', 'JBSWY3DPEHPK3PXP');
    const b = sealSecret(key, 'user_account.totp:1', 'JBSWY3DPEHPK3PXP');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(openSecret(key, 'user_account.totp:1', a)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => openSecret(Buffer.alloc(32, 4), 'user_account.totp:1', a)).toThrow(SecretsKeyError);
    expect(() => openSecret(key, 'user_account.totp:2', a)).toThrow(SecretsKeyError);
    expect(openSecret(key, 'user_account.totp:1', 'JBSWY3DPEHPK3PXP')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('outside production without SECRETS_KEY, keeps one generated key in the data folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-secrets-'));
    try {
      const config = loadConfig({ CIVICCERT_DATA_DIR: dir });
      const first = await withSecretsKey(config);
      const second = await withSecretsKey(config);
      expect(first.secretsKey).toHaveLength(32);
      expect(second.secretsKey).toEqual(first.secretsKey);
      const file = path.join(dir, 'secrets.key');
      expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toEqual(first.secretsKey);
      expect((await stat(file)).mode & 0o077).toBe(0);
      const given = loadConfig({ CIVICCERT_DATA_DIR: dir, SECRETS_KEY: 'cd'.repeat(32) });
      expect((await withSecretsKey(given)).secretsKey).toEqual(Buffer.from('cd'.repeat(32), 'hex'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
