import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TOPIC_SPECS } from '@timelog-sync/contracts';
import { HEALTH_ROUTES } from '@timelog-sync/service-runtime';
import { checkConfig, PIPELINE_APPS as PIPELINE } from './app-config-check';

// deploy/k8s rendered offline (kubectl kustomize) and checked against the schemas and against the code: every env
// var a service's config needs is provided, and image, commands, ports and probe paths are the ones the apps serve.
const repoRoot = resolve(__dirname, '../../..');
const APPS = [...PIPELINE, 'admin-console'];
const OVERLAYS = ['dev', 'prod'] as const;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; namespace?: string };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function render(overlay: string): string {
  try {
    return execFileSync('kubectl', ['kustomize', join('deploy/k8s/overlays', overlay)], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('kubectl is needed to render deploy/k8s: apt-get install kubernetes-client');
    throw error;
  }
}

const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, render(overlay)])) as Record<(typeof OVERLAYS)[number], string>;
const objectsOf = (overlay: (typeof OVERLAYS)[number]): K8sObject[] =>
  parseAllDocuments(rendered[overlay])
    .map((document) => document.toJS())
    .filter(Boolean);
const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
};
const devSecret = find(objectsOf('dev'), 'Secret', 'timelog-sync-secrets');

/** The container's environment as the kubelet would build it (Secrets missing from the render: see the README's list). */
function containerEnv(objects: K8sObject[], container: any): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) Object.assign(env, find(objects, 'ConfigMap', source.configMapRef.name).data);
  for (const variable of container.env ?? []) {
    const secretRef = variable.valueFrom?.secretKeyRef;
    if (!secretRef) env[variable.name] = String(variable.value);
    else {
      const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === secretRef.name) ?? devSecret;
      const encoded = secret.data?.[secretRef.key];
      if (encoded !== undefined) env[variable.name] = Buffer.from(encoded.replace(/\s+/g, ''), 'base64').toString('utf8');
      else if (!secretRef.optional) throw new Error(`${variable.name}: Secret ${secretRef.name} has no key ${secretRef.key}`);
      else env[variable.name] = `value-of-${secretRef.key}`;
    }
  }
  return env;
}

