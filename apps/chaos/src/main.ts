import { parseArgs } from 'node:util';
import { chaosAndControl } from './chaos-and-control';

/**
 * `npm run chaos -- --minutes N --seed N`: a run with faults, then a control run without faults replaying the
 * same operations; exits non-zero when the oracle finds anything or the two final states differ.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      seed: { type: 'string' },
      'settle-minutes': { type: 'string', default: '5' },
      'no-control': { type: 'boolean', default: false },
      'port-base': { type: 'string', default: '32500' },
    },
  });
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const outcome = await chaosAndControl({ seed, minutes: Number(values.minutes), settleMinutes: Number(values['settle-minutes']), control: !values['no-control'], portBase: Number(values['port-base']), log: (line) => console.log(line) });
  process.exit(outcome.ok ? 0 : 1);
}

process.on('unhandledRejection', (error) => console.error('chaos: unhandled rejection', error));

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
