/**
 * What signing costs (issue 18), in-process, no database: per operation, in one run,
 *   floor      a bare Ed25519 signature of 64 bytes (node:crypto), what any proof must pay;
 *   credential an award's OpenBadgeCredential signed by our eddsa-rdfc-2022 signer (two RDFC-1.0
 *              canonicalizations over the bundled contexts, two SHA-256, one signature);
 *   status     a status list as a request makes it: 131,072 bits with --set bits set, gzip,
 *              base64url, and the list credential signed the same way.
 * Each is run --n times after a warm-up; the ratios to the floor are what to compare across runs.
 *
 *   npx tsx bench/credentials-sign.ts [--n 200] [--set 1000]
 */
import { createPrivateKey, randomInt, sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  openBadgeCredential,
  statusBits,
  statusListCredential,
  STATUS_LIST_LENGTH,
} from '../src/domain/credentials/index.js';
import { newEd25519Key, signDataIntegrity } from '../src/server/credentials/data-integrity.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
};
const N = arg('n', '200');
const SET = arg('set', '1000');

const key = createPrivateKey(newEd25519Key().privatePem);
const issuer = {
  id: 'did:web:cert.example.gov:issuers:ks-county-election-official',
  name: 'Kansas Secretary of State, Elections Division',
  url: 'https://sos.ks.gov/elections/',
  logoUrl: null,
};
const base = 'https://cert.example.gov/issuers/ks-county-election-official';
const credential = openBadgeCredential(
  {
    awardId: 'a1',
    certificateNumber: 'KS-2027-000001',
    nameOnCertificate: 'Dana Kessler',
    awardedOn: '2027-03-11',
    dueOn: '2030-03-10',
    designation: 'Certified County Election Official',
    program: {
      id: 'p1',
      code: 'ks-county-election-official',
      name: 'Kansas County Election Official Certification',
      timeZone: 'America/Chicago',
    },
    criteria:
      'County election official certification. Complete every requirement: Year One; Year Two; Year Three.',
    creditsEarned: 27,
    unitPlural: 'hours',
  },
  issuer,
  {
    credential: 'https://cert.example.gov/credentials/awards/a1',
    achievement: `${base}/achievements/ks-county-election-official`,
    verifyPage: 'https://cert.example.gov/verify/KS-2027-000001',
    statusList: { revocation: `${base}/status/revocation`, suspension: `${base}/status/suspension` },
  },
  4242,
);
const opts = { verificationMethod: `${issuer.id}#key-1`, created: '2027-03-11T15:00:00Z' };
const set = Array.from({ length: SET }, () => randomInt(STATUS_LIST_LENGTH));

async function time(label: string, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(20, N); i++) await fn();
  const start = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const ms = (performance.now() - start) / N;
  console.log(`${label.padEnd(11)} ${ms.toFixed(3)} ms/op`);
  return ms;
}

const floor = await time('floor', () => sign(null, Buffer.alloc(64, 7), key));
const cred = await time('credential', () => signDataIntegrity(credential, key, opts));
const status = await time('status', () =>
  signDataIntegrity(
    statusListCredential(
      `${base}/status/revocation`,
      issuer,
      'revocation',
      `u${gzipSync(statusBits(set)).toString('base64url')}`,
    ),
    key,
    opts,
  ),
);
console.log(
  `credential ${(cred / floor).toFixed(0)}× the floor; status list ${(status / floor).toFixed(0)}× the floor (n=${N}, ${SET} bits set)`,
);
