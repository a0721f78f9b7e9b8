import { parseConfig } from '@timelog-sync/config';
import { KAFKA_SESSION_TIMEOUT_MS } from '@timelog-sync/messaging';
import { SyncWriterConfigSchema } from './config';

describe('sync-writer configuration', () => {
  const required = { CREDENTIAL_KEYS: '1:a2V5' };

  it('times vendor calls out well within the Kafka session by default', () => {
    const config = parseConfig(SyncWriterConfigSchema, required);
    expect(config.VENDOR_CALL_TIMEOUT_MS).toBeLessThan(KAFKA_SESSION_TIMEOUT_MS);
    expect(config.VENDOR_PAUSE_AFTER_TIMEOUT_SECONDS).toBe(30);
  });

  it('refuses a vendor timeout that a handler could not wait out within the session', () => {
    expect(() => parseConfig(SyncWriterConfigSchema, { ...required, VENDOR_CALL_TIMEOUT_MS: String(KAFKA_SESSION_TIMEOUT_MS) })).toThrow('VENDOR_CALL_TIMEOUT_MS');
  });
});