describe('deploy/k8s (kustomize base with dev and prod overlays)', () => {
  it.each(OVERLAYS)('the %s overlay renders and every object validates against the Kubernetes, Strimzi and prometheus-operator schemas', (overlay) => {
    const validation = spawnSync(process.execPath, ['tools/validate-k8s.mjs'], { cwd: repoRoot, input: rendered[overlay], encoding: 'utf8' });
    expect({ status: validation.status, invalid: validation.stdout.split('\n').filter((line) => line.startsWith('INVALID')) }).toEqual({ status: 0, invalid: [] });
    expect(validation.stdout).toMatch(/^\d{2,} valid, 0 invalid$/m);
  });

  describe.each(OVERLAYS)('%s overlay', (overlay) => {
    const objects = objectsOf(overlay);

    it.each(APPS)("provides every variable %s's config needs, only variables the services read, on the port the app defaults to", (app) => {
      const container = find(objects, 'Deployment', app).spec.template.spec.containers[0];
      const env = containerEnv(objects, container);
      const result = checkConfig(app, env);
      expect({ app, ok: result.ok, problems: result.problems }).toEqual({ app, ok: true, problems: [] });
      // The pipeline services share one ConfigMap: each variable in it must be read by at least one of them.
      const known = new Set(PIPELINE.includes(app) ? PIPELINE.flatMap((service) => checkConfig(service, {}).keys) : result.keys);
      expect(Object.keys(env).filter((name) => !known.has(name) && !name.startsWith('OTEL_'))).toEqual([]);
      expect(Number(env.PORT)).toBe(result.port);
      expect(env.HTTP_HOST).toBe('0.0.0.0');
    });

    it.each(APPS)('runs %s from the image on its port, with live/ready probes, non-root on a read-only root, with requests and limits', (app) => {
      const pod = find(objects, 'Deployment', app).spec.template.spec;
      const [container] = pod.containers;
      expect(container.image).toMatch(/(^|\/)timelog-sync:[\w.-]+$/);
      expect(container.args).toEqual([`dist/${app}/main.js`]);
      expect(existsSync(join(repoRoot, container.args[0]))).toBe(true);
      const env = containerEnv(objects, container);
      const port = Number(env.PORT);
      // A service with METRICS_PORT serves /metrics there only, on a port of its own.
      const metrics = env.METRICS_PORT ? [{ name: 'metrics', containerPort: Number(env.METRICS_PORT) }] : [];
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }, ...metrics]);
      expect(find(objects, 'Service', app).spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }, ...metrics.map(({ name, containerPort }) => ({ name, port: containerPort, targetPort: name }))]);
      expect(container.livenessProbe.httpGet).toEqual({ path: HEALTH_ROUTES.live, port: 'http' });
      expect(container.startupProbe.httpGet).toEqual({ path: HEALTH_ROUTES.live, port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: HEALTH_ROUTES.ready, port: 'http' });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(container.resources).toMatchObject({ requests: { cpu: expect.anything(), memory: expect.anything() }, limits: { memory: expect.anything() } });
      expect(find(objects, 'PodDisruptionBudget', app).spec.selector.matchLabels).toMatchObject({ 'app.kubernetes.io/name': app });
    });

    it('migrates in a Job, not at service start-up, and declares topics instead of creating them', () => {
      const job = find(objects, 'Job', 'timelog-sync-migrate').spec.template.spec.containers[0];
      expect(job.args).toEqual(['dist/mapping-service/migrate.js']);
      expect(existsSync(join(repoRoot, job.args[0]))).toBe(true);
      expect(find(objects, 'ConfigMap', 'timelog-sync-config').data).toMatchObject({ DATABASE_MIGRATE_ON_START: 'false', KAFKA_CREATE_TOPICS: 'false' });
      const topics = objects.filter((object) => object.kind === 'KafkaTopic');
      expect(topics.map((topic) => topic.metadata.name).sort()).toEqual(TOPIC_SPECS.map((spec) => spec.name).sort());
      const replicas = overlay === 'prod' ? 3 : 1;
      for (const spec of TOPIC_SPECS) {
        const topic = find(objects, 'KafkaTopic', spec.name).spec;
        expect({ name: spec.name, replicas: topic.replicas, enough: topic.partitions >= spec.partitions, compacted: topic.config['cleanup.policy'] === 'compact' }).toEqual({
          name: spec.name,
          replicas,
          enough: true,
          compacted: spec.compacted,
        });
      }
      expect(find(objects, 'ConfigMap', 'timelog-sync-config').data?.KAFKA_TOPIC_REPLICATION_FACTOR).toBe(String(replicas));
    });

    it('exposes only the webhook route and the console, and lets only the console reach the admin API', () => {
      const ingress = find(objects, 'Ingress', 'timelog-sync').spec;
      const routes = ingress.rules.flatMap((rule: any) => rule.http.paths.map((path: any) => `${path.path} -> ${path.backend.service.name}`));
      expect(routes).toEqual(['/webhooks/forecast/ -> forecast-ingestor', '/ -> admin-console']);
      expect(readFileSync(join(repoRoot, 'apps/forecast-ingestor/src/webhook-route.ts'), 'utf8')).toContain("prefix: '/webhooks/forecast'");
      const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
      expect(policies.find((policy) => policy.metadata.name === 'default-deny-ingress')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      const toMappingService = policies.filter((policy) => {
        const selector = policy.spec.podSelector;
        return selector.matchLabels?.['app.kubernetes.io/name'] === 'mapping-service' || selector.matchExpressions?.some((expression: any) => expression.values.includes('mapping-service'));
      });
      const toPort = (port: string) => toMappingService.flatMap((policy) => policy.spec.ingress.filter((rule: any) => rule.ports.some((allowed: any) => allowed.port === port)).flatMap((rule: any) => rule.from));
      expect(toPort('http')).toEqual([{ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'admin-console' }) } }]);
      expect(toPort('metrics')).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
      // Scraped: the mapping service on its metrics port (the fleet gauges), the others on their own port.
      const scraped = objects.filter((object) => object.kind === 'ServiceMonitor').flatMap((monitor) => monitor.spec.endpoints.map((endpoint: any) => endpoint.port));
      expect(scraped.sort()).toEqual(['http', 'metrics']);
    });

    it('autoscales the ingestor and the writer, no further than the partitions they consume', () => {
      const autoscalers = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');
      expect(autoscalers.map((hpa) => hpa.spec.scaleTargetRef.name).sort()).toEqual(['forecast-ingestor', 'sync-writer']);
      const partitions = Math.min(...TOPIC_SPECS.filter((spec) => spec.name.endsWith('changed.v1')).map((spec) => spec.partitions));
      for (const hpa of autoscalers) expect(hpa.spec.maxReplicas).toBeLessThanOrEqual(partitions);
    });
  });

  it('holds the same alert and recording rules and Alertmanager config as deploy/ (regenerate with node tools/generate-prometheus-rule.js)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { prometheusRule, TARGET, alertmanager, ALERTMANAGER_TARGET } = require(join(repoRoot, 'tools/generate-prometheus-rule.js'));
    expect(readFileSync(TARGET, 'utf8')).toBe(prometheusRule());
    expect(readFileSync(ALERTMANAGER_TARGET, 'utf8')).toBe(alertmanager());
    expect(find(objectsOf('prod'), 'Secret', 'alertmanager-timelog-sync').stringData?.['alertmanager.yaml']).toBe(readFileSync(join(repoRoot, 'deploy/alertmanager/alertmanager.yml'), 'utf8'));
    expect(find(objectsOf('prod'), 'Alertmanager', 'timelog-sync').spec.replicas).toBeGreaterThan(0);
    expect(find(objectsOf('prod'), 'PrometheusRule', 'timelog-sync').spec.groups.length).toBeGreaterThan(0);
  });

  it('lists in its README every key of the Secret the overlays expect', () => {
    const readme = readFileSync(join(repoRoot, 'deploy/k8s/README.md'), 'utf8');
    const keys = new Set(
      objectsOf('prod')
        .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
        .flatMap((object) => object.spec.template.spec.containers.flatMap((container: any) => (container.env ?? []).map((variable: any) => variable.valueFrom?.secretKeyRef?.key).filter(Boolean))),
    );
    expect([...keys].filter((key) => !readme.includes(`\`${key}\``))).toEqual([]);
  });
});
