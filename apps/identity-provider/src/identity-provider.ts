import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/** A person who can sign in here; `email` is what the relying party sees (verified: we stand in for the company's directory). */
export interface DemoUser {
  email: string;
  password: string;
  name: string;
}

export interface RelyingParty {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface IdentityProviderOptions {
  port: number;
  host: string;
  users: DemoUser[];
  clients: RelyingParty[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function loginPage(uid: string, problem: string | null): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · Local identity provider</title></head>
<body><main><h1>Sign in</h1><p>Local identity provider (stands in for your company's directory).</p>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>E-mail <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Continue</button></form></main></body></html>`;
}

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A real OpenID Connect provider (`oidc-provider`, the certified implementation) with a login form and a few demo
 * users, for `npm run up` and the tests: the console signs in through the protocol exactly as against a company's
 * own provider. Authorization code flow only, PKCE required, consent implied (the console is first-party here).
 * Control API: `PUT /_sim/users` adds or replaces a user (tests create people per company).
 */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<{ url: string; close(): Promise<void> }> {
  const users = new Map(options.users.map((user) => [user.email.toLowerCase(), user]));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const url = `http://${options.host}:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    pkce: { required: () => true, methods: ['S256'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    // The console is first-party: the grant covers what it asks, no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    findAccount: (_ctx, sub) => {
      const user = users.get(sub);
      return user ? { accountId: sub, claims: () => ({ sub, email: user.email, email_verified: true, name: user.name }) } : undefined;
    },
  };
  const provider = new Provider(url, configuration);
  const callback = provider.callback();

  async function interaction(request: IncomingMessage, response: ServerResponse, uid: string, action: string | undefined) {
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (request.method === 'GET' && !action) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, null));
      return;
    }
    if (request.method === 'POST' && action === 'login') {
      const form = await formBody(request);
      const user = users.get((form.get('email') ?? '').toLowerCase());
      if (!user || user.password !== form.get('password')) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, 'Unknown e-mail or wrong password.'));
        return;
      }
      await provider.interactionFinished(request, response, { login: { accountId: user.email.toLowerCase() } }, { mergeWithLastSubmission: false });
      return;
    }
    response.writeHead(404).end();
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', url).pathname;
    const route = /^\/interaction\/([\w-]+)(?:\/(\w+))?$/.exec(path);
    const handle = async () => {
      if (path === '/health/live' || path === '/health/ready' || path === '/health') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ service: 'identity-provider', status: 'up' }));
      } else if (path === '/_sim/users' && request.method === 'PUT') {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const user = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DemoUser;
        users.set(user.email.toLowerCase(), user);
        response.writeHead(204).end();
      } else if (route) {
        await interaction(request, response, route[1], route[2]);
      } else {
        callback(request, response);
      }
    };
    handle().catch((error: Error) => {
      if (!response.headersSent) response.writeHead(400, { 'content-type': 'text/plain' }).end(`Sign-in failed: ${error.message}`);
    });
  });

  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
