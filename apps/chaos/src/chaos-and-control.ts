import { compareSnapshots } from './convergence-oracle';
import { runChaos, RunResult, summary } from './chaos-run';

/**
 * Apps on base+1..+7, the broker on base+90; the control run the same 100 higher, so nothing the faulted run left
 * behind can take its ports. A second chaos run at once needs another base (e.g. --port-base 32800).
 */
export const DEFAULT_PORT_BASE = 32500;
export const CONTROL_PORTS_ABOVE = 100;

export interface ChaosOutcome {
  ok: boolean;
  faulted: RunResult;
  control?: RunResult;
  differences: string[];
}

/** The faulted run, then (optionally) the control run with the same seed and operations, and their comparison. */
export async function chaosAndControl(options: { seed: number; minutes: number; settleMinutes: number; control: boolean; portBase?: number; log: (line: string) => void }): Promise<ChaosOutcome> {
  const portBase = options.portBase ?? DEFAULT_PORT_BASE;
  const { seed, log } = options;
  log(`chaos: seed ${seed} (replay: npm run chaos -- --seed ${seed} --minutes ${options.minutes})`);
  const faulted = await runChaos({ label: `s${seed}f`, seed, minutes: options.minutes, faults: true, portBase, settleMinutes: options.settleMinutes, progress: log });
  summary(faulted).forEach((line) => log(line));
  let control: RunResult | undefined;
  let differences: string[] = [];
  if (options.control) {
    control = await runChaos({ label: `s${seed}c`, seed, minutes: options.minutes, faults: false, operations: faulted.operations, portBase: portBase + CONTROL_PORTS_ABOVE, settleMinutes: options.settleMinutes, progress: log });
    summary(control).forEach((line) => log(line));
    differences = Object.keys(faulted.snapshot).flatMap((company) => compareSnapshots(faulted.snapshot[company], control!.snapshot[company] ?? {}).map((d) => `${company} ${d}`));
    log(`control comparison: ${differences.length === 0 ? 'same final state' : `${differences.length} differences`}`);
    differences.slice(0, 10).forEach((line) => log(`  ${line}`));
  }
  const ok = [faulted, control].every((run) => !run || (run.problems.length === 0 && run.workloadErrors.length === 0)) && differences.length === 0;
  log(`chaos: ${ok ? 'PASSED' : 'FAILED'} (seed ${seed})`);
  return { ok, faulted, control, differences };
}
