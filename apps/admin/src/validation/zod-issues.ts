import type { InvalidField } from '#problem-details';
import type { z } from 'zod';

/**
 * The JSON path of an issue as clients write it: `origins[2].pattern`, `maxAge`. An issue on
 * the input itself is reported on `root` (`body` or `query`), so `field` is never empty.
 */
export function fieldPath(path: readonly PropertyKey[], root: string): string {
  let field = '';
  for (const segment of path) {
    if (typeof segment === 'number') field += `[${segment}]`;
    else field += field === '' ? String(segment) : `.${String(segment)}`;
  }
  return field === '' ? root : field;
}

/** Zod issues as invalid fields, one per field and reason, in words a person understands. */
export function toInvalidFields(issues: readonly z.core.$ZodIssue[], root: string): InvalidField[] {
  const fields: InvalidField[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        fields.push({ field: fieldPath([...issue.path, key], root), reason: 'is not a known field' });
      }
      continue;
    }
    fields.push({ field: fieldPath(issue.path, root), reason: reasonOf(issue) });
  }
  return fields;
}

function reasonOf(issue: z.core.$ZodIssue): string {
  // `input` is reported because the pipe parses with `reportInput`; it is never echoed back.
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  // Zod's own messages ("Invalid input: expected …") are rephrased; a schema's own are kept.
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input'))
    return `must be ${article(issue.expected)}`;
  return issue.message;
}

function article(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
      return 'a JSON object';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}
