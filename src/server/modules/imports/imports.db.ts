/** Table types for migrations 0008 and 0013 (imports), and the database seen with them. */
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Db } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

export interface ImportRunTable {
  id: Generated<string>;
  kind: 'officials' | 'credits' | 'awards' | 'facts';
  filename: string;
  dry_run: boolean;
  status: 'validating' | 'importing' | 'validated' | 'invalid' | 'succeeded' | 'failed';
  total_rows: Generated<number>;
  processed_rows: Generated<number>;
  created_count: Generated<number>;
  updated_count: Generated<number>;
  unchanged_count: Generated<number>;
  error_count: Generated<number>;
  errors: ColumnType<unknown, string | undefined, string>;
  message: string | null;
  started_at: string;
  finished_at: string | null;
  started_by: string | null;
  actor_label: string;
}

export interface ImportKeyTable {
  kind: 'credit' | 'award' | 'fact';
  external_id: string;
  entity_id: string;
  fingerprint: string;
  note: string | null;
  run_id: string | null;
}

export type ImportDB = DB & { import_run: ImportRunTable; import_key: ImportKeyTable };

/** The same connection or transaction, typed with the import tables. */
export const idb = (db: Db): Kysely<ImportDB> => db as unknown as Kysely<ImportDB>;
