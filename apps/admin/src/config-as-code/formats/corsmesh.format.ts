import { toInvalidFields } from '../../validation/zod-issues.js';
import { DomainError } from '#problem-details';
import { configDocumentSchema } from '../document/config-document.schema.js';
import { nativeEntry } from '../document/native-entry.js';
import type { FormatReader, FormatWriter } from './config-format.js';

/** The native document: every tenant complete, nothing lost either way. */
export const readCorsmesh: FormatReader = (value) => {
  const parsed = configDocumentSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw DomainError.validation(toInvalidFields(parsed.error.issues, 'document'));
  return {
    tenants: parsed.data.tenants.map((tenant, index) => ({ where: `tenants[${index}]`, value: tenant, complete: true })),
    losses: [],
  };
};

export const writeCorsmesh: FormatWriter = (tenants) => ({
  document: { version: 1, tenants: tenants.map(nativeEntry) },
  losses: [],
});
