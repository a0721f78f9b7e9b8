import { startTimeLogSimulator } from './simulator';

async function main(): Promise<void> {
  const simulator = await startTimeLogSimulator({
    port: Number(process.env.TIMELOG_SIM_PORT ?? 4020),
    host: process.env.TIMELOG_SIM_HOST ?? '127.0.0.1',
    dataFile: process.env.TIMELOG_SIM_DATA_FILE || undefined,
  });
  console.log(`TimeLog simulator listening on ${simulator.url}`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
