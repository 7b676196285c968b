/**
 * A program's issuer (issue 18, item 1): the name, address and logo its certificates, verification
 * page and credentials name, and its Ed25519 signing keys published as a did:web DID document.
 *
 * - Identity: program_issuer's values when set, else the program definition's issuing body (name,
 *   url), else the deployment's organization and public URL.
 * - Keys: made on first use; the private key sealed with SECRETS_KEY (src/server/secrets.ts, the
 *   mechanism of the two-step sign-in secrets), its associated data naming the program and key
 *   number. Rotation adds a key; the newest signs and every key stays in the DID document, so
 *   credentials signed before a rotation still verify.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { DomainError } from '../../../domain/errors.js';
import {
  issuerBaseUrl,
  issuerDid,
  issuerSlug,
  type IssuerProfile,
} from '../../../domain/credentials/index.js';
import type { Db } from '../../db/database.js';
import type { Ctx, Deps } from '../../context.js';
import { newEd25519Key } from '../../credentials/data-integrity.js';
import { openSecret, sealSecret, secretsKeyOf } from '../../secrets.js';
import { recordAudit } from '../audit/audit.service.js';
import { definitionFor } from '../programs/programs.service.js';

export interface ProgramIssuer extends IssuerProfile {
  programId: string;
  slug: string;
  /** The address of the issuer's documents: /issuers/<slug> under the public URL. */
  baseUrl: string;
}

const keyPurpose = (programId: string, keyNumber: number) => `issuer_key:${programId}:${keyNumber}`;
const fragment = (keyNumber: number) => `key-${keyNumber}`;

/** The issuer of a program (its defaults filled in); not-found for an unknown program. */
export async function issuerOf(deps: Pick<Deps, 'config' | 'db'>, programId: string): Promise<ProgramIssuer> {
  const row = await deps.db
    .selectFrom('program as p')
    .leftJoin('program_issuer as i', 'i.program_id', 'p.id')
    .select(['p.id', 'p.code', 'p.name as program_name', 'i.name', 'i.url', 'i.logo_url'])
    .where('p.id', '=', programId)
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'There is no program with this id.');
  const def = await definitionFor(deps.db, programId);
  const { publicUrl, organization } = deps.config;
  const slug = issuerSlug(row.code);
  return {
    programId: row.id,
    slug,
    id: issuerDid(publicUrl, slug),
    baseUrl: issuerBaseUrl(publicUrl, slug),
    name: row.name ?? def?.issuingBody.name ?? organization.name,
    url: row.url ?? def?.issuingBody.url ?? publicUrl,
    logoUrl: row.logo_url ?? organization.logoUrl,
  };
}

/** The program whose issuer has this slug (the public addresses name issuers by slug). */
export async function programIdBySlug(db: Db, slug: string): Promise<string> {
  const programs = await db.selectFrom('program').select(['id', 'code']).orderBy('created_at').execute();
  const match = programs.find((p) => issuerSlug(p.code) === slug);
  if (!match) throw new DomainError('not_found', `There is no issuer "${slug}".`);
  return match.id;
}

/** Sets (or, with null, resets to the default) the issuer's name, address and logo. Audited. */
export async function updateIssuer(
  ctx: Ctx,
  programId: string,
  b: { name: string | null; url: string | null; logoUrl: string | null },
): Promise<Awaited<ReturnType<typeof issuerView>>> {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await issuerOf({ config: ctx.config, db: tx }, programId);
    await tx
      .insertInto('program_issuer')
      .values({ program_id: programId, name: b.name, url: b.url, logo_url: b.logoUrl })
      .onConflict((oc) =>
        oc.column('program_id').doUpdateSet({
          name: b.name,
          url: b.url,
          logo_url: b.logoUrl,
          updated_at: ctx.now().toISOString(),
        }),
      )
      .execute();
    await recordAudit(tx, ctx, {
      action: 'issuer.update',
      entityType: 'program',
      entityId: programId,
      before: { name: before.name, url: before.url, logoUrl: before.logoUrl },
      after: b,
    });
  });
  return issuerView(ctx, programId);
}

