import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { metricsRegistry } from '@timelog-sync/observability';
import { HEALTH_ROUTES } from '@timelog-sync/service-runtime';
import { checkConfig } from './app-config-check';

// `docker compose config` needs the compose plugin, absent here: this checks what it would, plus the wiring between the files.
const repoRoot = resolve(__dirname, '../../..');
// merge: docker-compose.yml shares the services' settings through YAML anchors and merge keys.
const readYaml = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8'), { merge: true });
const SERVICES = { 'forecast-ingestor': 3001, 'timelog-poller': 3002, 'mapping-service': 3003, 'sync-writer': 3004 };
const SCRAPED = { ...SERVICES, 'admin-console': 3007 };

/** Runs a Prometheus tool from the Debian packages (prometheus: promtool; prometheus-alertmanager: amtool). */
function tool(command: 'promtool' | 'amtool', ...args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${command} is needed for the alert tests: apt-get install prometheus prometheus-alertmanager`);
    throw new Error(`${command} ${args.join(' ')} failed:\n${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`);
  }
}

interface AlertRule {
  alert: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Every alert of every rule file, including rule files other features add to the folder. */
const alertRules = (): AlertRule[] =>
  readdirSync(join(repoRoot, 'deploy/prometheus/rules'))
    .filter((file) => file.endsWith('.yml'))
    .flatMap((file) => readYaml(`deploy/prometheus/rules/${file}`).groups.flatMap((group: { rules: AlertRule[] }) => group.rules.filter((rule) => rule.alert)));

describe('deploy/: Prometheus, alert rules, Grafana and docker-compose.yml', () => {
  it('has a valid Prometheus config and alert rules that pass their promtool unit tests', () => {
    expect(tool('promtool', 'check', 'config', 'deploy/prometheus/prometheus.yml')).toMatch(/SUCCESS/);
    expect(tool('promtool', 'test', 'rules', 'deploy/prometheus/rules-test.yml')).toMatch(/SUCCESS/);
  });

  it('scrapes each app where docker-compose runs it and sends alerts to its Alertmanager', () => {
    const compose = readYaml('docker-compose.yml');
    const prometheus = readYaml('deploy/prometheus/prometheus.yml');
    const targets = Object.fromEntries(prometheus.scrape_configs.map((job: { job_name: string; static_configs: { targets: string[] }[] }) => [job.job_name, job.static_configs[0].targets[0]]));
    expect(targets).toEqual(Object.fromEntries(Object.entries(SCRAPED).map(([service, port]) => [service, `${service}:${port}`])));
    for (const [service, port] of Object.entries(SCRAPED)) expect(compose.services[service].environment).toMatchObject({ PORT: port, HTTP_HOST: '0.0.0.0' });
    expect(prometheus.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    expect(compose.services.alertmanager.ports).toEqual(['9093:9093']);
  });

  it('gives every alert a severity Alertmanager routes, a summary, a description, a runbook and a dashboard panel', () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/dashboards/timelog-sync.json'), 'utf8'));
    const panelIds: number[] = dashboard.panels.map((panel: { id: number }) => panel.id);
    const config = 'deploy/alertmanager/alertmanager.yml';
    expect(tool('amtool', 'check-config', config)).toMatch(/SUCCESS/);
    const rules = alertRules();
    expect(rules.length).toBeGreaterThan(10);
    for (const { alert, labels, annotations } of rules) {
      expect({ alert, severity: ['page', 'ticket'].includes(labels?.severity) }).toEqual({ alert, severity: true });
      expect({ alert, annotations: Object.keys(annotations ?? {}).sort() }).toEqual({ alert, annotations: expect.arrayContaining(['dashboard', 'description', 'runbook_url', 'summary']) });
      const runbook = join(repoRoot, annotations.runbook_url);
      expect({ alert, runbook: annotations.runbook_url, exists: existsSync(runbook) }).toEqual({ alert, runbook: `docs/runbooks/${alert}.md`, exists: true });
      const sections = readFileSync(runbook, 'utf8').match(/^## .+$/gm);
      expect({ alert, sections }).toEqual({ alert, sections: ['## What it means', '## How to confirm', '## How to fix'] });
      expect({ alert, panel: panelIds.includes(Number(/viewPanel=(\d+)/.exec(annotations.dashboard)?.[1])) }).toEqual({ alert, panel: true });
      // The routing tree of the real config: a page reaches the pager, a ticket the queue, whatever the company.
      expect(tool('amtool', 'config', 'routes', 'test', `--config.file=${config}`, `--verify.receivers=${labels.severity}`, `alertname=${alert}`, `severity=${labels.severity}`, 'company=acme').trim()).toBe(labels.severity);
    }
    expect(tool('amtool', 'config', 'routes', 'test', `--config.file=${config}`, 'alertname=Unlabelled').trim()).toBe('ticket');
  });

  it('composes the whole picture with every dependency, mount and image in place', () => {
    const compose = readYaml('docker-compose.yml');
    const services: Record<string, { image?: string; build?: { dockerfile: string }; depends_on?: string[] | Record<string, unknown>; volumes?: string[] }> = compose.services;
    expect(Object.keys(services).sort()).toEqual(
      ['admin-console', 'alertmanager', 'forecast-ingestor', 'forecast-simulator', 'grafana', 'jaeger', 'kafka', 'mapping-service', 'otel-collector', 'postgres', 'prometheus', 'sync-writer', 'timelog-poller', 'timelog-simulator'].sort(),
    );
    for (const [name, service] of Object.entries(services)) {
      expect({ name, hasImage: Boolean(service.image || service.build) }).toEqual({ name, hasImage: true });
      const dependencies = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect(Object.keys(services)).toContain(dependency);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect({ name, source, exists: existsSync(join(repoRoot, source)) }).toEqual({ name, source, exists: true });
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
      if (service.build) expect(existsSync(join(repoRoot, service.build.dockerfile))).toBe(true);
    }
    expect(services.kafka).toMatchObject({ environment: { KAFKA_PROCESS_ROLES: 'broker,controller' } });
  });

  it('runs every app from the one image, healthy when ready, each started after what it needs is healthy', () => {
    const compose = readYaml('docker-compose.yml');
    const apps = { ...SERVICES, 'admin-console': 3007, 'forecast-simulator': 4010, 'timelog-simulator': 4020 };
    for (const [app, port] of Object.entries(apps)) {
      const service = compose.services[app];
      expect({ app, image: service.image, command: service.command, built: existsSync(join(repoRoot, service.command[0])), ports: service.ports }).toEqual({
        app,
        image: 'timelog-sync:local',
        command: [`dist/${app}/main.js`],
        built: true,
        ports: [`${port}:${port}`],
      });
      expect(service.environment.PORT).toBe(port);
      expect(service.healthcheck.test.join(' ')).toContain(`process.env.PORT + '${HEALTH_ROUTES.ready}'`);
      for (const [dependency, { condition }] of Object.entries<{ condition: string }>(service.depends_on ?? {})) {
        expect({ app, dependency, condition }).toEqual({ app, dependency, condition: compose.services[dependency].healthcheck ? 'service_healthy' : 'service_started' });
      }
    }
    expect(compose.services['admin-console'].depends_on).toEqual({ 'mapping-service': { condition: 'service_healthy' } });
    expect(compose.services['admin-console'].environment.MAPPING_SERVICE_URL).toBe(`http://mapping-service:${SERVICES['mapping-service']}`);
  });

  it.each([...Object.keys(SERVICES), 'admin-console'])('gives %s every variable its config needs (parsed by its own schema)', (app) => {
    const environment = Object.fromEntries(Object.entries<string | number>(readYaml('docker-compose.yml').services[app].environment).map(([name, value]) => [name, String(value)]));
    const { ok, problems } = checkConfig(app, environment);
    expect({ app, ok, problems }).toEqual({ app, ok: true, problems: [] });
  });

  it("mounts the simulators' data where the image's user may write", () => {
    const compose = readYaml('docker-compose.yml');
    const dockerfile = readFileSync(join(repoRoot, 'deploy/Dockerfile'), 'utf8');
    const user = dockerfile.match(/^USER (\S+)$/m)?.[1];
    for (const simulator of ['forecast-simulator', 'timelog-simulator']) {
      const service = compose.services[simulator];
      const [volume, mountPath] = service.volumes[0].split(':');
      expect(Object.keys(compose.volumes)).toContain(volume);
      expect(Object.values<string>(service.environment).filter((value) => String(value).startsWith('/')).every((file) => file.startsWith(`${mountPath}/`))).toBe(true);
      // A fresh named volume takes the ownership of the image's directory it is mounted on.
      expect(dockerfile).toContain(`RUN mkdir -p ${mountPath} && chown ${user}:${user} ${mountPath}`);
    }
  });

  it('provisions a dashboard whose panels query only metrics the services serve or the rules record', async () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/dashboards/timelog-sync.json'), 'utf8'));
    const provider = readYaml('deploy/grafana/provisioning/dashboards/timelog-sync.yml').providers[0];
    expect(readYaml('docker-compose.yml').services.grafana.volumes).toContain(`./deploy/grafana/dashboards:${provider.options.path}:ro`);
    const recorded = readdirSync(join(repoRoot, 'deploy/prometheus/rules'))
      .flatMap((file) => readYaml(`deploy/prometheus/rules/${file}`).groups as { rules: { record?: string }[] }[])
      .flatMap((group) => group.rules.map((rule) => rule.record).filter(Boolean));
    const served = (await metricsRegistry.getMetricsAsJSON()).map((metric) => metric.name);
    const queried = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) => panel.targets.flatMap((target) => target.expr.match(/timelog_sync[:\w]+/g) ?? []));
    const known = (name: string) => recorded.includes(name) || served.includes(name.replace(/_(bucket|count|sum)$/, ''));
    expect(queried.filter((name: string) => !known(name))).toEqual([]);
    for (const wanted of ['consumer_lag', 'poll_age', 'outbox_oldest_age', 'parked', 'dlq_size', 'dlq_messages', 'company_health', 'http_request_duration', 'external_call_errors', 'events_processed']) {
      expect(queried.some((name: string) => name.includes(wanted))).toBe(true);
    }
  });
});
