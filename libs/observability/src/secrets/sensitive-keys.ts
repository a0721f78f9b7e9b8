import { stdSerializers } from 'pino';

export const REDACTED = '[REDACTED]';
const MAX_DEPTH = 12;

// Compared after lower-casing and dropping '-' and '_', so x-forecast-api-key, api_key and apiKey all match.
const SENSITIVE_SUFFIXES = ['password', 'passwd', 'secret', 'token', 'apikey', 'authorization', 'cookie'];
const SENSITIVE_KEYS = new Set(['hash', 'tokenhash', 'credentials', 'setcookie', 'privatekey', 'encryptionkey']);

export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE_KEYS.has(normalized) || SENSITIVE_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}

/** A JSON-shaped copy of `value` with the values of sensitive keys replaced, at any depth. */
export function redactSensitiveKeys<T>(value: T): T {
  return redact(value, 0, new WeakSet()) as T;
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  // Errors would otherwise serialize as {}; the pino serializer keeps message, stack, cause and own fields.
  let shaped: unknown = value instanceof Error ? stdSerializers.err(value) : value;
  if (typeof (shaped as { toJSON?: unknown }).toJSON === 'function') shaped = (shaped as { toJSON(): unknown }).toJSON();
  if (shaped === null || typeof shaped !== 'object') return shaped;
  if (Array.isArray(shaped)) return shaped.map((item) => redact(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(shaped)) {
    copy[key] = isSensitiveKey(key) && item !== undefined && item !== null ? REDACTED : redact(item, depth + 1, seen);
  }
  return copy;
}
