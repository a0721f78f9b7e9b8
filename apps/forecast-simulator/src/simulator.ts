import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { ForecastErrorFilter } from './http/forecast-error.filter';
import type { SimulatorOptions } from './simulator-options';
import { DataFile } from './state/data-file';
import { SimulatorStore } from './state/simulator-store';

export type { SimulatorOptions } from './simulator-options';

export interface RunningForecastSimulator {
  /** Origin to use as the Forecast base URL; paths are the real ones (/api/v1..v4/...). */
  url: string;
  close(): Promise<void>;
}

export async function startForecastSimulator(options: SimulatorOptions = {}): Promise<RunningForecastSimulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new SimulatorStore();
  const dataFile = options.dataFile ? new DataFile(options.dataFile, store) : undefined;
  dataFile?.load();
  store.onChange(() => dataFile?.scheduleWrite());

  const app = await NestFactory.create(AppModule.register(options, store), { logger: ['error'], forceCloseConnections: true });
  app.useGlobalFilters(new ForecastErrorFilter());
  await app.listen(options.port ?? 0, host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      await app.close();
      dataFile?.flush();
    },
  };
}
