/**
 * Our Data Integrity signer for the `eddsa-rdfc-2022` cryptosuite (W3C "Data Integrity EdDSA
 * Cryptosuites v1.0", section 3.2), written here on purpose: the tests verify what it makes with
 * digitalbazaar's verifier, which shares no code with this file beyond the JSON-LD processor.
 *
 *   1. proof options = the proof without proofValue, with the document's @context;
 *   2. canonize both the options and the document (without proof) with RDFC-1.0;
 *   3. hashData = SHA-256(canonical options) || SHA-256(canonical document);
 *   4. proofValue = multibase base58btc of the Ed25519 signature of hashData.
 *
 * Keys are node:crypto KeyObjects; the public key is published as a Multikey
 * (base58btc of 0xed 0x01 followed by the 32 key bytes).
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import jsonld from 'jsonld';
import { bundledContextLoader } from './contexts.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Base58 (Bitcoin alphabet): leading zero bytes become '1's, the rest a big number in base 58. */
export function base58btc(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros += 1;
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i += 1) {
    let carry = bytes[i]!;
    for (let j = 0; j < digits.length; j += 1) {
      carry += digits[j]! << 8;
      digits[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  return (
    '1'.repeat(zeros) +
    digits
      .reverse()
      .map((d) => ALPHABET[d])
      .join('')
  );
}

const ED25519_MULTICODEC = Buffer.from([0xed, 0x01]);

/** The raw 32 bytes of an Ed25519 public key (the tail of its SPKI encoding). */
function rawPublicKey(key: KeyObject): Buffer {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return spki.subarray(spki.length - 32);
}

/** The Multikey `publicKeyMultibase` of an Ed25519 key: 'z' + base58btc(0xed01 | key). */
export const publicKeyMultibase = (key: KeyObject): string =>
  `z${base58btc(Buffer.concat([ED25519_MULTICODEC, rawPublicKey(key)]))}`;

/** A new Ed25519 key pair; the private key as PKCS#8 PEM (what is sealed and stored). */
export function newEd25519Key(): { privatePem: string; publicKeyMultibase: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyMultibase: publicKeyMultibase(privateKey),
  };
}

const canonize = (doc: object) =>
  jsonld.canonize(doc, {
    algorithm: 'RDFC-1.0',
    format: 'application/n-quads',
    documentLoader: bundledContextLoader,
    safe: true,
    base: null,
  });

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export interface ProofOptions {
  /** The verification method: the issuer's DID and the key's fragment. */
  verificationMethod: string;
  /** When the proof is made (ISO 8601, to the second). */
  created: string;
}

/**
 * The document with a DataIntegrityProof (eddsa-rdfc-2022, assertionMethod). The document must
 * name the VC 2.0 context (which defines the proof terms) and only bundled contexts; any other
 * context throws. Canonicalization runs in JSON-LD safe mode, so a value that would be dropped
 * (and so go unsigned) throws too.
 */
export async function signDataIntegrity<T extends { '@context': unknown }>(
  document: T,
  privateKey: KeyObject,
  options: ProofOptions,
): Promise<T & { proof: Record<string, string> }> {
  const { proof: _ignored, ...unsecured } = document as T & { proof?: unknown };
  const proof = {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-rdfc-2022',
    created: options.created,
    verificationMethod: options.verificationMethod,
    proofPurpose: 'assertionMethod',
  };
  const [canonicalProof, canonicalDocument] = await Promise.all([
    canonize({ '@context': document['@context'], ...proof }),
    canonize(unsecured),
  ]);
  const hashData = Buffer.concat([sha256(canonicalProof), sha256(canonicalDocument)]);
  const signature = sign(null, hashData, privateKey);
  return { ...document, proof: { ...proof, proofValue: `z${base58btc(signature)}` } };
}
