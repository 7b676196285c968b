import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_programs_sessions.js';
import * as m0003 from './0003_claims.js';
import * as m0004 from './0004_awards.js';
import * as m0006 from './0006_staff_credit.js';
import * as m0007 from './0007_enrollment_cohorts.js';
import * as m0008 from './0008_imports.js';
import * as m0009 from './0009_second_factor.js';
import * as m0010 from './0010_email_change.js';
import * as m0011 from './0011_closed_cycles.js';
import * as m0012 from './0012_person_facts.js';
import * as m0013 from './0013_fact_imports.js';
import * as m0014 from './0014_status_queue.js';
import * as m0015 from './0015_claim_fee_setting.js';
import * as m0016 from './0016_scale_reads.js';
import * as m0017 from './0017_event_kinds.js';
import * as m0018 from './0018_session_mail_due.js';
import * as m0019 from './0019_mail_notices.js';
import * as m0020 from './0020_calendar_feed_readable.js';
import * as m0021 from './0021_recorded_on_given.js';
import * as m0022 from './0022_next_transition.js';
import * as m0025 from './0025_account_requests.js';
import * as m0026 from './0026_api_tokens.js';
import * as m0027 from './0027_webhooks.js';
import * as m0028 from './0028_enrollment_decisions.js';
import * as m0029 from './0029_county_supervisors.js';
import * as m0030 from './0030_external_identities.js';
import * as m0031 from './0031_coordinator_scopes.js';
import * as m0032 from './0032_credential_issuers.js';
import * as m0033 from './0033_certificate_designs.js';
import * as m0035 from './0035_draft_impact.js';
import * as m0036 from './0036_credential_offers.js';
import * as m0037 from './0037_report_columns.js';
import * as m0038 from './0038_report_officials.js';
import * as m0039 from './0039_report_runs.js';
import * as m0040 from './0040_report_official_at_commit.js';
import * as m0041 from './0041_list_counts.js';
import * as m0042 from './0042_register_seat_course_rules.js';

/** Every migration in order. Names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_programs_sessions': m0002,
  '0003_claims': m0003,
  '0004_awards': m0004,
  '0006_staff_credit': m0006,
  '0007_enrollment_cohorts': m0007,
  '0008_imports': m0008,
  '0009_second_factor': m0009,
  '0010_email_change': m0010,
  '0011_closed_cycles': m0011,
  '0012_person_facts': m0012,
  '0013_fact_imports': m0013,
  '0014_status_queue': m0014,
  '0015_claim_fee_setting': m0015,
  '0016_scale_reads': m0016,
  '0017_event_kinds': m0017,
  '0018_session_mail_due': m0018,
  '0019_mail_notices': m0019,
  '0020_calendar_feed_readable': m0020,
  '0021_recorded_on_given': m0021,
  '0022_next_transition': m0022,
  '0025_account_requests': m0025,
  '0026_api_tokens': m0026,
  '0027_webhooks': m0027,
  '0028_enrollment_decisions': m0028,
  '0029_county_supervisors': m0029,
  '0030_external_identities': m0030,
  '0031_coordinator_scopes': m0031,
  '0032_credential_issuers': m0032,
  '0033_certificate_designs': m0033,
  '0035_draft_impact': m0035,
  '0036_credential_offers': m0036,
  '0037_report_columns': m0037,
  '0038_report_officials': m0038,
  '0039_report_runs': m0039,
  '0040_report_official_at_commit': m0040,
  '0041_list_counts': m0041,
  '0042_register_seat_course_rules': m0042,
};
