export * from './fleet-gauges';
