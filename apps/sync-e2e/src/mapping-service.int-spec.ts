import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Kafka } from 'kafkajs';
import { Client } from 'pg';
import { TOPIC_SPECS, TOPICS } from '@timelog-sync/contracts';
import { builtEntryPoint, demoActivation, DemoEndpoints, httpJson, pollUntil, testEnvironment, TopicReader, uniqueSuffix } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';

const SERVICES_THAT_HOLD_SECRETS = ['mapping-service', 'forecast-ingestor', 'timelog-poller', 'sync-writer'] as const;
const WEBHOOK_PAIRS = ['TASK CREATE', 'TASK UPDATE', 'TASK DELETE', 'TIME_REG CREATE', 'TIME_REG UPDATE', 'TIME_REG DELETE'];
const REPORTING_FIELDS = ['timelog.reportingPassword', 'timelog.reportingUsername', 'timelog.siteCode'];

interface Answer {
  status: number;
  body: any;
}

/** A company as an operator hands it over: data in both simulators, created in the mapping service, not activated. */
interface Newcomer {
  companyId: string;
  adminKey: string;
  forecastApiKey: string;
  activation: ReturnType<typeof demoActivation>;
  persons: Record<string, number>;
  projects: Record<string, number>;
}

interface NewcomerData {
  persons: { first: string; email: string }[];
  employees: { employeeId: number; initials: string; email: string }[];
  forecastProjects: string[];
  timelogProjects: { projectId: number; name: string }[];
}

