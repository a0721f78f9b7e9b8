import { z } from 'zod';
import { ConfigError, parseConfig } from './parse-config';
import { commonEnv, httpPort } from './common-env';

const schema = z.object({ ...commonEnv, PORT: httpPort(3000), SECRET_KEY: z.string().length(8) });

describe('parseConfig', () => {
  it('applies defaults and splits the broker list', () => {
    const config = parseConfig(schema, { KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9192', SECRET_KEY: '12345678' });
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9192']);
    expect(config.PORT).toBe(3000);
  });

  it('names every missing or malformed variable without echoing values', () => {
    let error: unknown;
    try {
      parseConfig(schema, { DATABASE_URL: 'mysql://x', PORT: 'abc', KAFKA_BROKERS: 'nohost', SECRET_KEY: 'hunter2-too-long' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DATABASE_URL: must be a postgres:// connection URL');
    expect(message).toContain('PORT');
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('SECRET_KEY');
    expect(message).not.toContain('hunter2');
  });

  it('says a required variable is required', () => {
    expect(() => parseConfig(schema, {})).toThrow('SECRET_KEY is required');
  });
});
