// A real OpenID Connect provider for the suite: the certified `oidc-provider` package, on
// 127.0.0.1 at a free port. Reads its clients and its one known person from the JSON in
// argv[2]; prints {"issuer": ...} on stdout once it listens.
//
// Clients: each {client_id, client_secret, redirect_uris, post_logout_redirect_uris}; a
// client with "wrong_audience": true gets ID tokens the provider signs for another
// audience (what a token replayed from another application looks like).
// People sign in through oidc-provider's devInteractions form (any password); consent is
// granted by the provider for these first-party clients.
import http from "node:http";

import * as jose from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(process.argv[2]);
const people = config.people; // {login: claims}

const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: "suite-key", alg: "RS256", use: "sig" };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const wrongAudience = new Set(config.clients.filter((c) => c.wrong_audience).map((c) => c.client_id));

const provider = new Provider(issuer, {
  clients: config.clients.map(({ wrong_audience, ...client }) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
    ...client,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ["suite-cookie-key"] },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "employee_number", "team"],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    const claims = people[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === "/token" && ctx.status === 200 && ctx.body?.id_token) {
    const clientId = ctx.oidc?.client?.clientId;
    if (wrongAudience.has(clientId)) {
      const claims = jose.decodeJwt(ctx.body.id_token);
      ctx.body = {
        ...ctx.body,
        id_token: await new jose.SignJWT({ ...claims, aud: "another-application" })
          .setProtectedHeader({ alg: "RS256", kid: signingKey.kid })
          .sign(privateKey),
      };
    }
  }
});

server.on("request", provider.callback());
process.stdout.write(JSON.stringify({ issuer }) + "\n");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
