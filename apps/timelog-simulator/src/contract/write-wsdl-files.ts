import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderWsdl } from './wsdl-writer';
import { SERVICES } from './services';

/** Placeholder address in the shipped files; clients and the simulator's `?wsdl` always use the real site URL. */
export const WSDL_FILE_ADDRESS = 'https://app.timelog.com/account';

export const SIMULATOR_WSDL_DIR = join(__dirname, '..', '..', 'wsdl');

export function wsdlFileContents(): { file: string; text: string }[] {
  return SERVICES.map((service) => ({ file: service.wsdlFile, text: renderWsdl(service, `${WSDL_FILE_ADDRESS}/${service.path}`) }));
}

/** `node -r ./tools/register.js apps/timelog-simulator/src/contract/write-wsdl-files.ts [extra dir...]` */
if (require.main === module) {
  for (const dir of [SIMULATOR_WSDL_DIR, ...process.argv.slice(2)]) {
    mkdirSync(dir, { recursive: true });
    for (const { file, text } of wsdlFileContents()) writeFileSync(join(dir, file), text);
  }
}
