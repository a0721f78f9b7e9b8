import { ConsoleRoutes } from './console-routes';

const OPERATOR = 'operator-token-for-unit-tests';
const routes = new ConsoleRoutes('http://127.0.0.1:3003', OPERATOR);
const forwarded = (method: string, path: string, authorization?: string) => {
  const decision = routes.decide(method, path, authorization);
  return 'forward' in decision ? decision.forward.toString() : decision.status;
};

describe('ConsoleRoutes', () => {
  it("forwards a company's admin API with its query", () => {
    expect(forwarded('PUT', '/companies/acme/people/4/link', 'Bearer key')).toBe('http://127.0.0.1:3003/companies/acme/people/4/link');
    expect(forwarded('GET', '/companies/acme/activity?forecastId=7', 'Bearer key')).toBe('http://127.0.0.1:3003/companies/acme/activity?forecastId=7');
    expect(forwarded('GET', '/companies/acme', 'Bearer key')).toBe('http://127.0.0.1:3003/companies/acme');
  });

  it.each(['/metrics', '/health', '/operator/companies/acme/admin-key', '/companies/acme/../../metrics', '/companies/acme/%2e%2e/%2E%2E/metrics', '//evil.example/companies/acme', '/companiesx/acme', '/'])(
    'never forwards %s, whoever asks',
    (path) => {
      expect(forwarded('GET', path, `Bearer ${OPERATOR}`)).toBe(404);
      expect(forwarded('POST', path, 'Bearer key')).toBe(404);
    },
  );

  it('forwards the company list to the operator token only, without asking the mapping service', () => {
    expect(forwarded('GET', '/operator/companies', `Bearer ${OPERATOR}`)).toBe('http://127.0.0.1:3003/operator/companies');
    expect(forwarded('GET', '/operator/companies', 'Bearer a-company-admin-key')).toBe(401);
    expect(forwarded('GET', '/operator/companies')).toBe(401);
    expect(forwarded('POST', '/operator/companies', `Bearer ${OPERATOR}`)).toBe(404);
    expect(new ConsoleRoutes('http://127.0.0.1:3003', undefined).decide('GET', '/operator/companies', `Bearer ${OPERATOR}`)).toMatchObject({ status: 401 });
  });

  it('forwards the sign-in routes, and nothing else under /auth', () => {
    const signIn = (path: string) => {
      const decision = routes.decideSignIn(path);
      return 'forward' in decision ? decision.forward.toString() : decision.status;
    };
    expect(signIn('/auth/callback?code=abc&state=xyz')).toBe('http://127.0.0.1:3003/auth/callback?code=abc&state=xyz');
    expect(signIn('/auth/session')).toBe('http://127.0.0.1:3003/auth/session');
    for (const path of ['/auth/../metrics', '/auth/%2e%2e/operator/companies', '/auth/sessions', '//evil.example/auth/session']) expect(signIn(path)).toBe(404);
  });
});
