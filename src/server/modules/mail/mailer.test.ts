/**
 * Callers start a flush and move on (`void mailer.flush()`), so a flush that meets a closed
 * database must not reject: an unhandled rejection there once failed a test run whose every
 * test had passed, when a flush started by a request outlived its test app.
 */
import pino from 'pino';
import { expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createTestDatabase } from '../../testing/harness.js';
import { startTestSmtp } from '../../testing/smtp.js';
import { createMailer } from './mailer.js';

it('a flush against a database that is gone resolves (nothing sent, the messages stay queued) instead of rejecting', async () => {
  const smtp = await startTestSmtp();
  const { db, drop } = await createTestDatabase();
  const config = loadConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) });
  const mailer = createMailer(config, db, pino({ level: 'silent' }));
  await mailer.enqueue(db, { to: 'ann@example.gov', subject: 'Hello', text: 'Hi', kind: 'test' });
  await drop(); // destroys the pool, then drops the database
  await expect(mailer.flush()).resolves.toBe(0);
  mailer.close();
  await expect(mailer.flush()).resolves.toBe(0);
  await smtp.close();
});
