import { ExternalCallError } from '@timelog-sync/domain';
import { RawTimeLogSite, soap } from './testing/raw-site';

/** "Billion laughs": a few hundred bytes that expand to gigabytes when a parser expands entities. */
const LAUGHS = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level || ''};`.repeat(10)}">`).join('')}]>`;

describe('TimeLog responses with a DTD (entity expansion stays off)', () => {
  const site = new RawTimeLogSite();
  beforeAll(() => site.start());
  afterAll(() => site.stop());

  it('refuses a Reporting document that declares entities, without expanding them', async () => {
    site.answers.GetEmployeesRaw = `<?xml version="1.0"?>${LAUGHS}${soap(
      `<GetEmployeesRawResponse xmlns="http://www.timelog.com/ws/tlp/v4_4"><GetEmployeesRawResult><tlp:Employees xmlns:tlp="http://www.timelog.com/XML/Schema/tlp/v4_4"><tlp:Employee ID="1"><tlp:FirstName>&lol9;</tlp:FirstName></tlp:Employee></tlp:Employees></GetEmployeesRawResult></GetEmployeesRawResponse>`,
    )}`;
    const failure = await site.client().getEmployeesRaw().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExternalCallError);
    expect(failure).toMatchObject({ failureClass: 'permanent', code: 'dtd' });
    expect(process.memoryUsage().heapUsed).toBeLessThan(512 * 1024 * 1024);
  });

  it('refuses a Transactional answer that declares entities', async () => {
    site.answers.GetAllocationsToEmployee = `${LAUGHS}${soap(
      `<GetAllocationsToEmployeeResponse xmlns="http://www.timelog.com/api/tlp/v1_8"><GetAllocationsToEmployeeResult><Return xmlns="http://api.timelog.com">&lol9;</Return><ResponseState xmlns="http://api.timelog.com">Success</ResponseState></GetAllocationsToEmployeeResult></GetAllocationsToEmployeeResponse>`,
    )}`;
    const failure = await site.client().getAllocationsToEmployee('JD').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExternalCallError);
    expect(failure).toMatchObject({ failureClass: 'permanent', code: 'dtd' });
  });
});
