import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';

/**
 * Encrypts small secrets (channel credentials, signing keys) for storage: AES-256-GCM with a key
 * derived from the instance secret. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(instanceSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', instanceSecret, 'hoorn', 'channel secrets v1', 32));
  }

  seal(value: Record<string, unknown>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  open<T extends Record<string, unknown>>(sealed: string): T {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}

/**
 * The instance secret: HOORN_SECRET, or for a single embedded node one generated once into the
 * data folder. Several nodes must share HOORN_SECRET.
 */
export function resolveInstanceSecret(config: Config, log: Logger): string {
  if (config.secret) return config.secret;
  const file = path.join(config.dataDir, 'secret.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  log.warn({ file }, 'HOORN_SECRET is not set: generated one in the data folder (set HOORN_SECRET when running several nodes)');
  return secret;
}
