/** One field the API refused, with its reason (`invalidFields` of a problem document). */
export interface InvalidField {
  /** JSON path such as `origin`, `allowedHeaders[2]` or `origins[3].origin`. */
  readonly field: string;
  readonly reason: string;
}

/** A failed API call: an `application/problem+json` answer, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly invalidFields: readonly InvalidField[] = [],
    readonly code?: string,
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The reasons given for `field` itself or anything inside it (`field[2]`, `field.x`). */
  reasonsFor(field: string): readonly InvalidField[] {
    return this.invalidFields.filter(
      (invalid) => invalid.field === field || invalid.field.startsWith(`${field}[`) || invalid.field.startsWith(`${field}.`),
    );
  }

  /** The first reason for `field`, for showing next to that form control. */
  reasonFor(field: string): string | undefined {
    return this.reasonsFor(field)[0]?.reason;
  }
}

/** A message for any error thrown by an API call. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The index in `origins[3].origin` style paths, or undefined. */
export function indexIn(field: string, list: string): number | undefined {
  const match = new RegExp(`^${list}\\[(\\d+)\\]`).exec(field);
  return match ? Number(match[1]) : undefined;
}
