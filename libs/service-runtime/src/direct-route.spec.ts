import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger, metricsRegistry } from '@timelog-sync/observability';
import { DirectRequest, DirectRoute, directRouteMiddleware } from './direct-route';

describe('directRouteMiddleware', () => {
  let server: Server;
  let base: string;
  const handled: DirectRequest[] = [];
  const route: DirectRoute = {
    prefix: '/hooks',
    template: '/hooks/:key',
    limit: { name: 'per-key', perWindow: 2, keyOf: (path) => (path.startsWith('/k') ? path.slice(1) : null) },
    handle: async (request) => {
      handled.push(request);
      if (request.path === '/kfail') throw new Error('database gone');
      return { status: 202, body: { seen: request.path } };
    },
  };

  beforeAll(async () => {
    const app = express();
    app.use(route.prefix, ...directRouteMiddleware(route, { bodyLimitBytes: 100, perAddress: { limit: 10, windowSeconds: 60 } }, createLogger('direct-route-spec', { level: 'silent' })));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = async (path: string, body: string, contentType = 'application/json') => {
    const response = await fetch(`${base}/hooks${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };

  // One address for the whole suite: its 10 POSTs a window are counted across the tests, in order.
  it('hands the path, parsed body and exact text to the handler and answers with its result', async () => {
    const raw = '{ "a": 1 }';
    expect(await post('/ka', raw)).toMatchObject({ status: 202, body: { seen: '/ka' } });
    expect(handled.at(-1)).toEqual({ path: '/ka', isJson: true, body: { a: 1 }, rawBody: raw });
    expect((await post('/ka', 'x=1', 'text/plain')).status).toBe(202);
    expect(handled.at(-1)).toMatchObject({ isJson: false, body: undefined });
  });

  it('refuses bodies it cannot take with their reason, before the handler', async () => {
    const before = handled.length;
    expect(await post('/n1', '{"a":')).toMatchObject({ status: 400, body: { error: { code: 'entity_parse_failed' } } });
    expect(await post('/n2', JSON.stringify({ pad: 'x'.repeat(200) }))).toMatchObject({ status: 413, body: { error: { code: 'entity_too_large' } } });
    const get = await fetch(`${base}/hooks/n3`);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    expect(handled.length).toBe(before);
  });

  it("limits each key on its own (the third delivery to /ka is refused, another key's pass) and the address overall", async () => {
    const third = await post('/ka', '{}');
    expect(third).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(Number(third.headers.get('retry-after-per-key'))).toBeGreaterThan(0);
    expect((await post('/kb', '{}')).status).toBe(202);
    // A handler failure is a 500 without its cause; the address has now used 7 of its 10.
    expect(await post('/kfail', '{}')).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post(`/n${i}`, '{}')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('times every request under the route template, never the raw path', async () => {
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/timelog_sync_http_request_duration_seconds_count\{[^}]*route="\/hooks\/:key"[^}]*status_class="4xx"[^}]*\} \d+/);
    expect(text).not.toContain('/hooks/ka');
  });
});
