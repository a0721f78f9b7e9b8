import { Body, Controller, Get, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CompanyRegistry } from '@timelog-sync/administration';
import { companyId } from '@timelog-sync/contracts';
import { OperatorGuard } from '@timelog-sync/service-runtime';
import { ZodPipe } from './zod-body.pipe';

const newCompany = z.object({ id: companyId, name: z.string().trim().min(1).max(200) }).strict();

/** SREs: create companies (the admin key is returned once) and see all of them. */
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
}
