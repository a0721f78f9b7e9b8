import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createKafka, ensureTopics, KafkaNamespace } from '@timelog-sync/messaging';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { builtEntryPoint, pollUntil, testDatabaseUrl, testEnvironment, uniqueSuffix } from '@timelog-sync/testing';

// Production start-up as deploy/k8s runs it: the migration Job migrates, the services neither run DDL nor create
// topics (DATABASE_MIGRATE_ON_START=false, KAFKA_CREATE_TOPICS=false), all from the build output.
const PORT = 33350 + testEnvironment.portOffset;
const MIGRATIONS = readdirSync(join(__dirname, '../../../libs/persistence/src/migrations')).filter((file) => /^\d+-.*\.ts$/.test(file)).length;

describe('production start-up: migration Job first, services without DDL or topic creation', () => {
  const databaseUrl = testDatabaseUrl('timelog_sync_test_production_start');
  const kafka = createKafka({ brokers: testEnvironment.kafkaBrokers, clientId: 'production-start-test' });
  const admin = kafka.admin();
  let service: ChildProcess | undefined;

  const start = (app: string, namespace: string) => {
    service = spawn(process.execPath, [builtEntryPoint(app)], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: testEnvironment.kafkaBrokers.join(','),
        KAFKA_NAMESPACE: namespace,
        PORT: String(PORT),
        CREDENTIAL_KEYS: `1:${randomBytes(32).toString('base64')}`,
        OTEL_TRACES_EXPORTER: 'none',
        DATABASE_MIGRATE_ON_START: 'false',
        KAFKA_CREATE_TOPICS: 'false',
      },
      stdio: 'ignore',
    });
    return new Promise<number | null>((resolve) => service?.once('exit', resolve));
  };
  const migrationsApplied = async () => {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return (await db.query('SELECT count(*)::int AS n FROM migrations')).rows[0].n;
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    await recreateTestDatabase(databaseUrl);
    await admin.connect();
  });

  afterEach(async () => {
    if (service && service.exitCode === null && service.signalCode === null) {
      const exited = new Promise((resolve) => service?.once('exit', resolve));
      service.kill('SIGKILL');
      await exited;
    }
  });

  afterAll(() => admin.disconnect());

  const tables = async () => {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return (await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].n;
    } finally {
      await db.end();
    }
  };

  it('runs no DDL at start-up: a service on an empty database leaves it empty', async () => {
    const declared = `prod-${uniqueSuffix()}`;
    await ensureTopics(kafka, new KafkaNamespace(declared));
    void start('sync-writer', declared);
    await pollUntil(async () => (await fetch(`http://127.0.0.1:${PORT}/health/live`).catch(() => undefined))?.ok, { description: 'writer live' });
    expect(await tables()).toBe(0);
  });

  it('migrates an empty database with the migration command, once however often it runs', async () => {
    for (let run = 0; run < 2; run += 1) {
      const output = execFileSync(process.execPath, [builtEntryPoint('mapping-service', 'migrate')], { env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl }, encoding: 'utf8' });
      expect(JSON.parse(output)).toEqual({ msg: 'database migrated', migrations: MIGRATIONS });
    }
    expect(await migrationsApplied()).toBe(MIGRATIONS);
  });

  it('runs the writer on declared topics and the migrated database, and stops it cleanly on SIGTERM', async () => {
    const declared = `prod-${uniqueSuffix()}`;
    await ensureTopics(kafka, new KafkaNamespace(declared)); // what Strimzi's KafkaTopic resources do in production
    const exited = start('sync-writer', declared);
    await pollUntil(async () => (await fetch(`http://127.0.0.1:${PORT}/health/ready`).catch(() => undefined))?.ok, { description: 'writer ready' });
    expect(await migrationsApplied()).toBe(MIGRATIONS);
    // As Kubernetes stops a pod: the whole stop runs (relay, app, database) and the process exits 0, not by the signal.
    service?.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('creates no topic where none was declared: the service stops with an error instead', async () => {
    const undeclared = `prod-${uniqueSuffix()}`;
    const exitCode = await start('sync-writer', undeclared);
    expect(exitCode).not.toBe(0);
    expect((await admin.listTopics()).filter((topic) => topic.startsWith(`${undeclared}.`))).toEqual([]);
  });
});
