/**
 * `civiccert issuer show|rotate-key <program-code>`: a program's credential issuer (issue 18).
 * Rotation adds a signing key; earlier keys stay published so earlier credentials still verify.
 */
import pino from 'pino';
import type { Command } from 'commander';
import { DomainError } from '../../domain/errors.js';
import { systemCtx } from '../../server/context.js';
import type { Db } from '../../server/db/database.js';
import { issuerView, rotateIssuerKey } from '../../server/modules/issuers/issuers.service.js';
import { createMailer } from '../../server/modules/mail/mailer.js';
import { withSecretsKey } from '../../server/secrets.js';
import type { WithDatabase } from './import.js';

async function programIdOf(db: Db, code: string): Promise<string> {
  const p = await db.selectFrom('program').select('id').where('code', '=', code).executeTakeFirst();
  if (!p) throw new DomainError('not_found', `There is no program with the code "${code}".`);
  return p.id;
}

export function registerIssuerCommands(cli: Command, withDatabase: WithDatabase): void {
  const issuer = cli
    .command('issuer')
    .description("A program's credential issuer: identity and signing keys");
  issuer
    .command('show')
    .argument('<program-code>', 'the program, by its code (e.g. ks-county-election-official)')
    .description("Print the issuer's did:web identifier, addresses and public keys")
    .action(async (code: string) => {
      await withDatabase(async (h, configured) => {
        const config = await withSecretsKey(configured);
        const view = await issuerView({ config, db: h.db }, await programIdOf(h.db, code));
        console.log(JSON.stringify(view, null, 2));
      });
    });
  issuer
    .command('rotate-key')
    .argument('<program-code>', 'the program, by its code')
    .description('Add a new signing key; it signs from now on, and the old keys stay published')
    .action(async (code: string) => {
      await withDatabase(async (h, configured) => {
        const config = await withSecretsKey(configured);
        const mailer = createMailer(config, h.db, pino({ level: process.env.LOG_LEVEL ?? 'warn' }));
        try {
          const ctx = systemCtx({ config, db: h.db, mailer, now: () => new Date() }, 'cli');
          const k = await rotateIssuerKey(ctx, await programIdOf(h.db, code));
          console.log(`Key ${k.keyNumber} now signs for ${k.issuer} (${k.verificationMethod}).`);
        } finally {
          mailer.close();
        }
      });
    });
}
