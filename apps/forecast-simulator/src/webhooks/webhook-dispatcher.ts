import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { SIMULATOR_OPTIONS, SimulatorOptions } from '../simulator-options';
import type { Company } from '../state/company';
import type { WebhookEventType, WebhookObjectType, WebhookSubscriptionRecord } from '../state/records';

export interface WebhookChange {
  type: WebhookObjectType;
  event: WebhookEventType;
  objectId: number;
  /** API field names; sent only on UPDATE. */
  fieldsChanged?: string[];
}

/** Who made a change: a person in the app, or the API key (which acts as the company's API person). */
export interface Actor {
  personId: number;
  viaApiKey: boolean;
}

export interface DeliveryLogEntry {
  subscriptionId: number;
  url: string;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'dropped';
  status: number | null;
  at: string;
  payload: object;
}

interface Delivery {
  company: Company;
  subscription: WebhookSubscriptionRecord;
  payload: object;
}

/** Vendor schedule (reference §8.3): up to five retries after a non-2xx answer. */
const RETRY_DELAYS_MINUTES = [1, 2, 3, 5, 10];
const RECEIVER_TIMEOUT_MS = 10_000;
const REORDER_WINDOW_MS = 100;
const LOG_LIMIT = 1000;
const EVENT_SUFFIX: Record<WebhookEventType, string> = { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted' };

/** Posts thin notifications asynchronously; callers never wait for a receiver. */
@Injectable()
export class WebhookDispatcher implements OnModuleDestroy {
  private readonly timeScale: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly shutdown = new AbortController();
  // undici's request API rather than fetch: at hundreds of deliveries a second fetch's streams and headers machinery
  // took a third of the simulator's CPU, from the services it shares the machine with in tests and benchmarks.
  private readonly agent = new Agent({ headersTimeout: RECEIVER_TIMEOUT_MS, bodyTimeout: RECEIVER_TIMEOUT_MS });
  private readonly reorderBuffers = new Map<Company, Delivery[]>();
  private readonly logs = new Map<string, DeliveryLogEntry[]>();

  constructor(@Inject(SIMULATOR_OPTIONS) options: SimulatorOptions) {
    this.timeScale = options.webhookTimeScale ?? 1;
  }

  notify(company: Company, actor: Actor, change: WebhookChange): void {
    if (actor.viaApiKey && !company.faults.apiKeyChangesFireWebhooks) return;
    const faults = company.faults.webhooks;
    const occurredAt = new Date();
    const payload = {
      timestamp: faults.legacyTimestamp ? String(occurredAt.getTime()) : `${occurredAt.toISOString().slice(0, 19)}Z`,
      event: `${company.settings.webhookEventPrefixes[change.type]}_${EVENT_SUFFIX[change.event]}`,
      object: { id: change.objectId },
      person: { id: actor.personId },
      ...(change.event === 'UPDATE' ? { fields_changed: change.fieldsChanged ?? [] } : {}),
    };
    for (const subscription of company.webhookSubscriptions.values()) {
      if (!subscription.active || subscription.type !== change.type || subscription.event !== change.event) continue;
      const delivery = { company, subscription, payload };
      if (faults.dropNext > 0) {
        faults.dropNext -= 1;
        this.record(delivery, 1, 'dropped', null);
        continue;
      }
      const copies = faults.duplicate ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        if (faults.reorder) this.holdForReorder(delivery);
        else this.later(0, () => this.attempt(delivery, 1));
      }
    }
  }

  deliveriesOf(companyId: string): DeliveryLogEntry[] {
    return this.logs.get(companyId) ?? [];
  }

  forget(companyId: string): void {
    this.logs.delete(companyId);
  }

  onModuleDestroy(): void {
    this.shutdown.abort();
    void this.agent.destroy();
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }

  private holdForReorder(delivery: Delivery): void {
    const buffer = this.reorderBuffers.get(delivery.company);
    if (buffer) {
      buffer.push(delivery);
      return;
    }
    this.reorderBuffers.set(delivery.company, [delivery]);
    this.later(REORDER_WINDOW_MS, () => {
      const held = this.reorderBuffers.get(delivery.company) ?? [];
      this.reorderBuffers.delete(delivery.company);
      held.reverse().forEach((next) => void this.attempt(next, 1));
    });
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<void> {
    let status: number | null = null;
    try {
      const response = await request(delivery.subscription.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(delivery.payload),
        dispatcher: this.agent,
        signal: this.shutdown.signal,
      });
      status = response.statusCode;
      await response.body.dump();
    } catch {
      if (this.shutdown.signal.aborted) return;
    }
    const delivered = status !== null && status >= 200 && status < 300;
    this.record(delivery, attempt, delivered ? 'delivered' : 'failed', status);
    const delayMinutes = RETRY_DELAYS_MINUTES[attempt - 1];
    if (!delivered && delayMinutes !== undefined) {
      this.later(delayMinutes * 60_000 * this.timeScale, () => this.attempt(delivery, attempt + 1));
    }
  }

  private later(delayMs: number, task: () => unknown): void {
    if (this.shutdown.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
    }, delayMs);
    this.timers.add(timer);
  }

  private record(delivery: Delivery, attempt: number, outcome: DeliveryLogEntry['outcome'], status: number | null): void {
    const log = this.logs.get(delivery.company.id) ?? [];
    log.push({
      subscriptionId: delivery.subscription.id,
      url: delivery.subscription.url,
      attempt,
      outcome,
      status,
      at: new Date().toISOString(),
      payload: delivery.payload,
    });
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    this.logs.set(delivery.company.id, log);
  }
}
