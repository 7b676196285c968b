/**
 * The demo data set: the Kansas Secretary of State's elections division (the
 * seed program), its 105 counties, about 300 county election officials and a
 * staff account for every role. Loaded on the first start with an empty
 * database, and by `civiccert demo load`. Idempotent: people are keyed by
 * external id, so loading twice changes nothing.
 */
import { sql } from 'kysely';
import type { Role } from '../../../domain/authz/index.js';
import { systemCtx, type Deps } from '../../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { loadDemoClaims } from '../claims/claims.demo.js';
import { loadDemoAwards } from '../awards/awards.demo.js';
import { loadDemoIssuers } from '../issuers/issuers.demo.js';
import { loadDemoDesigns } from '../designs/designs.demo.js';
import { loadDemoDashboards } from './demo-dashboards.js';
import { loadDemoReports } from './demo-reports.js';
import { loadDemoStaffCredit } from '../credits/credits.demo.js';
import { loadDemoFacts } from '../certification/facts.demo.js';
import { hashPassword } from '../auth/auth.service.js';
import { loadDemoSessions } from './demo-sessions.js';
import { loadDemoImports } from '../imports/imports.demo.js';
import { loadDemoWebhooks } from '../webhooks/webhooks.demo.js';

// "CIVD": arbitrary, shared by every CivicCert instance.
const DEMO_LOCK_KEY = 0x43495644;

export const DEMO_PASSWORD = 'civiccert-demo-2026';

export interface DemoAccount {
  role: Role;
  email: string;
  name: string;
}

export interface DemoResult {
  loaded: boolean;
  people: number;
  accounts: DemoAccount[];
}

const staff: {
  role: Role;
  first: string;
  last: string;
  email: string;
  title: string;
  counties?: string[];
  /** A coordinator limited to programs (their codes). */
  programCodes?: string[];
}[] = [
  {
    role: 'administrator',
    first: 'Avery',
    last: 'Lindqvist',
    email: 'admin@demo.civiccert.local',
    title: 'Certification Program Administrator',
  },
  {
    role: 'coordinator',
    first: 'Jordan',
    last: 'Okafor',
    email: 'coordinator@demo.civiccert.local',
    title: 'Training Coordinator',
  },
  {
    role: 'reviewer',
    first: 'Priya',
    last: 'Raman',
    email: 'reviewer@demo.civiccert.local',
    title: 'Credit Reviewer',
  },
  {
    role: 'instructor',
    first: 'Samuel',
    last: 'Whitehorse',
    email: 'instructor@demo.civiccert.local',
    title: 'Election Standards Instructor',
  },
  {
    // A county supervisor (issue 17): Shawnee County's election commissioner sees the officials of
    // Shawnee County, their progress and transcripts, and registers them for sessions.
    role: 'supervisor',
    first: 'Renee',
    last: 'Castillo',
    email: 'supervisor@demo.civiccert.local',
    title: 'Election Commissioner',
    counties: ['20177'],
  },
  {
    // Coordinators scoped (issue 17): a regional coordinator for six northeast Kansas counties, and
    // the association's coordinator of the Certified Public Official program only.
    role: 'coordinator',
    first: 'Marcus',
    last: 'Delgado',
    email: 'regional@demo.civiccert.local',
    title: 'Northeast Region Training Coordinator',
    counties: ['20045', '20087', '20091', '20103', '20177', '20209'],
  },
  {
    role: 'coordinator',
    first: 'Helen',
    last: 'Varga',
    email: 'cpo.coordinator@demo.civiccert.local',
    title: 'CPO Program Coordinator',
    programCodes: ['igo-cpo'],
  },
];
export const DEMO_OFFICIAL_EMAIL = 'official@demo.civiccert.local';

// Kansas counties where an appointed election commissioner, not the county clerk, runs elections.
const commissionerCounties = new Set(['20091', '20173', '20177', '20209']);

