import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { RunningTimeLogSimulator, startTimeLogSimulator } from '../src/simulator';
import { child, NS, path, PATHS, postSoap, putJson, result, tokenXml } from './soap-probe';
import { TEST_SITE } from './test-site';

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await delay(20);
  }
}

describe('TimeLog simulator with a data file', () => {
  let simulator: RunningTimeLogSimulator | undefined;
  afterEach(() => simulator?.close());

  it('keeps sites, work and issued tokens across a restart', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'timelog-sim-')), 'state.json');
    simulator = await startTimeLogSimulator({ port: 0, dataFile });
    await putJson(`${simulator.url}/_sim/sites/acme`, TEST_SITE);
    const registered = await putJson(`${simulator.url}/_sim/sites/acme/work`, { initials: 'JD', taskId: 100, date: '2026-03-02', minutes: 45 }, 'POST');
    const { guid } = (await registered.json()) as { guid: string };
    const tokenAnswer = await postSoap(
      `${simulator.url}/acme/${PATHS.security}`,
      'GetTokenRequest',
      `<GetToken xmlns="${NS.v1_2}"><user>admin</user><password>adm-secret</password></GetToken>`,
    );
    const issued = path(result(tokenAnswer, NS.v1_2, 'GetToken'), [NS.v1_1, 'Return'], [NS.v1_2, 'SecurityToken']);
    const token = { initials: 'ADM', expires: child(issued, NS.v1_2, 'Expires').text, hash: child(issued, NS.v1_2, 'Hash').text };

    // Written shortly after the change, not only on a clean shutdown.
    await eventually(() => existsSync(dataFile) && readFileSync(dataFile, 'utf8').includes(token.hash));
    await simulator.close();
    simulator = await startTimeLogSimulator({ port: 0, dataFile });

    const work = (await (await fetch(`${simulator.url}/_sim/sites/acme/work`)).json()) as { guid: string; minutes: number }[];
    expect(work).toEqual([expect.objectContaining({ guid, minutes: 45 })]);
    const answer = await postSoap(
      `${simulator.url}/acme/${PATHS.pm}`,
      'GetAllocationsToEmployeeRequest',
      `<GetAllocationsToEmployee xmlns="${NS.v1_8}"><initials>JD</initials>${tokenXml(NS.v1_3, token)}</GetAllocationsToEmployee>`,
    );
    expect(child(result(answer, NS.v1_8, 'GetAllocationsToEmployee'), NS.api, 'ResponseState').text).toBe('Success');
  });
});
