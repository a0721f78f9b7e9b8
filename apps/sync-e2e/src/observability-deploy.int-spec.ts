import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { metricsRegistry } from '@timelog-sync/observability';

// `docker compose config` needs the compose plugin, absent here: this checks what it would, plus the wiring between the files.
const repoRoot = resolve(__dirname, '../../..');
// merge: docker-compose.yml shares the services' settings through YAML anchors and merge keys.
const readYaml = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8'), { merge: true });
const SERVICES = { 'forecast-ingestor': 3001, 'timelog-poller': 3002, 'mapping-service': 3003, 'sync-writer': 3004 };

function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: repoRoot, encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('promtool is needed for the alert tests: apt-get install prometheus');
    throw new Error(`promtool ${args.join(' ')} failed:\n${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`);
  }
}

describe('deploy/: Prometheus, alert rules, Grafana and docker-compose.yml', () => {
  it('has a valid Prometheus config and alert rules that pass their promtool unit tests', () => {
    expect(promtool('check', 'config', 'deploy/prometheus/prometheus.yml')).toMatch(/SUCCESS/);
    expect(promtool('test', 'rules', 'deploy/prometheus/rules-test.yml')).toMatch(/SUCCESS/);
  });

  it('scrapes each service where docker-compose runs it', () => {
    const compose = readYaml('docker-compose.yml');
    const targets = Object.fromEntries(
      readYaml('deploy/prometheus/prometheus.yml').scrape_configs.map((job: { job_name: string; static_configs: { targets: string[] }[] }) => [job.job_name, job.static_configs[0].targets[0]]),
    );
    expect(targets).toEqual(Object.fromEntries(Object.entries(SERVICES).map(([service, port]) => [service, `${service}:${port}`])));
    for (const [service, port] of Object.entries(SERVICES)) expect(compose.services[service].environment).toMatchObject({ PORT: port, HTTP_HOST: '0.0.0.0' });
  });

  it('composes the whole picture with every dependency, mount and image in place', () => {
    const compose = readYaml('docker-compose.yml');
    const services: Record<string, { image?: string; build?: { dockerfile: string }; depends_on?: string[] | Record<string, unknown>; volumes?: string[] }> = compose.services;
    expect(Object.keys(services).sort()).toEqual(
      ['forecast-ingestor', 'forecast-simulator', 'grafana', 'jaeger', 'kafka', 'mapping-service', 'otel-collector', 'postgres', 'prometheus', 'sync-writer', 'timelog-poller', 'timelog-simulator'].sort(),
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

  it('provisions a dashboard whose panels query only metrics the services serve or the rules record', async () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/dashboards/timelog-sync.json'), 'utf8'));
    const provider = readYaml('deploy/grafana/provisioning/dashboards/timelog-sync.yml').providers[0];
    expect(readYaml('docker-compose.yml').services.grafana.volumes).toContain(`./deploy/grafana/dashboards:${provider.options.path}:ro`);
    const recorded = readYaml('deploy/prometheus/rules/timelog-sync.yml').groups.flatMap((group: { rules: { record?: string }[] }) => group.rules.map((rule) => rule.record).filter(Boolean));
    const served = (await metricsRegistry.getMetricsAsJSON()).map((metric) => metric.name);
    const queried = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) => panel.targets.flatMap((target) => target.expr.match(/timelog_sync[:\w]+/g) ?? []));
    const known = (name: string) => recorded.includes(name) || served.includes(name.replace(/_(bucket|count|sum)$/, ''));
    expect(queried.filter((name: string) => !known(name))).toEqual([]);
    for (const wanted of ['consumer_lag', 'poll_age', 'outbox_oldest_age', 'parked', 'dlq_size', 'external_call_errors', 'events_processed']) {
      expect(queried.some((name: string) => name.includes(wanted))).toBe(true);
    }
  });
});
