import { apiFailure, apiResponse } from '../soap/api-response';
import { callerOf, OperationHandler } from '../soap/operation-context';

export const securityOperations: Record<string, OperationHandler> = {
  GetToken: (context) => {
    const { site, args, now } = context;
    const issued = site.issueToken(String(args.user ?? ''), String(args.password ?? ''), now);
    if (!issued.ok) return apiFailure(context, 'SecurityToken', issued.violation);
    const { initials, expires, hash } = issued.value;
    return apiResponse(context, 'SecurityToken', [{ Initials: initials, Expires: expires, Hash: hash }]);
  },
  GetUser: (context) => {
    const caller = callerOf(context);
    const user = {
      ID: caller.employeeId,
      Initials: caller.initials,
      FirstName: caller.firstName,
      LastName: caller.lastName,
      LanguageID: 1,
      Roles: [caller.isAdministrator ? 'SystemAdministrator' : 'ProjectMember'],
    };
    return apiResponse(context, 'User', [user]);
  },
  IsAlive: () => true,
};
