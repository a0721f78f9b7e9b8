import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { SimulatorModule } from './simulator.module';
import { SimulatorStore } from './store/simulator-store';

export interface TimeLogSimulatorOptions {
  port?: number;
  host?: string;
  /** JSON file the state is kept in, so a restarted simulator continues where it stopped. */
  dataFile?: string;
  /** WCF strictness: out-of-order, foreign-namespace or missing required members are SOAP faults. Default on. */
  strict?: boolean;
}

export interface RunningTimeLogSimulator {
  url: string;
  close(): Promise<void>;
}

export async function startTimeLogSimulator(options: TimeLogSimulatorOptions = {}): Promise<RunningTimeLogSimulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new SimulatorStore(options.dataFile);
  const app = await NestFactory.create<NestExpressApplication>(SimulatorModule.register(store, options.strict ?? true), {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  app.use(express.json({ limit: '20mb' }));
  app.use(express.text({ type: ['text/xml', 'application/soap+xml', 'application/xml'], limit: '200mb' }));
  await app.listen(options.port ?? 0, host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      store.flush();
      await app.close();
    },
  };
}
