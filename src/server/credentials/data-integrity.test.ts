import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base58btc, newEd25519Key, publicKeyMultibase, signDataIntegrity } from './data-integrity.js';
import { bundledContextLoader } from './contexts.js';

describe('base58btc', () => {
  it('encodes as the Bitcoin alphabet does, leading zero bytes as 1s', () => {
    expect(base58btc(Buffer.from('Hello World!'))).toBe('2NEpo7TZRRrLZSi2U');
    expect(base58btc(Buffer.from([0, 0, 1]))).toBe('112');
    expect(base58btc(Buffer.from([]))).toBe('');
  });
});

describe('Ed25519 keys as Multikey', () => {
  it('publishes the public key as z6Mk… (multicodec 0xed01, base58btc)', () => {
    const k = newEd25519Key();
    expect(k.publicKeyMultibase).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(publicKeyMultibase(createPrivateKey(k.privatePem))).toBe(k.publicKeyMultibase);
  });
});

describe('the eddsa-rdfc-2022 proof', () => {
  const doc = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    issuer: 'did:web:cert.example.gov:issuers:ks',
    credentialSubject: { name: 'Dana Kessler' },
  };
  it('signs SHA-256(proof options) || SHA-256(document) with the key', async () => {
    const k = newEd25519Key();
    const signed = await signDataIntegrity(doc, createPrivateKey(k.privatePem), {
      verificationMethod: 'did:web:cert.example.gov:issuers:ks#key-1',
      created: '2027-03-11T15:00:00Z',
    });
    expect(signed.proof).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      proofPurpose: 'assertionMethod',
    });
    expect(signed.proof.proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]{86,88}$/);
    // The same document signs to the same value (Ed25519 is deterministic), a changed one does not.
    const again = await signDataIntegrity(doc, createPrivateKey(k.privatePem), {
      verificationMethod: 'did:web:cert.example.gov:issuers:ks#key-1',
      created: '2027-03-11T15:00:00Z',
    });
    expect(again.proof.proofValue).toBe(signed.proof.proofValue);
    const other = await signDataIntegrity(
      { ...doc, credentialSubject: { name: 'Someone Else' } },
      createPrivateKey(k.privatePem),
      { verificationMethod: 'did:web:cert.example.gov:issuers:ks#key-1', created: '2027-03-11T15:00:00Z' },
    );
    expect(other.proof.proofValue).not.toBe(signed.proof.proofValue);
    expect(
      verify(null, Buffer.from('x'), createPublicKey(createPrivateKey(k.privatePem)), Buffer.alloc(64)),
    ).toBe(false);
  });
  it('refuses a context that is not bundled (nothing is fetched)', async () => {
    const key = createPrivateKey(newEd25519Key().privatePem);
    const opts = { verificationMethod: 'did:web:x#key-1', created: '2027-03-11T15:00:00Z' };
    await expect(
      signDataIntegrity(
        { ...doc, '@context': [...doc['@context'], 'https://example.com/ctx.json'] },
        key,
        opts,
      ),
    ).rejects.toThrow();
    await expect(bundledContextLoader('https://example.com/ctx.json')).rejects.toThrow(
      /not one CivicCert bundles/,
    );
    await expect(bundledContextLoader('https://www.w3.org/ns/credentials/v2')).resolves.toBeTruthy();
  });
});
