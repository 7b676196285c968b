/** Table types for Kysely. Keep in step with src/server/db/migrations. */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';
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
  /** 0009: two-step sign-in. The confirmed secret (base32), set once a code has proved it. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0009: a secret being set up, not yet confirmed with a code. */
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0009: the last time step accepted, so a code works once. */
  totp_last_counter: ColumnType<string | null, number | null | undefined, number | null>;
}

/**
 * 0029, renamed in 0031: the counties an account is limited to (a county supervisor's, and a
 * coordinator's when scoped to counties).
 */
export interface AccountCountyTable {
  user_id: string;
  jurisdiction_fips: string;
}

/** 0031: the programs a coordinator is limited to (none: every program). */
export interface CoordinatorProgramTable {
  user_id: string;
  program_id: string;
}

/** 0009: single-use recovery codes for two-step sign-in, stored as hashes. */
export interface RecoveryCodeTable {
  user_id: string;
  code_hash: string;
  created_at: Generated<string>;
  used_at: string | null;
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
  /** 0030: the OpenID provider that opened the session, and its ID token (for signing out there). */
  oidc_provider: ColumnType<string | null, string | null | undefined, string | null>;
  oidc_id_token: ColumnType<string | null, string | null | undefined, string | null>;
  /** 0030: the provider asserted its own two-step sign-in (amr/acr), which stands in for TOTP. */
  provider_mfa: Generated<boolean>;
}

/** 0030: an account's link to an OpenID provider's subject. */
export interface ExternalIdentityTable {
  id: Generated<string>;
  provider: string;
  subject: string;
  user_id: string;
  email: string | null;
  linked_by: 'email' | 'jit' | 'administrator';
  created_at: Generated<string>;
  last_sign_in_at: string | null;
}

/** 0030: an OpenID Connect sign-in under way (keyed by the hash of its state), used once. */
export interface OidcSignInTable {
  state_hash: string;
  provider: string;
  code_verifier: string;
  nonce: string;
  return_to: Generated<string>;
  user_id: string | null;
  id_token: string | null;
  created_at: Generated<string>;
  expires_at: string;
}

export interface PasswordTokenTable {
  token_hash: string;
  user_id: string;
  purpose: 'set' | 'reset';
  created_at: Generated<string>;
  expires_at: string;
  used_at: string | null;
}

/** 0010: a pending change of sign-in e-mail; the link e-mailed to the new address confirms it. */
export interface EmailChangeTable {
  token_hash: string;
  person_id: string;
  new_email: string;
  requested_by: string | null;
  created_at: Generated<string>;
  expires_at: string;
  confirmed_at: string | null;
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
  /** One-click unsubscribe address of a bulk notice (List-Unsubscribe); null for transactional mail. */
  list_unsubscribe: string | null;
  attachments: Json;
  kind: string;
  status: 'queued' | 'sent' | 'stored' | 'failed';
  attempts: Generated<number>;
  sent_at: string | null;
  error: string | null;
}

