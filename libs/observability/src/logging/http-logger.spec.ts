import { createServer, get } from 'node:http';
import { AddressInfo } from 'node:net';
import { createLogger } from './create-logger';
import { createHttpLogger } from './http-logger';

describe('createHttpLogger', () => {
  it('logs method, path and status only, and stays quiet for /health and /metrics', async () => {
    const lines: Record<string, any>[] = [];
    const middleware = createHttpLogger(createLogger('forecast-ingestor', { destination: { write: (line: string) => lines.push(JSON.parse(line)) } }));
    const server = createServer((request, response) => {
      middleware(request, response);
      response.statusCode = 202;
      response.end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const request = (path: string) =>
      new Promise<void>((done, fail) =>
        get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, headers: { 'x-forecast-api-key': 'key-in-header' } }, (response) =>
          response.resume().on('end', done),
        ).on('error', fail),
      );
    try {
      await request('/health');
      await request('/metrics');
      await request('/webhooks/forecast?token=query-token');
      await request('/webhooks/forecast/path-token-never-registered/task');
      const deadline = Date.now() + 5000;
      while (lines.length < 2 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
    } finally {
      await new Promise((done) => server.close(done));
    }

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ req: { method: 'GET', path: '/webhooks/forecast' }, res: { statusCode: 202 } });
    expect(lines[1]).toMatchObject({ req: { path: '/webhooks/forecast/[REDACTED]/task' } });
    expect(JSON.stringify(lines)).not.toMatch(/key-in-header|query-token|path-token-never-registered/);
  });
});
