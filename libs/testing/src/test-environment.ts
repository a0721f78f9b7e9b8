/** Where integration tests find the real infrastructure that scripts/test.sh started. */
export const testEnvironment = {
  databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/timelog_sync_test',
  kafkaBrokers: (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
  /** Added to every port a suite picks, and `databaseSuffix` to every database it names: checkouts side by side. */
  portOffset: Number(process.env.TEST_PORT_OFFSET ?? 0),
  databaseSuffix: process.env.TEST_DATABASE_SUFFIX ?? '',
};

/** A database of its own beside the test database (suites and benchmarks that recreate theirs). */
export const testDatabaseUrl = (name: string) => testEnvironment.databaseUrl.replace(/\/[^/]+$/, `/${name}${testEnvironment.databaseSuffix}`);

export const uniqueSuffix = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
