import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FileSpanRecord } from './file-span-exporter';

// Jest's module loader bypasses the require hooks the HTTP instrumentation relies on, so this runs a real Node process.
const repoRoot = resolve(__dirname, '../../../..');
const childScript = (filePath: string) => `
  const observability = require(${JSON.stringify(join(repoRoot, 'libs/observability/src/index.ts'))});
  observability.startTracing({ serviceName: 'forecast-ingestor', exporter: 'file', filePath: ${JSON.stringify(filePath)} });
  const http = require('node:http');
  const server = http.createServer((request, response) => response.end('ok'));
  server.listen(0, '127.0.0.1', async () => {
    const get = (path) => new Promise((done, fail) =>
      http.get({ host: '127.0.0.1', port: server.address().port, path }, (response) => response.resume().on('end', done)).on('error', fail));
    await get('/health');
    await get('/metrics?name=x');
    await observability.withSpan('forecast poll', {}, () => get('/webhooks/forecast'));
  });
`;

async function pollUntil<T>(read: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

const targetOf = (span: FileSpanRecord) => span.attributes['http.target'] ?? span.attributes['url.path'];

describe('HTTP auto-instrumentation in a traced process', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
  });

  it('traces requests across client and server into the file while the process runs, skipping /health and /metrics', async () => {
    const filePath = join(mkdtempSync(join(tmpdir(), 'traces-')), 'spans.jsonl');
    let stderr = '';
    child = spawn(process.execPath, ['-r', join(repoRoot, 'tools/register.js'), '-e', childScript(filePath)], { cwd: repoRoot });
    child.stderr?.on('data', (chunk) => (stderr += chunk));

    const spans = await pollUntil(() => {
      if (!existsSync(filePath)) return undefined;
      const records = readFileSync(filePath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as FileSpanRecord);
      const complete = records.some((span) => span.name === 'forecast poll') && records.some((span) => targetOf(span) === '/webhooks/forecast');
      return complete ? records : undefined;
    }, 15_000).catch((error) => {
      throw new Error(`${error.message}; child stderr: ${stderr}`);
    });

    const poll = spans.find((span) => span.name === 'forecast poll') as FileSpanRecord;
    const servers = spans.filter((span) => span.kind === 'SERVER');
    const webhookServer = servers.find((span) => targetOf(span) === '/webhooks/forecast') as FileSpanRecord;
    const webhookClient = spans.find((span) => span.spanId === webhookServer.parentSpanId) as FileSpanRecord;

    expect(servers.map(targetOf)).toEqual(['/webhooks/forecast']);
    expect(webhookClient).toMatchObject({ kind: 'CLIENT', traceId: poll.traceId, parentSpanId: poll.spanId });
    expect(webhookServer.traceId).toBe(poll.traceId);
    expect(new Set(spans.map((span) => span.serviceName))).toEqual(new Set(['forecast-ingestor']));
  }, 30_000);
});
