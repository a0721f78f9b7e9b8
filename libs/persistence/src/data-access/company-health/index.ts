export * from './company-health';
export * from './admin-queries';
