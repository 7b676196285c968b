import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  checkCredentialBody,
  credentialCheckResult,
  credentialOffer,
  issuerParams,
  offerTokenParams,
  transcriptProgramParams,
  verifiableCredential,
} from '../../../contract/credentials.js';
import { statusPurposes } from '../../../domain/credentials/index.js';
import { enforceRateLimit, type RateLimit } from '../../http/rate-limit.js';
import { defineRoute } from '../../http/route.js';
import { checkCredential } from './verification.service.js';
import { awardCredential, statusList, transcriptCredential } from './credentials.service.js';
import {
  fetchOfferedCredential,
  offerAwardCredential,
  OFFER_MINUTES,
  offerTranscriptCredential,
} from './offers.service.js';

/** Public credential checks per address: 30 a minute (each runs a signature check), across all instances. */
export const CREDENTIAL_CHECK_LIMIT: RateLimit = {
  bucket: 'verify.credential',
  limit: 30,
  windowSeconds: 60,
  message: 'Too many credential checks from this address. Try again in a minute.',
};

/**
 * Wallet code fetches per address: 30 a minute, like the other public look-ups. A token is 256
 * random bits, so this bounds the signing work of a flood more than any guessing.
 */
export const OFFER_FETCH_LIMIT: RateLimit = {
  bucket: 'credential-offer.fetch',
  limit: 30,
  windowSeconds: 60,
  message: 'Too many wallet code fetches from this address. Try again in a minute.',
};

/** The credential check's body: the file's text (up to 256 kB) as a JSON string, escapes included. */
export const CREDENTIAL_CHECK_BODY_LIMIT = 600 * 1024;

