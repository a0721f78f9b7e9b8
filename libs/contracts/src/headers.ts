/** Header names carried on every Kafka message (and stored with every outbox row). */
export const HEADERS = {
  eventId: 'event-id',
  tenantId: 'tenant-id',
  schemaVersion: 'schema-version',
  traceparent: 'traceparent',
} as const;

export interface EventHeaders {
  eventId: string;
  tenantId: string;
  schemaVersion: number;
  traceparent?: string;
}

export function toWireHeaders(headers: EventHeaders): Record<string, string> {
  const wire: Record<string, string> = {
    [HEADERS.eventId]: headers.eventId,
    [HEADERS.tenantId]: headers.tenantId,
    [HEADERS.schemaVersion]: String(headers.schemaVersion),
  };
  if (headers.traceparent) wire[HEADERS.traceparent] = headers.traceparent;
  return wire;
}

type RawHeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** Reads headers as kafkajs delivers them (Buffers); returns the problem instead of throwing. */
export function fromWireHeaders(raw: Record<string, RawHeaderValue> | undefined): EventHeaders | string {
  const read = (name: string): string | undefined => {
    const value = raw?.[name];
    const single = Array.isArray(value) ? value[0] : value;
    return single === undefined ? undefined : single.toString();
  };
  const eventId = read(HEADERS.eventId);
  const tenantId = read(HEADERS.tenantId);
  const schemaVersion = Number(read(HEADERS.schemaVersion));
  if (!eventId) return `missing header ${HEADERS.eventId}`;
  if (!tenantId) return `missing header ${HEADERS.tenantId}`;
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) return `missing or invalid header ${HEADERS.schemaVersion}`;
  return { eventId, tenantId, schemaVersion, traceparent: read(HEADERS.traceparent) };
}
