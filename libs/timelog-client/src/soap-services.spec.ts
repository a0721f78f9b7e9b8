import { soapClient } from './soap-services';

describe('SOAP clients', () => {
  it('are one per service for every site, even when many calls ask at the same moment', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => soapClient('organisation')));
    expect(new Set(clients).size).toBe(1);
    expect(await soapClient('security')).not.toBe(clients[0]);
  });
});
