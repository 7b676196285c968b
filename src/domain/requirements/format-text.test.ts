/**
 * The text `civiccert evaluate` prints (formatEvaluationText), whole, for officials of the
 * example files: what a coordinator reads at the terminal. Each snapshot was read line by line
 * against the example's story (the `name` in examples/*-records.json) when it was written.
 */
import { describe, expect, it } from 'vitest';
import primitivesProgram from '../../../examples/format-primitives-program.json';
import primitivesRecords from '../../../examples/format-primitives-records.json';
import cpoRecords from '../../../examples/igo-cpo-records.json';
import ksRecords from '../../../examples/ks-county-election-official-records.json';
import cpoJson from '../../../programs/igo-cpo.json';
import ksJson from '../../../programs/ks-county-election-official.json';
import { evaluate } from './evaluate.js';
import { formatEvaluationText } from './format.js';
import { parseProgram } from './schema.js';
import type { CreditRecord, EvaluationContext, ProgramDefinition } from './types.js';

const files: Record<string, unknown> = {
  'igo-cpo.json': cpoJson,
  'ks-county-election-official.json': ksJson,
  'igo-cpo-records.json': cpoRecords,
  'ks-county-election-official-records.json': ksRecords,
  'format-primitives-program.json': primitivesProgram,
  'format-primitives-records.json': primitivesRecords,
};
function program(file: string): ProgramDefinition {
  const parsed = parseProgram(files[file]);
  if (!parsed.ok) throw new Error(file);
  return parsed.program;
}
interface Example {
  people: (Omit<EvaluationContext, 'asOf'> & { personId: string; name: string })[];
  records: CreditRecord[];
}
const examples = (file: string) => files[file] as Example;

function text(programFile: string, recordsFile: string, personId: string, asOf: string, name?: string) {
  const p = program(programFile);
  const ex = examples(recordsFile);
  const { name: _story, ...person } = ex.people.find((x) => x.personId === personId)!;
  const result = evaluate(
    p,
    ex.records.filter((r) => r.personId === personId),
    { ...person, asOf },
  );
  return formatEvaluationText(p, result, name === undefined ? {} : { name });
}

