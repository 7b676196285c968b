/** `civiccert export <officials|credits|awards|facts> FILE [--program ID]`: the import formats, CSV or XLSX by extension. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { importKinds } from '../../contract/imports.js';
import { exportFile } from '../../server/modules/imports/export.service.js';
import { checkKind, CliError, type WithDatabase } from './import.js';

export function registerExportCommand(cli: Command, withDatabase: WithDatabase): void {
  cli
    .command('export')
    .description(
      'Export officials, credits, awards or person facts in the format `civiccert import` reads (.csv or .xlsx)',
    )
    .argument('<kind>', `what to export: ${importKinds.join(', ')}`)
    .argument('<file>', 'the file to write; .xlsx writes a workbook, anything else CSV')
    .option('--program <id>', 'only this program (id or code) for credits, awards and facts')
    .action(async (kindArg: string, file: string, o: { program?: string }) => {
      const kind = checkKind(kindArg);
      await withDatabase(async (h) => {
        let programId: string | undefined;
        if (o.program) {
          const p = await h.db
            .selectFrom('program')
            .select('id')
            .where((eb) =>
              /^[0-9a-f-]{36}$/i.test(o.program!) ? eb('id', '=', o.program!) : eb('code', '=', o.program!),
            )
            .executeTakeFirst();
          if (!p) throw new CliError(`There is no program "${o.program}".`);
          programId = p.id;
        }
        const { bytes, rows } = await exportFile(h.db, kind, file, programId);
        try {
          writeFileSync(file, bytes);
        } catch (e) {
          throw new CliError(`Cannot write "${file}": ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
        }
        console.log(`Exported ${rows} ${kind} ${rows === 1 ? 'row' : 'rows'} to ${file}.`);
      });
    });
}
