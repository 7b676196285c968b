/**
 * A real OpenID provider for tests (panva's oidc-provider, in memory) on a local port: one client
 * with `private_key_jwt` (or a client secret), PKCE required, and a tiny sign-in page of its own
 * where the test picks the account (as a person would type their e-mail) or cancels. The
 * accounts' claims come from `findAccount`; their `amr`/`acr` from the sign-in result.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import { freePort } from '../db/embedded.js';

export interface TestOidcAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  givenName?: string;
  familyName?: string;
  /** Authentication methods the provider reports, e.g. ['pwd', 'mfa']. */
  amr?: string[];
  acr?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  /** The client's private key (JWK) for private_key_jwt, to put in CivicCert's configuration. */
  privateJwk: Record<string, unknown>;
  clientSecret: string;
  accounts: Map<string, TestOidcAccount>;
  /** The CivicCert configuration entry (OIDC_PROVIDERS item) for this provider. */
  providerConfig: (extra?: Record<string, unknown>) => Record<string, unknown>;
  close: () => Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startTestOidcProvider(opts: {
  /** CivicCert's public URL: the redirect URI and post-logout URI are derived from it. */
  appUrl: string;
  providerId?: string;
  authMethod?: 'private_key_jwt' | 'client_secret_basic';
  accounts?: TestOidcAccount[];
  port?: number;
}): Promise<TestOidcProvider> {
  const port = opts.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const providerId = opts.providerId ?? 'test-idp';
  const clientId = 'civiccert';
  const clientSecret = 'a-test-client-secret-that-is-long-enough';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'civiccert-test' };
  const publicJwk = {
    ...publicKey.export({ format: 'jwk' }),
    kid: 'civiccert-test',
    alg: 'RS256',
    use: 'sig',
  };
  const accounts = new Map((opts.accounts ?? []).map((a) => [a.sub, a]));
  const authMethod = opts.authMethod ?? 'private_key_jwt';

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        ...(authMethod === 'private_key_jwt'
          ? { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicJwk as never] } }
          : { token_endpoint_auth_method: 'client_secret_basic', client_secret: clientSecret }),
        redirect_uris: [`${opts.appUrl}/api/oidc/${providerId}/callback`],
        post_logout_redirect_uris: [`${opts.appUrl}/sign-in`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    // The ID token carries amr and acr, as Entra ID and most providers do.
    claims: {
      openid: ['sub', 'amr', 'acr', 'auth_time', 'sid'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key-for-the-oidc-provider'] },
    findAccount: (_ctx, sub) => {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: a.email,
          email_verified: a.emailVerified,
          ...(a.givenName ? { given_name: a.givenName } : {}),
          ...(a.familyName ? { family_name: a.familyName } : {}),
        }),
      };
    },
    // Consent is implied for the one client: a grant for the scopes asked for.
    loadExistingGrant: async (ctx) => {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const server = http.createServer((req, res) => {
    void (async () => {
      const match = /^\/interaction\/([\w-]+)(\/login|\/cancel)?$/.exec(req.url ?? '');
      if (!match) return callback(req, res);
      try {
        if (req.method === 'GET') {
          await provider.interactionDetails(req, res);
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider: sign in</h1>
<form method="post" action="/interaction/${escape(match[1]!)}/login">
<label for="login">E-mail address</label><input id="login" name="login" type="email">
<button type="submit">Continue</button></form>
<form method="post" action="/interaction/${escape(match[1]!)}/cancel"><button type="submit">Cancel</button></form>
</main></body></html>`);
          return;
        }
        let body = '';
        for await (const chunk of req) body += String(chunk);
        if (match[2] === '/cancel')
          return provider.interactionFinished(
            req,
            res,
            { error: 'access_denied', error_description: 'The person cancelled' },
            { mergeWithLastSubmission: false },
          );
        const login = new URLSearchParams(body).get('login')?.trim().toLowerCase() ?? '';
        const account = [...accounts.values()].find((a) => a.email.toLowerCase() === login);
        if (!account) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end('unknown test account');
          return;
        }
        await provider.interactionFinished(
          req,
          res,
          {
            login: {
              accountId: account.sub,
              ...(account.amr ? { amr: account.amr } : {}),
              ...(account.acr ? { acr: account.acr } : {}),
            },
          },
          { mergeWithLastSubmission: false },
        );
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    clientId,
    privateJwk,
    clientSecret,
    accounts,
    providerConfig: (extra = {}) => ({
      id: providerId,
      name: 'Test IdP',
      issuer,
      clientId,
      clientAuth: authMethod,
      ...(authMethod === 'private_key_jwt' ? { privateKey: privateJwk } : { clientSecret }),
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
