import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  didDocumentSchema,
  issuerBody,
  issuerParams,
  issuerSchema,
  rotatedKey,
} from '../../../contract/credentials.js';
import { defineRoute } from '../../http/route.js';
import {
  didDocument,
  issuerView,
  programIdBySlug,
  rotateIssuerKey,
  updateIssuer,
} from './issuers.service.js';

export function issuerRoutes(app: FastifyInstance): void {
  const tags = ['Credentials'];
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
  defineRoute(app, {
    method: 'GET',
    url: '/issuers/:slug/did.json',
    action: 'issuers.read',
    schema: {
      operationId: 'getIssuerDidDocument',
      description:
        "The did:web DID document of a program's issuer (did:web:<host>:issuers:<slug>): every signing key, old ones included, as a Multikey assertion method. Public keys only.",
      tags,
      summary: "An issuer's DID document",
      params: issuerParams,
      response: { 200: didDocumentSchema, 404: problemSchema },
    },
    handler: async (req, reply) => {
      const doc = await didDocument(req.ctx, await programIdBySlug(req.ctx.db, req.params.slug));
      // A rotation shows within a minute; verifiers may keep it that long.
      return reply.type('application/did+json').header('cache-control', 'public, max-age=60').send(doc);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/programs/:id/issuer',
    action: 'issuers.read',
    schema: {
      operationId: 'getProgramIssuer',
      description:
        "The program's issuer: the name, address and logo its certificates and credentials name, its did:web identifier, status list addresses and public keys.",
      tags,
      summary: "A program's issuer",
      params: idParams,
      response: { 200: issuerSchema, ...errors },
    },
    handler: async (req) => issuerView(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/api/programs/:id/issuer',
    action: 'issuers.update',
    schema: {
      operationId: 'updateProgramIssuer',
      description:
        "Sets the issuer's name, address and logo address; null takes the default (the program's issuing body, then the deployment). Credentials made from now on name it. Audited.",
      tags,
      summary: "Set a program's issuer",
      params: idParams,
      body: issuerBody,
      response: { 200: issuerSchema, ...errors },
    },
    handler: async (req) => updateIssuer(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/programs/:id/issuer/keys',
    action: 'issuers.keys.rotate',
    schema: {
      operationId: 'rotateProgramIssuerKey',
      description:
        "Adds a new Ed25519 signing key to the program's issuer; it signs from now on. Earlier keys stay in the DID document, so credentials they signed still verify. Audited. Returns the new key (201).",
      tags,
      summary: "Rotate an issuer's signing key",
      params: idParams,
      response: { 201: rotatedKey, ...errors },
    },
    handler: async (req, reply) => {
      const k = await rotateIssuerKey(req.ctx, req.params.id);
      reply.status(201);
      return k;
    },
  });
}
