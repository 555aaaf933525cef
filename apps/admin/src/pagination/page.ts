import { DomainError } from '#problem-details';
import { z } from 'zod';

/** Items per page when the client does not say. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Most items per page; a larger `limit` is capped, not refused. */
export const MAX_PAGE_LIMIT = 200;

/** `?limit=&cursor=` of every paginated list (keyset pagination: stable under writes). */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(DEFAULT_PAGE_LIMIT)
    .transform((limit) => Math.min(limit, MAX_PAGE_LIMIT)),
  cursor: z.string().min(1).max(500).optional(),
});

/** A validated page request. */
export type PageQuery = z.output<typeof pageQuerySchema>;

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** An opaque cursor: the sort key of the last item returned, base64url-encoded JSON. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; anything else is a 400 on `cursor`. */
export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // The cause is only ever "not JSON": the client sent something we never issued.
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw DomainError.validation([{ field: 'cursor', reason: 'is not a cursor returned by this list' }]);
  }
  return parsed.data;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that there is more.
 */
export function toPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => unknown,
): Page<Item> {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return {
    items: kept.map(toItem),
    nextCursor: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