describe('Mapping service: activation, credentials at rest, links and tenant isolation (processes, real Kafka and PostgreSQL, both simulators)', () => {
  let pipeline: Pipeline;
  let db: Client;
  let topics: TopicReader;
  /** Every secret a test sent, right or wrong: none may show up at rest, in logs, spans or on Kafka. */
  const secretsSent = new Set<string>();
  const leaked = (text: string) => [...secretsSent].filter((secret) => text.includes(secret));

  const mappingUrl = () => pipeline.system.url('mapping-service');
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const endpoints = (): DemoEndpoints => ({
    forecastSimulatorUrl: pipeline.system.url('forecast-simulator'),
    timelogSimulatorUrl: pipeline.system.url('timelog-simulator'),
    mappingServiceUrl: mappingUrl(),
    operatorToken: OPERATOR_TOKEN,
  });

  /** The admin API without throwing on 4xx, so refusals can be asserted. */
  async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
    const response = await fetch(`${mappingUrl()}${path}`, {
      method,
      headers: { ...(token ? bearer(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const activate = (companyId: string, token: string, activation: unknown) => call('PUT', `/companies/${companyId}/activation`, token, activation);

  const forecastSubscriptions = (apiKey: string): Promise<{ id: number; type: string; event: string; url: string; active: boolean }[]> =>
    httpJson('GET', `${pipeline.system.url('forecast-simulator')}/api/v1/webhook_subscriptions`, undefined, { 'X-FORECAST-API-KEY': apiKey });

  const recordedSubscriptionIds = async (companyId: string): Promise<number[]> =>
    (await db.query('SELECT subscription_id FROM forecast_webhook_subscription WHERE company_id = $1 ORDER BY subscription_id', [companyId])).rows.map((row) => Number(row.subscription_id));

  /** What Forecast would post to a subscription's URL. */
  const deliverWebhook = (url: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'task_created', object: { id: 1 }, person: { id: 1 }, timestamp: new Date().toISOString() }) });

  const credentialRow = async (companyId: string) => (await db.query('SELECT key_version, sealed FROM company_credential WHERE company_id = $1', [companyId])).rows[0];

  function rememberSecrets(activation: { timelog: { password: string; reportingPassword: string }; forecast: { apiKey: string } }) {
    for (const secret of [activation.timelog.password, activation.timelog.reportingPassword, activation.forecast.apiKey]) secretsSent.add(secret);
  }

  async function newcomer(data: NewcomerData): Promise<Newcomer> {
    const companyId = `map${uniqueSuffix()}`;
    const { forecastSimulatorUrl: forecast, timelogSimulatorUrl: timelog } = endpoints();
    const forecastApiKey = `fc-key-${companyId}-${randomBytes(6).toString('hex')}`;
    const passwords = { login: `Login-${randomBytes(6).toString('hex')}!`, reporting: `Report-${randomBytes(6).toString('hex')}!` };
    const activation = demoActivation(endpoints(), companyId, forecastApiKey, passwords);
    await httpJson('PUT', `${forecast}/_sim/companies/${companyId}`, { apiKey: forecastApiKey });
    const persons: Record<string, number> = {};
    for (const person of data.persons) {
      persons[person.first] = (await httpJson('POST', `${forecast}/_sim/companies/${companyId}/persons`, { first_name: person.first, last_name: 'Newcomer', email: person.email })).id;
    }
    const projects: Record<string, number> = {};
    for (const name of data.forecastProjects) projects[name] = (await httpJson('POST', `${forecast}/_sim/companies/${companyId}/projects`, { name })).id;
    await httpJson('PUT', `${timelog}/_sim/sites/${activation.timelog.accountName}`, {
      reporting: { siteCode: activation.timelog.siteCode, apiID: activation.timelog.reportingUsername, apiPassword: passwords.reporting },
      employees: [
        { employeeId: 1, initials: 'ADM', username: activation.timelog.username, email: activation.timelog.username, firstName: 'Integration', lastName: 'Admin', password: passwords.login, isAdministrator: true },
        ...data.employees.map((employee) => ({ ...employee, username: employee.email, firstName: employee.initials, lastName: 'Newcomer' })),
      ],
      projects: data.timelogProjects,
    });
    const created = await httpJson('POST', `${mappingUrl()}/operator/companies`, { id: companyId, name: `${companyId} ApS` }, bearer(OPERATOR_TOKEN));
    rememberSecrets(activation);
    secretsSent.add(created.adminKey);
    return { companyId, adminKey: created.adminKey, forecastApiKey, activation, persons, projects };
  }

  const bareCompany = () => newcomer({ persons: [], employees: [], forecastProjects: [], timelogProjects: [] });

  async function activated(company: Newcomer): Promise<Newcomer> {
    const answer = await activate(company.companyId, company.adminKey, company.activation);
    if (answer.status !== 200) throw new Error(`activation of ${company.companyId} failed: ${JSON.stringify(answer.body)}`);
    return company;
  }

  beforeAll(async () => {
    pipeline = await startPipeline(24000);
    rememberSecrets(pipeline.demo.activation as ReturnType<typeof demoActivation>);
    secretsSent.add(pipeline.demo.adminKey).add(pipeline.credentialKeys.split(':')[1]);
    db = new Client({ connectionString: pipeline.databaseUrl });
    await db.connect();
    const kafka = new Kafka({ clientId: 'mapping-service-int-spec', brokers: testEnvironment.kafkaBrokers, logLevel: 0 });
    topics = await new TopicReader(kafka).start(TOPIC_SPECS.map((spec) => `${pipeline.kafkaNamespace}.${spec.name}`));
  });

  afterAll(async () => {
    await topics?.stop();
    await db?.end();
    await pipeline?.system.stop();
  });

  describe('activation', () => {
    it('activates after live checks and registers the six Forecast webhooks at the ingestor under one unguessable per-company token', async () => {
      const company = await bareCompany();
      const answer = await activate(company.companyId, company.adminKey, company.activation);
      expect(answer).toEqual({ status: 200, body: { status: 'active', webhookSubscriptions: 6 } });

      const subscriptions = await forecastSubscriptions(company.forecastApiKey);
      expect(subscriptions.map((s) => `${s.type} ${s.event}`).sort()).toEqual([...WEBHOOK_PAIRS].sort());
      expect(subscriptions.every((s) => s.active)).toBe(true);
      const tokens = new Set(subscriptions.map((s) => new URL(s.url).pathname.split('/')[3]));
      expect(tokens.size).toBe(1);
      const [token] = tokens;
      secretsSent.add(token);
      expect(token.length).toBeGreaterThanOrEqual(43);
      expect(subscriptions.every((s) => s.url.startsWith(`${pipeline.system.url('forecast-ingestor')}/webhooks/forecast/${token}/`))).toBe(true);
      const demoTokens = (await forecastSubscriptions(pipeline.demo.forecastApiKey)).map((s) => new URL(s.url).pathname.split('/')[3]);
      expect(demoTokens).not.toContain(token);
      expect(await recordedSubscriptionIds(company.companyId)).toEqual(subscriptions.map((s) => s.id).sort((a, b) => a - b));

      const view = await call('GET', `/companies/${company.companyId}`, company.adminKey);
      expect(view.body).toMatchObject({ status: 'active', timelogDomain: company.activation.timelog.domain, timelogAccountName: company.activation.timelog.accountName, syncFrom: '2020-01-01' });
      expect(JSON.stringify(view.body)).not.toContain(company.activation.timelog.password);
    });

    describe('with one field wrong', () => {
      let company: Newcomer;
      beforeAll(async () => {
        company = await bareCompany();
      });

      const wrong: [string, (c: Newcomer) => Record<string, string>, string[]][] = [
        ['timelog.accountName', (c) => ({ accountName: `${c.activation.timelog.accountName}-unknown` }), ['timelog.accountName']],
        ['timelog.username', (c) => ({ username: `nobody@${c.companyId}.example` }), ['timelog.username']],
        ['timelog.password', () => ({ password: `Wrong-login-${randomBytes(4).toString('hex')}` }), ['timelog.password']],
        // TimeLog's Reporting API answers one 401 for any of these three, so all three are named as suspects.
        ['timelog.siteCode', () => ({ siteCode: 'SITE-wrong' }), REPORTING_FIELDS],
        ['timelog.reportingUsername', () => ({ reportingUsername: 'reporting-wrong' }), REPORTING_FIELDS],
        ['timelog.reportingPassword', () => ({ reportingPassword: `Wrong-report-${randomBytes(4).toString('hex')}` }), REPORTING_FIELDS],
      ];

      it.each(wrong)('refuses a wrong %s with a 4xx naming it and stores nothing', async (field, change, named) => {
        const timelog = { ...company.activation.timelog, ...change(company) };
        secretsSent.add(timelog.password).add(timelog.reportingPassword);
        const answer = await activate(company.companyId, company.adminKey, { ...company.activation, timelog });
        expect(answer.status).toBe(422);
        expect(answer.body.error.code).toBe('activation.credentials_refused');
        expect(Object.keys(answer.body.error.fields).sort()).toEqual(named);
        expect(answer.body.error.fields[field]).toEqual(expect.any(String));
        await expectNothingStored(company);
      });

      it('refuses a wrong Forecast API key with a 4xx naming it and stores nothing', async () => {
        const apiKey = `fc-wrong-${randomBytes(6).toString('hex')}`;
        secretsSent.add(apiKey);
        const answer = await activate(company.companyId, company.adminKey, { ...company.activation, forecast: { apiKey } });
        expect(answer.status).toBe(422);
        expect(answer.body.error.fields).toEqual({ 'forecast.apiKey': 'Forecast refused the API key' });
        await expectNothingStored(company);
      });

      it('refuses missing and malformed fields at the edge with a 400 naming each, before calling TimeLog', async () => {
        const before = await httpJson('GET', `${pipeline.system.url('timelog-simulator')}/_sim/sites/${company.activation.timelog.accountName}/calls`);
        const { password: _missing, ...timelog } = company.activation.timelog;
        const answer = await activate(company.companyId, company.adminKey, { ...company.activation, timelog: { ...timelog, domain: 'not a url' }, syncFrom: '1.1.2020' });
        expect(answer.status).toBe(400);
        expect(answer.body.error.code).toBe('invalid_request');
        expect(answer.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['syncFrom', 'timelog.domain', 'timelog.password']);
        expect(answer.body.error.errors.find((e: { path: string }) => e.path === 'timelog.password').message).toBe('Password is required');
        expect(await httpJson('GET', `${pipeline.system.url('timelog-simulator')}/_sim/sites/${company.activation.timelog.accountName}/calls`)).toEqual(before);
        await expectNothingStored(company);
      });

      it('activates the same company once every field is right', async () => {
        expect((await activate(company.companyId, company.adminKey, company.activation)).status).toBe(200);
        expect((await credentialRow(company.companyId)).key_version).toBe(1);
        expect(await forecastSubscriptions(company.forecastApiKey)).toHaveLength(6);
      });

      async function expectNothingStored(c: Newcomer) {
        expect(await credentialRow(c.companyId)).toBeUndefined();
        expect((await call('GET', `/companies/${c.companyId}`, c.adminKey)).body).toMatchObject({ status: 'inactive', timelogDomain: null, activatedAt: null });
        expect(await recordedSubscriptionIds(c.companyId)).toEqual([]);
        expect(await forecastSubscriptions(c.forecastApiKey)).toEqual([]);
      }
    });

    it('leaves an active company, its credentials and its webhooks untouched when a re-activation is refused', async () => {
      const company = await activated(await bareCompany());
      const sealedBefore = await credentialRow(company.companyId);
      const subscriptionsBefore = await forecastSubscriptions(company.forecastApiKey);
      const password = `Wrong-login-${randomBytes(4).toString('hex')}`;
      secretsSent.add(password);
      const answer = await activate(company.companyId, company.adminKey, { ...company.activation, timelog: { ...company.activation.timelog, password } });
      expect(answer.status).toBe(422);
      expect(await credentialRow(company.companyId)).toEqual(sealedBefore);
      expect(await forecastSubscriptions(company.forecastApiKey)).toEqual(subscriptionsBefore);
      expect((await call('GET', `/companies/${company.companyId}`, company.adminKey)).body.status).toBe('active');
    });

    it('re-activation updates the company and replaces its six webhook subscriptions and token', async () => {
      const company = await activated(await bareCompany());
      const before = await forecastSubscriptions(company.forecastApiKey);
      const sealedBefore = (await credentialRow(company.companyId)).sealed;
      expect((await activate(company.companyId, company.adminKey, { ...company.activation, syncFrom: '2024-03-01', pollIntervalMinutes: 5 })).status).toBe(200);
      const after = await forecastSubscriptions(company.forecastApiKey);
      expect(after.map((s) => `${s.type} ${s.event}`).sort()).toEqual([...WEBHOOK_PAIRS].sort());
      expect(after.map((s) => s.id)).not.toEqual(expect.arrayContaining([before[0].id]));
      expect(after[0].url).not.toBe(before.find((s) => s.type === after[0].type && s.event === after[0].event)?.url);
      expect(await recordedSubscriptionIds(company.companyId)).toEqual(after.map((s) => s.id).sort((a, b) => a - b));
      expect((await call('GET', `/companies/${company.companyId}`, company.adminKey)).body).toMatchObject({ status: 'active', syncFrom: '2024-03-01', pollIntervalMinutes: 5 });
      expect((await credentialRow(company.companyId)).sealed).not.toBe(sealedBefore);
    });

    it('deactivation removes every webhook subscription, closes the webhook URL and stops linking', async () => {
      const company = await activated(await bareCompany());
      const [subscription] = await forecastSubscriptions(company.forecastApiKey);
      const answer = await call('DELETE', `/companies/${company.companyId}/activation`, company.adminKey);
      expect(answer.status).toBe(204);
      expect(await forecastSubscriptions(company.forecastApiKey)).toEqual([]);
      expect(await recordedSubscriptionIds(company.companyId)).toEqual([]);
      expect((await call('GET', `/companies/${company.companyId}`, company.adminKey)).body.status).toBe('inactive');
      expect((await deliverWebhook(subscription.url)).status).toBe(404);
      const people = await call('GET', `/companies/${company.companyId}/people`, company.adminKey);
      expect(people.status).toBe(409);
      expect(people.body.error.code).toBe('company.inactive');
    });

    it('stops sync on deactivation even when Forecast cannot remove the webhooks yet, and removes them on the next try', async () => {
      const company = await activated(await bareCompany());
      const [subscription] = await forecastSubscriptions(company.forecastApiKey);
      // As many failures as the client makes attempts at the first delete.
      await httpJson('PUT', `${pipeline.system.url('forecast-simulator')}/_sim/companies/${company.companyId}/faults`, { serverErrors: { remainingCalls: 4, status: 503 } });
      const refused = await call('DELETE', `/companies/${company.companyId}/activation`, company.adminKey);
      expect(refused.status).toBe(502);
      expect(refused.body.error.code).toBe('deactivation.webhooks_not_removed');
      expect((await call('GET', `/companies/${company.companyId}`, company.adminKey)).body.status).toBe('inactive');
      expect((await deliverWebhook(subscription.url)).status).toBe(404);
      expect(await forecastSubscriptions(company.forecastApiKey)).toHaveLength(6);
      expect(await recordedSubscriptionIds(company.companyId)).toHaveLength(6);

      expect((await call('DELETE', `/companies/${company.companyId}/activation`, company.adminKey)).status).toBe(204);
      expect(await forecastSubscriptions(company.forecastApiKey)).toEqual([]);
      expect(await recordedSubscriptionIds(company.companyId)).toEqual([]);
    });
  });

  describe('people and project links', () => {
    let company: Newcomer;
    const linkPerson = (person: string, timelogInitials: string) => call('PUT', `/companies/${company.companyId}/people/${company.persons[person]}/link`, company.adminKey, { timelogInitials });
    const linkProject = (project: string, timelogProjectId: number, syncFrom?: string) =>
      call('PUT', `/companies/${company.companyId}/projects/${company.projects[project]}/link`, company.adminKey, { timelogProjectId, syncFrom });
    const person = async (first: string) => (await call('GET', `/companies/${company.companyId}/people`, company.adminKey)).body.people.find((p: any) => p.forecastPersonId === company.persons[first]);

    beforeAll(async () => {
      company = await activated(
        await newcomer({
          persons: [
            { first: 'Dora', email: 'Dora.Demo@Links.Example' },
            { first: 'Eve', email: 'eve@links.example' },
            { first: 'Finn', email: 'finn@elsewhere.example' },
          ],
          employees: [
            { employeeId: 2, initials: 'DD', email: 'dora.demo@links.example' },
            { employeeId: 3, initials: 'EV', email: 'EVE@links.example' },
            { employeeId: 4, initials: 'GU', email: 'gus@links.example' },
          ],
          forecastProjects: ['Intranet', 'Webshop'],
          timelogProjects: [
            { projectId: 201, name: 'intranet ' },
            { projectId: 202, name: 'Other' },
          ],
        }),
      );
    });

    it('lists Forecast persons beside TimeLog users and proposes links by normalised e-mail', async () => {
      const { body } = await call('GET', `/companies/${company.companyId}/people`, company.adminKey);
      expect(body.timelogUsers.map((u: any) => u.initials).sort()).toEqual(['ADM', 'DD', 'EV', 'GU']);
      const suggestions = Object.fromEntries(body.people.map((p: any) => [p.name, p.suggestion?.timelogInitials ?? null]));
      expect(suggestions).toEqual({ 'Dora Newcomer': 'DD', 'Eve Newcomer': 'EV', 'Finn Newcomer': null });
      expect(body.people.every((p: any) => p.link === null)).toBe(true);

      const projects = await call('GET', `/companies/${company.companyId}/projects`, company.adminKey);
      expect(projects.body.projects.find((p: any) => p.name === 'Intranet').suggestion).toMatchObject({ timelogProjectId: 201 });
      expect(projects.body.projects.find((p: any) => p.name === 'Webshop').suggestion).toBeNull();
    });

    it('confirms a suggestion and no longer proposes the linked TimeLog user to anybody', async () => {
      expect((await linkPerson('Eve', 'ev')).body).toEqual({ forecastPersonId: company.persons.Eve, timelogInitials: 'EV', timelogEmployeeId: 3 });
      expect(await person('Eve')).toMatchObject({ link: { timelogInitials: 'EV', timelogEmployeeId: 3 }, suggestion: null });
    });

    it('refuses a TimeLog user or project linked to someone else with 409 and a reason, keeping the existing link', async () => {
      const taken = await linkPerson('Dora', 'EV');
      expect(taken.status).toBe(409);
      expect(taken.body.error).toMatchObject({ code: 'link.user_taken', message: `TimeLog user EV is already linked to Forecast person ${company.persons.Eve}` });
      expect((await person('Dora')).link).toBeNull();
      expect((await person('Eve')).link.timelogInitials).toBe('EV');

      expect((await linkProject('Intranet', 201)).status).toBe(200);
      const projectTaken = await linkProject('Webshop', 201);
      expect(projectTaken.status).toBe(409);
      expect(projectTaken.body.error.code).toBe('link.project_taken');
    });

    it('answers unknown persons, users and projects with 404 and malformed input with 400', async () => {
      expect((await call('PUT', `/companies/${company.companyId}/people/999999/link`, company.adminKey, { timelogInitials: 'DD' })).body.error.code).toBe('link.person_not_found');
      expect((await linkPerson('Dora', 'ZZ')).body.error.code).toBe('link.user_not_found');
      expect((await linkProject('Webshop', 999)).body.error.code).toBe('link.timelog_project_not_found');
      const malformed = await call('PUT', `/companies/${company.companyId}/people/${company.persons.Dora}/link`, company.adminKey, { timelogInitials: '', extra: 1 });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['', 'timelogInitials']);
      const badId = await call('PUT', `/companies/${company.companyId}/people/not-a-number/link`, company.adminKey, { timelogInitials: 'DD' });
      expect(badId.status).toBe(400);
      expect(badId.body.error).toMatchObject({ code: 'invalid_request', errors: [{ path: 'personId' }] });
    });

    it('pages and searches people, projects and the activity log on the server, with the total and next cursor as headers', async () => {
      const page = async (list: string, query: string) => {
        const response = await fetch(`${mappingUrl()}/companies/${company.companyId}/${list}?${query}`, { headers: bearer(company.adminKey) });
        return { status: response.status, body: (await response.json()) as any, total: Number(response.headers.get('x-total-count')), next: response.headers.get('x-next-cursor'), link: response.headers.get('link') };
      };
      const first = await page('people', 'limit=1');
      expect(first.body.people).toHaveLength(1);
      expect(first.total).toBeGreaterThanOrEqual(3);
      expect(first.link).toBe(`</companies/${company.companyId}/people?limit=1&cursor=${first.next}>; rel="next"`);
      const second = await page('people', `limit=1&cursor=${first.next}`);
      expect(second.body.people[0].forecastPersonId).not.toBe(first.body.people[0].forecastPersonId);
      // Following the cursors lists everybody once, by name.
      const names: string[] = [];
      for (let cursor: string | null = '', n = 0; cursor !== null && n < 20; n++) {
        const next = await page('people', `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        names.push(...next.body.people.map((p: any) => p.name));
        cursor = next.next;
      }
      expect(names).toHaveLength(first.total);
      expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(names).toEqual(expect.arrayContaining(['Dora Newcomer', 'Eve Newcomer', 'Finn Newcomer']));

      const finn = await page('people', 'q=FINN');
      expect(finn.body.people.map((p: any) => p.name)).toEqual(['Finn Newcomer']);
      expect([finn.total, finn.next]).toEqual([1, null]);
      expect((await page('people', 'q=ev')).body.people.map((p: any) => p.name)).toEqual(['Eve Newcomer']); // linked as EV
      const projects = await page('projects', 'q=intra');
      expect(projects.body.projects.map((p: any) => p.name)).toEqual(['Intranet']);
      expect(projects.body.timelogProjects.length).toBeGreaterThan(0);
      expect((await page('projects', 'q=SHOP')).total).toBe(1);
      const intranet = await page('projects', 'limit=1');
      expect([intranet.body.projects[0].name, intranet.total]).toEqual(['Intranet', 2]);
      expect((await page('projects', `limit=1&cursor=${intranet.next}`)).body.projects.map((p: any) => p.name)).toEqual(['Webshop']);

      const activity = await page('activity', 'limit=1');
      expect(activity.status).toBe(200);
      expect(Array.isArray(activity.body)).toBe(true);

      for (const [list, query] of [['people', 'limit=0'], ['people', 'limit=501'], ['projects', 'limit=ten'], ['activity', 'cursor=%21%21'], ['parked', `cursor=${Buffer.from('{"a":1}').toString('base64url')}`], ['dead-letters', 'sort=name'], ['people', `q=${'x'.repeat(201)}`]]) {
        const refused = await page(list, query);
        expect([list, query, refused.status]).toEqual([list, query, 400]);
      }
    });

    it('publishes every link change to the compacted mapping.links.v1 and asks for a scoped backfill of a new link', async () => {
      const key = `${company.companyId}:user:${company.persons.Finn}`;
      expect((await linkPerson('Finn', 'GU')).status).toBe(200);
      expect((await linkPerson('Finn', 'DD')).status).toBe(200);
      expect((await call('DELETE', `/companies/${company.companyId}/people/${company.persons.Finn}/link`, company.adminKey)).status).toBe(204);
      const linkTopic = `${pipeline.kafkaNamespace}.${TOPICS.mappingLinks}`;
      const changes = await pollUntil(() => {
        const found = topics.find((m) => m.topic === linkTopic && m.key === key);
        return found.length >= 3 && found;
      }, { description: `three changes of ${key} on mapping.links.v1` });
      expect(changes.map((m) => (m.value ? JSON.parse(m.value).timelogEmployeeInitials : null))).toEqual(['GU', 'DD', null]);
      expect(JSON.parse(changes[0].value!)).toMatchObject({ kind: 'user', companyId: company.companyId, forecastPersonId: company.persons.Finn, timelogUserId: 4 });

      const backfills = await pollUntil(() => {
        const found = commandsOf(company.companyId).filter((c) => c.command === 'backfill' && c.scope.forecastPersonId === company.persons.Finn);
        return found.length >= 2 && found;
      }, { description: 'backfills for Finn on sync.commands.v1' });
      expect(backfills[0]).toMatchObject({ companyId: company.companyId, scope: { kind: 'person', forecastPersonId: company.persons.Finn }, since: '2020-01-01' });

      expect((await linkProject('Webshop', 202, '2025-02-01')).status).toBe(200);
      const projectLink = await pollUntil(() => topics.find((m) => m.topic === linkTopic && m.key === `${company.companyId}:project:${company.projects.Webshop}`)[0], {
        description: 'project link on mapping.links.v1',
      });
      expect(JSON.parse(projectLink.value!)).toMatchObject({ kind: 'project', timelogProjectId: 202, syncFrom: '2025-02-01' });
      await pollUntil(() => commandsOf(company.companyId).find((c) => c.scope?.forecastProjectId === company.projects.Webshop && c.since === '2025-02-01'), {
        description: 'backfill for Webshop from its sync-from date',
      });
    });

    const commandsOf = (companyId: string) =>
      topics.find((m) => m.topic === `${pipeline.kafkaNamespace}.${TOPICS.syncCommands}` && !!m.value).map((m) => JSON.parse(m.value!)).filter((c) => c.companyId === companyId);
  });

  describe('tenant isolation', () => {
    it("refuses one company's admin key on every call about another company and changes nothing there", async () => {
      const other = await activated(await bareCompany());
      const victim = pipeline.demo.companyId;
      const subscriptionsBefore = await forecastSubscriptions(pipeline.demo.forecastApiKey);
      const attempts: [string, string, unknown?][] = [
        ['GET', ''],
        ['GET', '/people'],
        ['GET', '/projects'],
        ['GET', '/parked'],
        ['GET', '/activity'],
        ['GET', '/dead-letters'],
        ['PUT', '/activation', other.activation],
        ['DELETE', '/activation'],
        ['PUT', `/people/${pipeline.demo.people.carl}/link`, { timelogInitials: 'CD' }],
        ['DELETE', `/people/${pipeline.demo.people.ann}/link`],
        ['POST', '/parked/retry'],
      ];
      for (const [method, path, body] of attempts) {
        const answer = await call(method, `/companies/${victim}${path}`, other.adminKey, body);
        expect({ method, path, status: answer.status, code: answer.body?.error?.code }).toEqual({ method, path, status: 401, code: 'unauthorized' });
        expect((await call(method, `/companies/${victim}${path}`, undefined, body)).status).toBe(401);
      }
      expect((await call('GET', '/operator/companies', other.adminKey)).status).toBe(401);
      expect((await call('GET', `/companies/${other.companyId}`, other.adminKey)).status).toBe(200);
      expect((await call('GET', `/companies/${victim}`, pipeline.demo.adminKey)).body.status).toBe('active');
      expect(await forecastSubscriptions(pipeline.demo.forecastApiKey)).toEqual(subscriptionsBefore);
      const people = (await call('GET', `/companies/${victim}/people`, pipeline.demo.adminKey)).body.people;
      expect(people.find((p: any) => p.forecastPersonId === pipeline.demo.people.ann).link).toMatchObject({ timelogInitials: 'AD' });
      expect(people.find((p: any) => p.forecastPersonId === pipeline.demo.people.carl).link).toBeNull();
    });

    it('answers the operator 404 for every change to a company that does not exist, and creates nothing for it', async () => {
      const missing = `missing${Date.now().toString(36)}`;
      for (const [method, path, body] of [['PUT', '/pause'], ['PUT', '/people/7/link', { timelogInitials: 'AD' }], ['POST', '/poll-now'], ['GET', '/pauses']] as [string, string, unknown?][]) {
        const answer = await call(method, `/companies/${missing}${path}`, OPERATOR_TOKEN, body);
        expect({ method, path, status: answer.status, code: answer.body?.error?.code }).toEqual({ method, path, status: 404, code: 'company.not_found' });
      }
      expect((await db.query('SELECT count(*)::int AS n FROM sync_pause WHERE company_id = $1', [missing])).rows).toEqual([{ n: 0 }]);
    });
  });

  describe('secrets', () => {
    it('keeps no plaintext password or API key in any PostgreSQL row', async () => {
      const { rows: credentials } = await db.query('SELECT company_id, key_version, sealed FROM company_credential');
      expect(credentials.length).toBeGreaterThanOrEqual(5);
      expect(credentials.every((row) => row.key_version === 1 && row.sealed.length > 100)).toBe(true);
      const { rows: tables } = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      for (const { table_name: table } of tables) {
        const { rows } = await db.query(`SELECT t::text AS row FROM "${table}" t`);
        expect({ table, leaked: leaked(rows.map((r) => r.row).join('\n')) }).toEqual({ table, leaked: [] });
      }
    });

    it("keeps passwords and API keys out of every service's logs, spans and Kafka messages", async () => {
      expect(pipeline.system.logs('mapping-service')).toContain('"statusCode":422');
      for (const service of SERVICES_THAT_HOLD_SECRETS) {
        const spans = existsSync(pipeline.system.spanFile(service)) ? readFileSync(pipeline.system.spanFile(service), 'utf8') : '';
        expect({ service, inLogs: leaked(pipeline.system.logs(service)), inSpans: leaked(spans) }).toEqual({ service, inLogs: [], inSpans: [] });
      }
      expect(topics.messages.length).toBeGreaterThan(0);
      expect(leaked(topics.messages.map((m) => `${m.key} ${m.value} ${JSON.stringify(m.headers)}`).join('\n'))).toEqual([]);
    });
  });

  describe('key rotation', () => {
    const newKey = randomBytes(32).toString('base64');
    const newKeys = `2:${newKey}`;

    const rotate = (keys: string) =>
      promisify(execFile)(process.execPath, [builtEntryPoint('mapping-service', 'rotate-credential-keys')], {
        env: { ...process.env, DATABASE_URL: pipeline.databaseUrl, CREDENTIAL_KEYS: keys },
      });

    const restartMappingService = async (keys: string) => {
      await pipeline.system.kill('mapping-service');
      await pipeline.system.startService('mapping-service', { CREDENTIAL_KEYS: keys });
    };

    it('re-encrypts every credential row under the new key version while the service reads, then works with the new key alone', async () => {
      const { demo } = pipeline;
      const before = new Map((await db.query('SELECT company_id, sealed FROM company_credential')).rows.map((row) => [row.company_id, row.sealed]));
      // Roll-out step 1: the service holds old and new keys, so it opens rows of either version during the rotation.
      await restartMappingService(`${pipeline.credentialKeys},${newKeys}`);
      const readPeople = () => httpJson('GET', `${mappingUrl()}/companies/${demo.companyId}/people`, undefined, bearer(demo.adminKey));
      const [{ stdout }] = await Promise.all([rotate(`${pipeline.credentialKeys},${newKeys}`), readPeople(), readPeople()]);
      expect(JSON.parse(stdout)).toMatchObject({ msg: 'credential keys rotated', rotated: before.size, currentVersion: 2 });

      const after = (await db.query('SELECT company_id, key_version, sealed FROM company_credential')).rows;
      expect(after).toHaveLength(before.size);
      for (const row of after) expect({ company: row.company_id, keyVersion: row.key_version, resealed: row.sealed !== before.get(row.company_id) }).toEqual({ company: row.company_id, keyVersion: 2, resealed: true });
      expect(leaked(stdout)).toEqual([]);
      expect(stdout).not.toContain(newKey);

      // Step 2: the old key is gone; every row must still open.
      await restartMappingService(newKeys);
      expect((await readPeople()).people.find((p: any) => p.forecastPersonId === demo.people.ann).link).toMatchObject({ timelogInitials: 'AD' });
      expect((await activate(demo.companyId, demo.adminKey, demo.activation)).status).toBe(200);
      expect((await credentialRow(demo.companyId)).key_version).toBe(2);
      const company = await activated(await bareCompany());
      expect((await credentialRow(company.companyId)).key_version).toBe(2);
      expect((await rotate(newKeys)).stdout).toContain('"rotated":0');
    });
  });
});
