import { startForecastSimulator } from './simulator';

async function main(): Promise<void> {
  const simulator = await startForecastSimulator({
    port: Number(process.env['FORECAST_SIM_PORT'] ?? 4010),
    host: process.env['FORECAST_SIM_HOST'] ?? '127.0.0.1',
    dataFile: process.env['FORECAST_SIM_DATA_FILE'] || undefined,
    webhookTimeScale: Number(process.env['FORECAST_SIM_WEBHOOK_TIME_SCALE'] ?? 1),
  });
  console.log(`forecast-simulator listening on ${simulator.url}`);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