describe('formatEvaluationText', () => {
  it('an awarded official renewed twice: the award, each cycle and the current one', () => {
    expect(text('igo-cpo.json', 'igo-cpo-records.json', 'CPO-102', '2026-05-01', 'Morgan Ruiz'))
      .toMatchInlineSnapshot(`
      "== Morgan Ruiz (CPO-102) ==
      Program: iGO Certified Public Official (CPO) Program, version 2016.1; as of 2026-05-01 (America/New_York)
      Status:  Certified
               Certified (CPO) since July 18, 2019. Next renewal due July 17, 2028.

      What is still missing:
        - You need 17 more continuing-education credits, at least 1 of them iGO-sponsored.

      Award: No. CPO-2019-007, granted 2019-07-18
        Renewal cycle 1: 2019-07-18 to 2022-07-17 (grace until 2022-10-15, reinstatement until 2023-10-15) - renewed on 2021-10-01 (closed)
        Renewal cycle 2: 2022-07-18 to 2025-07-17 (grace until 2025-10-15, reinstatement until 2026-10-15) - renewed on 2024-07-18 (closed)
        Renewal cycle 3: 2025-07-18 to 2028-07-17 (grace until 2028-10-15, reinstatement until 2029-10-15) - open
        Next reminder: 2028-04-18

      Current renewal cycle (2025-07-18 to 2028-07-17):
        [ ] CPO maintenance credits: 7 of 24 credits, counting 2025-07-18 to 2026-05-01
            iGO-sponsored: 7 of at least 8 (short)
            Missing: You need 17 more continuing-education credits, at least 1 of them iGO-sponsored.
            + CPO-102-07 2025-07-18 4 Carried over from the cycle ending July 17, 2025.
            + CPO-102-08 2025-09-15 3
            - CPO-102-01 2019-09-01 10: Counted in the renewal cycle ending July 17, 2022.
            - CPO-102-02 2020-07-16 6: Counted in the renewal cycle ending July 17, 2022.
            - CPO-102-03 2021-07-15 6: Counted in the renewal cycle ending July 17, 2022.
            - CPO-102-04 2021-10-01 8: Counted in the renewal cycle ending July 17, 2025.
            - CPO-102-05 2023-07-20 6: Counted in the renewal cycle ending July 17, 2025.
            - CPO-102-06 2024-02-01 10: Counted in the renewal cycle ending July 17, 2025.
            - CPO-102-07 2024-07-18 6: Counted in the renewal cycle ending July 17, 2025."
    `);
  });

  it('a lapsed official who can still reinstate', () => {
    expect(text('igo-cpo.json', 'igo-cpo-records.json', 'CPO-103', '2026-05-01')).toMatchInlineSnapshot(`
      "== CPO-103 ==
      Program: iGO Certified Public Official (CPO) Program, version 2016.1; as of 2026-05-01 (America/New_York)
      Status:  Lapsed
               Your CPO certification lapsed on October 19, 2025. You can reinstate it until October 18, 2026 by completing what is missing.

      What is still missing:
        - You need 14 more continuing-education credits, at least 2 of them iGO-sponsored.

      Award: No. CPO-2022-021, granted 2022-07-21
        Renewal cycle 1: 2022-07-21 to 2025-07-20 (grace until 2025-10-18, reinstatement until 2026-10-18) - lapsed

      Current renewal cycle (2022-07-21 to 2025-07-20):
        [ ] CPO maintenance credits: 10 of 24 credits, counting 2022-07-21 to 2026-05-01
            iGO-sponsored: 6 of at least 8 (short)
            Missing: You need 14 more continuing-education credits, at least 2 of them iGO-sponsored.
            + CPO-103-01 2023-07-20 6
            + CPO-103-02 2024-05-01 4"
    `);
  });

  it('an eligible official with a waiver: the next award and the requirements', () => {
    expect(text('igo-cpo.json', 'igo-cpo-records.json', 'CPO-105', '2026-05-01', 'Sam Ortega'))
      .toMatchInlineSnapshot(`
      "== Sam Ortega (CPO-105) ==
      Program: iGO Certified Public Official (CPO) Program, version 2016.1; as of 2026-05-01 (America/New_York)
      Status:  Eligible
               Every requirement for iGO Certified Public Official (CPO) Program is met; the CPO designation can be awarded. Apply by June 1, 2026 to be recognized at the iGO Annual Conference in 2026.

      Next award: iGO Annual Conference 2026; apply by 2026-06-01.

      Requirements:
        [x] CPO designation: 2 of 2 requirements met, met 2026-02-15
          [x] Management tier: 72 of 72 credits, met 2024-10-10
              iGO-sponsored: 16 of at least 16
              + CPO-105-03 2022-05-01 30
              + CPO-105-01 2023-07-15 8
              + CPO-105-02 2024-07-20 8
              + CPO-105-04 2024-10-10 26
          [x] Job-specific tier (one certification module): 0 of 1 requirement met, met 2026-02-15
              Waived by iGO Certification Committee on 2026-02-15: Holds an equivalent state certification in land records
            [ ] Clerk to Board / Court Administration module: 0 of 24 credits
                iGO-sponsored: 0 of at least 12 (short)
                Missing: You need 24 more Clerk to Board / Court Administration credits, at least 12 of them iGO-sponsored.
            [ ] Elections Administration module: 0 of 24 credits
                iGO-sponsored: 0 of at least 12 (short)
                Missing: You need 24 more Elections Administration credits, at least 12 of them iGO-sponsored.
            [ ] Land Records module: 0 of 24 credits
                iGO-sponsored: 0 of at least 12 (short)
                Missing: You need 24 more Land Records credits, at least 12 of them iGO-sponsored.
            [ ] Records Management module: 0 of 24 credits
                iGO-sponsored: 0 of at least 12 (short)
                Missing: You need 24 more Records Management credits, at least 12 of them iGO-sponsored."
    `);
  });

  it('a Kansas clerk in Year Two: what is missing and the deadlines', () => {
    expect(
      text(
        'ks-county-election-official.json',
        'ks-county-election-official-records.json',
        'KS-0105',
        '2026-05-01',
      ),
    ).toMatchInlineSnapshot(`
      "== KS-0105 ==
      Program: Kansas County Election Official Certification, version 2023.1; as of 2026-05-01 (America/Chicago)
      Status:  In progress
               In progress toward Kansas County Election Official Certification: 1 of 3 parts complete.

      What is still missing:
        - You still need to complete "Provisional Ballots, Post-Election Audits, Canvass and Recounts" (Year Two).
        - You still need to complete "Election Office Administration: Planning, Budgeting, Purchasing and Personnel", "Media Relations, Social Media and Public Outreach", and "Technology in Elections, including Cyber Security" (Year Three). These count once Year Two is complete.

      Requirements:
        [ ] County election official certification: 1 of 3 requirements met
            Missing: 2 of 3 parts of County election official certification still to complete: Year Two and Year Three.
          [x] Year One: 3 of 3 courses, met 2023-04-19
              + KS-0105-01 2023-04-18 3 [KS-Y1-01]
              + KS-0105-02 2023-04-18 3 [KS-Y1-02]
              + KS-0105-03 2023-04-19 3 [KS-Y1-03]
          [ ] Year Two: 2 of 3 courses
              Missing: You still need to complete "Provisional Ballots, Post-Election Audits, Canvass and Recounts" (Year Two).
              + KS-0105-04 2024-04-16 3 [KS-Y2-01]
              + KS-0105-05 2024-04-16 3 [KS-Y2-02]
          [ ] Year Three: 0 of 3 courses
              Missing: You still need to complete "Election Office Administration: Planning, Budgeting, Purchasing and Personnel", "Media Relations, Social Media and Public Outreach", and "Technology in Elections, including Cyber Security" (Year Three). These count once Year Two is complete."
    `);
  });

  it('a Kansas pilot clerk who finished after the pilot deadline', () => {
    expect(
      text(
        'ks-county-election-official.json',
        'ks-county-election-official-records.json',
        'KS-0102',
        '2026-05-01',
      ),
    ).toMatchInlineSnapshot(`
      "== KS-0102 ==
      Program: Kansas County Election Official Certification, version 2023.1; as of 2026-05-01 (America/Chicago)
      Status:  Certified
               Certified (Certified County Election Official) since April 16, 2025. Next renewal due December 31, 2026.

      What is still missing:
        - You still need to complete 1 advance renewal course (Annual advance renewal course).

      Deadlines:
        - Pilot counties finish every course before the 2024 General Election (November 5, 2024) (2024-11-04): missed. The deadline of November 4, 2024 was missed; the training still counts toward certification.

      Award: No. KS-CEO-2025-004, granted 2025-04-16
        Renewal cycle 1: 2025-04-16 to 2026-12-31 (grace until 2027-03-31, reinstatement until 2028-03-30) - open
        Next reminder: 2026-10-02

      Current renewal cycle (2025-04-16 to 2026-12-31):
        [ ] Annual advance renewal course: 0 of 1 courses, counting 2025-04-16 to 2026-05-01
            Missing: You still need to complete 1 advance renewal course (Annual advance renewal course)."
    `);
  });

  it('a revoked award: the cycles, and no current cycle to work toward', () => {
    expect(text('igo-cpo.json', 'igo-cpo-records.json', 'CPO-104', '2026-05-01')).toMatchInlineSnapshot(`
      "== CPO-104 ==
      Program: iGO Certified Public Official (CPO) Program, version 2016.1; as of 2026-05-01 (America/New_York)
      Status:  Revoked
               This CPO certification was revoked on January 10, 2025 (at the official’s request).

      Award: No. CPO-2021-003, granted 2021-07-15"
    `);
  });

  it('the primitives example: caps, repeats, per-record minimums and records that count toward nothing', () => {
    expect(text('format-primitives-program.json', 'format-primitives-records.json', 'CEA-1', '2026-10-01'))
      .toMatchInlineSnapshot(`
      "== CEA-1 ==
      Program: County Election Administrator (example of the counting rules), version 2026.1; as of 2026-10-01 (America/Chicago)
      Status:  Eligible
               Every requirement for County Election Administrator (example of the counting rules) is met; the CEA (example) designation can be awarded.

      Deadlines:
        - Finish the training (2026-09-30): met. Completed on June 15, 2026, by September 30, 2026 (extended from July 5, 2026: medical leave, granted by Election Director).

      Requirements:
        [x] County Election Administrator: 2 of 2 requirements met, met 2026-06-15
          [x] Catalog training: 7 of 6 hours, met 2026-06-15
              + cea1-el101 2026-02-10 3 [EL-101]
              + cea1-el102 2026-03-01 2 [EL-102]
              + cea1-gen1 2026-06-15 2 [GEN-1]
              - cea1-el101-again 2026-05-01 3: A repeat: "Election law basics" already counts from February 10, 2026, and a course repeated within the period counts once.
          [x] Outside training: 15 of 10 hours, met 2026-04-14
              each conference at most 10 hours: 10 counted, at most 10 per activity
              + cea1-conf 2026-04-14 10
              + cea1-workshop 2026-09-22 5
              - cea1-conf 2026-04-14 2: Over the limit: each conference at most 10 hours. "State election conference" on April 14, 2026 already counts for the most allowed, 10 hours.
              - cea1-webinar 2026-07-08 3: Only 3 hours: an outside event counts toward Outside training only if it has at least 5 hours."
    `);
    expect(
      text(
        'format-primitives-program.json',
        'format-primitives-records.json',
        'CEA-2',
        '2027-01-02',
        'Jo Park',
      ),
    ).toMatchInlineSnapshot(`
      "== Jo Park (CEA-2) ==
      Program: County Election Administrator (example of the counting rules), version 2026.1; as of 2027-01-02 (America/Chicago)
      Status:  Eligible
               Every requirement for County Election Administrator (example of the counting rules) is met; the CEA (example) designation can be awarded.

      Deadlines:
        - Finish the training (2027-03-01): met. Completed on January 1, 2027, by March 1, 2027 (due 6 months after taking office or by first serving as the election official, whichever is sooner; first serving as the election official is not recorded yet).

      Requirements:
        [x] County Election Administrator: 2 of 2 requirements met, met 2027-01-01
          [x] Catalog training: 7 of 6 hours, met 2026-03-05
              + cea2-el101 2026-03-03 3 [EL-101]
              + cea2-el102 2026-03-04 2 [EL-102]
              + cea2-gen1 2026-03-05 2 [GEN-1]
          [x] Outside training: 14 of 10 hours, met 2027-01-01
              each conference at most 10 hours: 8 counted, at most 10 per activity
              + cea2-conf 2026-12-31 8
              + cea2-workshop 2027-01-01 6"
    `);
  });
});