const firstNames = [
  'Mary',
  'James',
  'Linda',
  'Robert',
  'Patricia',
  'Michael',
  'Barbara',
  'David',
  'Susan',
  'William',
  'Karen',
  'Richard',
  'Nancy',
  'Thomas',
  'Lisa',
  'Mark',
  'Donna',
  'Steven',
  'Carol',
  'Brian',
  'Sandra',
  'Kevin',
  'Deborah',
  'Jason',
  'Sharon',
  'Jeffrey',
  'Cynthia',
  'Gary',
  'Kathleen',
  'Ryan',
  'Amy',
  'Eric',
  'Angela',
  'Scott',
  'Brenda',
  'Jacob',
  'Pamela',
  'Tyler',
  'Rebecca',
  'Aaron',
  'Teresa',
  'Dustin',
  'Shelly',
  'Cody',
  'Tammy',
  'Marisol',
  'Luis',
  'Hannah',
  'Megan',
  'Trent',
  'Rosa',
  'Darlene',
  'Wade',
  'Connie',
  'Kristin',
  'Bethany',
  'Lori',
  'Duane',
  'Jolene',
  'Carmen',
];
const lastNames = [
  'Schmidt',
  'Miller',
  'Johnson',
  'Anderson',
  'Wagner',
  'Peterson',
  'Becker',
  'Nelson',
  'Hoffman',
  'Schroeder',
  'Meyer',
  'Larson',
  'Olson',
  'Koch',
  'Weber',
  'Hernandez',
  'Garcia',
  'Martinez',
  'Baker',
  'Clark',
  'Reed',
  'Cook',
  'Brooks',
  'Harris',
  'Unruh',
  'Friesen',
  'Regier',
  'Stucky',
  'Janzen',
  'Wedel',
  'Kraus',
  'Dreiling',
  'Pfannenstiel',
  'Herrman',
  'Ochs',
  'Rupp',
  'Flax',
  'Sauer',
  'Torres',
  'Nguyen',
  'Walker',
  'Young',
  'Hill',
  'Scott',
  'Green',
];

