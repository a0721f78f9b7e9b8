export interface SimulatorOptions {
  port?: number;
  host?: string;
  dataFile?: string;
  /** Multiplies webhook retry delays (1 = the real 1, 2, 3, 5, 10 minutes). */
  webhookTimeScale?: number;
}

export const SIMULATOR_OPTIONS = Symbol('SIMULATOR_OPTIONS');