export function credentialRoutes(app: FastifyInstance): void {
  const tags = ['Credentials'];
  defineRoute(app, {
    method: 'POST',
    url: '/api/verify/credential',
    action: 'credentials.check',
    bodyLimit: CREDENTIAL_CHECK_BODY_LIMIT,
    schema: {
      operationId: 'checkCredential',
      description:
        "Checks a credential file (an Open Badges 3.0 badge or a CLR 2.0 transcript of this deployment), sent as its text: the format, the issuer (only this deployment's own issuers; no other is looked up), the eddsa-rdfc-2022 signature, the revocation and suspension lists and the validity dates. Answers what it found check by check and a verdict naming the first failing check. Text that is not JSON is a 400 naming `credential`; a body over the limit a 413. Rate-limited per caller address.",
      tags,
      summary: 'Check a credential file',
      body: checkCredentialBody,
      response: { 200: credentialCheckResult, 413: problemSchema, 429: problemSchema },
    },
    handler: async (req) => {
      await enforceRateLimit(req.ctx, CREDENTIAL_CHECK_LIMIT);
      return checkCredential(req.ctx, req.body.credential);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/awards/:id/credential',
    action: 'awards.credential.read',
    schema: {
      operationId: 'getAwardCredential',
      description:
        "The award as an Open Badges 3.0 OpenBadgeCredential (W3C VC 2.0), signed by the program's issuer with a Data Integrity proof (eddsa-rdfc-2022), as a JSON attachment. 409 when the award is revoked or was replaced.",
      tags,
      summary: "An award's verifiable credential",
      params: idParams,
      response: {
        200: verifiableCredential,
        403: problemSchema,
        404: problemSchema,
        409: problemSchema,
      },
    },
    handler: async (req, reply) => {
      const { credential, number } = await awardCredential(req.ctx, req.params.id);
      return reply
        .header('content-disposition', `attachment; filename="credential-${number}.json"`)
        .header('cache-control', 'private, no-store')
        .send(credential);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/transcript/programs/:programId/credential',
    action: 'transcripts.credential.read',
    schema: {
      operationId: 'getTranscriptCredential',
      description:
        "The person's transcript in one program as a CLR 2.0 ClrCredential (W3C VC 2.0): every session, approved outside credit and standing award with its credits, date and provider, signed by the program's issuer (eddsa-rdfc-2022), as a JSON attachment. For the person, administrators and the coordinators who run the program. 404 when the person has no transcript in the program, 409 when it has nothing in it yet.",
      tags,
      summary: "A person's transcript in a program as a CLR 2.0 credential",
      params: transcriptProgramParams,
      response: {
        200: verifiableCredential,
        400: problemSchema,
        404: problemSchema,
        409: problemSchema,
      },
    },
    handler: async (req, reply) => {
      const { credential, slug } = await transcriptCredential(req.ctx, req.params.id, req.params.programId);
      return reply
        .header('content-disposition', `attachment; filename="transcript-${slug}.clr.json"`)
        .header('cache-control', 'private, no-store')
        .send(credential);
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/awards/:id/credential-offers',
    action: 'awards.credential.offer',
    schema: {
      operationId: 'offerAwardCredential',
      description: `A wallet code for the holder's own award credential: a single-use address, valid for ${OFFER_MINUTES} minutes, from which a wallet fetches the signed OpenBadgeCredential without signing in. A new code ends the older ones of the same award. For the holder only (staff who may download the credential are refused, 403); 409 when the award is revoked or was replaced.`,
      tags,
      summary: 'A wallet code (QR) for an award credential',
      params: idParams,
      response: { 201: credentialOffer, 404: problemSchema, 409: problemSchema },
    },
    handler: async (req, reply) => reply.status(201).send(await offerAwardCredential(req.ctx, req.params.id)),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/people/:id/transcript/programs/:programId/credential-offers',
    action: 'transcripts.credential.offer',
    schema: {
      operationId: 'offerTranscriptCredential',
      description: `A wallet code for the person's own transcript in a program as a CLR 2.0 credential: a single-use address, valid for ${OFFER_MINUTES} minutes, from which a wallet fetches the signed ClrCredential without signing in. A new code ends the older ones. For the person only (staff who may download it are refused, 403; others 404).`,
      tags,
      summary: 'A wallet code (QR) for a transcript credential',
      params: transcriptProgramParams,
      response: { 201: credentialOffer, 404: problemSchema },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await offerTranscriptCredential(req.ctx, req.params.id, req.params.programId)),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/credential-offers/:token',
    action: 'credentials.offer.fetch',
    schema: {
      operationId: 'fetchOfferedCredential',
      description:
        'The signed credential a wallet code gives (the same document as the download: an OpenBadgeCredential or a ClrCredential), as a JSON attachment, once. No sign-in: the token in the address is the permission. A code already used, or past its expiry, answers 410; an unknown one 404; 409 when the award was revoked since. Rate-limited per caller address.',
      tags,
      summary: 'Fetch a credential with a wallet code',
      params: offerTokenParams,
      response: {
        200: verifiableCredential,
        404: problemSchema,
        409: problemSchema,
        410: problemSchema,
        429: problemSchema,
      },
    },
    handler: async (req, reply) => {
      await enforceRateLimit(req.ctx, OFFER_FETCH_LIMIT);
      const { credential, filename } = await fetchOfferedCredential(req.ctx, req.params.token);
      return reply
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'private, no-store')
        .send(credential);
    },
  });
  // One fixed address per list (the credentials name them): revocation and suspension.
  for (const purpose of statusPurposes) {
    defineRoute(app, {
      method: 'GET',
      url: `/issuers/:slug/status/${purpose}`,
      action: 'issuers.status.read',
      schema: {
        operationId: purpose === 'revocation' ? 'getIssuerRevocationList' : 'getIssuerSuspensionList',
        description:
          purpose === 'revocation'
            ? "The issuer's signed BitstringStatusListCredential of revoked awards (and certificates a re-issue replaced), as the database says at this request."
            : "The issuer's signed BitstringStatusListCredential of lapsed or expired certifications; a bit clears on reinstatement. As the database says at this request.",
        tags,
        summary: purpose === 'revocation' ? "An issuer's revocation list" : "An issuer's suspension list",
        params: issuerParams,
        response: { 200: verifiableCredential, 400: problemSchema, 404: problemSchema },
      },
      handler: async (req, reply) => {
        const list = await statusList(req.ctx, req.params.slug, purpose);
        // A revocation must show on the next request: nothing keeps a copy.
        return reply.header('cache-control', 'no-store').send(list);
      },
    });
  }
}
