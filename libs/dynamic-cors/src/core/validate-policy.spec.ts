import { DEFAULT_POLICY } from './policy.js';
import { validatePolicy } from './validate-policy.js';

describe(validatePolicy.name, () => {
  describe('valid policies', () => {
    it('accepts the default policy', () => {
      expect(validatePolicy(DEFAULT_POLICY)).toEqual([]);
    });

    it('accepts * everywhere without credentials', () => {
      expect(
        validatePolicy({
          origins: [{ kind: 'any', value: '*' }],
          allowedMethods: ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['*'],
          allowCredentials: false,
        }),
      ).toEqual([]);
    });

    it('accepts credentials with explicit lists and * for methods and headers', () => {
      expect(
        validatePolicy({
          origins: [{ kind: 'exact', value: 'https://app.example.com' }],
          allowedMethods: ['GET', 'PATCH', 'M-SEARCH', '*'],
          allowedHeaders: ['*', 'Authorization'],
          exposedHeaders: ['X-Request-Id'],
          allowCredentials: true,
          maxAge: 0,
          mode: 'report-only',
        }),
      ).toEqual([]);
    });

    it('accepts an empty input', () => {
      expect(validatePolicy({})).toEqual([]);
    });
  });

  describe('refused policies', () => {
    it('refuses origin * with credentials', () => {
      expect(
        validatePolicy({ origins: [{ kind: 'any', value: '*' }], allowCredentials: true }),
      ).toEqual([
        { field: 'origins', reason: 'origin * cannot be combined with allowCredentials' },
      ]);
    });

    it('refuses exposedHeaders * with credentials', () => {
      expect(validatePolicy({ exposedHeaders: ['*'], allowCredentials: true })).toEqual([
        {
          field: 'exposedHeaders',
          reason: 'exposedHeaders * cannot be combined with allowCredentials',
        },
      ]);
    });

    it.each([
      [{ allowedMethods: ['GE T'] }, 'allowedMethods', 'method "GE T" is not a valid HTTP token'],
      [{ allowedMethods: [''] }, 'allowedMethods', 'method "" is not a valid HTTP token'],
      [
        { allowedMethods: ['GET,POST'] },
        'allowedMethods',
        'method "GET,POST" is not a valid HTTP token',
      ],
      [
        { allowedMethods: ['trace'] },
        'allowedMethods',
        'method trace is forbidden by the Fetch standard',
      ],
      [
        { allowedMethods: ['CONNECT'] },
        'allowedMethods',
        'method CONNECT is forbidden by the Fetch standard',
      ],
      [{ allowedHeaders: ['X Foo'] }, 'allowedHeaders', 'header "X Foo" is not a valid HTTP token'],
      [
        { allowedHeaders: ['X-Foo:'] },
        'allowedHeaders',
        'header "X-Foo:" is not a valid HTTP token',
      ],
      [
        { allowedHeaders: ['X-Ünicode'] },
        'allowedHeaders',
        'header "X-Ünicode" is not a valid HTTP token',
      ],
      [
        { exposedHeaders: ['X-Foo\r\nX-Bar'] },
        'exposedHeaders',
        'header "X-Foo\\r\\nX-Bar" is not a valid HTTP token',
      ],
      [
        { allowedHeaders: Array.from({ length: 101 }, (_, i) => `x-${i}`) },
        'allowedHeaders',
        'allowedHeaders must have at most 100 entries',
      ],
      [{ maxAge: -1 }, 'maxAge', 'maxAge must be an integer between 0 and 86400'],
      [{ maxAge: 86_401 }, 'maxAge', 'maxAge must be an integer between 0 and 86400'],
      [{ maxAge: 1.5 }, 'maxAge', 'maxAge must be an integer between 0 and 86400'],
      [{ maxAge: Number.NaN }, 'maxAge', 'maxAge must be an integer between 0 and 86400'],
      [{ mode: 'audit' as 'enforce' }, 'mode', 'mode must be "enforce" or "report-only"'],
      [
        { allowCredentials: 'yes' as unknown as boolean },
        'allowCredentials',
        'allowCredentials must be true or false',
      ],
    ])('refuses %j', (input, field, reason) => {
      expect(validatePolicy(input)).toContainEqual({ field, reason });
    });

    it('reports every problem at once', () => {
      const issues = validatePolicy({
        origins: [{ kind: 'any', value: '*' }],
        exposedHeaders: ['*'],
        allowCredentials: true,
        maxAge: 100_000,
      });
      expect(issues.map((issue) => issue.field)).toEqual(['origins', 'exposedHeaders', 'maxAge']);
    });
  });
});
