// Re-seals every company's credentials under the current key version (CREDENTIAL_KEYS must list old and new).
// Services keep running meanwhile: they hold every configured key and open rows of either version.
import 'reflect-metadata';
import { z } from 'zod';
import { commonEnv, loadConfigOrExit } from '@timelog-sync/config';
import { CredentialCipher, parseCredentialKeys } from '@timelog-sync/crypto';
import { CredentialVault } from '@timelog-sync/company-directory';
import { connectAndMigrate } from '@timelog-sync/persistence';

async function main() {
  const config = loadConfigOrExit(z.object({ DATABASE_URL: commonEnv.DATABASE_URL, CREDENTIAL_KEYS: z.string().min(1), CREDENTIAL_KEY_CURRENT: z.coerce.number().int().positive().optional() }));
  const vault = new CredentialVault(new CredentialCipher(parseCredentialKeys(config.CREDENTIAL_KEYS), config.CREDENTIAL_KEY_CURRENT));
  const dataSource = await connectAndMigrate({ url: config.DATABASE_URL, applicationName: 'rotate-credential-keys' });
  try {
    const { rotated, currentVersion } = await vault.rotate(dataSource);
    process.stdout.write(`${JSON.stringify({ msg: 'credential keys rotated', rotated, currentVersion })}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`rotation failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
