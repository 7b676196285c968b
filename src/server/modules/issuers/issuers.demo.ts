/**
 * Demo issuers (issue 18): the association's CPO program and the Kansas program each name their
 * own issuer, with its address, and have a signing key, so every demo award can be downloaded as
 * a signed credential and the DID documents are there to look at. Idempotent: a program whose
 * issuer was already set is left as it is.
 */
import type { Deps } from '../../context.js';
import { issuerKeys } from './issuers.service.js';

const demoIssuers: Record<string, { url: string }> = {
  'igo-cpo': { url: 'https://www.iaogo.org' },
  'ks-county-election-official': { url: 'https://sos.ks.gov/elections/' },
};

export async function loadDemoIssuers(deps: Deps): Promise<{ issuers: number }> {
  const programs = await deps.db
    .selectFrom('program')
    .select(['id', 'code'])
    .where('code', 'in', Object.keys(demoIssuers))
    .execute();
  for (const p of programs) {
    await deps.db
      .insertInto('program_issuer')
      .values({ program_id: p.id, name: null, url: demoIssuers[p.code]!.url, logo_url: null })
      .onConflict((oc) => oc.column('program_id').doNothing())
      .execute();
    await issuerKeys(deps, p.id);
  }
  return { issuers: programs.length };
}
