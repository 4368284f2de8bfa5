import { z } from 'zod';
import { WebhookError } from '../contract.ts';

/** The body as JSON, or a clear 400. */
export function jsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookError(400, 'The body is not JSON');
  }
}

/** A delivery's body already parsed from JSON (boxed, so it is never mistaken for the raw bytes). */
export interface MetaJson {
  json: unknown;
}

/** Validates against a schema; the first issue, with its path, is the 400's message. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new WebhookError(400, `Not a ${what}: ${issue.path.join('.') || 'body'}: ${issue.message}`);
}

/** Meta's timestamps: unix seconds as a string (WhatsApp, feed) or a number. */
export const unixSeconds = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative().max(1e12)]).transform((v) => new Date(Number(v) * 1000));
/** Messenger's event timestamps and watermarks: unix milliseconds. */
export const unixMillis = z.number().int().nonnegative().max(1e15);

/** The envelope of every Meta webhook: which product, and per account a list of changes and/or messaging events. */
export const envelope = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string(),
      time: z.number().optional(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })).optional(),
      messaging: z.array(z.unknown()).optional(),
    }),
  ),
});
export type Envelope = z.infer<typeof envelope>;

/**
 * Checks the envelope is for this product (`whatsapp_business_account`, `page`, `instagram`).
 * Takes the raw bytes or the already parsed JSON (the app-level webhook splits one delivery per channel).
 */
export function metaEnvelope(raw: Buffer | MetaJson, object: string): Envelope {
  const body = validate(envelope, Buffer.isBuffer(raw) ? jsonBody(raw) : raw.json, 'Meta webhook delivery');
  if (body.object !== object) throw new WebhookError(400, `This channel takes object "${object}" deliveries; got "${body.object}"`);
  return body;
}