async function insertKey(deps: Pick<Deps, 'config'>, db: Db, programId: string, keyNumber: number) {
  const k = newEd25519Key();
  return db
    .insertInto('issuer_key')
    .values({
      program_id: programId,
      key_number: keyNumber,
      public_key_multibase: k.publicKeyMultibase,
      private_key_sealed: sealSecret(
        secretsKeyOf(deps.config),
        keyPurpose(programId, keyNumber),
        k.privatePem,
      ),
    })
    .onConflict((oc) => oc.columns(['program_id', 'key_number']).doNothing())
    .execute();
}

/** Every key of the program's issuer, oldest first; the first is made when there is none. */
export async function issuerKeys(deps: Pick<Deps, 'config' | 'db'>, programId: string) {
  const list = () =>
    deps.db
      .selectFrom('issuer_key')
      .select(['key_number', 'public_key_multibase', 'private_key_sealed', 'created_at'])
      .where('program_id', '=', programId)
      .orderBy('key_number')
      .execute();
  let keys = await list();
  if (!keys.length) {
    // Two first uses at once: one insert wins (the unique key number), both read the same key.
    await insertKey(deps, deps.db, programId, 1);
    keys = await list();
  }
  return keys;
}

/** The key that signs now (the newest), opened with SECRETS_KEY, and its verification method. */
export async function signingKey(
  deps: Pick<Deps, 'config' | 'db'>,
  issuer: ProgramIssuer,
): Promise<{ privateKey: KeyObject; verificationMethod: string }> {
  const keys = await issuerKeys(deps, issuer.programId);
  const newest = keys[keys.length - 1]!;
  const pem = openSecret(
    secretsKeyOf(deps.config),
    keyPurpose(issuer.programId, newest.key_number),
    newest.private_key_sealed,
  );
  return {
    privateKey: createPrivateKey(pem),
    verificationMethod: `${issuer.id}#${fragment(newest.key_number)}`,
  };
}

/**
 * Adds a signing key to the program's issuer; from now on it signs. Earlier keys stay published.
 * Locks the program's keys so two rotations at once make two numbered keys, not a clash. Audited.
 */
export async function rotateIssuerKey(ctx: Ctx, programId: string) {
  const issuer = await issuerOf(ctx, programId);
  await issuerKeys(ctx, programId);
  const keyNumber = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .selectFrom('program')
      .select('id')
      .where('id', '=', programId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const last = await tx
      .selectFrom('issuer_key')
      .select((eb) => eb.fn.max('key_number').as('n'))
      .where('program_id', '=', programId)
      .executeTakeFirstOrThrow();
    const next = Number(last.n ?? 0) + 1;
    await insertKey(ctx, tx, programId, next);
    await recordAudit(tx, ctx, {
      action: 'issuer.key.rotate',
      entityType: 'program',
      entityId: programId,
      after: { keyNumber: next },
    });
    return next;
  });
  return { issuer: issuer.id, keyNumber, verificationMethod: `${issuer.id}#${fragment(keyNumber)}` };
}

export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/**
 * The issuer's did:web DID document: every key as a Multikey verification method, each one an
 * assertion method (what credential proofs use). Public keys only.
 */
export async function didDocument(deps: Pick<Deps, 'config' | 'db'>, programId: string) {
  const issuer = await issuerOf(deps, programId);
  const keys = await issuerKeys(deps, programId);
  const methods = keys.map((k) => ({
    id: `${issuer.id}#${fragment(k.key_number)}`,
    type: 'Multikey',
    controller: issuer.id,
    publicKeyMultibase: k.public_key_multibase,
  }));
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: issuer.id,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}

/** The issuer as administrators see it: its identity, public addresses and public keys. */
export async function issuerView(deps: Pick<Deps, 'config' | 'db'>, programId: string) {
  const issuer = await issuerOf(deps, programId);
  const keys = await issuerKeys(deps, programId);
  return {
    programId,
    slug: issuer.slug,
    id: issuer.id,
    name: issuer.name,
    url: issuer.url,
    logoUrl: issuer.logoUrl,
    didDocumentUrl: `${issuer.baseUrl}/did.json`,
    statusLists: {
      revocation: `${issuer.baseUrl}/status/revocation`,
      suspension: `${issuer.baseUrl}/status/suspension`,
    },
    keys: keys.map((k) => ({
      verificationMethod: `${issuer.id}#${fragment(k.key_number)}`,
      publicKeyMultibase: k.public_key_multibase,
      createdAt: new Date(k.created_at).toISOString(),
    })),
  };
}
