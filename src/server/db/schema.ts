/** Table types for Kysely. Keep in step with src/server/db/migrations. */
import type { ColumnType, Generated } from 'kysely';
import type { Role } from '../../domain/authz/index.js';

type Timestamp = ColumnType<string, string | undefined, string>;
type Json = ColumnType<unknown, string | undefined, string>;

export interface JurisdictionTable {
  fips: string;
  kind: 'state' | 'county';
  name: string;
  state_fips: string;
  state_code: string;
  state_name: string;
}

export interface PersonTable {
  id: Generated<string>;
  external_id: string | null;
  first_name: string;
  last_name: string;
  preferred_name: string | null;
  email: string;
  phone: string | null;
  title: string | null;
  jurisdiction_fips: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface UserAccountTable {
  id: Generated<string>;
  person_id: string;
  password_hash: string | null;
  roles: ColumnType<Role[], Role[] | undefined, Role[]>;
  disabled: Generated<boolean>;
  created_at: Generated<string>;
  password_changed_at: string | null;
  last_sign_in_at: string | null;
}

export interface AuthSessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<string>;
  expires_at: string;
  last_seen_at: Generated<string>;
  ip: string | null;
  user_agent: string | null;
}

export interface PasswordTokenTable {
  token_hash: string;
  user_id: string;
  purpose: 'set' | 'reset';
  created_at: Generated<string>;
  expires_at: string;
  used_at: string | null;
}

export interface SignInAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string;
  at: Generated<string>;
  succeeded: boolean;
}

export interface EmailMessageTable {
  id: Generated<string>;
  created_at: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: Json;
  kind: string;
  status: 'queued' | 'sent' | 'stored' | 'failed';
  attempts: Generated<number>;
  sent_at: string | null;
  error: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  request_id: string | null;
}

export interface AppMetaTable {
  key: string;
  value: Json;
  updated_at: Generated<string>;
}

export interface DB {
  jurisdiction: JurisdictionTable;
  person: PersonTable;
  user_account: UserAccountTable;
  auth_session: AuthSessionTable;
  password_token: PasswordTokenTable;
  sign_in_attempt: SignInAttemptTable;
  email_message: EmailMessageTable;
  audit_log: AuditLogTable;
  app_meta: AppMetaTable;
}
