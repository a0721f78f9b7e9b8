import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');
const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: repoRoot, encoding: 'utf8' });

/** The reconciliation drift alert (deploy/prometheus/rules/reconciliation.yml) passes promtool's check and its unit test. */
describe('reconciliation drift rules', () => {
  it('are valid, and alert on drift that stays above zero for a day only', () => {
    expect(promtool('check', 'rules', 'deploy/prometheus/rules/reconciliation.yml')).toContain('SUCCESS');
    expect(promtool('test', 'rules', 'deploy/prometheus/reconciliation-rules-test.yml')).toContain('SUCCESS');
  });
});
