export * from './incident-notices';
