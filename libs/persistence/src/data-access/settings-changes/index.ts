export * from './settings-changes';
