import { redactWebhookToken, registerSecret, scrubSecrets } from './secret-registry';

describe('scrubSecrets', () => {
  it('removes a registered secret wherever it appears in free text', () => {
    registerSecret('s3cr3t-Forecast-key');
    expect(scrubSecrets('calling with key s3cr3t-Forecast-key twice: s3cr3t-Forecast-key')).toBe(
      'calling with key [REDACTED] twice: [REDACTED]',
    );
  });

  it('removes the JSON-escaped form of a secret, as it appears inside a serialized log line', () => {
    registerSecret('pa"ss\\word');
    const line = JSON.stringify({ msg: 'login pa"ss\\word failed' });
    expect(scrubSecrets(line)).toBe('{"msg":"login [REDACTED] failed"}');
  });

  it('removes a whole secret even when another registered secret is part of it', () => {
    registerSecret('abcd');
    registerSecret('abcdefgh-long');
    expect(scrubSecrets('x abcdefgh-long y')).toBe('x [REDACTED] y');
  });

  it('ignores values too short to be told apart from ordinary text', () => {
    registerSecret('0');
    registerSecret('');
    registerSecret(undefined);
    expect(scrubSecrets('apiID 0 of 10')).toBe('apiID 0 of 10');
  });

  it('blanks SOAP password and token hash elements that were never registered', () => {
    const envelope =
      '<s:Body><GetToken><user>anna</user><password>hunter22</password></GetToken>' +
      '<tlp:Hash>QmFzZTY0SGFzaA==</tlp:Hash><apiPassword>rep-pw</apiPassword></s:Body>';
    expect(scrubSecrets(envelope)).toBe(
      '<s:Body><GetToken><user>anna</user><password>[REDACTED]</password></GetToken>' +
        '<tlp:Hash>[REDACTED]</tlp:Hash><apiPassword>[REDACTED]</apiPassword></s:Body>',
    );
  });
});

describe('webhook URL tokens', () => {
  it('are removed by position, never registered, whatever the token looks like', () => {
    expect(redactWebhookToken('/webhooks/forecast/aB3_-xyz/task')).toBe('/webhooks/forecast/[REDACTED]/task');
    expect(scrubSecrets('{"msg":"POST http://127.0.0.1:3001/webhooks/forecast/%00%FF?x=1 failed"}')).toBe('{"msg":"POST http://127.0.0.1:3001/webhooks/forecast/[REDACTED]?x=1 failed"}');
    expect(scrubSecrets('/webhooks/forecast/t0ken-only')).toBe('/webhooks/forecast/[REDACTED]');
    expect(redactWebhookToken('/companies/acme/parked')).toBe('/companies/acme/parked');
  });
});

describe('the secret set', () => {
  it('stays bounded: registering many values keeps scrubbing the recent ones and never grows past its bound', () => {
    for (let i = 0; i < 12_000; i += 1) registerSecret(`bulk-secret-${i}-padding`);
    expect(scrubSecrets('x bulk-secret-11999-padding y')).toBe('x [REDACTED] y');
    // The oldest were forgotten to keep the bound (they would be registered again when decrypted again).
    expect(scrubSecrets('x bulk-secret-0-padding y')).toBe('x bulk-secret-0-padding y');
  });
});
