import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API_BODY_LIMIT_BYTES, CONSOLE_ROUTES } from './tokens';
import { ConsoleRoutes, RouteDecision } from './console-routes';

/** Only what the admin API reads: a machine's key, or a person's session cookie and CSRF token. */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'cookie', 'x-csrf-token', 'content-type', 'accept'] as const;
/**
 * What the browser needs back: sign-in sets and clears the session cookie and redirects to and from the identity
 * provider; paged lists carry their total and next cursor.
 */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location', 'cache-control', 'x-total-count', 'x-next-cursor'] as const;
const MAPPING_TIMEOUT_MS = 30_000;
const CLOSE_AFTER_REFUSAL_MS = 1000;

class BodyTooLarge extends Error {}

/**
 * The request body, refused as soon as it is known to exceed `limit`: from Content-Length before a byte is
 * read, otherwise while it streams in. Reading then stops (the request is paused), so an oversized body
 * never sits in memory.
 */
function boundedBody(request: Request, limit: number): Promise<Buffer | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return Promise.resolve(undefined);
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(chunks.length ? Buffer.concat(chunks) : undefined));
    request.once('error', reject);
  });
}

/**
 * `/api/*` is the mapping service's admin API and `/auth/*` its sign-in, so the browser stays same-origin (the
 * session cookie is the console's) and the mapping service needs no CORS. Keys and cookies are never logged.
 */
@Controller()
export class MappingProxyController {
  constructor(
    @Inject(CONSOLE_ROUTES) private readonly routes: ConsoleRoutes,
    @Inject(API_BODY_LIMIT_BYTES) private readonly bodyLimit: number,
  ) {}

  @All('api/*path')
  api(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.forward(this.routes.decide(request.method, request.originalUrl.slice('/api'.length), request.headers.authorization), request, response);
  }

  @All('auth/*path')
  signIn(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.forward(this.routes.decideSignIn(request.originalUrl), request, response);
  }

  private async forward(decision: RouteDecision, request: Request, response: Response): Promise<void> {
    if (!('forward' in decision)) {
      response.status(decision.status).json({ error: { code: decision.code, message: decision.message } });
      return;
    }
    let body: Buffer | undefined;
    try {
      body = await boundedBody(request, this.bodyLimit);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      // The rest of the body is never read. The connection is closed a moment after the answer: closing it at once
      // (as `connection: close` would) resets it while the client is still sending, and the client misses the 413.
      response.once('finish', () => setTimeout(() => request.destroy(), CLOSE_AFTER_REFUSAL_MS).unref());
      response.status(413).json({ error: { code: 'payload_too_large', message: `The request body is larger than ${this.bodyLimit} bytes` } });
      return;
    }
    const headers = Object.fromEntries(FORWARDED_REQUEST_HEADERS.flatMap((name) => (request.headers[name] ? [[name, String(request.headers[name])]] : [])));
    let answer: globalThis.Response;
    try {
      // Redirects (sign-in) go to the browser, never followed here.
      answer = await fetch(decision.forward, { method: request.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(MAPPING_TIMEOUT_MS) });
    } catch {
      response.status(502).json({ error: { code: 'mapping_service_unreachable', message: 'The sync service did not answer. Try again in a minute; if it persists, tell your operator.' } });
      return;
    }
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value) response.setHeader(name, value);
    }
    const cookies = answer.headers.getSetCookie();
    if (cookies.length) response.setHeader('set-cookie', cookies);
    response.status(answer.status).send(Buffer.from(await answer.arrayBuffer()));
  }
}
