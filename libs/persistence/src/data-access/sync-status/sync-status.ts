import { Queryable, sqlOne, sqlRows } from '../sql';

/** Where a page ends: the last row's time (ISO, with microseconds) and id, as handed out in `cursor_at`/`cursor_id`. */
export type KeysetCursor = readonly [string, string];

/** The position of a row in a newest-first list, read with it. */
export interface KeysetPosition {
  cursor_at: string;
  cursor_id: string;
}

export interface NewestFirstRequest {
  /** Search text, matched case-insensitively within the list's searched columns. */
  q?: string;
  limit: number;
  /** Validated by the caller (a cursor this list handed out). */
  after?: KeysetCursor;
}

/** A page as read: up to `limit + 1` rows (the extra one only tells that there is a next page) and the total. */
export interface RowsPage<Row> {
  rows: (Row & KeysetPosition)[];
  total: number;
}

/** A LIKE pattern matching `q` anywhere (its own % and _ taken literally). */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * One page of a company's rows of `table`, newest first by `timeColumn` then id, keyed by position (rows arriving
 * while the admin pages neither repeat nor skip one), with the total matching the condition and the search.
 * `condition` may use `extra` as $2, $3, … ($1 is the company).
 */
async function newestFirst<Row>(
  db: Queryable, table: string, timeColumn: string, condition: string, searched: string[], companyId: string, request: NewestFirstRequest, extra: unknown[] = [],
): Promise<RowsPage<Row>> {
  const parameters: unknown[] = [companyId, ...extra];
  const search = request.q ? `(${searched.map((column) => `${column} ILIKE $${parameters.length + 1}`).join(' OR ')})` : 'true';
  if (request.q) parameters.push(containing(request.q));
  const where = `company_id = $1 AND ${condition} AND ${search}`;
  const { total } = (await sqlOne<{ total: number }>(db, `SELECT count(*)::int AS total FROM ${table} WHERE ${where}`, parameters))!;
  const keyset = request.after ? `(${timeColumn}, id) < ($${parameters.push(request.after[0])}::timestamptz, $${parameters.push(request.after[1])}::bigint)` : 'true';
  const position = `to_char(${timeColumn} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at, id::text AS cursor_id`;
  const rows = await sqlRows<Row & KeysetPosition>(
    db,
    `SELECT *, ${position} FROM ${table} WHERE ${where} AND ${keyset} ORDER BY ${timeColumn} DESC, id DESC LIMIT $${parameters.push(request.limit + 1)}`,
    parameters,
  );
  return { rows, total };
}

/** A change the writer could not apply yet, as the status page lists it. */
export interface ParkedItemListRow {
  id: string;
  company_id: string;
  topic: string;
  message_key: string;
  reason_code: string;
  reason: string;
  waiting_for: string | null;
  attempts: number;
  parked_at: Date;
}

/** A message no consumer could process, as the status page lists it. */
export interface DeadLetterListRow {
  id: string;
  company_id: string | null;
  topic: string;
  message_key: string | null;
  cause_code: string;
  cause: string;
  attempts: number;
  failed_at: Date;
  replayed_at: Date | null;
}

/** One audit row of the sync (or of an admin's request). */
export interface ActivityRow {
  id: string;
  company_id: string;
  occurred_at: Date;
  direction: 'forecast-to-timelog' | 'timelog-to-forecast';
  entity_kind: string;
  forecast_id: string | null;
  timelog_ref: string | null;
  action: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  trace_id: string | null;
}

/** Open parked items, newest first; `q` searches the item's key and the reason. */
export function listOpenParkedEvents(db: Queryable, companyId: string, request: NewestFirstRequest): Promise<RowsPage<ParkedItemListRow>> {
  return newestFirst(db, 'parked_event', 'parked_at', `resolved_at IS NULL`, ['message_key', 'reason'], companyId, request);
}

/** Dead letters, newest first; `q` searches the message key and the cause. */
export function listDeadLetters(db: Queryable, companyId: string, request: NewestFirstRequest): Promise<RowsPage<DeadLetterListRow>> {
  return newestFirst(db, 'dead_letter', 'failed_at', 'true', ['message_key', 'cause'], companyId, request);
}

