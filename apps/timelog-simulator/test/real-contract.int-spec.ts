import { XmlElement } from '../src/xml/xml-element';
import { child, childNames, faultCode, issuedToken, NS, path, PATHS, postSoap, putJson, result, tokenXml } from './soap-probe';
import { simulatorWithTestSite } from './test-site';

const SECURITY_ENUMS = 'http://schemas.datacontract.org/2004/07/TimeLog.TLP.Security';
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * Raw SOAP and WSDL against what TimeLog's own artefacts show (timelog-api.md §2.3, §4, WIRE2015): batch refusals
 * in both shapes, the site-assigned GUID, and the enum and member sets of the generated proxies.
 */
describe('TimeLog simulator against the real contract', () => {
  const suite = simulatorWithTestSite();
  const TODAY = '2026-03-10';

  const unit = (guid: string, initials = 'JD', taskId = 100) =>
    `<w:WorkUnit xmlns:w="${NS.v1_7}"><w:GUID>${guid}</w:GUID><w:AllocationGUID>${EMPTY_GUID}</w:AllocationGUID><w:TaskID>${taskId}</w:TaskID>` +
    `<w:EmployeeInitials>${initials}</w:EmployeeInitials><w:Duration>PT1H</w:Duration><w:StartDateTime>${TODAY}T00:00:00</w:StartDateTime>` +
    `<w:EndDateTime>0001-01-01T00:00:00</w:EndDateTime><w:Description>contract</w:Description></w:WorkUnit>`;
  async function insertWork(...units: string[]): Promise<XmlElement> {
    const token = await issuedToken(suite.site, 'admin', 'adm-secret');
    const answer = await postSoap(`${suite.site}/${PATHS.pm}`, 'InsertWorkRequest', `<InsertWork xmlns="${NS.v1_8}"><work>${units.join('')}</work><source>0</source>${tokenXml(NS.v1_3, token)}</InsertWork>`);
    return result(answer, NS.v1_8, 'InsertWork');
  }
  const stored = async () => (await (await fetch(`${suite.simulator.url}/_sim/sites/acme/work`)).json()) as { guid: string }[];
  const refusalShape = (shape: 'per-item' | 'envelope' | null) => putJson(`${suite.simulator.url}/_sim/sites/acme/refusal-shape`, { refusalShape: shape });
  const api = (envelope: XmlElement, name: string) => child(envelope, NS.api, name);
  const messages = (envelope: XmlElement) => api(envelope, 'Messages').children.map((message) => [child(message, NS.api, 'Severity').text, child(message, NS.api, 'ErrorCode').text, child(message, NS.api, 'Message').text]);

  describe('batch refusals', () => {
    it('answers a unit without initials as captured: envelope Invalid 10002, empty Return, and writes none of the batch', async () => {
      const envelope = await insertWork(unit('aaaaaaaa-0000-4000-8000-000000000001'), unit(EMPTY_GUID, ''));
      expect(api(envelope, 'Return').children).toEqual([]);
      expect(api(envelope, 'ResponseState').text).toBe('Invalid');
      expect(api(envelope, 'ErrorCode').text).toBe('10002');
      expect(messages(envelope)[0]).toEqual(['Invalid', '10002', 'Initials, was null or empty']);
      expect(await stored()).toEqual([]);
    });

    it('answers business refusals per item by default, and as a whole on an envelope site (nothing written)', async () => {
      const perItem = await insertWork(unit('aaaaaaaa-0000-4000-8000-000000000001'), unit('aaaaaaaa-0000-4000-8000-000000000002', 'NA'));
      expect(api(perItem, 'Return').children.map((container) => child(container, NS.v1_2, 'Status').text)).toEqual(['Success', 'Invalid']);

      expect((await refusalShape('envelope')).status).toBe(200);
      const whole = await insertWork(unit('aaaaaaaa-0000-4000-8000-000000000003'), unit('aaaaaaaa-0000-4000-8000-000000000004', 'NA'));
      expect(api(whole, 'Return').children).toEqual([]);
      expect(api(whole, 'ErrorCode').text).toBe('10005');
      expect(messages(whole)[0]).toEqual(['Invalid', '10005', 'Employee NA is not allocated to task 100']);
      expect((await stored()).map((work) => work.guid)).toEqual(['aaaaaaaa-0000-4000-8000-000000000001']);
      expect(((await (await fetch(`${suite.simulator.url}/_sim/sites/acme`)).json()) as { refusalShape: string }).refusalShape).toBe('envelope');
    });

    it('answers even a missing initials per item on a per-item site', async () => {
      await refusalShape('per-item');
      const envelope = await insertWork(unit('aaaaaaaa-0000-4000-8000-000000000001'), unit('aaaaaaaa-0000-4000-8000-000000000002', ''));
      const [written, refused] = api(envelope, 'Return').children;
      expect(child(written, NS.v1_2, 'Status').text).toBe('Success');
      expect(child(refused, NS.v1_2, 'Message').text).toBe('Initials, was null or empty');
      expect(await stored()).toHaveLength(1);
    });

    it('accepts an empty GUID and assigns one (the SDK marks it "Not necessary")', async () => {
      const envelope = await insertWork(unit(EMPTY_GUID));
      expect(api(envelope, 'ResponseState').text).toBe('Success');
      const guid = path(api(envelope, 'Return'), [NS.v1_2, 'BatchContainerOfWorkUnit'], [NS.v1_2, 'Item'], [NS.v1_7, 'GUID']).text;
      expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect((await stored()).map((work) => work.guid)).toEqual([guid]);
    });
  });

  describe('hostile XML, refused as WCF would', () => {
    it('faults on a DTD (no entity is expanded) and keeps answering', async () => {
      const laughs = `<!DOCTYPE s:Envelope [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level || ''};`.repeat(10)}">`).join('')}]>`;
      const response = await fetch(`${suite.site}/${PATHS.security}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', SOAPAction: '"GetTokenRequest"' },
        body: `${laughs}<s:Envelope xmlns:s="${NS.s}"><s:Body><GetToken xmlns="${NS.v1_2}"><user>&lol9;</user><password>x</password></GetToken></s:Body></s:Envelope>`,
      });
      expect(response.status).toBe(500);
      expect(await response.text()).toMatch(/Document Type Declaration/);
      expect(await issuedToken(suite.site, 'admin', 'adm-secret')).toEqual(expect.objectContaining({ initials: 'ADM' }));
    });

    it.each([
      ['raw', 'bell\u0007'],
      ['as a character reference', 'bell&#x7;'],
    ])('faults on a control character in a work note (%s) and writes nothing', async (_how, note) => {
      const token = await issuedToken(suite.site, 'admin', 'adm-secret');
      const answer = await postSoap(
        `${suite.site}/${PATHS.pm}`,
        'InsertWorkRequest',
        `<InsertWork xmlns="${NS.v1_8}"><work>${unit('aaaaaaaa-0000-4000-8000-000000000001').replace('contract', note)}</work><source>0</source>${tokenXml(NS.v1_3, token)}</InsertWork>`,
      );
      expect(answer.status).toBe(500);
      expect(faultCode(answer)).toBe('s:Client');
      expect(await stored()).toEqual([]);
    });
  });

  describe('data contracts (REF-PM, REF-SEC)', () => {
    const wsdl = async (service: string) => (await fetch(`${suite.site}/${service}?wsdl`)).text();
    const enumValues = (text: string, name: string) => {
      const declared = new RegExp(`<xs:simpleType name="${name}">([\\s\\S]*?)</xs:simpleType>`).exec(text)?.[1] ?? '';
      return [...declared.matchAll(/<xs:enumeration value="([^"]+)"/g)].map((match) => match[1]);
    };
    const schemaOf = (text: string, ns: string) => new RegExp(`<xs:schema[^>]*targetNamespace="${ns}"[^>]*>([\\s\\S]*?)</xs:schema>`).exec(text)?.[1] ?? '';

    it('declares DataAction with the real members and WorkUnitFlat.EmployeeInternalId as a string', async () => {
      const text = await wsdl(PATHS.pm);
      expect(enumValues(text, 'DataAction')).toEqual(['Original', 'Created', 'Updated', 'Deleted', 'Copied', 'Undefined']);
      expect(schemaOf(text, 'http://schemas.datacontract.org/2004/07/TimeLog.TLP.Attributes')).toContain('name="DataAction"');
      expect(text).toMatch(/<xs:element minOccurs="0" name="EmployeeInternalId" nillable="true" type="xs:string"\/>/);
    });

    it('declares CustomField with the real members in order, its enums in TimeLog.TLP.CustomFields', async () => {
      const text = await wsdl(PATHS.pm);
      const customField = /<xs:complexType name="CustomField">([\s\S]*?)<\/xs:complexType>/.exec(text)?.[1] ?? '';
      expect([...customField.matchAll(/name="(\w+)"/g)].map((match) => match[1])).toEqual(
        ['SectionLabel', 'SectionIdent', 'Label', 'Ident', 'DomainType', 'DataType', 'DataValues', 'Value', 'SortOrder', 'ValidationModel'],
      );
      expect(customField).toContain('name="Value" nillable="true" type="xs:anyType"');
      const customFieldEnums = schemaOf(text, 'http://schemas.datacontract.org/2004/07/TimeLog.TLP.CustomFields');
      expect(customFieldEnums).toContain('name="DataTypeEnum"');
      expect(customFieldEnums).toContain('name="ValidateModelEnum"');
    });

    it('declares RoleTypes in TimeLog.TLP.Security without a User value, and GetUser answers in it', async () => {
      const text = await wsdl(PATHS.security);
      expect(schemaOf(text, SECURITY_ENUMS)).toContain('name="RoleTypes"');
      expect(schemaOf(text, NS.v1_2)).not.toContain('name="RoleTypes"');
      expect(enumValues(text, 'RoleTypes')).toContain('SystemAdministrator');
      expect(enumValues(text, 'RoleTypes')).not.toContain('User');

      const token = await issuedToken(suite.site, 'admin', 'adm-secret');
      const answer = await postSoap(`${suite.site}/${PATHS.security}`, 'GetUserRequest', `<GetUser xmlns="${NS.v1_2}">${tokenXml(NS.v1_2, token).replace(`xmlns="${NS.v1_8}"`, `xmlns="${NS.v1_2}"`)}</GetUser>`);
      const user = path(result(answer, NS.v1_2, 'GetUser'), [NS.v1_1, 'Return'], [NS.v1_2, 'User']);
      const roles = child(user, NS.v1_2, 'Roles');
      expect(childNames(roles)).toEqual([`{${SECURITY_ENUMS}}RoleTypes`]);
      expect(roles.children[0].text).toBe('SystemAdministrator');
    });

    it('reads a task with Action Original (a read that changed nothing)', async () => {
      const token = await issuedToken(suite.site, 'admin', 'adm-secret');
      const answer = await postSoap(
        `${suite.site}/${PATHS.pm}`,
        `${NS.v1_8}/ProjectManagementService/GetTaskByID`,
        `<GetTaskByID xmlns="${NS.v1_8}"><taskID>100</taskID><loadExternalKeys>false</loadExternalKeys>${tokenXml(NS.v1_3, token)}</GetTaskByID>`,
      );
      const task = path(result(answer, NS.v1_8, 'GetTaskByID'), [NS.api, 'Return'], [NS.v1_7, 'Task']);
      expect(child(task, NS.api, 'Action').text).toBe('Original');
    });
  });
});
