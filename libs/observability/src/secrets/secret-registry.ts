import { REDACTED } from './sensitive-keys';

/** Shorter values would scrub innocent text everywhere (TimeLog shows an unset API id as "0"). */
const MIN_SECRET_LENGTH = 4;
/** SOAP envelopes are sometimes logged whole; their password and token hash elements are secret even if never registered. */
const SECRET_XML_ELEMENT = /(<(?:[\w-]+:)?(?:\w*password|hash)\b[^>]*>)[^<]+/gi;

const secrets = new Set<string>();
let secretPattern: RegExp | undefined;

/** Remembers a value we decrypted or received (password, API key, token hash) so it is scrubbed from every log line and span. */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
  secrets.add(value);
  // A secret inside a serialized JSON log line appears in its escaped form.
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) secrets.add(escaped);
  secretPattern = undefined;
}

export function scrubSecrets(text: string): string {
  const scrubbed = text.replace(SECRET_XML_ELEMENT, `$1${REDACTED}`);
  const pattern = currentSecretPattern();
  return pattern ? scrubbed.replace(pattern, REDACTED) : scrubbed;
}

function currentSecretPattern(): RegExp | undefined {
  if (secrets.size === 0) return undefined;
  if (!secretPattern) {
    // Longest first, so a secret that contains another is removed whole.
    const alternatives = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    secretPattern = new RegExp(alternatives.join('|'), 'g');
  }
  return secretPattern;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
