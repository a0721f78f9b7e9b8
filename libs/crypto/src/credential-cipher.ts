import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One encryption key; `version` is stored beside each ciphertext so keys can rotate. */
export interface CredentialKey {
  version: number;
  /** 32 bytes. */
  key: Buffer;
}

export interface SealedCredentials {
  keyVersion: number;
  /** base64(iv | tag | ciphertext) */
  sealed: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for credentials at rest. The additional authenticated data binds a ciphertext to its row
 * (the company id), so a sealed blob copied onto another company's row fails to open.
 */
export class CredentialCipher {
  private readonly keys: Map<number, Buffer>;
  private readonly current: CredentialKey;

  constructor(keys: CredentialKey[], currentVersion?: number) {
    if (keys.length === 0) throw new Error('at least one credential key is required');
    for (const { version, key } of keys) {
      if (key.length !== 32) throw new Error(`credential key version ${version} must be 32 bytes`);
    }
    this.keys = new Map(keys.map(({ version, key }) => [version, key]));
    const version = currentVersion ?? Math.max(...keys.map((k) => k.version));
    const key = this.keys.get(version);
    if (!key) throw new Error(`credential key version ${version} is not configured`);
    this.current = { version, key };
  }

  get currentVersion(): number {
    return this.current.version;
  }

  seal(plaintext: string, boundTo: string): SealedCredentials {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyVersion: this.current.version, sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  open(sealed: SealedCredentials, boundTo: string): string {
    const key = this.keys.get(sealed.keyVersion);
    if (!key) throw new Error(`credential key version ${sealed.keyVersion} is not configured`);
    const raw = Buffer.from(sealed.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/**
 * Parses `CREDENTIAL_KEYS`: comma-separated `version:base64key` pairs, e.g. `1:abc...=,2:def...=`.
 * Errors name the entry, never the key material.
 */
export function parseCredentialKeys(spec: string): CredentialKey[] {
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const match = /^(\d+):([A-Za-z0-9+/=]+)$/.exec(entry);
      if (!match) throw new Error(`CREDENTIAL_KEYS entry ${index + 1} must be version:base64key`);
      const key = Buffer.from(match[2], 'base64');
      if (key.length !== 32) throw new Error(`CREDENTIAL_KEYS entry ${index + 1} (version ${match[1]}) must decode to 32 bytes`);
      return { version: Number(match[1]), key };
    });
}
