import { createTimeLogClient } from '@timelog-sync/timelog-client';
import { createForecastClient } from '@timelog-sync/forecast-client';
import { AdminGatewayFactory } from './gateways';

/** The administration ports served by the production clients (the same code talks to the simulators). */
export const clientGateways: AdminGatewayFactory = {
  timelog: (site) => {
    const client = createTimeLogClient(site, { timeoutMs: 15_000 });
    return {
      verifyLogin: () => client.authenticate(),
      validateReporting: () => client.validateReportingCredentials(),
      listUsers: () => client.getEmployeesRaw(),
      listProjects: () => client.getProjectsRaw(),
    };
  },
  forecast: (connection) => createForecastClient(connection),
};
