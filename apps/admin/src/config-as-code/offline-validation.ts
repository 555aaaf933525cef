import { DomainError, type InvalidField } from '#problem-details';
import type { ImportFormat, Loss } from './document/config-model.js';
import { parseSource, syntaxOfFile } from './document/parse-source.js';

export { EXPORT_FORMATS, IMPORT_FORMATS, type ImportFormat } from './document/config-model.js';
export { syntaxOfFile } from './document/parse-source.js';
import { resolveTenants } from './document/resolve-tenants.js';
import { FORMAT_READERS } from './formats/formats.js';

/** What the offline validation of a configuration file found. */
export interface OfflineValidation {
  /** Tenants the file describes validly. */
  readonly tenants: number;
  readonly losses: readonly Loss[];
  /** Empty when the file is valid. */
  readonly invalid: readonly InvalidField[];
}

/**
 * Validates a configuration file without the admin API (the CLI's `validate`): the same parsers,
 * format readers, schemas and rules as `POST /import`, against no stored tenant. What only the
 * server can judge is left to it: the operator's `UPSTREAM_ALLOWED_HOSTS`, hostnames held by
 * tenants the file does not name, and (Kong) routes that map to a tenant by a stored hostname.
 * This is the one module of the admin app the CLI may import, and it imports no Nest and no database.
 */
export function validateConfiguration(text: string, fileName: string, format: ImportFormat, tenant?: string): OfflineValidation {
  try {
    const mapped = FORMAT_READERS[format](parseSource(text, syntaxOfFile(fileName, text)), tenant === undefined ? {} : { tenant });
    const resolved = resolveTenants(mapped, new Map());
    return { tenants: resolved.desired.length, losses: mapped.losses, invalid: resolved.invalid };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'validation_failed') return { tenants: 0, losses: [], invalid: error.invalidFields };
    throw error;
  }
}
