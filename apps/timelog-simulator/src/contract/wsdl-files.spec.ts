import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIMULATOR_WSDL_DIR, wsdlFileContents } from './write-wsdl-files';

/** The checked-in WSDL files are generated from the contract model; regenerate with write-wsdl-files.ts. */
describe('WSDL files', () => {
  it.each(wsdlFileContents().map(({ file, text }) => [file, text]))('%s is up to date with the contract model', (file, text) => {
    expect(readFileSync(join(SIMULATOR_WSDL_DIR, file), 'utf8')).toBe(text);
  });
});
