import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// A service carries in memory only what it uses (RSS budget 150 MB, about 45 MB of it Node's own binary): node-soap
// with axios, xml-crypto and lodash is about 8 MB of heap and loads on the first TimeLog call; the OTLP exporter
// with its protobuf encoder is about 4 MB and loads only when chosen. Checked on the build output, as it ships.
const dist = resolve(__dirname, '../../../dist');

/** The packages in memory once `app`'s whole module graph is loaded and tracing started with `exporter`. */
function packagesLoaded(app: string, exporter: 'none' | 'otlp'): string[] {
  const script = `
    require(${JSON.stringify(join(dist, app, 'apps', app, 'src', 'app.module.js'))});
    require(${JSON.stringify(join(dist, app, 'libs', 'observability', 'src', 'index.js'))}).startTracing({ serviceName: 'footprint', exporter: ${JSON.stringify(exporter)} });
    const names = Object.keys(require.cache).map((file) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(names)]));
  `;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } }));
}

describe('what a built service loads', () => {
  it('the ingestor, which never calls TimeLog, carries neither node-soap nor the OTLP exporter', () => {
    const loaded = packagesLoaded('forecast-ingestor', 'none');
    expect(loaded).toEqual(expect.arrayContaining(['typeorm', 'kafkajs', '@opentelemetry/sdk-trace-node']));
    expect(loaded).not.toContain('soap');
    expect(loaded).not.toContain('@opentelemetry/exporter-trace-otlp-http');
  });

  it('the OTLP exporter is loaded when it is the chosen exporter', () => {
    expect(packagesLoaded('sync-writer', 'otlp')).toContain('@opentelemetry/exporter-trace-otlp-http');
  });
});
