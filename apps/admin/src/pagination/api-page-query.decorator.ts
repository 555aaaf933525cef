import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './page.js';

/** Documents the `limit` and `cursor` query parameters of a paginated list. */
export function ApiPageQuery(): MethodDecorator {
  return applyDecorators(
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, default: DEFAULT_PAGE_LIMIT },
      description: `Capped at ${MAX_PAGE_LIMIT}`,
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      schema: { type: 'string' },
      description: '`nextCursor` of the previous page',
    }),
  );
}