/** Audit rows, newest first, by Forecast id or TimeLog reference; `q` searches the action and the reason. */
export function listSyncActions(db: Queryable, companyId: string, filter: { forecastId?: number; timelogRef?: string }, request: NewestFirstRequest): Promise<RowsPage<ActivityRow>> {
  const where = [];
  const parameters: unknown[] = [];
  if (filter.forecastId !== undefined) where.push(`forecast_id = $${parameters.push(filter.forecastId) + 1}`);
  if (filter.timelogRef !== undefined) where.push(`timelog_ref = $${parameters.push(filter.timelogRef) + 1}`);
  return newestFirst(db, 'sync_action', 'occurred_at', where.join(' AND ') || 'true', ['action', 'reason'], companyId, request, parameters);
}

/** The status page's header, read in one go. */
export interface SyncSummaryRows {
  poll: { last_success_at: Date | null; last_attempt_at: Date | null; last_error: string | null; next_poll_at: Date | null } | null;
  webhooks: { today: number; last: Date | null };
  syncedToday: number;
  openParked: number;
  openDeadLetters: number;
}

/** TimeLog polling, webhook intake, audit rows of `syncedActions` today (UTC day), open parked items and dead letters. */
export async function readSyncSummary(db: Queryable, companyId: string, syncedActions: readonly string[]): Promise<SyncSummaryRows> {
  const [poll, webhooks, synced, parked, deadLetters] = await Promise.all([
    sqlOne<SyncSummaryRows['poll']>(db, `SELECT last_success_at, last_attempt_at, last_error, next_poll_at FROM timelog_poll_state WHERE company_id = $1`, [companyId]),
    sqlOne<SyncSummaryRows['webhooks']>(
      db,
      `SELECT count(*) FILTER (WHERE received_at >= date_trunc('day', now()))::int AS today, max(received_at) AS last FROM inbound_webhook WHERE company_id = $1`,
      [companyId],
    ),
    sqlOne<{ today: number }>(db, `SELECT count(*)::int AS today FROM sync_action WHERE company_id = $1 AND occurred_at >= date_trunc('day', now()) AND action = ANY($2)`, [
      companyId,
      [...syncedActions],
    ]),
    sqlOne<{ open: number }>(db, `SELECT count(*)::int AS open FROM parked_event WHERE company_id = $1 AND resolved_at IS NULL`, [companyId]),
    sqlOne<{ open: number }>(db, `SELECT count(*)::int AS open FROM dead_letter WHERE company_id = $1 AND replayed_at IS NULL`, [companyId]),
  ]);
  return { poll, webhooks: webhooks!, syncedToday: synced!.today, openParked: parked!.open, openDeadLetters: deadLetters!.open };
}

/** A webhook refused at intake or given up after its attempts; the body cut short (it is the sender's input). */
export interface RejectedWebhookRow {
  id: string;
  object_type: string;
  body: string;
  reason: string | null;
  attempts: number;
  received_at: Date;
  handled_at: Date | null;
}

export async function listRejectedWebhooks(db: Queryable, companyId: string): Promise<RejectedWebhookRow[]> {
  return sqlRows(
    db,
    `SELECT id, object_type, left(body, 1000) AS body, reason, attempts, received_at, handled_at FROM inbound_webhook
         WHERE company_id = $1 AND status = 'rejected' ORDER BY id DESC LIMIT 500`,
    [companyId],
  );
}

/** Open parked items waiting for a link of a person (`user:<id>`), counted per person id. */
export async function countParkedByPerson(db: Queryable, companyId: string): Promise<{ waiting_for: string; n: number }[]> {
  return sqlRows(
    db,
    `SELECT waiting_for, count(*)::int AS n FROM parked_event WHERE company_id = $1 AND resolved_at IS NULL AND waiting_for LIKE 'user:%' GROUP BY waiting_for`,
    [companyId],
  );
}
