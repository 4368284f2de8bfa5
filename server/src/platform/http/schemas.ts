import { z } from 'zod';
import { roles } from '../db/schema.ts';
import { badRequest } from '../errors.ts';

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Standard error responses for the OpenAPI document. */
export const errorResponses = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody } as const;

export const role = z.enum(roles);
export const idParam = z.object({ id: z.uuid({ message: 'must be a UUID' }) });
export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
export const pageLimit = z.coerce.number().int().min(1).max(200).default(50);

/** Opaque cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
/**
 * One page of a keyset-paginated list: the store was asked for `limit + 1` rows, so a row beyond
 * the page says there is more, and the cursor is the key of the page's last row.
 */
export function keysetPage<Row, Item>(rows: Row[], limit: number, present: (row: Row) => Item, keyOf: (last: Row) => unknown): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page.map(present), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

export function decodeCursor<T>(cursor: string | undefined, shape: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this API gave out');
  }
}
