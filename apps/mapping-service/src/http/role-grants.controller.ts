import { Body, Controller, Delete, HttpCode, Param, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { COMPANY_ROLES, RoleGrants } from '@timelog-sync/administration';
import { OperatorGuard } from '@timelog-sync/service-runtime';
import { ZodPipe } from './zod-body.pipe';
import { companyIdParam } from './request-fields';

const emailParam = new ZodPipe(z.string().max(254).regex(/^[^\s@/]+@[^\s@/]+$/, 'must be an e-mail address'));
const companyRole = z.object({ role: z.enum(COMPANY_ROLES) }).strict();

/** SREs decide who holds which role: per company (owner, editor, viewer) and who is an operator. */
@Controller('operator')
@UseGuards(OperatorGuard)
export class RoleGrantsController {
  constructor(private readonly grants: RoleGrants) {}

  @Put('companies/:companyId/grants/:email')
  @HttpCode(204)
  grant(@Param('companyId', companyIdParam) companyId: string, @Param('email', emailParam) email: string, @Body(new ZodPipe(companyRole)) body: z.infer<typeof companyRole>) {
    return this.grants.grant(email, body.role, companyId);
  }

  @Delete('companies/:companyId/grants/:email')
  @HttpCode(204)
  revoke(@Param('companyId', companyIdParam) companyId: string, @Param('email', emailParam) email: string) {
    return this.grants.revoke(email, companyId);
  }

  @Put('operators/:email')
  @HttpCode(204)
  grantOperator(@Param('email', emailParam) email: string) {
    return this.grants.grant(email, 'operator', null);
  }

  @Delete('operators/:email')
  @HttpCode(204)
  revokeOperator(@Param('email', emailParam) email: string) {
    return this.grants.revoke(email, null);
  }
}
