export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** GET /metrics of an app, parsed into samples (Prometheus text format). */
export async function scrapeMetrics(appUrl: string): Promise<Sample[]> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

export const matchingSamples = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));

export const sampleTotal = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  matchingSamples(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
