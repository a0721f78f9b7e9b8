import { registerSecret, scrubSecrets } from './secret-registry';

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
