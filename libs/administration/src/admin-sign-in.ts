import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import type * as OpenIdClient from 'openid-client';
import { newAccessToken, tokenHash } from '@timelog-sync/company-directory';
import { closeAdminSession, findAdminSession, forgetExpiredAdminSessions, forgetStaleSignInAttempts, listRoleGrantsOf, openAdminSession, recordSignInAttempt, takeSignInAttempt } from '@timelog-sync/persistence';
import { AdministrationError } from './administration-error';
import { RoleGrant } from './admin-roles';

export interface OpenIdSettings {
  /** The company's identity provider (its discovery document is read from `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The console's `/auth/callback`, as registered at the provider. */
  redirectUri: string;
  sessionHours: number;
}

/** A signed-in person as the guard and the console see them; grants are read on every call, so a revoked grant bites at once. */
export interface AdminSession {
  email: string;
  name: string | null;
  csrfToken: string;
  grants: RoleGrant[];
}

/** A sign-in started and not finished within this time is refused (its PKCE verifier is thrown away). */
const ATTEMPT_MINUTES = 10;

// openid-client is an ES module: loaded on first use (Node requires it natively; Jest never loads this file's flows).
let openIdClient: Promise<typeof OpenIdClient> | undefined;
const loadOpenIdClient = () => (openIdClient ??= import('openid-client'));

/**
 * Named sign-in with OpenID Connect (authorization code + PKCE, `openid-client`) and server-side sessions: the
 * cookie holds a random token, PostgreSQL holds its hash, the person's verified e-mail and a CSRF token that every
 * state-changing call must echo in a header. Sign-out deletes the row, so a copied cookie stops working at once.
 */
export class AdminSignIn {
  private configuration: Promise<OpenIdClient.Configuration> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: OpenIdSettings,
  ) {}

  private async client() {
    const oidc = await loadOpenIdClient();
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        // Plain http only for a provider on this machine (npm run up, tests); anything else must be https.
        execute: new URL(this.settings.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return { oidc, configuration: await this.configuration };
  }

  /** Where to send the browser to sign in; `returnTo` is a path of the console (never another origin). */
  async start(returnTo: string): Promise<URL> {
    const { oidc, configuration } = await this.client();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await forgetStaleSignInAttempts(this.dataSource, ATTEMPT_MINUTES);
    await recordSignInAttempt(this.dataSource, { state, code_verifier: codeVerifier, nonce, return_to: safeReturnPath(returnTo) });
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
  }

  /**
   * Finishes a sign-in from the provider's redirect (`query` is the callback's query string): exchanges the code with
   * the PKCE verifier, checks state and nonce, and opens a session for a verified e-mail that holds at least one grant.
   */
  async finish(query: string): Promise<{ sessionToken: string; expiresAt: Date; returnTo: string }> {
    const state = new URLSearchParams(query).get('state') ?? '';
    const attempt = await takeSignInAttempt(this.dataSource, state, ATTEMPT_MINUTES);
    if (!attempt) throw new AdministrationError(400, 'sign_in.expired', 'This sign-in link expired or was already used. Sign in again.');
    const { oidc, configuration } = await this.client();
    const currentUrl = new URL(this.settings.redirectUri);
    currentUrl.search = query;
    let claims: OpenIdClient.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: attempt.code_verifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
      // Many providers (oidc-provider among them) put scope claims such as e-mail in the UserInfo answer only.
      if (claims && typeof claims.email !== 'string') claims = { ...claims, ...(await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub)) };
    } catch (error) {
      throw new AdministrationError(401, 'sign_in.refused', `The identity provider did not confirm the sign-in (${(error as Error).message}). Sign in again.`);
    }
    const email = typeof claims?.email === 'string' && claims.email_verified === true ? claims.email.toLowerCase() : null;
    if (!email) throw new AdministrationError(403, 'sign_in.no_email', 'Your identity provider did not confirm an e-mail address; ask your administrator.');
    if ((await this.grants(email)).length === 0) {
      throw new AdministrationError(403, 'sign_in.no_role', `${email} has no role in any company. Ask your company's owner or your operator to grant you one.`);
    }
    const sessionToken = newAccessToken();
    const expiresAt = new Date(Date.now() + this.settings.sessionHours * 3600_000);
    await forgetExpiredAdminSessions(this.dataSource);
    await openAdminSession(this.dataSource, {
      token_hash: tokenHash(sessionToken), email, name: typeof claims?.name === 'string' ? claims.name : null, csrf_token: randomBytes(32).toString('base64url'), expires_at: expiresAt,
    });
    return { sessionToken, expiresAt, returnTo: attempt.return_to };
  }

  /** The session a cookie's token opens, or null (unknown, signed out or expired). */
  async session(sessionToken: string | undefined): Promise<AdminSession | null> {
    if (!sessionToken) return null;
    const row = await findAdminSession(this.dataSource, tokenHash(sessionToken));
    return row ? { email: row.email, name: row.name, csrfToken: row.csrf_token, grants: await this.grants(row.email) } : null;
  }

  async signOut(sessionToken: string): Promise<void> {
    await closeAdminSession(this.dataSource, tokenHash(sessionToken));
  }

  private async grants(email: string): Promise<RoleGrant[]> {
    const rows = await listRoleGrantsOf(this.dataSource, email);
    return rows.map((row) => ({ companyId: row.company_id, role: row.role }));
  }
}

/** A presented CSRF token matches the session's (constant time). */
export function csrfTokenMatches(session: AdminSession, presented: string | undefined): boolean {
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(presented ?? '');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Only a path of the console itself: `//evil.example` or `https://…` would make the sign-in an open redirect. */
export function safeReturnPath(returnTo: string): string {
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(returnTo) ? returnTo : '/';
}
