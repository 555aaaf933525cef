/** Stable, machine-readable error codes; each maps to one HTTP status (error-catalogue.ts). */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_mismatch'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'database_unavailable'
  | 'upstream_unreachable'
  | 'upstream_timeout';

/** One input field that failed validation, with the reason in words a person understands. */
export interface InvalidField {
  /** JSON path of the field, e.g. `origins[2]` or `maxAge`. */
  readonly field: string;
  readonly reason: string;
}

/**
 * An error the service expects and explains to its client. Thrown by services and
 * repositories; turned into `application/problem+json` by {@link ProblemDetailsFilter}.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly invalidFields: readonly InvalidField[] = [],
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  static validation(invalidFields: readonly InvalidField[]): DomainError {
    const detail = invalidFields.map((f) => `${f.field}: ${f.reason}`).join('; ');
    return new DomainError('validation_failed', detail, invalidFields);
  }
}
