import { request as httpRequest } from 'node:http';
import { createServer, Server, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { deterministicWorkGuid } from '@timelog-sync/domain';
import { httpJson, pollUntil, testEnvironment, uniqueSuffix } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline, startPipeline } from './pipeline-fixture';

const PORT_BASE = 31000;
const SERVICES = ['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer', 'admin-console'] as const;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const today = () => new Date().toISOString().slice(0, 10);

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** A TCP listener that only counts who connects: proof that nothing was attempted against an address. */
async function countingListener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Ports of this suite's range beyond the pipeline's own, below the OS's ephemeral range (so no listener lands on them). */
const suitePort = (slot: number) => PORT_BASE + testEnvironment.portOffset + 20 + slot;

describe('Admin edges: SSRF, tenant scoping, hostile input (processes, real Kafka and PostgreSQL, both simulators, console)', () => {
  let pipeline: Pipeline;
  /** An allow-listed TimeLog origin where nothing answers: the refusal must not tell the tenant about it. */
  const deadPort = suitePort(0);
  const mapping = () => pipeline.system.url('mapping-service');
  const consoleUrl = () => pipeline.system.url('admin-console');
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** Every secret this suite knows or sent: none may appear in any log line. */
  const secrets = new Set<string>([OPERATOR_TOKEN]);

  async function call(base: string, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? bearer(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** A company created by the operator, not activated, with its Forecast and TimeLog in the simulators. */
  async function bareCompany(prefix: string) {
    const companyId = `${prefix}${uniqueSuffix()}`;
    const created = await httpJson('POST', `${mapping()}/operator/companies`, { id: companyId, name: `${companyId} ApS` }, bearer(OPERATOR_TOKEN));
    secrets.add(created.adminKey);
    return { companyId, adminKey: created.adminKey as string };
  }

  beforeAll(async () => {
    const simulatorOrigin = `http://127.0.0.1:${PORT_BASE + testEnvironment.portOffset + 6}`;
    pipeline = await startPipeline(PORT_BASE, {
      TIMELOG_EXTRA_ORIGINS: `${simulatorOrigin},http://127.0.0.1:${deadPort}`,
      // The generated traffic all comes from one address and a few keys; limits have their own test below.
      ADMIN_RATE_LIMIT_PER_ADDRESS: '1000000',
      ADMIN_RATE_LIMIT_PER_KEY: '1000000',
    });
    await pipeline.system.startService('admin-console');
    const { demo } = pipeline;
    for (const secret of [demo.adminKey, demo.forecastApiKey, demo.timelogPasswords.login, demo.timelogPasswords.reporting, demo.activation.timelog.siteCode]) secrets.add(secret);
  }, 240_000);

  afterAll(async () => {
    await pipeline?.system.stop();
  });

  describe('no SSRF at activation', () => {
    it('refuses an internal, link-local or non-allow-listed TimeLog domain with a 422 naming the field, before any connection', async () => {
      const company = await bareCompany('ssrf');
      // A real site in the simulator that only this activation could call.
      const site = { ...pipeline.demo.activation.timelog, accountName: `${company.companyId}-site` };
      const calls = () => httpJson('GET', `${pipeline.system.url('timelog-simulator')}/_sim/sites/${site.accountName}/calls`);
      await httpJson('PUT', `${pipeline.system.url('timelog-simulator')}/_sim/sites/${site.accountName}`, {
        reporting: { siteCode: site.siteCode, apiID: site.reportingUsername, apiPassword: site.reportingPassword },
        employees: [{ employeeId: 1, initials: 'ADM', username: site.username, email: site.username, firstName: 'Integration', lastName: 'Admin', password: site.password, isAdministrator: true }],
        projects: [],
      });
      const listener = await countingListener();
      try {
        for (const domain of [
          'http://127.0.0.1:5432',
          `http://127.0.0.1:${listener.port}`,
          `https://127.0.0.1:${listener.port}`,
          `http://localhost:${listener.port}`,
          'http://169.254.169.254',
          'https://169.254.169.254/latest/meta-data',
          'https://timelog.evil.example',
          'https://app4.timelog.com.evil.example',
          'https://app4.timelog.com:8443',
          `${pipeline.system.url('timelog-simulator')}/elsewhere`,
        ]) {
          const answer = await call(mapping(), 'PUT', `/companies/${company.companyId}/activation`, company.adminKey, {
            ...pipeline.demo.activation,
            timelog: { ...site, domain },
          });
          expect({ domain, status: answer.status, code: answer.body.error.code, fields: Object.keys(answer.body.error.fields) }).toEqual({
            domain,
            status: 422,
            code: 'activation.domain_not_allowed',
            fields: ['timelog.domain'],
          });
          expect(JSON.stringify(answer.body)).not.toContain(new URL(domain).host);
        }
        expect(listener.connections()).toBe(0);
        // Not even the allow-listed simulator was asked: refused before the live checks.
        expect(await calls()).toEqual({});
        expect((await call(mapping(), 'GET', `/companies/${company.companyId}`, company.adminKey)).body).toMatchObject({ status: 'inactive', timelogDomain: null });
      } finally {
        await listener.close();
      }
    });

    it('names the domain of an allowed origin where nothing answers without echoing its address', async () => {
      const company = await bareCompany('dead');
      const answer = await call(mapping(), 'PUT', `/companies/${company.companyId}/activation`, company.adminKey, {
        ...pipeline.demo.activation,
        timelog: { ...pipeline.demo.activation.timelog, domain: `http://127.0.0.1:${deadPort}` },
      });
      expect(answer.status).toBe(422);
      expect(answer.body.error.fields['timelog.domain']).toEqual(expect.stringContaining('No TimeLog site answers at this domain'));
      expect(JSON.stringify(answer.body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${deadPort}`));
    });
  });

  describe('tenant scoping', () => {
    it("a company admin key reaches neither /metrics nor operator routes through the console; the operator's company list still works", async () => {
      const { demo } = pipeline;
      for (const path of ['/metrics', '/health', '/operator/companies', `/operator/companies/${demo.companyId}/admin-key`, `/companies/${demo.companyId}/../../metrics`, `/companies/${demo.companyId}/%2e%2e/%2e%2e/metrics`]) {
        for (const method of ['GET', 'POST', 'DELETE']) {
          const answer = await call(consoleUrl(), method, `/api${path}`, demo.adminKey);
          expect({ path, method, refused: [401, 404].includes(answer.status) }).toEqual({ path, method, refused: true });
          expect(answer.body.error.message).toEqual(expect.any(String));
          expect(JSON.stringify(answer.body)).not.toContain('process_cpu');
        }
      }
      expect((await call(consoleUrl(), 'GET', `/api/companies/${demo.companyId}`, demo.adminKey)).status).toBe(200);
      const other = await bareCompany('other');
      expect((await call(consoleUrl(), 'GET', `/api/companies/${other.companyId}`, demo.adminKey)).status).toBe(401);
      const list = await call(consoleUrl(), 'GET', '/api/operator/companies', OPERATOR_TOKEN);
      expect(list.status).toBe(200);
      expect(list.body.map((c: { id: string }) => c.id)).toContain(demo.companyId);
    });

    it('rotation gives a key that works while the old one stops at once; a revoked key answers 401 at once', async () => {
      const company = await bareCompany('rot');
      const opens = async (key: string) => [(await call(mapping(), 'GET', `/companies/${company.companyId}`, key)).status, (await call(consoleUrl(), 'GET', `/api/companies/${company.companyId}/parked`, key)).status];
      expect(await opens(company.adminKey)).toEqual([200, 200]);

      const rotated = await call(mapping(), 'POST', `/operator/companies/${company.companyId}/admin-key`, OPERATOR_TOKEN);
      expect(rotated.status).toBe(201);
      secrets.add(rotated.body.adminKey);
      expect(rotated.body.adminKey).not.toBe(company.adminKey);
      expect(await opens(company.adminKey)).toEqual([401, 401]);
      expect(await opens(rotated.body.adminKey)).toEqual([200, 200]);

      expect((await call(mapping(), 'DELETE', `/operator/companies/${company.companyId}/admin-key`, OPERATOR_TOKEN)).status).toBe(204);
      expect(await opens(rotated.body.adminKey)).toEqual([401, 401]);
      expect((await call(mapping(), 'GET', `/companies/${company.companyId}`, OPERATOR_TOKEN)).status).toBe(200);

      // Only operators rotate or revoke, and only companies that exist.
      expect((await call(mapping(), 'POST', `/operator/companies/${company.companyId}/admin-key`, pipeline.demo.adminKey)).status).toBe(401);
      expect((await call(mapping(), 'DELETE', `/operator/companies/nobody${uniqueSuffix()}/admin-key`, OPERATOR_TOKEN)).status).toBe(404);
      expect((await call(mapping(), 'POST', '/operator/companies/bad%00id/admin-key', OPERATOR_TOKEN)).status).toBe(400);
    });
  });

  it("answers the poller's poll-now for a malformed company id with a 400 naming it, and 404 for an unknown one", async () => {
    const poller = pipeline.system.url('timelog-poller');
    for (const id of ['a%00b', 'x'.repeat(65), '%E2%80%AE', "a'b"]) {
      const answer = await call(poller, 'POST', `/companies/${id}/poll-now`, OPERATOR_TOKEN);
      expect({ id, status: answer.status, path: answer.body.error?.errors?.[0]?.path }).toEqual({ id, status: 400, path: 'companyId' });
    }
    expect((await call(poller, 'POST', `/companies/nobody${uniqueSuffix()}/poll-now`, OPERATOR_TOKEN)).status).toBe(404);
  });

  describe('hostile input', () => {
    it('answers generated garbage to the admin API and through the console with a 4xx and a reason (2xx where valid), and good traffic carries on', async () => {
      const { demo } = pipeline;
      const victim = await bareCompany('victim');
      const bystander = await bareCompany('bystander');
      const rawSegments = ['0', '-1', '1e3', '0x10', '1.5', 'NaN', '2147483648', '99999999999999999999', '%00', '%E0%A4%A', '%ZZ', '..', '%2e%2e', "'--", 'a'.repeat(300), ''];
      const encoded = (text: string) => {
        try {
          return encodeURIComponent(text);
        } catch {
          return 'x'; // a lone surrogate cannot be percent-encoded
        }
      };
      const segment = fc.oneof(fc.constantFrom(...rawSegments), fc.string({ unit: 'binary', maxLength: 24 }).map(encoded), fc.integer().map(String), fc.nat().map(String));
      const company = fc.oneof({ arbitrary: fc.constantFrom(victim.companyId, bystander.companyId), weight: 3 }, { arbitrary: segment, weight: 1 });
      /** Mostly the method the route serves (so the garbage reaches validation), sometimes any. */
      const route = (methods: string[], path: fc.Arbitrary<string>) =>
        fc.tuple(fc.oneof({ arbitrary: fc.constantFrom(...methods), weight: 4 }, { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), weight: 1 }), path);
      const endpoint = fc.oneof(
        route(['GET'], fc.tuple(company, fc.constantFrom('', '/people', '/projects', '/sync-summary', '/parked', '/dead-letters')).map(([c, rest]) => `/companies/${c}${rest}`)),
        route(['PUT', 'DELETE'], company.map((c) => `/companies/${c}/activation`)),
        route(['POST'], company.map((c) => `/companies/${c}/parked/retry`)),
        route(['PUT', 'DELETE'], fc.tuple(company, segment, fc.constantFrom('/people/', '/projects/')).map(([c, id, kind]) => `/companies/${c}${kind}${id}/link`)),
        route(['POST'], fc.tuple(company, segment).map(([c, id]) => `/companies/${c}/dead-letters/${id}/replay`)),
        route(['GET'], fc.tuple(company, segment, segment, segment).map(([c, a, b, d]) => `/companies/${c}/activity?forecastId=${a}&timelogRef=${b}&limit=${d}`)),
        // The admin actions added with named sign-in and the backfill.
        route(['GET'], fc.tuple(company, fc.constantFrom('/pauses', '/backfills', '/settings-changes', '/rejected-webhooks')).map(([c, rest]) => `/companies/${c}${rest}`)),
        route(['PUT', 'DELETE'], fc.tuple(company, fc.option(segment)).map(([c, id]) => (id === null ? `/companies/${c}/pause` : `/companies/${c}/projects/${id}/pause`))),
        route(['POST'], fc.tuple(company, segment).map(([c, id]) => `/companies/${c}/parked/${id}/retry`)),
        route(['POST'], company.map((c) => `/companies/${c}/poll-now`)),
        route(['POST'], fc.tuple(company, segment).map(([c, id]) => `/companies/${c}/projects/${id}/backfill`)),
        route(['GET'], fc.tuple(company, segment).map(([c, id]) => `/companies/${c}/backfills/${id}`)),
        route(['GET'], fc.tuple(company, segment, segment, segment).map(([c, a, b, d]) => `/companies/${c}/settings-changes?setting=${a}&actor=${b}&page=${d}`)),
        // Resync by id, and the lists' pages and searches.
        route(['POST'], fc.tuple(company, segment, fc.constantFrom('/registrations/', '/works/', '/tasks/')).map(([c, id, kind]) => `/companies/${c}${kind}${id}/resync`)),
        route(['GET'], fc.tuple(company, fc.constantFrom('/people', '/projects', '/parked', '/dead-letters', '/activity'), segment, segment, segment).map(([c, list, q, limit, cursor]) => `/companies/${c}${list}?q=${q}&limit=${limit}&cursor=${cursor}`)),
        route(['GET', 'POST'], fc.constant('/operator/companies')),
        // Not the victim's key: revoking it would turn the rest of the run into 401s.
        route(['POST', 'DELETE'], fc.oneof(fc.constant(bystander.companyId), segment).map((c) => `/operator/companies/${c}/admin-key`)),
        route(['GET'], fc.oneof(fc.constantFrom('/metrics', '/health'), fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`))),
      );
      const token = fc.oneof(
        { arbitrary: fc.constantFrom(victim.adminKey, OPERATOR_TOKEN), weight: 3 },
        { arbitrary: fc.constantFrom(bystander.adminKey.slice(0, -2), undefined), weight: 1 },
        { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 16, maxLength: 64 }), weight: 1 },
      );
      const validActivation = fc.constant({ ...demo.activation, timelog: { ...demo.activation.timelog, domain: 'http://169.254.169.254' } });
      const body = fc.oneof(
        fc.constant(undefined),
        fc.jsonValue().map((value) => ({ contentType: 'application/json', raw: JSON.stringify(value) })),
        fc.record({ timelogInitials: fc.string({ unit: 'binary', maxLength: 20 }) }, { requiredKeys: [] }).map((value) => ({ contentType: 'application/json', raw: JSON.stringify(value) })),
        fc.record({ timelogProjectId: fc.oneof(fc.integer(), fc.double(), fc.string()), syncFrom: fc.oneof(fc.constantFrom('2024-02-30', '2024-13-01', '0000-01-01', '1969-12-31', '2024-02-29'), fc.string()) }).map((value) => ({ contentType: 'application/json', raw: JSON.stringify(value) })),
        fc.record({ id: segment, name: fc.string({ unit: 'binary', maxLength: 40 }) }).map((value) => ({ contentType: 'application/json', raw: JSON.stringify(value) })),
        fc.record({ side: fc.oneof(fc.constantFrom('forecast', 'timelog'), fc.string()) }, { requiredKeys: [] }).map((value) => ({ contentType: 'application/json', raw: JSON.stringify(value) })),
        validActivation.map((value) => ({ contentType: 'application/json', raw: JSON.stringify(value) })),
        fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ contentType: 'application/json', raw })),
        fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data', 'application/xml'), fc.string({ maxLength: 100 })).map(([contentType, raw]) => ({ contentType, raw })),
      );
      const hostileRequest = fc.record({ viaConsole: fc.boolean(), endpoint, token, body }).map(({ endpoint: [method, path], ...rest }) => ({ method, path, ...rest }));

      let goodCalls = 0;
      let stopGood = false;
      const goodTraffic = (async () => {
        while (!stopGood) {
          const answer = await call(consoleUrl(), 'GET', `/api/companies/${demo.companyId}/sync-summary`, demo.adminKey);
          if (answer.status !== 200) throw new Error(`good admin call answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          goodCalls += 1;
        }
      })();
      const task = await pipeline.forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: 'Amid the garbage', assigned_persons: [demo.people.ann] });
      const registrationAt = Date.now();

      const seen = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(hostileRequest, async (input) => {
          const base = input.viaConsole ? `${consoleUrl()}/api` : mapping();
          if (input.token && input.token.length >= 16) secrets.add(input.token);
          const response = await fetch(`${base}${input.path}`, {
            method: input.method,
            headers: { ...(input.token === undefined ? {} : { authorization: `Bearer ${input.token}` }), ...(input.body ? { 'content-type': input.body.contentType } : {}) },
            body: input.method === 'GET' ? undefined : input.body?.raw,
          });
          const text = await response.text();
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          expect({ request: input, status: response.status, answered: response.status < 500 }).toMatchObject({ answered: true });
          if (response.status >= 400) {
            const reason = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
            expect(typeof reason.error === 'object' ? reason.error.message : reason.message).toEqual(expect.stringMatching(/\S/));
          }
        }),
        {
          numRuns: 400,
          // What PostgreSQL refuses (NUL, out-of-range numbers, impossible dates) must be refused before it gets there.
          examples: [
            [{ viaConsole: false, method: 'PUT', path: `/companies/${victim.companyId}/people/7/link`, token: victim.adminKey, body: { contentType: 'application/json', raw: '{"timelogInitials":"A\\u0000B"}' } }],
            [{ viaConsole: true, method: 'PUT', path: `/companies/${victim.companyId}/projects/7/link`, token: victim.adminKey, body: { contentType: 'application/json', raw: '{"timelogProjectId":1e20,"syncFrom":"2024-02-30"}' } }],
            [{ viaConsole: false, method: 'DELETE', path: `/companies/${victim.companyId}/people/99999999999999999999/link`, token: victim.adminKey, body: undefined }],
            [{ viaConsole: false, method: 'GET', path: `/companies/${victim.companyId}/activity?forecastId=1e3&timelogRef=%00&limit=-1`, token: victim.adminKey, body: undefined }],
            [{ viaConsole: false, method: 'POST', path: `/companies/${victim.companyId}/dead-letters/abc/replay`, token: victim.adminKey, body: undefined }],
            [{ viaConsole: true, method: 'GET', path: '/companies/a%00b', token: OPERATOR_TOKEN, body: undefined }],
            [{ viaConsole: false, method: 'GET', path: `/companies/${victim.companyId}/parked?q=%00&limit=1&cursor=${Buffer.from('["x","y"]').toString('base64url')}`, token: victim.adminKey, body: undefined }],
            [{ viaConsole: true, method: 'GET', path: `/companies/${victim.companyId}/dead-letters?cursor=${Buffer.from('["2026-01-01T00:00:00.000000Z","99999999999999999999"]').toString('base64url')}`, token: victim.adminKey, body: undefined }],
            [{ viaConsole: false, method: 'POST', path: `/companies/${victim.companyId}/registrations/1/resync`, token: victim.adminKey, body: { contentType: 'application/json', raw: '{"side":"both"}' } }],
          ], seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31),
          verbose: 1,
        },
      );
      process.stdout.write(`hostile input: answers by status ${JSON.stringify(Object.fromEntries(seen))}; good admin calls meanwhile: ${goodCalls}\n`);

      const registration = await pipeline.forecast.register(demo.people.ann, { task: task.id, time_registered: 42, date: today(), notes: 'amid the garbage' });
      const guid = deterministicWorkGuid(demo.companyId, registration.id);
      await pollUntil(async () => (await pipeline.timelog.work()).find((work) => work.guid.toLowerCase() === guid && work.minutes === 42), { description: 'good registration in TimeLog', timeoutMs: 60_000 });
      process.stdout.write(`hostile input: the good registration reached TimeLog ${Date.now() - registrationAt} ms after its task was created\n`);
      stopGood = true;
      await goodTraffic;
      expect(goodCalls).toBeGreaterThan(0);
      for (const service of SERVICES) {
        expect((await fetch(`${pipeline.system.url(service)}/health`)).status).toBe(200);
      }
    }, 240_000);

    it('refuses a 200 MB body streamed to the console with 413 while its RSS stays near its normal level', async () => {
      const pid = pipeline.system.pid('admin-console') as number;
      const before = rssMb(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const { status, sentMb } = await new Promise<{ status: number; sentMb: number }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const upload = httpRequest(`${consoleUrl()}/api/companies/${pipeline.demo.companyId}/activation`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${pipeline.demo.adminKey}` }, // no Content-Length: chunked, as a stream
        });
        upload.on('response', (response) => {
          answered = true;
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, sentMb: sent / 2 ** 20 }));
        });
        // Once refused, the console closes the connection: the rest of the upload fails, as it should.
        upload.on('error', (error) => (answered ? undefined : reject(error)));
        const pump = () => {
          while (!answered && sent < 200 * 2 ** 20) {
            sent += chunk.length;
            if (!upload.write(chunk)) return void upload.once('drain', pump);
          }
          if (!answered) upload.end();
        };
        pump();
      }).finally(() => clearInterval(sampler));
      process.stdout.write(`oversized body: console RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB; refused after ${sentMb.toFixed(1)} MB were sent\n`);
      expect(status).toBe(413);
      expect(peak - before).toBeLessThan(40);
      expect((await fetch(`${consoleUrl()}/health`)).status).toBe(200);
    });
  });

  it('answers a live read that Forecast fails with a 502 naming the vendor, not a 500', async () => {
    const { demo } = pipeline;
    await pipeline.forecast.faults({ serverErrors: { remainingCalls: 1000, status: 503 } });
    try {
      const answer = await call(consoleUrl(), 'GET', `/api/companies/${demo.companyId}/people`, demo.adminKey);
      expect(answer.status).toBe(502);
      expect(answer.body.error).toEqual({ code: 'forecast.unavailable', message: expect.stringContaining('Forecast did not answer as expected (503)') });
    } finally {
      await pipeline.forecast.faults({ serverErrors: { remainingCalls: 0, status: 503 } });
    }
    expect((await call(consoleUrl(), 'GET', `/api/companies/${demo.companyId}/people`, demo.adminKey)).status).toBe(200);
  }, 60_000);

  describe('with the mapping service restarted: low rate limits, /metrics on its own port', () => {
    const metricsPort = suitePort(1);

    beforeAll(async () => {
      await pipeline.system.kill('mapping-service');
      await pipeline.system.startService('mapping-service', { ADMIN_RATE_LIMIT_PER_ADDRESS: '40', ADMIN_RATE_LIMIT_PER_KEY: '20', METRICS_PORT: String(metricsPort) });
    }, 120_000);

    it('serves /metrics only on the metrics port', async () => {
      expect((await fetch(`${mapping()}/metrics`)).status).toBe(404);
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toContain('process_cpu_user_seconds_total');
    });

    it('limits requests per key, then per source address, before authentication', async () => {
      const key = `guessed-${uniqueSuffix()}-key`;
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await call(mapping(), 'GET', `/companies/${pipeline.demo.companyId}`, key)).status);
      expect(new Set(statuses)).toEqual(new Set([401]));
      const limited = await call(mapping(), 'GET', `/companies/${pipeline.demo.companyId}`, key);
      expect(limited.status).toBe(429);
      expect(limited.body.error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('try again') });
      // Another key from the same address is still served, until the address has used its share.
      expect((await call(mapping(), 'GET', `/companies/${pipeline.demo.companyId}`, pipeline.demo.adminKey)).status).toBe(200);
      const rest: number[] = [];
      for (let i = 0; i < 20; i++) rest.push((await call(mapping(), 'GET', `/companies/${pipeline.demo.companyId}`, `other-${i}-${uniqueSuffix()}`)).status);
      expect(rest).toContain(429);
    });
  });

  // Last: after everything above has been logged.
  describe('logs', () => {
    it('hold no key, token or password in any line of any service, the console included', () => {
      const leaks = SERVICES.flatMap((service) => {
        const log = pipeline.system.logs(service);
        return [...secrets].filter((secret) => log.includes(secret)).map((secret) => `${service}: ${secret.slice(0, 4)}…`);
      });
      expect(leaks).toEqual([]);
    });
  });
});
