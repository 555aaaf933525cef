import { DomainError } from '#problem-details';

/** What a policy write requires of the stored version: one of `versions`, or any (`If-Match: *`). */
export type VersionPrecondition = { readonly versions: readonly number[] } | 'any';

/**
 * The precondition of a policy write, from `If-Match` (RFC 9110 §13.1.1) and/or the body's
 * `version`. One of them is required: a write without it could silently undo someone else's
 * change. Missing both is a 400 naming `version` rather than 428 Precondition Required
 * because the error catalogue has no code for 428.
 */
export function versionPrecondition(ifMatch: string | undefined, bodyVersion: number | undefined): VersionPrecondition {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    if (bodyVersion === undefined) {
      throw DomainError.validation([
        {
          field: 'version',
          reason: 'is required: send the version you read, as If-Match: "<version>" or as "version" in the body',
        },
      ]);
    }
    return { versions: [bodyVersion] };
  }
  const tags = ifMatch.split(',').map((tag) => tag.trim());
  if (tags.includes('*')) return bodyVersion === undefined ? 'any' : { versions: [bodyVersion] };
  const versions: number[] = [];
  for (const tag of tags) {
    // Weak tags never match: If-Match uses the strong comparison (RFC 9110 §8.8.3.2).
    if (tag.startsWith('W/')) continue;
    const match = /^"(\d{1,9})"$/.exec(tag);
    if (match === null)
      throw DomainError.validation([
        { field: 'If-Match', reason: 'must be an entity tag such as "3", as sent in ETag' },
      ]);
    versions.push(Number(match[1]));
  }
  if (bodyVersion !== undefined && !versions.includes(bodyVersion)) {
    throw DomainError.validation([{ field: 'version', reason: `is ${bodyVersion} but If-Match says ${ifMatch}` }]);
  }
  return { versions };
}

/** Whether the stored `version` satisfies the precondition. */
export function satisfies(precondition: VersionPrecondition, version: number): boolean {
  return precondition === 'any' || precondition.versions.includes(version);
}

/** The ETag of a policy version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
