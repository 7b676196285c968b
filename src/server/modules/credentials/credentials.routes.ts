import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import { statusListParams, verifiableCredential } from '../../../contract/credentials.js';
import { defineRoute } from '../../http/route.js';
import { awardCredential, statusList } from './credentials.service.js';

export function credentialRoutes(app: FastifyInstance): void {
  const tags = ['Credentials'];
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
    url: '/issuers/:slug/status/:purpose',
    action: 'issuers.status.read',
    schema: {
      operationId: 'getIssuerStatusList',
      description:
        "The issuer's signed BitstringStatusListCredential for `revocation` (revoked or replaced awards) or `suspension` (lapsed or expired certifications), as the database says at this request.",
      tags,
      summary: "An issuer's status list",
      params: statusListParams,
      response: { 200: verifiableCredential, 400: problemSchema, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const list = await statusList(req.ctx, req.params.slug, req.params.purpose);
      // A revocation must show on the next request: nothing keeps a copy.
      return reply.header('cache-control', 'no-store').send(list);
    },
  });
}
