import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { floodWebhooks, PIPELINE_SERVICES, rssMb, sampleRss } from '@timelog-sync/testing';
import { Pipeline, startPipeline } from './pipeline-fixture';
import { allTasksSynced, createTasks, postJson, webhookBaseUrl } from './webhook-intake-fixture';

/** Each app's RSS budget (see APP_NODE_FLAGS): a flood of unauthenticated requests must not push the ingestor past it. */
const RSS_CEILING_MB = 250;
const BODY_LIMIT_BYTES = 64 * 1024;
const FLOOD_REQUESTS = 20_000;
const GOOD_CHANGES = 40;

describe('hostile webhook traffic (all services as processes, real Kafka and PostgreSQL)', () => {
  let pipeline: Pipeline;
  let webhooks: string;
  const sentTokens = new Set<string>();

  beforeAll(async () => {
    pipeline = await startPipeline(30600, { HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) });
    webhooks = await webhookBaseUrl(pipeline, pipeline.demo);
  });

  afterAll(async () => {
    await pipeline?.system.stop();
  });

  const everyServiceAlive = async () => {
    for (const service of PIPELINE_SERVICES) {
      expect((await fetch(`${pipeline.system.url(service)}/health`)).status).toBe(200);
    }
  };

  it('answers generated garbage with a 4xx and its reason (2xx only where valid) while good changes sent alongside all sync', async () => {
    const validToken = decodeURIComponent(webhooks.split('/').at(-2) as string);
    const good = createTasks(pipeline, pipeline.demo, 20, 'Alongside garbage');
    const ingestor = pipeline.system.url('forecast-ingestor');
    const notification = fc.record(
      {
        timestamp: fc.oneof(fc.constant('2026-11-02T10:00:00Z'), fc.string(), fc.integer().map(String), fc.anything()),
        event: fc.oneof(fc.constant('task_updated'), fc.anything()),
        object: fc.oneof(fc.record({ id: fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(String), fc.string(), fc.constant(null)) }), fc.anything()),
        fields_changed: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const request = fc.record({
      token: fc.oneof(fc.constant(validToken), fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
      objectType: fc.oneof(fc.constantFrom('task', 'time-registration'), fc.string({ maxLength: 30 })),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin2', 'multipart/form-data'),
      body: fc.oneof(
        notification.map((value) => JSON.stringify(value)),
        fc.json(),
        fc.string({ unit: 'binary', maxLength: 500 }),
        fc.constant('{"timestamp": "2026-11-02T10:00:00Z", "object": {'),
        fc.integer({ min: BODY_LIMIT_BYTES + 1, max: BODY_LIMIT_BYTES * 3 }).map((size) => JSON.stringify({ padding: 'x'.repeat(size) })),
      ),
    });

    await fc.assert(
      fc.asyncProperty(request, async ({ token, objectType, contentType, body }) => {
        if (token.length >= 16) sentTokens.add(token);
        const answer = await postJson(`${ingestor}/webhooks/forecast/${encodeURIComponent(token)}/${encodeURIComponent(objectType)}`, body, contentType);
        const text = await answer.text();
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) {
          // A reason, in Nest's shape ({message}) or ours ({error: {code, message}}).
          const reply = JSON.parse(text);
          expect(reply.message ?? reply.error?.message).toEqual(expect.any(String));
        } else {
          expect(answer.status).toBe(202);
          expect(token).toBe(validToken);
          expect(['task', 'time-registration']).toContain(objectType);
          expect(contentType.startsWith('application/json')).toBe(true);
          const parsed = JSON.parse(body);
          expect(Number.isSafeInteger(Number(parsed.object.id)) && Number(parsed.object.id) > 0).toBe(true);
        }
      }),
      { numRuns: 400 },
    );

    await allTasksSynced(pipeline, pipeline.demo, await good);
    await everyServiceAlive();
  });

  it(`keeps the ingestor under its ${RSS_CEILING_MB} MB ceiling through 20,000 requests with random tokens, oversized and malformed bodies, while a company's changes all sync`, async () => {
    const ingestorPid = pipeline.system.pid('forecast-ingestor') as number;
    const rssBefore = rssMb(ingestorPid);
    const rss = sampleRss(ingestorPid);
    // A company working as usual: a change every FLOOD_REQUESTS / GOOD_CHANGES requests, from start to end.
    const goodTasks: Promise<number[]>[] = [];
    const started = Date.now();
    const answers = await floodWebhooks({
      ingestorUrl: pipeline.system.url('forecast-ingestor'),
      requests: FLOOD_REQUESTS,
      concurrency: 32,
      oversizedShare: 0.02,
      oversizedBytes: BODY_LIMIT_BYTES * 4,
      malformedShare: 0.1,
      sourceAddresses: 50,
      onAnswered: (answered) => {
        if (answered % (FLOOD_REQUESTS / GOOD_CHANGES) === 0) goodTasks.push(createTasks(pipeline, pipeline.demo, 1, 'During the flood'));
      },
    });
    const goodTaskIds = (await Promise.all(goodTasks)).flat();
    const peak = rss.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`flood: ${JSON.stringify(answers)} in ${seconds.toFixed(1)} s; ingestor RSS ${rssBefore.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB; ${goodTaskIds.length} good tasks alongside\n`);

    expect(Object.keys(answers).filter((status) => Number(status) >= 500)).toEqual([]);
    expect((answers[404] ?? 0) + (answers[400] ?? 0) + (answers[413] ?? 0) + (answers[429] ?? 0)).toBeGreaterThan(FLOOD_REQUESTS * 0.95);
    expect(peak).toBeLessThan(RSS_CEILING_MB);
    expect(goodTaskIds).toHaveLength(GOOD_CHANGES);
    await allTasksSynced(pipeline, pipeline.demo, goodTaskIds);
    await everyServiceAlive();
    // Seconds of flood on a quiet machine; minutes on a loaded, shared one.
  }, 600_000);

  it('wrote no webhook token, API key, admin key or password to any log line or span', () => {
    const { demo } = pipeline;
    const validToken = decodeURIComponent(webhooks.split('/').at(-2) as string);
    const secrets = [validToken, demo.forecastApiKey, demo.adminKey, demo.timelogPasswords.login, demo.timelogPasswords.reporting, ...sentTokens];
    const files = readdirSync(pipeline.outputDir).filter((file) => file.endsWith('.log') || file.endsWith('.jsonl'));
    expect(files.length).toBeGreaterThanOrEqual(PIPELINE_SERVICES.length);
    for (const file of files) {
      const text = readFileSync(join(pipeline.outputDir, file), 'utf8');
      const leaked = secrets.filter((secret) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)));
      expect({ file, leaked: leaked.map((secret) => `${secret.slice(0, 6)}…`) }).toEqual({ file, leaked: [] });
    }
  });
});
