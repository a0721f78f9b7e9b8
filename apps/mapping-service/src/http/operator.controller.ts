import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CompanyRegistry } from '@timelog-sync/administration';
import { companyId } from '@timelog-sync/contracts';
import { OperatorGuard } from '@timelog-sync/service-runtime';
import { ZodPipe } from './zod-body.pipe';
import { companyIdParam, plainText } from './request-fields';

const newCompany = z.object({ id: companyId, name: plainText(200) }).strict();

/** SREs: create companies (the admin key is returned once), see all of them, rotate or revoke a company's admin key. */
@Controller('operator/companies')
@UseGuards(OperatorGuard)
export class OperatorController {
  constructor(private readonly registry: CompanyRegistry) {}

  @Post()
  create(@Body(new ZodPipe(newCompany)) body: z.infer<typeof newCompany>) {
    return this.registry.create(body.id, body.name);
  }

  @Get()
  list() {
    return this.registry.list();
  }

  /** A new admin key (returned once); the old one is refused from this moment. */
  @Post(':companyId/admin-key')
  rotateAdminKey(@Param('companyId', companyIdParam) id: string) {
    return this.registry.rotateAdminKey(id);
  }

  @Delete(':companyId/admin-key')
  @HttpCode(204)
  revokeAdminKey(@Param('companyId', companyIdParam) id: string) {
    return this.registry.revokeAdminKey(id);
  }
}