/** Small deterministic PRNG so every install gets the same demo people. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DemoPerson {
  externalId: string;
  first: string;
  last: string;
  email: string;
  title: string;
  fips: string | null;
  roles: Role[];
  phone: string;
}

const slugOf = (county: string) => county.toLowerCase().replace(/[^a-z]/g, '');

export function demoPeople(counties: { fips: string; name: string }[]): DemoPerson[] {
  const rand = mulberry32(20_231);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const people: DemoPerson[] = [];
  const usedEmails = new Set<string>();
  const add = (fips: string, county: string, title: string, seq: number) => {
    const first = pick(firstNames);
    const last = pick(lastNames);
    const local = `${first[0]}${last}`.toLowerCase().replace(/[^a-z]/g, '');
    let email = `${local}@${slugOf(county)}county.demo`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${slugOf(county)}county.demo`;
    usedEmails.add(email);
    const phone = `(785) 555-${String(1000 + Math.floor(rand() * 8999)).padStart(4, '0')}`;
    people.push({
      externalId: `demo-${fips}-${seq}`,
      first,
      last,
      email,
      title,
      fips,
      roles: ['official'],
      phone,
    });
  };
  for (const c of counties) {
    const commission = commissionerCounties.has(c.fips);
    add(c.fips, c.name, commission ? 'Election Commissioner' : 'County Clerk', 1);
    add(c.fips, c.name, commission ? 'Deputy Election Commissioner' : 'Deputy County Clerk', 2);
  }
  // About 90 more: second deputies and election officers, spread over the counties.
  for (let i = 0; people.length < 300; i++) {
    // Step 4 is coprime with 105, so every county gets one before any gets two.
    const c = counties[(i * 4) % counties.length]!;
    add(
      c.fips,
      c.name,
      i % 3 === 0 ? 'Election Officer' : 'Deputy County Clerk',
      3 + Math.floor(i / counties.length),
    );
  }
  return people;
}

export async function loadDemoData(deps: Deps, opts: { force?: boolean } = {}): Promise<DemoResult> {
  const ctx = systemCtx(deps, 'demo loader');
  const accounts: DemoAccount[] = [
    ...staff.map((s) => ({ role: s.role, email: s.email, name: `${s.first} ${s.last}` })),
    { role: 'official' as const, email: DEMO_OFFICIAL_EMAIL, name: 'Dana Kessler' },
  ];
  const already = await deps.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', 'demo.loaded')
    .executeTakeFirst();
  if (already && !opts.force) return { loaded: false, people: 0, accounts };
  if (!already && !opts.force) {
    // Only an empty database gets the demo on start-up; a real install is never touched.
    const anyone = await deps.db.selectFrom('person').select('id').limit(1).executeTakeFirst();
    if (anyone) return { loaded: false, people: 0, accounts: [] };
  }

  const counties = await deps.db
    .selectFrom('jurisdiction')
    .select(['fips', 'name'])
    .where('state_code', '=', 'KS')
    .where('kind', '=', 'county')
    .orderBy('fips')
    .execute();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const people: DemoPerson[] = [
    ...staff.map((s) => ({
      externalId: `demo-staff-${s.role}`,
      first: s.first,
      last: s.last,
      email: s.email,
      title: s.title,
      fips: s.counties?.[0] ?? '20',
      roles: [s.role],
      phone: '(785) 296-4561',
    })),
    {
      externalId: 'demo-official',
      first: 'Dana',
      last: 'Kessler',
      email: DEMO_OFFICIAL_EMAIL,
      title: 'County Clerk',
      fips: '20045', // Douglas County
      roles: ['official'],
      phone: '(785) 555-0142',
    },
    ...demoPeople(counties),
  ];
  const withPassword = new Set(accounts.map((a) => a.email));

  let inserted = 0;
  let loadedMeanwhile = false;
  await deps.db.transaction().execute(async (tx) => {
    // Instances starting together: the second waits here, then finds the demo loaded by the first.
    await sql`select pg_advisory_xact_lock(${DEMO_LOCK_KEY})`.execute(tx);
    if (!opts.force) {
      const meanwhile = await tx
        .selectFrom('app_meta')
        .select('key')
        .where('key', '=', 'demo.loaded')
        .executeTakeFirst();
      if (meanwhile) {
        loadedMeanwhile = true;
        return;
      }
    }
    for (let i = 0; i < people.length; i += 200) {
      const chunk = people.slice(i, i + 200);
      const rows = await tx
        .insertInto('person')
        .values(
          chunk.map((p) => ({
            external_id: p.externalId,
            first_name: p.first,
            last_name: p.last,
            preferred_name: null,
            email: p.email,
            phone: p.phone,
            title: p.title,
            jurisdiction_fips: p.fips,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning(['id', 'external_id', 'email'])
        .execute();
      inserted += rows.length;
      if (rows.length) {
        const byExt = new Map(chunk.map((p) => [p.externalId, p]));
        await tx
          .insertInto('user_account')
          .values(
            rows.map((r) => ({
              person_id: r.id,
              roles: byExt.get(r.external_id ?? '')?.roles ?? ['official'],
              password_hash: withPassword.has(r.email) ? passwordHash : null,
              password_changed_at: null,
              last_sign_in_at: null,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
    for (const s of staff.filter((x) => x.counties)) {
      const user = await tx
        .selectFrom('user_account as u')
        .innerJoin('person as p', 'p.id', 'u.person_id')
        .select('u.id')
        .where('p.email', '=', s.email)
        .executeTakeFirst();
      if (user)
        await tx
          .insertInto('account_county')
          .values(s.counties!.map((f) => ({ user_id: user.id, jurisdiction_fips: f })))
          .onConflict((oc) => oc.doNothing())
          .execute();
    }
    for (const s of staff.filter((x) => x.programCodes)) {
      const user = await tx
        .selectFrom('user_account as u')
        .innerJoin('person as p', 'p.id', 'u.person_id')
        .select('u.id')
        .where('p.email', '=', s.email)
        .executeTakeFirst();
      const programs = await tx
        .selectFrom('program')
        .select('id')
        .where('code', 'in', s.programCodes!)
        .execute();
      if (user && programs.length > 0)
        await tx
          .insertInto('coordinator_program')
          .values(programs.map((p) => ({ user_id: user.id, program_id: p.id })))
          .onConflict((oc) => oc.doNothing())
          .execute();
    }
    await tx
      .insertInto('app_meta')
      .values({ key: 'demo.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    await recordAudit(tx, ctx, {
      action: 'demo.load',
      entityType: 'system',
      entityId: null,
      after: { people: inserted },
    });
  });
  if (loadedMeanwhile) return { loaded: false, people: 0, accounts };
  await loadDemoSessions(deps);
  await loadDemoClaims(deps);
  await loadDemoDesigns(deps);
  await loadDemoAwards(deps);
  await loadDemoIssuers(deps);
  await loadDemoReports(deps);
  await loadDemoStaffCredit(deps);
  await loadDemoFacts(deps);
  await loadDemoImports(deps);
  await loadDemoDashboards(deps);
  await loadDemoWebhooks(deps);
  return { loaded: true, people: inserted, accounts };
}
