/**
 * Secrets at rest: short values sealed with AES-256-GCM under SECRETS_KEY
 * before they are stored (the two-step sign-in secrets), and the development
 * key file used when SECRETS_KEY is unset outside production.
 *
 * A sealed value reads `v1:` + base64(12-byte random nonce | ciphertext |
 * 16-byte tag). The caller names what the value is for (e.g. the account it
 * belongs to) as associated data, so a sealed value copied to another row
 * does not open. Values without the prefix are plaintext from before sealing
 * existed; they open as they are until the start-up sweep seals them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.js';

const PREFIX = 'v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretsKeyError extends Error {}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

export function sealSecret(key: Buffer, purpose: string, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

/** The plaintext of a sealed value (or a legacy plaintext value as it is). */
export function openSecret(key: Buffer, purpose: string, stored: string): string {
  if (!isSealed(stored)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretsKeyError('A stored secret is damaged.');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SecretsKeyError(
      'A stored secret cannot be decrypted: SECRETS_KEY is not the key it was encrypted with (or the value was changed).',
    );
  }
}

/** The key to seal with; only the server start-up leaves it unset (development key file). */
export function secretsKeyOf(config: Config): Buffer {
  if (!config.secretsKey) throw new SecretsKeyError('SECRETS_KEY is not set.');
  return config.secretsKey;
}

export const SECRETS_KEY_FILE = 'secrets.key';

/**
 * The configuration with a secrets key: SECRETS_KEY when set (always in
 * production, which config.ts enforces); otherwise the key kept in
 * CIVICCERT_DATA_DIR/secrets.key, generated on first use, so `npm start`
 * needs no configuration and restarts keep reading the same secrets.
 */
export async function withSecretsKey(config: Config): Promise<Config> {
  if (config.secretsKey) return config;
  if (config.env === 'production') throw new SecretsKeyError('SECRETS_KEY is required in production.');
  const file = path.join(config.dataDir, SECRETS_KEY_FILE);
  await mkdir(config.dataDir, { recursive: true });
  try {
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== 32) throw new SecretsKeyError(`${file} does not hold a 32-byte base64 key.`);
  return { ...config, secretsKey: key };
}
