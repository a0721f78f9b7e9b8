import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MAPPING_SERVICE_URL } from './tokens';

/** Only what the admin API reads; cookies and the console's own headers stay here. */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept'] as const;
const MAPPING_TIMEOUT_MS = 30_000;

async function bodyOf(request: Request): Promise<Buffer | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? Buffer.concat(chunks) : undefined;
}

/**
 * `/api/*` is the mapping service's admin API, so the browser stays same-origin and the mapping
 * service needs no CORS. The admin key travels in the Authorization header and is never logged.
 */
@Controller('api')
export class MappingProxyController {
  constructor(@Inject(MAPPING_SERVICE_URL) private readonly mappingServiceUrl: string) {}

  @All('*path')
  async forward(@Req() request: Request, @Res() response: Response): Promise<void> {
    const headers = Object.fromEntries(FORWARDED_REQUEST_HEADERS.flatMap((name) => (request.headers[name] ? [[name, String(request.headers[name])]] : [])));
    let answer: globalThis.Response;
    try {
      answer = await fetch(`${this.mappingServiceUrl.replace(/\/+$/, '')}${request.originalUrl.slice('/api'.length)}`, {
        method: request.method,
        headers,
        body: await bodyOf(request),
        signal: AbortSignal.timeout(MAPPING_TIMEOUT_MS),
      });
    } catch {
      response.status(502).json({ error: { code: 'mapping_service_unreachable', message: 'The sync service did not answer. Try again in a minute; if it persists, tell your operator.' } });
      return;
    }
    const contentType = answer.headers.get('content-type');
    if (contentType) response.setHeader('content-type', contentType);
    response.status(answer.status).send(Buffer.from(await answer.arrayBuffer()));
  }
}
