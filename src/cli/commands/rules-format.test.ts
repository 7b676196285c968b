/**
 * Issue 13, section 5: the example program of the new counting rules, and `--as-of` with an
 * instant, evaluated as the date it falls on in the program's time zone.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressQuery } from '../../contract/credits.js';
import { runEvaluate, runProgramCheck } from './rules.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PROGRAM = path.join(root, 'examples/format-primitives-program.json');
const RECORDS = path.join(root, 'examples/format-primitives-records.json');

describe('examples/format-primitives-program.json', () => {
  it('is valid, and program check reads its counting rules back', () => {
    const out = runProgramCheck(PROGRAM);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Counting rules:');
    expect(out.stdout).toContain(
      '- Catalog training: counts only catalog courses; a course repeated within the period counts once; a confirmed seat in an upcoming session counts toward a provisional status.',
    );
    expect(out.stdout).toContain(
      '- Outside training: counts only records that are not catalog courses; an outside event (records of source Outside event) counts only with at least 5 hours; each activity (records of source Conference) counts for at most 10 hours.',
    );
    expect(out.stdout).toContain(
      '- Continuing education: records of source Board meeting count for at most 4 hours in any one year of the period; at least 6 hours of every record in each year of the period.',
    );
    expect(out.stdout).toContain('- Reinstatement: within 12 months after grace ends.');
    expect(out.stdout).toContain(
      '- First renewal cycle: ends on the first anchor date after the award; has its own requirement (Continuing education in the award year); first-year-hours needs 1 hour for each whole month of it, rounded to the nearest whole.',
    );
  });

  it('explains every record that does not count, with its reason', () => {
    const out = runEvaluate({ program: PROGRAM, records: RECORDS, asOf: '2026-12-31', person: 'CEA-1' });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Status:  Eligible');
    expect(out.stdout).toContain(
      '- cea1-el101-again 2026-05-01 3: A repeat: "Election law basics" already counts from February 10, 2026, and a course repeated within the period counts once.',
    );
    expect(out.stdout).toContain(
      '- cea1-conf 2026-04-14 2: Over the limit: each conference at most 10 hours. "State election conference" on April 14, 2026 already counts for the most allowed, 10 hours.',
    );
    expect(out.stdout).toContain(
      '- cea1-webinar 2026-07-08 3: Only 3 hours: an outside event counts toward Outside training only if it has at least 5 hours.',
    );
    expect(out.stdout).toContain('each conference at most 10 hours: 10 counted, at most 10 per activity');
  });

  it('measures a deadline from person facts (the sooner of two), and shows an extension', () => {
    const out = runEvaluate({ program: PROGRAM, records: RECORDS, asOf: '2026-12-31' });
    expect(out.stdout).toContain(
      '- Finish the training (2026-09-30): met. Completed on June 15, 2026, by September 30, 2026 (extended from July 5, 2026: medical leave, granted by Election Director).',
    );
    expect(out.stdout).toContain(
      '- Finish the training (2027-03-01): upcoming. Finish by March 1, 2027 (due 6 months after taking office or by first serving as the election official, whichever is sooner; first serving as the election official is not recorded yet).',
    );
  });
});

describe('civiccert evaluate --as-of with an instant', () => {
  it('evaluates 2027-01-01T05:30:00Z as December 31, 2026 in Chicago: a January 1 record does not count yet', () => {
    const out = runEvaluate({ program: PROGRAM, records: RECORDS, asOf: '2027-01-01T05:30:00Z' });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('as of 2026-12-31 (America/Chicago)');
    expect(out.stdout).toContain(
      '- cea2-workshop 2027-01-01 6: Dated January 1, 2027, after December 31, 2026.',
    );
    expect(out.stdout).toContain('You need 2 more hours for Outside training.');
    expect(out.stdout).toContain(
      '2 people evaluated as of 2027-01-01T05:30:00Z (2026-12-31 in America/Chicago): 1 eligible, 1 in progress.',
    );
  });

  it('an hour later it is January 1 in Chicago and the workshop counts', () => {
    const out = runEvaluate({
      program: PROGRAM,
      records: RECORDS,
      asOf: '2027-01-01T06:30:00Z',
      person: 'CEA-2',
      format: 'json',
    });
    const json = JSON.parse(out.stdout) as {
      asOf: string;
      asOfDate: string;
      results: { status: string; asOf: string }[];
    };
    expect(json.asOf).toBe('2027-01-01T06:30:00Z');
    expect(json.asOfDate).toBe('2027-01-01');
    expect(json.results[0]?.asOf).toBe('2027-01-01');
    expect(json.results[0]?.status).toBe('eligible');
  });

  it('accepts an offset or program-local wall time, and refuses what is neither a date nor an instant', () => {
    const local = runEvaluate({
      program: PROGRAM,
      records: RECORDS,
      asOf: '2026-12-31T23:30',
      person: 'CEA-2',
    });
    expect(local.stdout).toContain('as of 2026-12-31 (America/Chicago)');
    const offset = runEvaluate({
      program: PROGRAM,
      records: RECORDS,
      asOf: '2027-01-01T00:30+01:00',
      person: 'CEA-2',
    });
    expect(offset.stdout).toContain('as of 2026-12-31 (America/Chicago)');
    const bad = runEvaluate({ program: PROGRAM, records: RECORDS, asOf: '2027-01-01T25:00Z' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      '--as-of must be a date (2027-01-01) or an instant (2027-01-01T05:30:00Z), not "2027-01-01T25:00Z".\n',
    );
  });
});

describe('progress API ?asOf (contract)', () => {
  it('accepts a date or an instant and names the field otherwise', () => {
    expect(progressQuery.safeParse({ asOf: '2027-06-30' }).success).toBe(true);
    expect(progressQuery.safeParse({ asOf: '2027-01-01T05:30:00Z' }).success).toBe(true);
    expect(progressQuery.safeParse({ asOf: '2026-12-31T23:30:00-06:00' }).success).toBe(true);
    const bad = progressQuery.safeParse({ asOf: 'tomorrow' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['asOf'],
      message: 'As of must be a date like 2027-06-30 or an instant like 2027-01-01T05:30:00Z.',
    });
  });
});
