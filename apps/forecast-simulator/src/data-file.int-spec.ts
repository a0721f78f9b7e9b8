import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startForecastSimulator } from './simulator';
import { SimulatorControl } from './testing/simulator-control';

it('keeps companies, tasks and deletions in the data file across a restart', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'forecast-sim-'));
  const dataFile = join(directory, 'state.json');
  try {
    const first = await startForecastSimulator({ port: 0, dataFile });
    const company = await new SimulatorControl(first.url).seedCompany('persisted');
    const headers = { 'X-FORECAST-API-KEY': company.apiKey, 'content-type': 'application/json' };
    const post = (body: unknown) => fetch(`${first.url}/api/v3/tasks`, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    const kept = await post({ project_id: company.projectId, title: 'kept' });
    const gone = await post({ project_id: company.projectId, title: 'gone' });
    await fetch(`${first.url}/api/v2/tasks/${gone.id}`, { method: 'DELETE', headers });
    await first.close();

    const second = await startForecastSimulator({ port: 0, dataFile });
    try {
      const get = (path: string) => fetch(`${second.url}${path}`, { headers }).then((r) => r.json() as Promise<any>);
      expect((await get('/api/v4/tasks')).pageContents.map((task: any) => task.id)).toEqual([kept.id]);
      expect((await get('/api/v2/tasks/deleted')).map((deletion: any) => deletion.id)).toEqual([gone.id]);
      const next = await fetch(`${second.url}/api/v3/tasks`, { method: 'POST', headers, body: JSON.stringify({ project_id: company.projectId }) });
      expect(((await next.json()) as any).id).toBeGreaterThan(gone.id);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
