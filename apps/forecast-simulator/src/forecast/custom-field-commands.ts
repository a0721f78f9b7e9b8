import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { Company } from '../state/company';
import type { CustomFieldEntity } from '../state/records';
import { Actor, WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { nowIso } from './changes';
import { badRequest } from './forecast-error';
import { parseBody } from './wire-format';

const valuesSchema = z.record(z.union([z.string(), z.number(), z.boolean(), z.null()]));

type WithCustomFields = { id: number; custom_fields: Record<string, string>; updated_at: string; updated_by: number };

/** `PUT .../custom_fields`: keys must exist (admins define them in the app); null clears a value. */
@Injectable()
export class CustomFieldCommands {
  constructor(private readonly webhooks: WebhookDispatcher) {}

  set<T extends WithCustomFields>(company: Company, entity: CustomFieldEntity, record: T, body: unknown, actor: Actor): T {
    const values = parseBody(valuesSchema, body);
    const unknownKey = Object.keys(values).find((key) => !company.customFieldKeys[entity].has(key));
    if (unknownKey !== undefined) throw badRequest(`Custom field ${unknownKey} does not exist for ${entity}`);
    for (const [key, value] of Object.entries(values)) {
      if (value === null) delete record.custom_fields[key];
      else record.custom_fields[key] = String(value);
    }
    Object.assign(record, { updated_at: nowIso(), updated_by: actor.personId });
    this.webhooks.notify(company, actor, { type: entity, event: 'UPDATE', objectId: record.id, fieldsChanged: ['custom_fields'] });
    return record;
  }
}
