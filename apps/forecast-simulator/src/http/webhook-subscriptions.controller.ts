import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { notFound } from '../forecast/forecast-error';
import { sortedById } from '../forecast/pagination';
import { parseBody, pathId } from '../forecast/wire-format';
import type { Company } from '../state/company';
import type { WebhookSubscriptionRecord } from '../state/records';
import { ApiCompany, ForecastApiGuard } from './forecast-api.guard';

const subscriptionFields = {
  name: z.string().min(1),
  type: z.enum(['TASK', 'TIME_REG', 'PROJECT', 'PHASE']),
  event: z.enum(['CREATE', 'UPDATE', 'DELETE']),
  url: z.string().url(),
  active: z.boolean(),
};
const createSchema = z.object(subscriptionFields).partial({ active: true }).strict();
const updateSchema = z.object(subscriptionFields).partial().strict();

/** Webhook subscriptions v1 (reference §8.1): one (type, event) pair and one URL each. */
@Controller('api/v1/webhook_subscriptions')
@UseGuards(ForecastApiGuard)
export class WebhookSubscriptionsController {
  @Get()
  list(@ApiCompany() company: Company) {
    return sortedById(company.webhookSubscriptions.values());
  }

  @Get(':subscriptionId')
  get(@ApiCompany() company: Company, @Param('subscriptionId') subscriptionId: string) {
    return this.find(company, subscriptionId);
  }

  @Post()
  create(@ApiCompany() company: Company, @Body() body: unknown) {
    const subscription: WebhookSubscriptionRecord = { active: true, ...parseBody(createSchema, body), id: company.nextId() };
    company.webhookSubscriptions.set(subscription.id, subscription);
    return subscription;
  }

  @Put(':subscriptionId')
  update(@ApiCompany() company: Company, @Param('subscriptionId') subscriptionId: string, @Body() body: unknown) {
    const subscription = this.find(company, subscriptionId);
    return Object.assign(subscription, parseBody(updateSchema, body));
  }

  @Delete(':subscriptionId')
  remove(@ApiCompany() company: Company, @Param('subscriptionId') subscriptionId: string): void {
    company.webhookSubscriptions.delete(this.find(company, subscriptionId).id);
  }

  private find(company: Company, rawId: string): WebhookSubscriptionRecord {
    const subscription = company.webhookSubscriptions.get(pathId(rawId, 'Webhook subscription'));
    if (!subscription) throw notFound('Webhook subscription', rawId);
    return subscription;
  }
}
