/** `civiccert status recompute`: the scheduled certification sweep, now. */
import pino from 'pino';
import type { Command } from 'commander';
import { runCertificationSweep } from '../../server/modules/certification/evaluation.js';
import { createMailer } from '../../server/modules/mail/mailer.js';
import type { WithDatabase } from './import.js';

export function registerStatusCommands(cli: Command, withDatabase: WithDatabase): void {
  cli
    .command('status')
    .description('Certification status')
    .command('recompute')
    .description(
      "Recompute every official's certification and renewal status now (lapses, reminders, notices)",
    )
    .action(async () => {
      await withDatabase(async (h, cfg) => {
        const mailer = createMailer(cfg, h.db, pino({ level: process.env.LOG_LEVEL ?? 'warn' }));
        const { evaluated } = await runCertificationSweep(
          { config: cfg, db: h.db, mailer, now: () => new Date() },
          { everyone: true },
        );
        mailer.close();
        const counts = await h.db
          .selectFrom('certification_status')
          .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('status')
          .orderBy('status')
          .execute();
        console.log(`Recomputed the certification status of ${evaluated} enrolled or awarded officials.`);
        for (const c of counts) console.log(`  ${c.status.padEnd(16)} ${c.n}`);
      });
    });
}
