export * from './tokens';
export * from './infrastructure';
export * from './dependency-health';
export * from './health.controller';
export * from './service-runtime.module';
export * from './run-service';
export * from './operator-guard';
export * from './http-limits';
