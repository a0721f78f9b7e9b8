import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { pollUntil, RunningSystem, testDatabaseUrl } from '@timelog-sync/testing';

// A broker of its own, so stopping it does not disturb the other suites.
const KAFKA_PORT = '19292';
const kafka = (command: 'start' | 'stop') => execFileSync('bash', ['scripts/kafka.sh', command], { env: { ...process.env, KAFKA_PORT, KAFKA_FRESH: '1' }, stdio: 'pipe' });

describe('/health/ready reports the real dependencies, /health/live the process', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    kafka('start');
    const databaseUrl = testDatabaseUrl('timelog_sync_test_health');
    await recreateTestDatabase(databaseUrl);
    system = await RunningSystem.start({
      databaseUrl,
      kafkaBrokers: [`127.0.0.1:${KAFKA_PORT}`],
      kafkaNamespace: 'health',
      portBase: 28000,
      outputDir: mkdtempSync(join(tmpdir(), 'timelog-sync-health-')),
      operatorToken: 'operator-token-for-health-test',
      credentialKeys: `1:${randomBytes(32).toString('base64')}`,
    });
  });

  afterAll(async () => {
    await system?.stop();
    kafka('stop');
  });

  it('is ready for every app (the writer once it is in its consumer group); once the broker stops, not ready but still live', async () => {
    const services = ['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer'] as const;
    for (const service of [...services, 'forecast-simulator', 'timelog-simulator'] as const) {
      for (const path of ['/health', '/health/ready', '/health/live']) {
        const response = await fetch(`${system.url(service)}${path}`);
        expect({ service, path, status: response.status, body: await response.json() }).toMatchObject({ service, path, status: 200, body: { status: 'up' } });
      }
    }
    expect(await (await fetch(`${system.url('sync-writer')}/health/ready`)).json()).toMatchObject({ dependencies: { postgres: 'up', kafka: 'up', consumerGroup: 'up' } });
    kafka('stop');
    for (const service of services) {
      const health = await pollUntil(async () => {
        const response = await fetch(`${system.url(service)}/health/ready`);
        const body = await response.json();
        return response.status === 503 ? body : undefined;
      }, { description: `${service} reports Kafka down`, timeoutMs: 30_000 });
      expect(health).toMatchObject({ status: 'down', dependencies: { kafka: 'down', postgres: 'up' } });
      // A broker outage must not make Kubernetes restart the pods: liveness is the process alone.
      const live = await fetch(`${system.url(service)}/health/live`);
      expect({ service, status: live.status, body: await live.json() }).toMatchObject({ service, status: 200, body: { status: 'up' } });
      expect(await (await fetch(`${system.url(service)}/health`)).json()).toMatchObject({ status: 'down' });
    }
  });
});
