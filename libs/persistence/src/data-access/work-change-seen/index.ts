export * from './work-change-seen';
