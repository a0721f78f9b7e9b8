import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { pollUntil } from '@timelog-sync/testing';

const repoRoot = resolve(__dirname, '../../..');
const readYaml = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8'));

/** The test overlay: every rule's `for:` and Alertmanager's waits shrink to seconds; scrape and evaluation every second. */
export const OVERLAY = { scrapeSeconds: 1, evaluationSeconds: 1, forSeconds: 3 };

export interface MonitoringOptions {
  /** Scrape targets by job name (the jobs of deploy/prometheus/prometheus.yml), as `host:port`. */
  targets: Record<string, string>;
  /** Prometheus, Alertmanager and the webhook receiver listen on port, port+1, port+2. */
  port: number;
  outputDir: string;
}

export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: { status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string> }[];
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

/**
 * A real Prometheus and Alertmanager (the Debian packages' binaries) over the project's own rule files and
 * Alertmanager routing, with only timings shortened (OVERLAY) and the receivers pointed at a webhook this
 * process serves, so a test sees what the on-call would receive.
 */
export class MonitoringStack {
  readonly notifications: (Notification & { at: number })[] = [];
  private readonly processes: ChildProcess[] = [];
  private receiver?: Server;

  private constructor(private readonly options: MonitoringOptions) {}

  static async start(options: MonitoringOptions): Promise<MonitoringStack> {
    const stack = new MonitoringStack(options);
    try {
      await stack.startReceiver();
      await stack.startAlertmanager();
      await stack.startPrometheus();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get prometheusUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get alertmanagerUrl(): string {
    return `http://127.0.0.1:${this.options.port + 1}`;
  }

  /** An instant query's result vector. */
  async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${this.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error ?? response.status}`);
    return body.data.result;
  }

  async alerts(): Promise<PrometheusAlert[]> {
    const body = (await (await fetch(`${this.prometheusUrl}/api/v1/alerts`)).json()) as { data: { alerts: PrometheusAlert[] } };
    return body.data.alerts;
  }

  /** The state of the alert whose labels include `labels`, or 'inactive'. */
  async alertState(alertname: string, labels: Record<string, string> = {}): Promise<'inactive' | 'pending' | 'firing'> {
    const found = (await this.alerts()).find((alert) => matches(alert.labels, { alertname, ...labels }));
    return found?.state ?? 'inactive';
  }

  /** Alertmanager's view of its alerts, with what inhibits them. */
  async alertmanagerAlerts(alertname: string): Promise<AlertmanagerAlert[]> {
    const response = await fetch(`${this.alertmanagerUrl}/api/v2/alerts?filter=${encodeURIComponent(`alertname="${alertname}"`)}`);
    return (await response.json()) as AlertmanagerAlert[];
  }

  /** The first firing notification that reached the webhook for the alert. */
  delivered(alertname: string, labels: Record<string, string> = {}): (Notification & { at: number }) | undefined {
    return this.notifications.find((notification) => notification.alerts.some((alert) => alert.status === 'firing' && matches(alert.labels, { alertname, ...labels })));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(async (child) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    await new Promise((done) => (this.receiver ? this.receiver.close(done) : done(undefined)));
  }

  private async startReceiver(): Promise<void> {
    this.receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        this.notifications.push({ ...JSON.parse(body), at: Date.now() });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => this.receiver!.listen(this.options.port + 2, '127.0.0.1', done));
  }

  private async startAlertmanager(): Promise<void> {
    const config = readYaml('deploy/alertmanager/alertmanager.yml');
    shortenWaits(config.route);
    for (const receiver of config.receivers) {
      for (const webhook of receiver.webhook_configs) webhook.url = `http://127.0.0.1:${this.options.port + 2}/${receiver.name}`;
    }
    const dir = join(this.options.outputDir, 'alertmanager');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(config));
    this.spawn('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${this.options.port + 1}`,
      '--cluster.listen-address=',
    ]);
    await pollUntil(async () => (await fetch(`${this.alertmanagerUrl}/-/ready`)).ok, { description: 'Alertmanager ready (Debian package prometheus-alertmanager)', timeoutMs: 30_000 });
  }

  private async startPrometheus(): Promise<void> {
    const dir = join(this.options.outputDir, 'prometheus');
    mkdirSync(join(dir, 'rules'), { recursive: true });
    for (const file of readdirSync(join(repoRoot, 'deploy/prometheus/rules')).filter((name) => name.endsWith('.yml'))) {
      const rules = readYaml(`deploy/prometheus/rules/${file}`);
      for (const group of rules.groups) for (const rule of group.rules) if (rule.for) rule.for = `${OVERLAY.forSeconds}s`;
      writeFileSync(join(dir, 'rules', file), stringify(rules));
    }
    const production = readYaml('deploy/prometheus/prometheus.yml');
    const config = {
      global: { scrape_interval: `${OVERLAY.scrapeSeconds}s`, scrape_timeout: `${OVERLAY.scrapeSeconds}s`, evaluation_interval: `${OVERLAY.evaluationSeconds}s` },
      rule_files: [join(dir, 'rules', '*.yml')],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${this.options.port + 1}`] }] }] },
      scrape_configs: production.scrape_configs.map((job: { job_name: string }) => {
        const target = this.options.targets[job.job_name];
        if (!target) throw new Error(`no target for the scrape job ${job.job_name}`);
        return { ...job, static_configs: [{ targets: [target] }] };
      }),
    };
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    this.spawn('prometheus', 'prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${this.options.port}`,
    ]);
    await pollUntil(async () => (await fetch(`${this.prometheusUrl}/-/ready`)).ok, { description: 'Prometheus ready (Debian package prometheus)', timeoutMs: 30_000 });
  }

  private spawn(name: string, command: string, args: string[]): void {
    const logFd = openSync(join(this.options.outputDir, `${name}.log`), 'a');
    const child = spawn(command, args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    child.once('error', () => undefined);
    this.processes.push(child);
  }
}

function shortenWaits(route: Record<string, unknown> & { routes?: Record<string, unknown>[] }): void {
  for (const key of ['group_wait', 'group_interval'] as const) if (route[key]) route[key] = '1s';
  for (const child of route.routes ?? []) shortenWaits(child);
}

const matches = (labels: Record<string, string>, wanted: Record<string, string>) => Object.entries(wanted).every(([key, value]) => labels[key] === value);
