import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TIMELOG_SERVICES, WSDL_DIR } from './soap-services';

const SIMULATOR_WSDL_DIR = join(__dirname, '..', '..', '..', 'apps', 'timelog-simulator', 'wsdl');

/** The client ships its own copy of the contract; it must not drift from what the simulator serves. */
describe('shipped WSDL files', () => {
  it.each(Object.values(TIMELOG_SERVICES).map((service) => service.wsdl))('%s equals the simulator copy', (file) => {
    expect(readFileSync(join(WSDL_DIR, file), 'utf8')).toBe(readFileSync(join(SIMULATOR_WSDL_DIR, file), 'utf8'));
  });
});
