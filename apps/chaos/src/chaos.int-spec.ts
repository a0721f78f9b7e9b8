import { chaosAndControl, CONTROL_PORTS_ABOVE, DEFAULT_PORT_BASE } from './chaos-and-control';

/**
 * CI's short chaos run: a fixed seed and a random one (printed, so a failure can be replayed with
 * `npm run chaos -- --seed N`), each with its control run. A faulted workload runs about twice its half minute:
 * its operations wait for syncs that the faults delay.
 */
describe('chaos: random faults in both directions across three companies converge', () => {
  const seeds = [20261130, Math.floor(Math.random() * 2 ** 31)];

  it.each(seeds)('seed %i: lost, duplicated, divergent, leaked and zombies all 0, and the control run ends the same', async (seed) => {
    const lines: string[] = [];
    // Each seed on ports of its own, as each run of a seed is.
    const portBase = DEFAULT_PORT_BASE + 2 * CONTROL_PORTS_ABOVE * seeds.indexOf(seed);
    const outcome = await chaosAndControl({ seed, minutes: 0.5, settleMinutes: 4, control: true, portBase, log: (line) => lines.push(line) });
    process.stdout.write(`${lines.join('\n')}\n`);
    expect({ seed, problems: outcome.faulted.problems.concat(outcome.control?.problems ?? []), stuck: outcome.faulted.workloadErrors, differences: outcome.differences }).toEqual({
      seed,
      problems: [],
      stuck: [],
      differences: [],
    });
  }, 30 * 60_000);
});
