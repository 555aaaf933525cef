import { type PipeTransform } from '@nestjs/common';
import { DomainError } from '#problem-details';
import type { z } from 'zod';
import { toInvalidFields } from './zod-issues.js';

/**
 * Validates a request body or query with a zod schema (the repo's one validation library) and
 * returns the parsed, normalised value; a failure is a 400 naming every failing field.
 *
 * @example `@Body(new ZodValidationPipe(createTenantSchema)) body: CreateTenantInput`
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly root: 'body' | 'query' = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    throw DomainError.validation(toInvalidFields(result.error.issues, this.root));
  }
}
