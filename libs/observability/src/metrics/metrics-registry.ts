import { Registry, collectDefaultMetrics } from 'prom-client';

/** The one registry of this process: catalog instruments and Node process metrics, served at GET /metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
