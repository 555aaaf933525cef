import { type PipeTransform } from '@nestjs/common';
import { DomainError } from '#problem-details';
import type { z } from 'zod';
import { fieldPath, toInvalidFields } from './zod-issues.js';

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
    // PostgreSQL text cannot hold U+0000: refused here with its field rather than failing as a 500.
    const withNul = nulCharacterPaths(value, []).map((path) => ({
      field: fieldPath(path, this.root),
      reason: 'must not contain the NUL character (U+0000)',
    }));
    if (withNul.length > 0) throw DomainError.validation(withNul);
    const result = this.schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    throw DomainError.validation(toInvalidFields(result.error.issues, this.root));
  }
}

/** Paths of the strings (values or keys) that contain U+0000, in a parsed JSON value. */
function nulCharacterPaths(value: unknown, path: PropertyKey[]): PropertyKey[][] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nulCharacterPaths(item, [...path, index]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key.includes('\u0000') ? [[...path, key]] : nulCharacterPaths(item, [...path, key]),
  );
}
