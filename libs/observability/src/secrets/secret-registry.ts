import { LRUCache } from 'lru-cache';
import { REDACTED } from './sensitive-keys';

/** Shorter values would scrub innocent text everywhere (TimeLog shows an unset API id as "0"). */
const MIN_SECRET_LENGTH = 4;
/** SOAP envelopes are sometimes logged whole; their password and token hash elements are secret even if never registered. */
const SECRET_XML_ELEMENT = /(<(?:[\w-]+:)?(?:\w*password|hash)\b[^>]*>)[^<]+/gi;

/**
 * Webhook URLs carry their company's token as the path segment after /webhooks/<vendor>/. It is removed by
 * position, for known and unknown tokens alike, so request input never has to be registered to be scrubbed.
 */
const WEBHOOK_URL_TOKEN = /(\/webhooks\/[\w-]+\/)[^/?#\s"\\]+/g;
/**
 * Only secrets this service holds are registered (decrypted credentials, its own tokens), never request
 * input; the bound keeps the set and its pattern small even so (the least recently registered go first).
 */
const MAX_SECRETS = 10_000;

const secrets = new LRUCache<string, true>({ max: MAX_SECRETS, dispose: () => (secretPattern = undefined) });
let secretPattern: RegExp | undefined;

/** Remembers a value we decrypted or hold (password, API key, operator token) so it is scrubbed from every log line and span. */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return;
  if (secrets.has(value)) {
    secrets.get(value);
    return;
  }
  secrets.set(value, true);
  // A secret inside a serialized JSON log line appears in its escaped form.
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) secrets.set(escaped, true);
  secretPattern = undefined;
}

/** A URL or path with the webhook token replaced; for access logs, before the line is written. */
export const redactWebhookToken = (path: string): string => path.replace(WEBHOOK_URL_TOKEN, `$1${REDACTED}`);

export function scrubSecrets(text: string): string {
  const scrubbed = redactWebhookToken(text.replace(SECRET_XML_ELEMENT, `$1${REDACTED}`));
  const pattern = currentSecretPattern();
  return pattern ? scrubbed.replace(pattern, REDACTED) : scrubbed;
}

function currentSecretPattern(): RegExp | undefined {
  if (secrets.size === 0) return undefined;
  if (!secretPattern) {
    // Longest first, so a secret that contains another is removed whole.
    const alternatives = [...secrets.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    secretPattern = new RegExp(alternatives.join('|'), 'g');
  }
  return secretPattern;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
