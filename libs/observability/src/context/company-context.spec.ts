import { currentCompanyId, runWithCompany } from './company-context';

describe('company context', () => {
  it('follows async work and does not leak between concurrent companies', async () => {
    const seen = await Promise.all(
      ['c-1', 'c-2'].map((companyId) =>
        runWithCompany(companyId, async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return currentCompanyId();
        }),
      ),
    );
    expect(seen).toEqual(['c-1', 'c-2']);
    expect(currentCompanyId()).toBeUndefined();
  });
});
