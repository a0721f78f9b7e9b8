import { soapClient } from './soap-services';

describe('SOAP clients per site', () => {
  it('share one parsed WSDL per service, even when many sites ask at the same moment', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, (_, site) => soapClient('organisation', `https://app.timelog.test/site${site}`)));
    expect(new Set(clients).size).toBe(5);
    expect(new Set(clients.map((client) => client.wsdl)).size).toBe(1);
  });
});
