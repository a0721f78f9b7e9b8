import { timelogOrigin, TIMELOG_CLOUD_HOST_PATTERN, TimeLogDomainPolicy } from './timelog-domain-policy';

const cloudOnly: TimeLogDomainPolicy = { hostPatterns: [TIMELOG_CLOUD_HOST_PATTERN], extraOrigins: [] };

const refusal = (domain: string, policy: TimeLogDomainPolicy) => {
  const answer = timelogOrigin(domain, policy);
  return 'refused' in answer ? answer.refused : null;
};

describe('timelogOrigin', () => {
  it.each([
    ['https://app4.timelog.com', 'https://app4.timelog.com'],
    ['https://app.timelog.com/', 'https://app.timelog.com'],
    ['https://APP12.TimeLog.com:443', 'https://app12.timelog.com'],
    [' https://app4.timelog.com\u0000', 'https://app4.timelog.com'],
  ])('allows the cloud site %j as the origin %s', (domain, origin) => {
    expect(timelogOrigin(domain, cloudOnly)).toEqual({ origin });
  });

  it.each([
    'http://app4.timelog.com',
    'https://app4.timelog.com:8443',
    'https://app4.timelog.com.evil.example',
    'https://evil.example/app4.timelog.com',
    'https://xapp4.timelog.com',
    'https://app4.timelog.com@127.0.0.1',
    'https://a.app4.timelog.com',
    'http://127.0.0.1:5432',
    'http://169.254.169.254',
    'https://169.254.169.254',
    'https://[::1]',
    'https://localhost',
    'file:///etc/passwd',
    'gopher://app4.timelog.com',
    'not a url',
  ])('refuses %s without echoing it', (domain) => {
    const reason = refusal(domain, cloudOnly);
    expect(reason).toEqual(expect.any(String));
    expect(reason).not.toContain(domain);
  });

  it('refuses a path, query or credentials even on an allowed host', () => {
    for (const domain of ['https://app4.timelog.com/other', 'https://app4.timelog.com/?x=1', 'https://user:pw@app4.timelog.com']) {
      expect(refusal(domain, cloudOnly)).toContain('site address only');
    }
  });

  it('allows a configured extra origin exactly (scheme, host and port), http included', () => {
    const policy = { ...cloudOnly, extraOrigins: ['http://127.0.0.1:3006'] };
    expect(refusal('http://127.0.0.1:3006', policy)).toBeNull();
    expect(refusal('http://127.0.0.1:3006/', policy)).toBeNull();
    expect(refusal('http://127.0.0.1:3007', policy)).not.toBeNull();
    expect(refusal('https://127.0.0.1:3006', policy)).not.toBeNull();
  });
});
