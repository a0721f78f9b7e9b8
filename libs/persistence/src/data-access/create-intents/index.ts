export * from './create-intents';
