import { z } from 'zod';
import { fieldPath, toInvalidFields } from './zod-issues.js';

describe(toInvalidFields.name, () => {
  const schema = z.strictObject({
    maxAge: z.number().int('must be a whole number of seconds'),
    origins: z.array(z.strictObject({ origin: z.string() })),
  });
  const fieldsOf = (value: unknown) => {
    const result = schema.safeParse(value, { reportInput: true });
    return result.success ? [] : toInvalidFields(result.error.issues, 'body');
  };

  it('names nested fields by JSON path', () => {
    expect(fieldsOf({ maxAge: 1, origins: [{ origin: 'a' }, { origin: 5 }] })).toEqual([
      { field: 'origins[1].origin', reason: 'must be a string' },
    ]);
  });

  it('says a missing field is required', () => {
    expect(fieldsOf({ origins: [] })).toEqual([{ field: 'maxAge', reason: 'is required' }]);
  });

  it('keeps a schema’s own message', () => {
    expect(fieldsOf({ maxAge: 1.5, origins: [] })).toEqual([
      { field: 'maxAge', reason: 'must be a whole number of seconds' },
    ]);
  });

  it('names each unknown field', () => {
    expect(fieldsOf({ maxAge: 1, origins: [], a: 1, b: 2 })).toEqual([
      { field: 'a', reason: 'is not a known field' },
      { field: 'b', reason: 'is not a known field' },
    ]);
  });

  it('reports an input of the wrong type on the root', () => {
    expect(fieldsOf('text')).toEqual([{ field: 'body', reason: 'must be a JSON object' }]);
  });
});

describe(fieldPath.name, () => {
  it('joins keys with dots and indexes with brackets', () => {
    expect(fieldPath(['a', 0, 'b', 1], 'body')).toBe('a[0].b[1]');
    expect(fieldPath([], 'query')).toBe('query');
  });
});
