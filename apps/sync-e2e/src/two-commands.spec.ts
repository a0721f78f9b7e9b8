import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// What `npm test` and `npm run up` do first on a bare machine (scripts/require-test-tools.sh, scripts/prepare.sh),
// run against fake tools in a PATH of our own.
const repoRoot = resolve(__dirname, '../../..');
const BASH = execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();

/** A directory of executables that log their arguments to `calls.log` and succeed. */
function fakeTools(names: string[]): { dir: string; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-tools-'));
  for (const name of names) {
    writeFileSync(join(dir, name), `#!${BASH}\necho "${name} $*" >> "${dir}/calls.log"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return { dir, calls: () => readFileSync(join(dir, 'calls.log'), { encoding: 'utf8', flag: 'a+' }).split('\n').filter(Boolean) };
}

describe('scripts/require-test-tools.sh', () => {
  const run = (path: string) =>
    spawnSync(BASH, [join(repoRoot, 'scripts/require-test-tools.sh')], { env: { PATH: path, INSTALL_TEST_TOOLS: 'never' }, encoding: 'utf8' });

  it('stops with a message naming the Debian packages to install when Chromium, promtool, Alertmanager and kubectl are missing', () => {
    const { dir } = fakeTools([]);
    symlinkSync(execFileSync(BASH, ['-c', 'command -v id'], { encoding: 'utf8' }).trim(), join(dir, 'id'));
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm test needs the Debian packages: chromium prometheus prometheus-alertmanager kubernetes-client');
    expect(result.stderr).toContain('apt-get install -y chromium prometheus prometheus-alertmanager kubernetes-client');
  });

  it('passes when they are on the PATH', () => {
    const { dir } = fakeTools(['chromium', 'promtool', 'amtool', 'prometheus-alertmanager', 'kubectl']);
    expect(run(dir)).toMatchObject({ status: 0, stderr: '' });
  });
});

describe('scripts/prepare.sh', () => {
  it('re-installs npm packages only when package-lock.json changed since the last install, and builds every time', () => {
    const root = mkdtempSync(join(tmpdir(), 'prepare-'));
    mkdirSync(join(root, 'scripts'));
    mkdirSync(join(root, 'node_modules'));
    mkdirSync(join(root, 'dist'));
    copyFileSync(join(repoRoot, 'scripts/prepare.sh'), join(root, 'scripts/prepare.sh'));
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
    const tools = fakeTools(['npm', 'npx']);
    const prepare = () => execFileSync(BASH, [join(root, 'scripts/prepare.sh')], { env: { PATH: `${tools.dir}:${process.env.PATH}` }, encoding: 'utf8' });
    const installs = () => tools.calls().filter((call) => call.startsWith('npm ci')).length;

    prepare();
    expect(installs()).toBe(1);
    prepare();
    expect(installs()).toBe(1);
    writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    prepare();
    expect(installs()).toBe(2);
    expect(tools.calls().filter((call) => call.startsWith('npx nx run-many -t build'))).toHaveLength(3);
  });
});
