import fc from 'fast-check';
import { normaliseOriginInput } from './origin-input.js';
import { parseRequestOrigin } from './origin.js';

const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/);
const unicodeLabel = fc.constantFrom('bücher', 'münchen', 'ＡＢＣ', 'xn--bcher-kva', '例え', 'ß');
const host = fc
  .array(fc.oneof(label, unicodeLabel), { minLength: 1, maxLength: 4 })
  .map((labels) => labels.join('.'));
const port = fc.option(
  fc.oneof(fc.constantFrom(80, 443, 8443), fc.integer({ min: 0, max: 70_000 })),
  { nil: undefined },
);
const junk = fc.constantFrom(
  '',
  '/',
  '//',
  '/path',
  '?q',
  '#f',
  '.',
  ' ',
  '\t',
  '@',
  '%2e',
  ':',
  '\\',
  '*',
);

/** Strings shaped like what administrators type: mostly origins, some broken. */
const originLike = fc
  .tuple(
    fc.constantFrom('http', 'https', 'HTTPS', 'ftp', 'hTtP'),
    host,
    port,
    junk,
    fc.constantFrom('', ' ', '  '),
  )
  .map(
    ([scheme, h, p, tail, pad]) =>
      `${pad}${scheme}://${h}${p === undefined ? '' : `:${p}`}${tail}${pad}`,
  );

const anyString = fc.oneof(
  originLike,
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constant('null'),
);

describe(normaliseOriginInput.name, () => {
  describe('properties', () => {
    it('is idempotent and its output is accepted by parseRequestOrigin unchanged', () => {
      fc.assert(
        fc.property(anyString, (input) => {
          const first = normaliseOriginInput(input);
          if (!first.ok) return;
          expect(normaliseOriginInput(first.origin)).toEqual(first);
          expect(parseRequestOrigin(first.origin)).toBe(first.origin);
        }),
        { numRuns: 2000 },
      );
    });

    it('never returns an origin with a path, query, fragment, userinfo or percent sign', () => {
      fc.assert(
        fc.property(anyString, (input) => {
          const result = normaliseOriginInput(input);
          if (!result.ok || result.origin === 'null') return;
          expect(result.origin).toMatch(/^https?:\/\/[a-z0-9.\-[\]:]+$/);
          expect(result.origin.slice(result.origin.indexOf('//') + 2)).not.toMatch(/[/?#@%]/);
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe(parseRequestOrigin.name, () => {
  describe('properties', () => {
    it('never throws and returns a fixed point of itself', () => {
      fc.assert(
        fc.property(anyString, (header) => {
          const parsed = parseRequestOrigin(header);
          if (parsed !== null) expect(parseRequestOrigin(parsed)).toBe(parsed);
        }),
        { numRuns: 3000 },
      );
    });

    it('agrees with the URL parser on the origin of everything it accepts', () => {
      fc.assert(
        fc.property(originLike, (header) => {
          const parsed = parseRequestOrigin(header);
          if (parsed === null) return;
          const url = new URL(header);
          const hostname = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
          expect(parsed).toBe(
            `${url.protocol}//${hostname}${url.port === '' ? '' : `:${url.port}`}`,
          );
        }),
        { numRuns: 3000 },
      );
    });
  });
});
