export * from './company-health';
