import { randomBytes } from 'node:crypto';
import { CredentialCipher, parseCredentialKeys } from './credential-cipher';

const key = (version: number) => ({ version, key: randomBytes(32) });

describe('CredentialCipher', () => {
  it('opens what it sealed and the ciphertext does not contain the plaintext', () => {
    const cipher = new CredentialCipher([key(1)]);
    const sealed = cipher.seal('{"password":"Sommer2026!"}', 'acme');
    expect(Buffer.from(sealed.sealed, 'base64').toString('latin1')).not.toContain('Sommer2026');
    expect(cipher.open(sealed, 'acme')).toBe('{"password":"Sommer2026!"}');
  });

  it('refuses a blob moved to another company', () => {
    const cipher = new CredentialCipher([key(1)]);
    const sealed = cipher.seal('secret', 'acme');
    expect(() => cipher.open(sealed, 'globex')).toThrow();
  });

  it('seals with the newest key and still opens rows sealed with older versions', () => {
    const v1 = key(1);
    const old = new CredentialCipher([v1]).seal('secret', 'acme');
    const rotated = new CredentialCipher([v1, key(2)]);
    expect(rotated.currentVersion).toBe(2);
    expect(rotated.open(old, 'acme')).toBe('secret');
    expect(rotated.seal('secret', 'acme').keyVersion).toBe(2);
  });

  it('parses key specs and names a bad entry without echoing it', () => {
    const good = randomBytes(32).toString('base64');
    expect(parseCredentialKeys(`1:${good}, 2:${good}`).map((k) => k.version)).toEqual([1, 2]);
    expect(() => parseCredentialKeys(`1:${good},2:c2hvcnQ=`)).toThrow('entry 2 (version 2) must decode to 32 bytes');
  });
});
