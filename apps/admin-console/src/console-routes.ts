import { createHash, timingSafeEqual } from 'node:crypto';

/** How the console answers a call to `/api/*` before anything is forwarded. */
export type RouteDecision = { forward: URL } | { status: 401 | 404; code: string; message: string };

const COMPANY_ROUTE = /^\/companies\/[A-Za-z0-9_-]{1,64}(\/|$)/;
/** The one operator call the console's screens make (the company list); every other operator route stays out of reach. */
const OPERATOR_ROUTE = '/operator/companies';

/** Named sign-in: the console forwards these to the mapping service, which is the OpenID Connect relying party and keeps the sessions. */
const SIGN_IN_ROUTE = /^\/auth\/(sign-in|callback|session|sign-out)$/;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * What a browser session may reach through the console: a company's admin API (the mapping service checks
 * that the key opens that company) and, for the operator token only, the company list. `/metrics`,
 * `/health` and every other operator route of the mapping service are never forwarded. Decided on the
 * normalised target URL, so `..`, `%2e%2e` or `//host` cannot smuggle a request elsewhere.
 */
export class ConsoleRoutes {
  private readonly mappingOrigin: string;
  private readonly operatorTokenHash: Buffer | undefined;

  constructor(
    private readonly mappingServiceUrl: string,
    /** Without it, operator sign-in through the console is off. Only its hash is kept. */
    operatorToken: string | undefined,
  ) {
    this.mappingOrigin = new URL(mappingServiceUrl).origin;
    this.operatorTokenHash = operatorToken ? sha256(operatorToken) : undefined;
  }

  decide(method: string, pathAndQuery: string, authorization: string | undefined): RouteDecision {
    const target = this.target(pathAndQuery);
    if (!target) return NOT_FOUND;
    if (COMPANY_ROUTE.test(target.pathname)) return { forward: target };
    if (target.pathname.replace(/\/+$/, '') !== OPERATOR_ROUTE || method !== 'GET') return NOT_FOUND;
    return this.isOperator(authorization) ? { forward: target } : { status: 401, code: 'unauthorized', message: 'The operator token is required' };
  }

  /** `/auth/*` of the console (sign-in, the provider's callback, the session, sign-out). */
  decideSignIn(pathAndQuery: string): RouteDecision {
    const target = this.target(pathAndQuery);
    return target && SIGN_IN_ROUTE.test(target.pathname) ? { forward: target } : NOT_FOUND;
  }

  /** The mapping service URL a path names, or undefined when it would leave the mapping service. */
  private target(pathAndQuery: string): URL | undefined {
    try {
      const target = new URL(`${this.mappingServiceUrl.replace(/\/+$/, '')}${pathAndQuery}`);
      return target.origin === this.mappingOrigin ? target : undefined;
    } catch {
      return undefined;
    }
  }

  private isOperator(authorization: string | undefined): boolean {
    const presented = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    return !!presented && !!this.operatorTokenHash && timingSafeEqual(sha256(presented), this.operatorTokenHash);
  }
}

const NOT_FOUND = { status: 404, code: 'not_found', message: 'The console has no such API route' } as const;
