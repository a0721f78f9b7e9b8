import { DemoUser, RelyingParty, startIdentityProvider } from './identity-provider';

/** `IDP_USERS` and `IDP_CLIENTS` are JSON arrays (see identity-provider.ts); `npm run up` and the tests set them. */
async function main(): Promise<void> {
  const provider = await startIdentityProvider({
    port: Number(process.env['PORT'] ?? 3008),
    host: process.env['HTTP_HOST'] ?? '127.0.0.1',
    users: JSON.parse(process.env['IDP_USERS'] ?? '[]') as DemoUser[],
    clients: JSON.parse(process.env['IDP_CLIENTS'] ?? '[]') as RelyingParty[],
  });
  console.log(`identity-provider listening on ${provider.url}`);
  const stop = () => void provider.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
