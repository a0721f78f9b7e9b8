import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { z } from 'zod';
import { nowIso } from '../forecast/changes';
import { badRequest } from '../forecast/forecast-error';
import { parseBody } from '../forecast/wire-format';
import { TIME_REGISTRATION_RULES, TimeRegistrationRule } from '../state/company-switches';
import { SimulatorStore } from '../state/simulator-store';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { ControlCompanies } from './control-company';

const companySchema = z.object({ apiKey: z.string().min(8) }).strict();
const ruleKeys = Object.keys(TIME_REGISTRATION_RULES) as [TimeRegistrationRule, ...TimeRegistrationRule[]];
const settingsSchema = z
  .object({
    timeRegistrationRules: z.record(z.enum(ruleKeys), z.boolean()),
    estimateUnit: z.enum(['minutes', 'hours']),
    webhookEventPrefixes: z.record(z.enum(['TASK', 'TIME_REG', 'PROJECT', 'PHASE']), z.string().min(1)),
    maxPageSize: z.number().int().positive(),
  })
  .partial()
  .strict();
const count = z.number().int().min(0);
const faultsSchema = z
  .object({
    rateLimit: z.object({ remainingCalls: count, retryAfterSeconds: count }).partial().strict(),
    serverErrors: z.object({ remainingCalls: count, status: z.number().int().min(500).max(599) }).partial().strict(),
    failingObjects: z.object({ ids: z.array(z.number().int().positive()), status: z.number().int().min(500).max(599) }).partial().strict(),
    latencyMs: count,
    webhooks: z.object({ duplicate: z.boolean(), reorder: z.boolean(), dropNext: count, legacyTimestamp: z.boolean() }).partial().strict(),
    apiKeyChangesFireWebhooks: z.boolean(),
  })
  .partial()
  .strict();

/** Control API: companies, their switches and what happened to them. */
@Controller('_sim')
export class CompaniesController {
  constructor(
    private readonly store: SimulatorStore,
    private readonly companies: ControlCompanies,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  /** Creates the company, or replaces it with an empty one. */
  @Put('companies/:companyId')
  put(@Param('companyId') companyId: string, @Body() body: unknown) {
    const { apiKey } = parseBody(companySchema, body);
    const holder = this.store.byApiKey(apiKey);
    if (holder && holder.id !== companyId) throw badRequest(`API key already belongs to company ${holder.id}`);
    const company = this.store.newCompany(companyId, apiKey);
    const now = nowIso();
    company.persons.set(company.apiPersonId, {
      id: company.apiPersonId,
      first_name: 'API',
      last_name: 'Key',
      email: null,
      job_title: null,
      client_id: null,
      active: true,
      default_role: null,
      is_system_user: true,
      created_by: null,
      updated_by: null,
      created_at: now,
      updated_at: now,
    });
    this.store.put(company);
    this.webhooks.forget(companyId);
    return this.describe(companyId);
  }

  @Get('companies/:companyId')
  describe(@Param('companyId') companyId: string) {
    const company = this.companies.get(companyId);
    return { id: company.id, apiPersonId: company.apiPersonId, settings: company.settings, faults: company.faults };
  }

  @Delete('companies/:companyId')
  remove(@Param('companyId') companyId: string): void {
    this.companies.get(companyId);
    this.store.remove(companyId);
    this.webhooks.forget(companyId);
  }

  @Post('reset')
  @HttpCode(200)
  reset(): void {
    this.store.all().forEach((company) => this.webhooks.forget(company.id));
    this.store.clear();
  }

  @Put('companies/:companyId/settings')
  settings(@Param('companyId') companyId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    const changes = parseBody(settingsSchema, body);
    const current = company.settings;
    company.settings = {
      ...current,
      ...changes,
      timeRegistrationRules: { ...current.timeRegistrationRules, ...changes.timeRegistrationRules },
      webhookEventPrefixes: { ...current.webhookEventPrefixes, ...changes.webhookEventPrefixes },
    };
    return company.settings;
  }

  @Put('companies/:companyId/faults')
  faults(@Param('companyId') companyId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    const changes = parseBody(faultsSchema, body);
    const current = company.faults;
    company.faults = {
      ...current,
      ...changes,
      rateLimit: { ...current.rateLimit, ...changes.rateLimit },
      serverErrors: { ...current.serverErrors, ...changes.serverErrors },
      failingObjects: { ...current.failingObjects, ...changes.failingObjects },
      webhooks: { ...current.webhooks, ...changes.webhooks },
    };
    return company.faults;
  }

  @Get('companies/:companyId/calls')
  calls(@Param('companyId') companyId: string) {
    const company = this.companies.get(companyId);
    return { counts: Object.fromEntries(company.callCounts), inFlight: company.inFlight, maxInFlight: company.maxInFlight };
  }

  @Delete('companies/:companyId/calls')
  resetCalls(@Param('companyId') companyId: string): void {
    const company = this.companies.get(companyId);
    company.callCounts.clear();
    company.maxInFlight = company.inFlight;
  }

  @Get('companies/:companyId/webhook_deliveries')
  deliveries(@Param('companyId') companyId: string) {
    return this.webhooks.deliveriesOf(this.companies.get(companyId).id);
  }
}
