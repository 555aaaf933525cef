import fc from 'fast-check';
import { parseRequestOrigin } from '../../libs/dynamic-cors/src/core/origin.js';
import type { CorsRequest } from '../../libs/dynamic-cors/src/core/decide.js';
import type { CorsPolicy, OriginRule } from '../../libs/dynamic-cors/src/core/policy.js';

/**
 * fast-check arbitraries of CORS inputs, shared by the core's property tests and the
 * reliability fuzzer (reliability/fuzz.ts).
 */

// Labels chosen to collide with the rules' hosts: the interesting origins are the near misses.
export const label = fc.oneof(
  fc.constantFrom(
    'example',
    'com',
    'evilexample',
    'example-com',
    'a',
    'www',
    'trusted',
    'xn--bcher-kva',
    'EXAMPLE',
  ),
  fc.stringMatching(/^[a-z0-9]{1,6}$/),
);
export const host = fc
  .array(label, { minLength: 1, maxLength: 5 })
  .map((labels) => labels.join('.'));
export const scheme = fc.constantFrom('http', 'https', 'HTTPS');
export const port = fc.option(fc.constantFrom('80', '443', '8443', '3000'), { nil: undefined });
export const wellFormedOrigin = fc
  .tuple(scheme, host, port, fc.constantFrom('', '', '', '.', '/', '#@example.com', '%2e', ','))
  .map(([s, h, p, tail]) => `${s}://${h}${p === undefined ? '' : `:${p}`}${tail}`);
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary-ascii', maxLength: 5000 }),
);
export const requestOrigin = fc.oneof(wellFormedOrigin, hostileString, fc.constant('null'));

export const rule = fc.oneof(
  fc.tuple(scheme, host, port).map(([s, h, p]): OriginRule => {
    const origin = parseRequestOrigin(`${s}://${h}${p === undefined ? '' : `:${p}`}`);
    return { kind: 'exact', value: origin ?? 'null' };
  }),
  fc.constantFrom<OriginRule>(
    { kind: 'wildcard', value: 'https://*.example.com' },
    { kind: 'wildcard', value: 'http://*.a.com:3000' },
    { kind: 'regex', value: '^https://[a-z]+\\.trusted\\.com$' },
    { kind: 'exact', value: 'null' },
    { kind: 'any', value: '*' },
  ),
);
export const tokenList = fc.array(
  fc.constantFrom('*', 'GET', 'put', 'PATCH', 'X-Foo', 'Authorization', 'Content-Type', 'x-a'),
  { maxLength: 5 },
);
export const policy = fc.record({
  origins: fc.array(rule, { maxLength: 5 }),
  allowedMethods: tokenList,
  allowedHeaders: tokenList,
  exposedHeaders: tokenList,
  allowCredentials: fc.boolean(),
  maxAge: fc.integer({ min: 0, max: 86_400 }),
  allowPrivateNetwork: fc.boolean(),
  mode: fc.constantFrom('enforce' as const, 'report-only' as const),
}) satisfies fc.Arbitrary<CorsPolicy>;
export const request = fc.record(
  {
    method: fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS', 'PUT', 'options'), hostileString),
    origin: fc.option(requestOrigin, { nil: undefined }),
    selfOrigin: fc.option(fc.oneof(wellFormedOrigin, hostileString), { nil: undefined }),
    accessControlRequestMethod: fc.option(
      fc.oneof(fc.constantFrom('GET', 'put', 'PATCH', 'DELETE', '*', 'TRACE'), hostileString),
      { nil: undefined },
    ),
    accessControlRequestHeaders: fc.option(
      fc.oneof(
        fc.constantFrom(
          'x-foo',
          'content-type,x-a',
          'authorization',
          '*',
          ' X-Foo , ,Content-Type',
        ),
        hostileString,
      ),
      { nil: undefined },
    ),
    accessControlRequestPrivateNetwork: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['method', 'origin'] },
) satisfies fc.Arbitrary<CorsRequest>;
