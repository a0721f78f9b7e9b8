import { startTimeLogSimulator, RunningTimeLogSimulator } from '../src/simulator';
import { XmlElement } from '../src/xml/xml-element';
import { child, childNames, faultCode, issuedToken, NS, path, PATHS, postSoap, putJson, requestToken, result, tokenXml } from './soap-probe';
import { TEST_SITE } from './test-site';

/** Raw SOAP 1.1 against the simulator, judged by timelog-api.md — no node-soap, no client code. */
describe('TimeLog simulator on the wire', () => {
  let simulator: RunningTimeLogSimulator;
  let site: string;
  const NOW = '2026-03-10T10:00:00Z';
  const TODAY = '2026-03-10'; // site-local (UTC+1) day of NOW

  beforeAll(async () => {
    simulator = await startTimeLogSimulator({ port: 0 });
    site = `${simulator.url}/acme`;
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    expect((await putJson(`${simulator.url}/_sim/clock`, { now: NOW })).status).toBe(200);
    expect((await putJson(`${simulator.url}/_sim/sites/acme`, TEST_SITE)).status).toBe(200);
  });

  async function getToken(user = 'admin', password = 'adm-secret') {
    const answer = await requestToken(site, user, password);
    return { answer, envelope: result(answer, NS.v1_2, 'GetToken') };
  }

  const token = () => issuedToken(site, 'admin', 'adm-secret');

  const pm = (action: string, body: string) => postSoap(`${site}/${PATHS.pm}`, action, body);
  const state = (envelope: XmlElement) => child(envelope, NS.api, 'ResponseState').text;
  const value = (element: XmlElement, name: string) => child(element, NS.api, name).text;

  function workUnitXml(guid: string, initials = 'JD', taskId = 100, day = TODAY, duration = 'PT1H1M') {
    return (
      `<w:WorkUnit xmlns:w="${NS.v1_7}"><w:GUID>${guid}</w:GUID><w:AllocationGUID>00000000-0000-0000-0000-000000000000</w:AllocationGUID>` +
      `<w:TaskID>${taskId}</w:TaskID><w:EmployeeInitials>${initials}</w:EmployeeInitials><w:Duration>${duration}</w:Duration>` +
      `<w:StartDateTime>${day}T00:00:00</w:StartDateTime><w:EndDateTime>0001-01-01T00:00:00</w:EndDateTime><w:Description>wire test</w:Description></w:WorkUnit>`
    );
  }

  async function insertWork(units: string) {
    const answer = await pm('InsertWorkRequest', `<InsertWork xmlns="${NS.v1_8}"><work>${units}</work><source>0</source>${tokenXml(NS.v1_3, await token())}</InsertWork>`);
    return result(answer, NS.v1_8, 'InsertWork');
  }

  async function changeLog(from = TODAY, to = TODAY, pageSize = 500) {
    const answer = await pm(
      `${NS.v1_8}/ProjectManagementService/GetWorkChangeLogPaged`,
      `<GetWorkChangeLogPaged xmlns="${NS.v1_8}"><startDate>${from}T13:45:00</startDate><endDate>${to}T00:00:00</endDate>` +
        `<includeCreates>true</includeCreates><includeUpdates>true</includeUpdates><includeDeletes>true</includeDeletes>` +
        `<page>1</page><pageSize>${pageSize}</pageSize>${tokenXml(NS.v1_3, await token())}</GetWorkChangeLogPaged>`,
    );
    return result(answer, NS.v1_8, 'GetWorkChangeLogPaged');
  }

  const rows = (envelope: XmlElement) => child(envelope, NS.api, 'Return').children;
  const flat = (row: XmlElement, name: string) => child(row, NS.v1_7, name);

  describe('WSDL', () => {
    it('serves ?wsdl as text/xml with the non-uniform SOAPActions and the Reponse reply typo', async () => {
      const response = await fetch(`${site}/${PATHS.pm}?wsdl`);
      const wsdl = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(wsdl).toContain('soapAction="InsertWorkRequest"');
      expect(wsdl).toContain('wsaw:Action="InsertWorkReponse"');
      expect(wsdl).toContain(`soapAction="${NS.v1_8}/ProjectManagementService/GetWorkChangeLogPaged"`);
      expect(wsdl).toContain(`wsaw:Action="${NS.v1_8}/ProjectManagementService/GetWorkChangeLogPagedResponse"`);
      expect(wsdl).toContain(`<soap:address location="${site}/${PATHS.pm}"/>`);
    });

    it('serves the Reporting WSDL with ASMX actions', async () => {
      const wsdl = await (await fetch(`${site}/${PATHS.reporting}?WSDL`)).text();
      expect(wsdl).toContain(`soapAction="${NS.reporting}/GetWorkUnitsRawPaged"`);
    });
  });

  describe('security', () => {
    it('issues a token in the v1_1 envelope: Expires now + 12 h with offset and 7 fractional digits, random hash', async () => {
      const { answer, envelope } = await getToken();
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^text\/xml/);
      expect(childNames(envelope)).toEqual(['Return', 'ReturnTypeDescription', 'Request', 'ResponseState', 'Messages', 'ErrorCode'].map((name) => `{${NS.v1_1}}${name}`));
      const issued = path(envelope, [NS.v1_1, 'Return'], [NS.v1_2, 'SecurityToken']);
      expect(childNames(issued)).toEqual(['Initials', 'Expires', 'Hash'].map((name) => `{${NS.v1_2}}${name}`));
      const expires = child(issued, NS.v1_2, 'Expires').text;
      expect(expires).toMatch(/^2026-03-10T23:00:00\.\d{7}\+01:00$/);
      expect(child(issued, NS.v1_2, 'Hash').text).toMatch(/^[A-Za-z0-9+/]{86}[A-Za-z0-9+/=]{2}$/);
      expect(child(issued, NS.v1_2, 'Hash').text).not.toBe((await token()).hash);
    });

    it('refuses a bad login with a non-Success state, an empty Return and no password in the echo', async () => {
      const { answer, envelope } = await getToken('admin', 'Wrong-Pass-123');
      expect(answer.status).toBe(200);
      expect(child(envelope, NS.v1_1, 'ResponseState').text).not.toBe('Success');
      expect(child(envelope, NS.v1_1, 'Return').children).toHaveLength(0);
      expect(answer.text).not.toContain('Wrong-Pass-123');
      expect(child(envelope, NS.v1_1, 'Request').children.length).toBeGreaterThan(0);
    });

    it('accepts the token echoed byte for byte and refuses one whose Expires was re-formatted', async () => {
      const issued = await token();
      const getUser = (expires: string) =>
        postSoap(`${site}/${PATHS.security}`, 'GetUserRequest', `<GetUser xmlns="${NS.v1_2}">${tokenXml(NS.v1_2, { ...issued, expires }).replace(`xmlns="${NS.v1_8}"`, `xmlns="${NS.v1_2}"`)}</GetUser>`);
      const accepted = result(await getUser(issued.expires), NS.v1_2, 'GetUser');
      expect(child(accepted, NS.v1_1, 'ResponseState').text).toBe('Success');
      expect(path(accepted, [NS.v1_1, 'Return'], [NS.v1_2, 'User'], [NS.v1_2, 'Initials']).text).toBe('ADM');

      const asJavaScriptWouldWriteIt = new Date(issued.expires.replace(/(\.\d{3})\d+/, '$1')).toISOString();
      const refusedAnswer = await getUser(asJavaScriptWouldWriteIt);
      expect(refusedAnswer.status).toBe(200);
      const refused = result(refusedAnswer, NS.v1_2, 'GetUser');
      expect(child(refused, NS.v1_1, 'ResponseState').text).toBe('Invalid');
      expect(child(refused, NS.v1_1, 'Return').children).toHaveLength(0);
      expect(refusedAnswer.text).not.toContain(issued.hash);
    });

    it('accepts a token until its Expires and refuses it afterwards', async () => {
      const issued = await token();
      const allocations = async (at: string) => {
        await putJson(`${simulator.url}/_sim/clock`, { now: at });
        const answer = await pm('GetAllocationsToEmployeeRequest', `<GetAllocationsToEmployee xmlns="${NS.v1_8}"><initials>JD</initials>${tokenXml(NS.v1_3, issued)}</GetAllocationsToEmployee>`);
        return state(result(answer, NS.v1_8, 'GetAllocationsToEmployee'));
      };
      expect(await allocations('2026-03-10T21:59:59Z')).toBe('Success');
      expect(await allocations('2026-03-10T22:00:01Z')).toBe('Invalid');
    });

    it('answers IsAlive', async () => {
      const answer = await postSoap(`${site}/${PATHS.security}`, 'IsAliveRequest', `<IsAlive xmlns="${NS.v1_2}"/>`);
      expect(result(answer, NS.v1_2, 'IsAlive').text).toBe('true');
    });
  });

  describe('WCF strictness', () => {
    it('faults (HTTP 500) on an out-of-order token member', async () => {
      const issued = await token();
      const answer = await pm(
        'GetAllocationsToEmployeeRequest',
        `<GetAllocationsToEmployee xmlns="${NS.v1_8}">${tokenXml(NS.v1_3, issued)}<initials>JD</initials></GetAllocationsToEmployee>`,
      );
      expect(answer.status).toBe(500);
      expect(faultCode(answer)).toBe('a:DeserializationFailed');
    });

    it('faults on token children in the service namespace instead of v1_3, and on a missing Hash', async () => {
      const issued = await token();
      const wrongNs = await pm('GetAllocationsToEmployeeRequest', `<GetAllocationsToEmployee xmlns="${NS.v1_8}"><initials>JD</initials>${tokenXml(NS.v1_8, issued)}</GetAllocationsToEmployee>`);
      expect(wrongNs.status).toBe(500);
      const noHash = tokenXml(NS.v1_3, issued).replace(/<t:Hash[^]*<\/t:Hash>/, '');
      const missing = await pm('GetAllocationsToEmployeeRequest', `<GetAllocationsToEmployee xmlns="${NS.v1_8}"><initials>JD</initials>${noHash}</GetAllocationsToEmployee>`);
      expect(missing.status).toBe(500);
      expect(faultCode(missing)).toBe('a:DeserializationFailed');
    });

    it('faults with ActionNotSupported on a SOAPAction the service does not know', async () => {
      const answer = await pm('http://www.timelog.com/api/tlp/v1_8/ProjectManagementService/InsertWork', `<InsertWork xmlns="${NS.v1_8}"/>`);
      expect(answer.status).toBe(500);
      expect(faultCode(answer)).toBe('a:ActionNotSupported');
    });
  });

  describe('work and the change log', () => {
    const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

    it('answers a batch with a per-item status, in the api.timelog.com envelope order', async () => {
      const envelope = await insertWork(workUnitXml(GUID) + workUnitXml('3f2504e0-4f89-11d3-9a0c-0305e82c3302', 'JD', 999));
      expect(childNames(envelope)).toEqual(
        ['Return', 'ReturnTypeDescription', 'Request', 'ResponseState', 'Messages', 'ErrorCode', 'IsReturnPaged', 'TotalPageCount'].map((name) => `{${NS.api}}${name}`),
      );
      const [inserted, refused] = rows(envelope);
      expect(inserted.ns).toBe(NS.v1_2);
      expect(inserted.name).toBe('BatchContainerOfWorkUnit');
      expect(childNames(inserted)).toEqual(['Item', 'Status', 'Message'].map((name) => `{${NS.v1_2}}${name}`));
      expect(child(inserted, NS.v1_2, 'Status').text).toBe('Success');
      expect(path(inserted, [NS.v1_2, 'Item'], [NS.v1_7, 'GUID']).text).toBe(GUID);
      expect(path(inserted, [NS.v1_2, 'Item'], [NS.v1_7, 'Duration']).text).toBe('PT1H1M');
      expect(child(refused, NS.v1_2, 'Status').text).toBe('Invalid');
      expect(child(refused, NS.v1_2, 'Message').text).toBe('Task 999 was not found');
      expect(state(envelope)).toBe('Invalid');
      expect(value(envelope, 'ErrorCode')).toBe('10004');
      expect(value(envelope, 'ReturnTypeDescription')).toBe('BatchContainer<WorkUnit>');
    });

    it('shows an InsertWork with a client GUID as Created in the change log of that day, whatever the time part', async () => {
      await insertWork(workUnitXml(GUID.toUpperCase()));
      const envelope = await changeLog();
      expect(state(envelope)).toBe('Success');
      expect(value(envelope, 'IsReturnPaged')).toBe('true');
      const [row] = rows(envelope);
      expect(row.name).toBe('WorkUnitFlat');
      expect(flat(row, 'Action').text).toBe('Created');
      expect(flat(row, 'WorkUnitGuid').text).toBe(GUID);
      expect(flat(row, 'Hours').text).toBe(String(61 / 60));
      expect(flat(row, 'ActionDate').text).toBe('2026-03-10T11:00:00');
      const severities = child(envelope, NS.api, 'Messages').children.map((message) => child(message, NS.api, 'Severity').text);
      expect(severities).toEqual(['Message', 'Message']);
      expect(rows(await changeLog('2026-03-09', '2026-03-09'))).toHaveLength(0);
    });

    it('shows DeleteWork as Deleted carrying only the GUID and the action', async () => {
      await insertWork(workUnitXml(GUID));
      const deleted = await pm(
        'DeleteWorkRequest',
        `<DeleteWork xmlns="${NS.v1_8}"><work><g:guid xmlns:g="${NS.arrays}">${GUID}</g:guid></work><source>0</source>${tokenXml(NS.v1_3, await token())}</DeleteWork>`,
      );
      expect(state(result(deleted, NS.v1_8, 'DeleteWork'))).toBe('Success');
      const entries = rows(await changeLog());
      expect(entries.map((row) => flat(row, 'Action').text)).toEqual(['Created', 'Deleted']);
      for (const row of entries) {
        const filled = row.children.filter(
          (member) => member.attributes[`{${NS.i}}nil`] !== 'true' && !/^(0|false|00000000-0000-0000-0000-000000000000|0001-01-01T00:00:00)$/.test(member.text),
        );
        expect(filled.map((member) => member.name)).toEqual(['Action', 'WorkUnitGuid']);
      }
    });

    it('keeps three months of change log and limits pages to 500', async () => {
      await insertWork(workUnitXml(GUID));
      await putJson(`${simulator.url}/_sim/clock`, { now: '2026-06-09T10:00:00Z' });
      expect(rows(await changeLog(TODAY, TODAY))).toHaveLength(1);
      await putJson(`${simulator.url}/_sim/clock`, { now: '2026-06-11T10:00:00Z' });
      expect(rows(await changeLog(TODAY, TODAY))).toHaveLength(0);
      const tooLarge = await changeLog(TODAY, TODAY, 501);
      expect(state(tooLarge)).toBe('Invalid');
    });

    it('refuses work for an unknown task, an unallocated employee and a closed week', async () => {
      const unknownTask = rows(await insertWork(workUnitXml('aaaaaaaa-0000-0000-0000-000000000001', 'JD', 999)))[0];
      expect(child(unknownTask, NS.v1_2, 'Message').text).toMatch(/Task 999/);
      const unallocated = rows(await insertWork(workUnitXml('aaaaaaaa-0000-0000-0000-000000000002', 'NA')))[0];
      expect(child(unallocated, NS.v1_2, 'Message').text).toMatch(/not allocated/);

      await insertWork(workUnitXml(GUID));
      expect((await putJson(`${simulator.url}/_sim/sites/acme/closed-weeks`, { initials: 'JD', date: TODAY, closed: true })).status).toBe(200);
      const closed = rows(await insertWork(workUnitXml('aaaaaaaa-0000-0000-0000-000000000003')))[0];
      expect(child(closed, NS.v1_2, 'Status').text).toBe('Invalid');
      const work = await pm(
        'GetEmployeeWorkRequest',
        `<GetEmployeeWork xmlns="${NS.v1_8}"><initials>JD</initials><startDate>${TODAY}T00:00:00</startDate><endDate>${TODAY}T00:00:00</endDate>${tokenXml(NS.v1_3, await token())}</GetEmployeeWork>`,
      );
      const [unit] = rows(result(work, NS.v1_8, 'GetEmployeeWork'));
      expect(child(unit, NS.v1_7, 'IsEditable').text).toBe('false');
    });

    it('lets a TimeLog user register work through the control API so the change log shows it', async () => {
      const response = await putJson(`${simulator.url}/_sim/sites/acme/work`, { initials: 'JD', taskId: 100, date: '2026-03-02', minutes: 30 }, 'POST');
      expect(response.status).toBe(201);
      const { guid } = (await response.json()) as { guid: string };
      expect((await fetch(`${simulator.url}/_sim/sites/acme/work/${guid}`, { method: 'DELETE' })).status).toBe(200);
      const entries = rows(await changeLog());
      expect(entries.map((row) => [flat(row, 'Action').text, flat(row, 'WorkUnitGuid').text])).toEqual([
        ['Created', guid],
        ['Deleted', guid],
      ]);
    });
  });

  describe('organisation', () => {
    it('pages employees and refuses a page size over 100', async () => {
      const call = async (pageSize: number) =>
        result(
          await postSoap(
            `${site}/${PATHS.org}`,
            `${NS.v1_9}/OrganisationService/GetEmployeesPaged`,
            `<GetEmployeesPaged xmlns="${NS.v1_9}"><page>1</page><pageSize>${pageSize}</pageSize>${tokenXml(NS.v1_3, await token()).replace(`xmlns="${NS.v1_8}"`, `xmlns="${NS.v1_9}"`)}</GetEmployeesPaged>`,
          ),
          NS.v1_9,
          'GetEmployeesPaged',
        );
      const ok = await call(2);
      const employees = rows(ok);
      expect(employees.map((employee) => child(employee, NS.v1_9, 'Initials').text)).toEqual(['ADM', 'JD']);
      expect(childNames(employees[0]).slice(0, 6)).toEqual([
        `{${NS.api}}Action`, `{${NS.api}}IsCustomFieldsLoaded`, `{${NS.api}}CustomFields`, `{${NS.api}}IsExternalKeysLoaded`, `{${NS.api}}ExternalKeys`, `{${NS.v1_9}}ID`,
      ]);
      expect(value(ok, 'TotalPageCount')).toBe('2');
      expect(state(await call(101))).toBe('Invalid');
    });
  });

  describe('reporting', () => {
    const reporting = (op: string, params: string, credentials = TEST_SITE.reporting) =>
      postSoap(
        `${site}/${PATHS.reporting}`,
        `${NS.reporting}/${op}`,
        `<${op} xmlns="${NS.reporting}"><siteCode>${credentials.siteCode}</siteCode><apiID>${credentials.apiID}</apiID><apiPassword>${credentials.apiPassword}</apiPassword>${params}</${op}>`,
      );

    it('answers HTTP 401 to bad credentials and true to good ones', async () => {
      expect((await reporting('ValidateCredentials', '', { ...TEST_SITE.reporting, apiPassword: 'nope' })).status).toBe(401);
      const good = await reporting('ValidateCredentials', '');
      expect(result(good, NS.reporting, 'ValidateCredentials').text).toBe('true');
    });

    it('returns employees with e-mail as a tlp document, and resultEmpty for nothing', async () => {
      const answer = await reporting('GetEmployeesRaw', '<employeeID>2</employeeID><initials></initials><departmentID>0</departmentID><status>-1</status>');
      const employee = path(result(answer, NS.reporting, 'GetEmployeesRaw'), [NS.reportingDoc, 'Employees'], [NS.reportingDoc, 'Employee']);
      expect(employee.attributes.ID).toBe('2');
      expect(child(employee, NS.reportingDoc, 'Email').text).toBe('jd@example.test');
      const none = await reporting('GetEmployeesRaw', '<employeeID>99</employeeID><initials></initials><departmentID>0</departmentID><status>-1</status>');
      expect(child(result(none, NS.reporting, 'GetEmployeesRaw'), NS.reportingDoc, 'Employees').attributes.resultEmpty).toBe('true');
    });

    it('pages work units by registration date with 4-decimal hours', async () => {
      await insertWork(workUnitXml('3f2504e0-4f89-11d3-9a0c-0305e82c3399'));
      const filters = `<workUnitID>0</workUnitID><employeeID>0</employeeID><allocationID>0</allocationID><taskID>0</taskID><projectID>0</projectID><departmentID>0</departmentID><startDate>${TODAY}</startDate><endDate>${TODAY}</endDate>`;
      const answer = await reporting('GetWorkUnitsRawPaged', `${filters}<page>1</page><pageSize>10</pageSize>`);
      const document = child(result(answer, NS.reporting, 'GetWorkUnitsRawPaged'), NS.reportingDoc, 'WorkUnits');
      expect(document.attributes).toMatchObject({ Page: '1', PageSize: '10', TotalPages: '1', TotalRecords: '1' });
      expect(path(document, [NS.reportingDoc, 'WorkUnit'], [NS.reportingDoc, 'RegHours']).text).toBe('1.0167');
    });
  });

  describe('control API', () => {
    it('injects HTTP 5xx and SOAP faults for the next N calls and counts calls per operation', async () => {
      await putJson(`${simulator.url}/_sim/sites/acme/faults`, { failNext: 2, kind: 'http-503' });
      const statuses = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await fetch(`${site}/${PATHS.security}`, {
          method: 'POST',
          headers: { 'content-type': 'text/xml', SOAPAction: 'IsAliveRequest' },
          body: `<s:Envelope xmlns:s="${NS.s}"><s:Body><IsAlive xmlns="${NS.v1_2}"/></s:Body></s:Envelope>`,
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([503, 503, 200]);
      await putJson(`${simulator.url}/_sim/sites/acme/faults`, { failNext: 1, kind: 'soap-fault' });
      const faulted = await postSoap(`${site}/${PATHS.security}`, 'IsAliveRequest', `<IsAlive xmlns="${NS.v1_2}"/>`);
      expect(faulted.status).toBe(500);
      expect(faultCode(faulted)).toBe('a:InternalServiceFault');
      expect(await (await fetch(`${simulator.url}/_sim/sites/acme/calls`)).json()).toEqual({ IsAlive: 4 });
    });

    it('adds latency', async () => {
      await putJson(`${simulator.url}/_sim/sites/acme/faults`, { latencyMs: 300 });
      const started = Date.now();
      await postSoap(`${site}/${PATHS.security}`, 'IsAliveRequest', `<IsAlive xmlns="${NS.v1_2}"/>`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });
  });
});