export interface NotificationOptOutTable {
  person_id: string;
  category: 'renewal-reminders' | 'status-notices' | 'session-reminders';
  created_at: Generated<string>;
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

// ------------------------------------------------ 0002 programs and sessions

export interface ProgramTable {
  id: Generated<string>;
  code: string;
  name: string;
  time_zone: string;
  fee_amount_cents: Generated<number>;
  partial_credit: Generated<boolean>;
  /** 0015: the fee per credit on outside-credit claims, in cents; 0 = no fee (the default). */
  claim_fee_per_credit_cents: Generated<number>;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface ProgramVersionTable {
  id: Generated<string>;
  program_id: string;
  version: string;
  effective_from: string;
  definition: Json;
  published: Generated<boolean>;
  published_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export type EnrollmentStatus = 'requested' | 'active' | 'withdrawn' | 'declined';
export type FeeStatus = 'unpaid' | 'paid' | 'waived' | 'invoiced';

export interface EnrollmentTable {
  id: Generated<string>;
  program_id: string;
  person_id: string;
  status: EnrollmentStatus;
  enrolled_on: string | null;
  pinned_version: string | null;
  fee_amount_cents: number;
  fee_status: FeeStatus;
  fee_method: string | null;
  receipt_number: string | null;
  requested_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  /** 0007: cohort ids from the program definition (e.g. pilot-2024). */
  cohorts: ColumnType<string[], string[] | undefined, string[]>;
  /** 0028: when and by whom a request was approved or declined, and why it was declined. */
  decided_at: ColumnType<string | null, string | null | undefined, string | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  decline_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AwardTable {
  id: Generated<string>;
  program_id: string;
  person_id: string;
  awarded_on: string;
  number: string | null;
  revoked_on: string | null;
  revoked_reason: string | null;
  created_at: Generated<string>;
  // Issue 6 (0004_awards): the certificate record.
  program_version: string | null;
  designation: string | null;
  event_id: string | null;
  certificate_number: string | null;
  name_on_certificate: string | null;
  issued_on: string | null;
  expires_on: string | null;
  supersedes_id: string | null;
  reason: string | null;
  issued_by: string | null;
  /** 0033: the design version the certificate was issued with; null for the program's default. */
  certificate_design_id: string | null;
}

/** 0032: a program's issuer as its credentials name it; null columns take the default. */
export interface ProgramIssuerTable {
  program_id: string;
  name: string | null;
  url: string | null;
  logo_url: string | null;
  updated_at: Generated<string>;
}

/** 0032: an issuer's Ed25519 keys; the private key sealed under SECRETS_KEY; the newest signs. */
export interface IssuerKeyTable {
  id: Generated<string>;
  program_id: string;
  key_number: number;
  public_key_multibase: string;
  private_key_sealed: string;
  created_at: Generated<string>;
}

/** 0032: an award credential's index in its program's status lists (random, never reused). */
export interface CredentialStatusTable {
  award_id: string;
  program_id: string;
  list_index: number;
  created_at: Generated<string>;
}

/** 0036: a wallet's QR code of a credential: the token's SHA-256, what it gives, single use. */
export interface CredentialOfferTable {
  token_hash: string;
  kind: 'award' | 'transcript';
  person_id: string;
  award_id: string | null;
  program_id: string | null;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** 0033: a PNG a certificate design draws (logo, seal, signature), checked by decoding. */
export interface CertificateImageTable {
  id: Generated<string>;
  program_id: string;
  content_type: string;
  size_bytes: number;
  width: number;
  height: number;
  sha256: string;
  content: Buffer;
  created_at: Generated<string>;
}

/** 0033: one saved version of a program's certificate design (never updated). */
export interface CertificateDesignTable {
  id: Generated<string>;
  program_id: string;
  version: number;
  heading: string;
  intro_line: string;
  met_line: string;
  designation_line: string;
  primary_color: string;
  accent_color: string;
  border: string;
  logo_image_id: string | null;
  seal_image_id: string | null;
  signer1_name: string | null;
  signer1_title: string | null;
  signer1_signature_image_id: string | null;
  signer2_name: string | null;
  signer2_title: string | null;
  signer2_signature_image_id: string | null;
  created_at: Generated<string>;
  created_by: string | null;
}

export interface AwardRevocationTable {
  id: Generated<string>;
  award_id: string;
  revoked_on: string;
  reason: string;
  revoked_by: string | null;
  created_at: Generated<string>;
}

export interface RenewalCycleTable {
  id: Generated<string>;
  award_id: string;
  person_id: string;
  program_id: string;
  cycle_index: number;
  starts_on: string;
  due_on: string;
  grace_ends_on: string;
  reinstate_by: string | null;
  created_at: Generated<string>;
}

export interface RenewalCycleEventTable {
  id: Generated<string>;
  cycle_id: string;
  state: string;
  completed_on: string | null;
  observed_at: string;
}

/** A closed cycle's final outcome (0011); immutable. */
export interface RenewalCycleOutcomeTable {
  id: Generated<string>;
  cycle_id: string;
  state: 'renewed' | 'reinstated' | 'expired';
  completed_on: string | null;
  record_ids: string[];
  closed_at: string;
  created_at: Generated<string>;
}

/** Staff reopened a closed outcome, with a reason (0011); immutable. */
export type PersonFactKind = 'date' | 'exam' | 'waiver' | 'provisional' | 'extension' | 'attestation';

/** 0012: a fact the rules measure a person by (taking office, exam, waiver, extension, attestation). */
export interface PersonFactTable {
  id: Generated<string>;
  person_id: string;
  program_id: string;
  kind: PersonFactKind;
  key: string;
  date: string;
  score: number | null;
  until: string | null;
  reason: string;
  recorded_by: string | null;
  recorded_at: string;
  created_at: Generated<string>;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}

export interface RenewalCycleReopeningTable {
  id: Generated<string>;
  outcome_id: string;
  reason: string;
  reopened_by: string | null;
  reopened_at: string;
}

/** A later correction the ledger shows inside a closed cycle, for staff (0011). */
export interface RenewalCycleFlagTable {
  id: Generated<string>;
  outcome_id: string;
  ledger_state: string;
  ledger_completed_on: string | null;
  withdrawn_record_ids: string[];
  detail: string;
  flagged_at: string;
}

export interface CertificationStatusTable {
  person_id: string;
  program_id: string;
  status: string;
  award_id: string | null;
  eligible_on: string | null;
  award_year: number | null;
  /** The application deadline of an eligible person's ceremony (0014). */
  apply_by: string | null;
  next_due: string | null;
  lapsed_on: string | null;
  computed_at: string;
  /** The transaction that last changed what this status is made of, not only the day (0039, ADR 0039). */
  inputs_xid: string | null;
  /** What the people-based reports show for this person as of computed_at (0016): `ReportFacts`. */
  report_facts: Json | null;
  /**
   * The first day (program zone) on which time alone could change this status or its reminders
   * (0022): the sweep evaluates the person again on that day. See `nextTransitionOn`.
   */
  next_transition_on: string;
  /** Derived by PostgreSQL from report_facts (0037), for the report counts: figures stored. */
  facts_known: GeneratedAlways<boolean>;
  /** Derived from report_facts (0037): `ReportFacts.awarded`. */
  ever_awarded: GeneratedAlways<boolean>;
  /** Derived from report_facts (0037): `ReportFacts.renewal.state`, null without a renewal. */
  renewal_state: GeneratedAlways<string | null>;
}

/** People whose status must be evaluated again by the sweep (0014). */
export interface StatusDueTable {
  program_id: string;
  person_id: string;
  reason: string;
  queued_at: Generated<string>;
}

/** A session e-mail to render after the commit, with the values it must not read later (0018). */
export interface SessionMailDueTable {
  id: ColumnType<number, never, never>;
  created_at: Generated<string>;
  kind: 'confirmed' | 'waitlisted' | 'promoted' | 'cancelled' | 'session-cancelled' | 'updated' | 'reminder';
  registration_id: string;
  sequence: number;
  waitlist_position: number | null;
  reason: string | null;
  stamp: string;
}

/** Per program: the day everyone was last queued, and the progress of a whole-program run (0014). */
export interface StatusDayTable {
  program_id: string;
  queued_on: string | null;
  seats_checked_at: string | null;
  run_reason: string | null;
  run_total: Generated<number>;
  run_started_at: string | null;
}

export interface AwardNoticeTable {
  id: Generated<string>;
  person_id: string;
  program_id: string;
  kind: string;
  key: string;
  sent_at: string;
}

/** 0006: one row per accepted request to a rate-limited endpoint (src/server/http/rate-limit.ts). */
export interface RateLimitHitTable {
  id: Generated<string>;
  bucket: string;
  key: string;
  at: string;
}

export interface VerificationLookupTable {
  id: Generated<string>;
  at: string;
  ip: string;
  kind: string;
  query: string;
  results: number;
}

export type CourseFormat = 'in_person' | 'webinar' | 'online' | 'hybrid';

export interface CourseTable {
  id: Generated<string>;
  program_id: string | null;
  code: string;
  title: string;
  description: Generated<string>;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  credits: Json;
  sponsored: Generated<boolean>;
  format: CourseFormat;
  duration_minutes: number;
  requirement_ids: ColumnType<string[], string[] | undefined, string[]>;
  renewal: Generated<boolean>;
  completion_min_percent: Generated<number>;
  prerequisites: ColumnType<string[], string[] | undefined, string[]>;
  source_type: string | null;
  /** 0026: the training provider that gives the course, if not the program itself. */
  provider_id: Generated<string | null>;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface EventTable {
  id: Generated<string>;
  program_id: string | null;
  title: string;
  description: Generated<string>;
  /** 0017: class, conference or ceremony; only the last two carry awards. */
  kind: Generated<'class' | 'conference' | 'ceremony'>;
  /** 0017: the local date a ceremony or conference takes place, when it has one of its own. */
  held_on: string | null;
  /** 0017: the session a ceremony follows (e.g. right after a Year Three session). */
  follows_session_id: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

/** 0017: the plaque for an award made at an event; no row means it is still to order. */
export interface PlaqueOrderTable {
  award_id: string;
  state: 'to_order' | 'ordered' | 'delivered';
  ordered_on: string | null;
  delivered_on: string | null;
  updated_by: string | null;
  updated_at: Generated<string>;
}

export type SessionStatus = 'scheduled' | 'full' | 'cancelled' | 'completed';

export interface SessionTable {
  id: Generated<string>;
  event_id: string;
  course_id: string;
  starts_at: string;
  ends_at: string;
  time_zone: string;
  venue: string | null;
  address: string | null;
  webinar_url: string | null;
  capacity: number;
  minimum: Generated<number>;
  registration_opens_at: string | null;
  registration_closes_at: string | null;
  status: ColumnType<SessionStatus, SessionStatus | undefined, SessionStatus>;
  confirmed_count: Generated<number>;
  sequence: Generated<number>;
  checkin_code: string;
  cancelled_reason: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface SessionInstructorTable {
  session_id: string;
  person_id: string;
}

export type RegistrationStatus = 'confirmed' | 'waitlisted' | 'cancelled';

export interface RegistrationTable {
  id: Generated<string>;
  session_id: string;
  person_id: string;
  status: RegistrationStatus;
  seq: ColumnType<number, never, never>;
  joined_at: string;
  confirmed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  registered_by: string | null;
  revision: Generated<number>;
  checked_in_at: string | null;
  minutes_attended: number | null;
  attendance_recorded_at: string | null;
  reminder_sent_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

/** Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE. */
export interface CreditRecordTable {
  id: Generated<string>;
  person_id: string;
  program_id: string;
  amount: ColumnType<number, number, never>;
  category: string;
  sponsored: boolean;
  source_type: string;
  course_code: string | null;
  title: string | null;
  session_id: string | null;
  registration_id: string | null;
  earned_on: string;
  status: 'approved' | 'pending' | 'rejected';
  reverses_id: string | null;
  reason: string | null;
  recorded_at: string;
  /** The local date of recorded_at in the program's zone, set by a trigger (0016). */
  recorded_on: Generated<string>;
  recorded_by: string | null;
}

export interface CalendarFeedTable {
  person_id: string;
  token_hash: string;
  /** 0020: the token sealed under SECRETS_KEY, so the address can be shown again; null before. */
  token_sealed: string | null;
  created_at: Generated<string>;
}

// ------------------------------------------------ 0003 claims and transcripts

/** 0006 adds invoiced. */
export type ClaimFeeStatus = 'not_required' | 'unpaid' | 'paid' | 'waived' | 'invoiced';

export interface ClaimTable {
  id: Generated<string>;
  person_id: string;
  program_id: string;
  claim_type: string;
  title: string;
  provider: string;
  start_date: string;
  end_date: string;
  hours: ColumnType<number, number, number>;
  category: string;
  notes: string | null;
  status: 'draft' | 'submitted' | 'needs_information' | 'approved' | 'rejected';
  missing_evidence: ColumnType<string[], string | undefined, string>;
  submitted_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  approved_amount: number | null;
  approved_category: string | null;
  decision_reason: string | null;
  fee_cents: Generated<number>;
  fee_status: ColumnType<ClaimFeeStatus, ClaimFeeStatus | undefined, ClaimFeeStatus>;
  fee_receipt: string | null;
  /** 0006: how the fee was paid (check, card, cash, ach, purchase_order, other). */
  fee_method: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface ClaimDocumentTable {
  id: Generated<string>;
  claim_id: string;
  kind: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_at: string;
  uploaded_by: string | null;
}

export interface ClaimMessageTable {
  id: Generated<string>; // bigint identity: the order messages were written
  claim_id: string;
  at: string;
  author_user_id: string | null;
  author_label: string;
  kind: 'submitted' | 'needs_information' | 'request_information' | 'response' | 'approved' | 'rejected';
  body: string | null;
}

export interface ProgramReviewerTable {
  program_id: string;
  person_id: string;
}

export interface CreditSourceTable {
  credit_record_id: string;
  claim_id: string | null;
  manual_reason: string | null;
}

/** Immutable: a trigger refuses UPDATE and DELETE. */
export interface IssuedTranscriptTable {
  id: Generated<string>;
  person_id: string;
  code: string;
  issued_at: string;
  issued_by: string | null;
  snapshot: Json;
  pdf: Buffer;
  sha256: string;
}

/** 0025: a request for an account from the public pages (issue 17). */
export interface AccountRequestTable {
  id: Generated<string>;
  first_name: string;
  last_name: string;
  email: string;
  jurisdiction_fips: string;
  position: string;
  note: string | null;
  status: Generated<'pending' | 'approved' | 'declined'>;
  created_at: Generated<string>;
  decided_at: string | null;
  decided_by: string | null;
  decline_reason: string | null;
  person_id: string | null;
}

/** 0026: an organisation that gives sponsored courses and may post their rosters. */
export interface ProviderTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<string>;
}

/** 0026: an integration's API token; only the SHA-256 of the secret is stored. */
export interface ApiTokenTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  hint: string;
  scopes: string[];
  provider_id: string | null;
  expires_at: string;
  created_at: Generated<string>;
  created_by: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface WebhookEndpointTable {
  id: Generated<string>;
  url: string;
  description: Generated<string>;
  events: string[];
  secret: string;
  enabled: Generated<boolean>;
  created_at: Generated<string>;
  created_by: string | null;
  updated_at: Generated<string>;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  created_at: Generated<string>;
  queued_at: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: string;
  attempted_at: string;
  trigger: 'automatic' | 'resend';
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  ok: boolean;
}

/** The impact run of a program's draft (0035, ADR 0029). */
export interface DraftImpactTable {
  id: Generated<string>;
  program_id: string;
  version_id: string;
  draft_version: string;
  draft_updated_at: string;
  as_of: string;
  requested_by: string | null;
  started_at: string;
  finished_at: string | null;
  failed: string | null;
  stale_at: string | null;
  total: number;
  done: Generated<number>;
  under_draft: Generated<number>;
  after_person: string | null;
}

/** A program's officials evaluated as of one day other than today, for its reports (0039, ADR 0039). */
export interface ReportRunTable {
  id: Generated<string>;
  program_id: string;
  as_of: string;
  requested_by: string | null;
  started_at: string;
  finished_at: string | null;
  failed: string | null;
  total: number;
  done: Generated<number>;
  after_person: string | null;
  /** The database snapshot when the run began: changes not visible in it came after. */
  snapshot: string;
  superseded_at: string | null;
}

/** One official of a prepared report run: who they were then and what the engine gave as of the day. */
export interface ReportRunOfficialTable {
  run_id: string;
  person_id: string;
  official_from: string;
  cohorts: string[];
  last_name: string;
  first_name: string;
  jurisdiction_fips: string | null;
  status: string;
  report_facts: Json;
  facts_known: GeneratedAlways<boolean>;
  ever_awarded: GeneratedAlways<boolean>;
  renewal_state: GeneratedAlways<string | null>;
}

export type ImpactKind =
  'became-eligible' | 'no-longer-eligible' | 'lapsed' | 'due-earlier' | 'due-later' | 'other';

/** An official whose status or next due date the draft would change (0035). */
export interface DraftImpactChangeTable {
  impact_id: string;
  person_id: string;
  kind: ImpactKind;
  before_status: string;
  after_status: string;
  before_due: string | null;
  after_due: string | null;
}

export interface DB {
  jurisdiction: JurisdictionTable;
  person: PersonTable;
  user_account: UserAccountTable;
  recovery_code: RecoveryCodeTable;
  auth_session: AuthSessionTable;
  external_identity: ExternalIdentityTable;
  oidc_sign_in: OidcSignInTable;
  password_token: PasswordTokenTable;
  email_change: EmailChangeTable;
  sign_in_attempt: SignInAttemptTable;
  email_message: EmailMessageTable;
  notification_opt_out: NotificationOptOutTable;
  audit_log: AuditLogTable;
  app_meta: AppMetaTable;
  program: ProgramTable;
  program_version: ProgramVersionTable;
  enrollment: EnrollmentTable;
  account_county: AccountCountyTable;
  coordinator_program: CoordinatorProgramTable;
  award: AwardTable;
  award_revocation: AwardRevocationTable;
  program_issuer: ProgramIssuerTable;
  issuer_key: IssuerKeyTable;
  credential_status: CredentialStatusTable;
  credential_offer: CredentialOfferTable;
  certificate_image: CertificateImageTable;
  certificate_design: CertificateDesignTable;
  renewal_cycle: RenewalCycleTable;
  renewal_cycle_event: RenewalCycleEventTable;
  renewal_cycle_outcome: RenewalCycleOutcomeTable;
  renewal_cycle_reopening: RenewalCycleReopeningTable;
  person_fact: PersonFactTable;
  renewal_cycle_flag: RenewalCycleFlagTable;
  certification_status: CertificationStatusTable;
  status_due: StatusDueTable;
  status_day: StatusDayTable;
  draft_impact: DraftImpactTable;
  draft_impact_change: DraftImpactChangeTable;
  report_run: ReportRunTable;
  report_run_official: ReportRunOfficialTable;
  session_mail_due: SessionMailDueTable;
  award_notice: AwardNoticeTable;
  verification_lookup: VerificationLookupTable;
  rate_limit_hit: RateLimitHitTable;
  course: CourseTable;
  event: EventTable;
  plaque_order: PlaqueOrderTable;
  session: SessionTable;
  session_instructor: SessionInstructorTable;
  registration: RegistrationTable;
  credit_record: CreditRecordTable;
  calendar_feed: CalendarFeedTable;
  account_request: AccountRequestTable;
  provider: ProviderTable;
  api_token: ApiTokenTable;
  claim: ClaimTable;
  claim_document: ClaimDocumentTable;
  claim_message: ClaimMessageTable;
  program_reviewer: ProgramReviewerTable;
  credit_source: CreditSourceTable;
  issued_transcript: IssuedTranscriptTable;
  webhook_endpoint: WebhookEndpointTable;
  webhook_delivery: WebhookDeliveryTable;
  webhook_attempt: WebhookAttemptTable;
}
