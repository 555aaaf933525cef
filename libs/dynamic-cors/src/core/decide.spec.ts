import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { decide, PREFLIGHT_VARY, type CorsRequest } from './decide.js';
import { parseOriginRule, type OriginRuleInput } from './origin-rule.js';
import { DEFAULT_POLICY, type CorsPolicy, type OriginRule } from './policy.js';

function rule(input: string | OriginRuleInput): OriginRule {
  const result = parseOriginRule(typeof input === 'string' ? { origin: input } : input);
  if (!result.ok) throw new Error(result.reason);
  return result.rule;
}

function compile(
  origins: readonly (string | OriginRuleInput)[],
  overrides: Partial<CorsPolicy> = {},
): CompiledPolicy {
  return compilePolicy({ ...DEFAULT_POLICY, origins: origins.map(rule), ...overrides });
}

const get = (origin: string | undefined, extra: Partial<CorsRequest> = {}): CorsRequest => ({
  method: 'GET',
  origin,
  ...extra,
});
const preflight = (
  origin: string,
  method: string,
  extra: Partial<CorsRequest> = {},
): CorsRequest => ({
  method: 'OPTIONS',
  origin,
  accessControlRequestMethod: method,
  ...extra,
});
const headerMap = (decision: {
  headers: readonly (readonly [string, string])[];
}): Record<string, string> => Object.fromEntries(decision.headers);

const APP = 'https://app.example.com';

describe(decide.name, () => {
  describe('requests without a cross-origin Origin', () => {
    it('allows a request without Origin, with no CORS headers and Vary: Origin', () => {
      expect(decide(compile([APP]), get(undefined))).toMatchObject({
        kind: 'no-origin',
        allowed: true,
        block: false,
        headers: [],
        vary: 'Origin',
      });
    });

    it('allows a same-origin request without CORS headers', () => {
      const decision = decide(
        compile([]),
        get('https://api.example.com', { selfOrigin: 'HTTPS://api.example.com:443' }),
      );
      expect(decision).toMatchObject({
        kind: 'same-origin',
        allowed: true,
        block: false,
        headers: [],
        vary: 'Origin',
      });
    });

    it('answers a listed origin that is the request’s own origin as same-origin', () => {
      const decision = decide(compile([APP]), get(APP, { selfOrigin: 'https://APP.example.com' }));
      expect(decision).toMatchObject({ kind: 'same-origin', headers: [] });
    });

    it('matches an exact rule by the normalised origin when the header is not sent normalised', () => {
      for (const header of ['HTTPS://App.Example.com', 'https://app.example.com:443', 'https://app.example.com.']) {
        const decision = decide(compile([APP]), get(header));
        expect(decision).toMatchObject({ kind: 'actual', allowed: true });
        expect(headerMap(decision)['access-control-allow-origin']).toBe(header);
      }
    });

    it('never treats the null origin as same-origin', () => {
      expect(decide(compile([]), get('null', { selfOrigin: 'null' }))).toMatchObject({
        kind: 'actual',
        allowed: false,
      });
    });
  });

  describe('actual requests', () => {
    it('allows a listed origin and echoes it', () => {
      const decision = decide(compile([APP]), get(APP));
      expect(decision).toEqual({
        kind: 'actual',
        allowed: true,
        block: false,
        matchedRule: { kind: 'exact', value: APP },
        reasons: [`origin ${APP} matched rule ${APP}`],
        headers: [['access-control-allow-origin', APP]],
        vary: 'Origin',
      });
    });

    it('adds credentials and exposed headers when configured', () => {
      const decision = decide(
        compile([APP], { allowCredentials: true, exposedHeaders: ['X-Request-Id', 'ETag'] }),
        get(APP),
      );
      expect(headerMap(decision)).toEqual({
        'access-control-allow-origin': APP,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'X-Request-Id, ETag',
      });
    });

    it('treats OPTIONS without Access-Control-Request-Method as an actual request', () => {
      const policy = compile([APP], { allowedMethods: ['GET', 'OPTIONS'] });
      expect(decide(policy, { method: 'OPTIONS', origin: APP })).toMatchObject({
        kind: 'actual',
        allowed: true,
        vary: 'Origin',
      });
    });

    it('refuses and blocks an unlisted origin with no CORS headers', () => {
      expect(decide(compile([APP]), get('https://evil.com'))).toEqual({
        kind: 'actual',
        allowed: false,
        block: true,
        reasons: ['origin https://evil.com matched no rule'],
        refusal: 'origin_not_listed',
        headers: [],
        vary: 'Origin',
      });
    });

    it('refuses and blocks a method that is not in allowedMethods, safelisted ones included', () => {
      const policy = compile([APP], { allowedMethods: ['GET'] });
      for (const method of ['POST', 'DELETE']) {
        expect(decide(policy, get(APP, { method }))).toEqual({
          kind: 'actual',
          allowed: false,
          block: true,
          matchedRule: { kind: 'exact', value: APP },
          reasons: [`origin ${APP} matched rule ${APP}`, `method ${method} is not in allowedMethods`],
          refusal: 'method_not_allowed',
          headers: [],
          vary: 'Origin',
        });
      }
      expect(decide(policy, get(APP)).allowed).toBe(true);
    });

    it('lets * cover any actual method, with credentials too', () => {
      const policy = compile([APP], { allowedMethods: ['*'], allowCredentials: true });
      expect(decide(policy, get(APP, { method: 'DELETE' })).allowed).toBe(true);
    });

    it('refuses an unlisted method without blocking in report-only mode', () => {
      const policy = compile([APP], { allowedMethods: ['GET'], mode: 'report-only' });
      expect(decide(policy, get(APP, { method: 'PUT' }))).toMatchObject({
        allowed: false,
        block: false,
        refusal: 'method_not_allowed',
      });
    });

    it('explains a refusal by an empty policy', () => {
      expect(decide(compile([]), get(APP)).reasons).toEqual(['policy has no origins']);
    });

    it('decides but never blocks in report-only mode', () => {
      expect(
        decide(compile([APP], { mode: 'report-only' }), get('https://evil.com')),
      ).toMatchObject({
        allowed: false,
        block: false,
        headers: [],
        reasons: ['origin https://evil.com matched no rule'],
      });
    });
  });

  describe('origin matching', () => {
    it.each([
      ['https://*.example.com', 'https://a.example.com', true],
      ['https://*.example.com', 'https://a.b.example.com', true],
      ['https://*.example.com', 'https://A.Example.com', true],
      ['https://*.example.com', 'https://example.com', false],
      ['https://*.example.com', 'https://evilexample.com', false],
      ['https://*.example.com', 'https://a.example.com.evil.com', false],
      ['https://*.example.com', 'http://a.example.com', false],
      ['https://*.example.com', 'https://a.example.com:8443', false],
      ['https://*.example.com:8443', 'https://a.example.com:8443', true],
      ['https://*.example.com:8443', 'https://a.example.com', false],
      ['https://*.example.com', 'null', false],
      [APP, 'https://app.example.com:443', true],
      [APP, 'http://app.example.com', false],
      [APP, 'https://app.example.com:8443', false],
      [APP, 'https://trusted.app.example.com', false],
      ['null', 'null', true],
      ['*', 'null', false],
      ['*', 'https://anything.example', true],
    ])('rule %s against origin %s: %s', (ruleInput, origin, allowed) => {
      expect(decide(compile([ruleInput]), get(origin)).allowed).toBe(allowed);
    });

    it('matches a regex against the normalised origin', () => {
      const compiled = compile([
        { pattern: '^https://pr-[0-9]+\\.preview\\.example\\.com$', type: 'regex' },
      ]);
      expect(decide(compiled, get('https://PR-12.preview.example.com')).allowed).toBe(true);
      expect(decide(compiled, get('https://pr-12.preview.example.com.evil.com')).allowed).toBe(
        false,
      );
    });

    it('reports the rule that matched, with its id', () => {
      const compiled = compilePolicy({
        ...DEFAULT_POLICY,
        origins: [{ id: 'o-7', kind: 'wildcard', value: 'https://*.example.com' }],
      });
      expect(decide(compiled, get('https://a.example.com'))).toMatchObject({
        matchedRule: { id: 'o-7' },
        reasons: ['origin https://a.example.com matched rule https://*.example.com'],
      });
    });

    it('prefers an exact rule to a wildcard and a wildcard to *', () => {
      const compiled = compile(['*', 'https://*.example.com', APP]);
      expect(decide(compiled, get(APP)).matchedRule?.kind).toBe('exact');
      expect(decide(compiled, get('https://b.example.com')).matchedRule?.kind).toBe('wildcard');
      expect(decide(compiled, get('https://other.org')).matchedRule?.kind).toBe('any');
    });

    it('answers * for a * match without credentials', () => {
      expect(headerMap(decide(compile(['*']), get(APP)))['access-control-allow-origin']).toBe('*');
    });

    it('echoes the header exactly as sent once it is valid', () => {
      expect(
        headerMap(decide(compile(['https://trusted.com']), get('https://trusted.com.'))),
      ).toEqual({
        'access-control-allow-origin': 'https://trusted.com.',
      });
    });

    it('allows the null origin only when listed, and echoes null', () => {
      expect(
        headerMap(decide(compile(['null'], { allowCredentials: true }), get('null'))),
      ).toMatchObject({
        'access-control-allow-origin': 'null',
      });
    });
  });

  describe('hostile origins', () => {
    const compiled = compile(['https://trusted.com', 'https://*.trusted.com']);
    it.each([
      [
        'a suffix attack',
        'https://trusted.com.evil.com',
        'origin https://trusted.com.evil.com matched no rule',
      ],
      [
        'a prefix attack',
        'https://eviltrusted.com',
        'origin https://eviltrusted.com matched no rule',
      ],
      ['a fragment', 'https://evil.com#@trusted.com', 'origin header is not a valid origin'],
      ['userinfo', 'https://trusted.com@evil.com', 'origin header is not a valid origin'],
      ['percent-encoding', 'https://trusted.com%2eevil.com', 'origin header is not a valid origin'],
      [
        'a 100 KB origin',
        `https://${'a'.repeat(100_000)}.trusted.com`,
        'origin header is not a valid origin',
      ],
      [
        'comma-joined origins',
        'https://trusted.com, https://evil.com',
        'origin header is not a valid origin',
      ],
      [
        'comma-joined origins without space',
        'https://trusted.com,https://evil.com',
        'origin header is not a valid origin',
      ],
      ['a CR LF', 'https://trusted.com\r\nx: y', 'origin header is not a valid origin'],
      ['a NUL', 'https://trusted.com\u0000', 'origin header is not a valid origin'],
      ['a tab', 'https://trusted.com\t', 'origin header is not a valid origin'],
      ['an empty header', '', 'origin header is not a valid origin'],
      ['a path', 'https://trusted.com/', 'origin header is not a valid origin'],
      ['another scheme', 'file://trusted.com', 'origin header is not a valid origin'],
    ])('refuses %s', (_label, origin, reason) => {
      expect(decide(compiled, get(origin))).toMatchObject({
        allowed: false,
        block: true,
        headers: [],
        reasons: [reason],
      });
    });
  });

  describe('preflight requests', () => {
    it('allows a listed origin and method with the full header set', () => {
      const decision = decide(
        compile([APP]),
        preflight(APP, 'POST', { accessControlRequestHeaders: 'content-type' }),
      );
      expect(decision).toMatchObject({
        kind: 'preflight',
        allowed: true,
        block: false,
        vary: PREFLIGHT_VARY,
      });
      expect(decision.headers).toEqual([
        ['access-control-allow-origin', APP],
        ['access-control-allow-methods', 'GET, HEAD, POST'],
        ['access-control-allow-headers', 'content-type'],
        ['access-control-max-age', '600'],
      ]);
    });

    it('varies on every preflight request header', () => {
      expect(PREFLIGHT_VARY).toBe(
        'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network',
      );
      expect(decide(compile([]), preflight(APP, 'PUT')).vary).toBe(PREFLIGHT_VARY);
    });

    it('sends the configured headers when none are requested', () => {
      expect(
        headerMap(decide(compile([APP]), preflight(APP, 'GET')))['access-control-allow-headers'],
      ).toBe('Content-Type');
    });

    it('omits Allow-Headers when none are requested and none are configured', () => {
      const decision = decide(
        compile([APP], { allowedHeaders: [] }),
        preflight(APP, 'GET', { accessControlRequestHeaders: '' }),
      );
      expect(headerMap(decision)).not.toHaveProperty('access-control-allow-headers');
    });

    it('adds credentials and max-age', () => {
      const decision = decide(
        compile([APP], { allowCredentials: true, maxAge: 0 }),
        preflight(APP, 'GET'),
      );
      expect(headerMap(decision)).toMatchObject({
        'access-control-allow-credentials': 'true',
        'access-control-max-age': '0',
      });
    });

    it('refuses a method that is not allowed, keeping the matched rule', () => {
      expect(decide(compile([APP]), preflight(APP, 'PUT'))).toEqual({
        kind: 'preflight',
        allowed: false,
        block: true,
        matchedRule: { kind: 'exact', value: APP },
        reasons: [`origin ${APP} matched rule ${APP}`, 'method PUT is not in allowedMethods'],
        refusal: 'method_not_allowed',
        headers: [],
        vary: PREFLIGHT_VARY,
      });
    });

    it.each([
      ['put', ['PUT'], true],
      ['Delete', ['DELETE'], true],
      ['patch', ['PATCH'], false],
      ['PATCH', ['patch'], false],
      ['patch', ['patch'], true],
      // allowedMethods is the whole list: safelisted methods get no pass of their own.
      ['GET', [], false],
      ['POST', ['PUT'], false],
      ['GET', ['GET'], true],
      ['M-SEARCH', ['M-SEARCH'], true],
    ])('method %s against allowedMethods %j: %s', (method, allowedMethods, allowed) => {
      expect(decide(compile([APP], { allowedMethods }), preflight(APP, method)).allowed).toBe(
        allowed,
      );
    });

    it.each([
      ['TRACE', 'method TRACE is forbidden by the Fetch standard'],
      ['connect', 'method connect is forbidden by the Fetch standard'],
      ['', 'access-control-request-method is not a valid method'],
      ['GET POST', 'access-control-request-method is not a valid method'],
    ])('refuses method %j', (method, reason) => {
      expect(
        decide(compile([APP], { allowedMethods: ['*'] }), preflight(APP, method)).reasons,
      ).toContain(reason);
    });

    it('answers methods * only without credentials, otherwise names the method', () => {
      const open = decide(compile([APP], { allowedMethods: ['*'] }), preflight(APP, 'PATCH'));
      expect(headerMap(open)['access-control-allow-methods']).toBe('*');
      const closed = decide(
        compile([APP], { allowedMethods: ['*', 'GET'], allowCredentials: true }),
        preflight(APP, 'PATCH'),
      );
      expect(headerMap(closed)['access-control-allow-methods']).toBe('GET, PATCH');
    });

    it('refuses each header that is not allowed, naming it', () => {
      const decision = decide(
        compile([APP]),
        preflight(APP, 'POST', { accessControlRequestHeaders: 'content-type,x-foo,X-Bar' }),
      );
      expect(decision).toMatchObject({ allowed: false, refusal: 'header_not_allowed' });
      expect(decision.reasons.slice(1)).toEqual([
        'header x-foo is not in allowedHeaders',
        'header x-bar is not in allowedHeaders',
      ]);
    });

    it('compares header names case-insensitively and ignores blanks and empties', () => {
      const decision = decide(
        compile([APP], { allowedHeaders: ['X-Foo', 'content-type'] }),
        preflight(APP, 'POST', { accessControlRequestHeaders: ' X-FOO ,, Content-Type ,' }),
      );
      expect(headerMap(decision)['access-control-allow-headers']).toBe('x-foo,content-type');
    });

    it('echoes a canonical request header list as sent', () => {
      const requested = 'content-type,x-foo';
      const decision = decide(
        compile([APP], { allowedHeaders: ['X-Foo', 'Content-Type'] }),
        preflight(APP, 'POST', { accessControlRequestHeaders: requested }),
      );
      expect(headerMap(decision)['access-control-allow-headers']).toBe(requested);
    });

    it('always lets safelisted header names through', () => {
      const decision = decide(
        compile([APP], { allowedHeaders: [] }),
        preflight(APP, 'GET', {
          accessControlRequestHeaders: 'accept,accept-language,content-language',
        }),
      );
      expect(decision.allowed).toBe(true);
    });

    it.each([
      [false, 'x-anything,x-other', true],
      [false, 'authorization', false],
      [true, 'x-anything', true],
      [true, 'authorization', false],
    ])(
      'with allowedHeaders * and credentials %s, requesting %s: %s',
      (allowCredentials, requested, allowed) => {
        const decision = decide(
          compile([APP], { allowedHeaders: ['*'], allowCredentials }),
          preflight(APP, 'GET', { accessControlRequestHeaders: requested }),
        );
        expect(decision.allowed).toBe(allowed);
        if (allowed) expect(headerMap(decision)['access-control-allow-headers']).toBe(requested);
        if (!allowed)
          expect(decision.reasons).toContain(
            'header authorization is not in allowedHeaders (* does not cover it)',
          );
      },
    );

    it('never lets * cover a requested method or header named *', () => {
      const compiled = compile([APP], {
        allowedMethods: ['*'],
        allowedHeaders: ['*'],
        allowCredentials: true,
      });
      expect(decide(compiled, preflight(APP, '*')).reasons).toContain(
        'method * is not in allowedMethods',
      );
      expect(
        decide(compiled, preflight(APP, 'GET', { accessControlRequestHeaders: '*' })).reasons,
      ).toContain('header * is not in allowedHeaders (* does not cover it)');
    });

    it('allows authorization when listed next to *', () => {
      const decision = decide(
        compile([APP], { allowedHeaders: ['*', 'Authorization'] }),
        preflight(APP, 'GET', { accessControlRequestHeaders: 'authorization,x-a' }),
      );
      expect(decision.allowed).toBe(true);
    });

    it.each([
      [
        'more than 100 headers',
        Array.from({ length: 101 }, (_, i) => `x-${i}`).join(','),
        'access-control-request-headers lists more than 100 headers',
      ],
      [
        'a name that is not a token',
        'x-foo,x bar',
        'access-control-request-headers contains an invalid header name',
      ],
      ['a very long header', 'x'.repeat(10_000), 'access-control-request-headers is too long'],
    ])('refuses %s', (_label, requested, reason) => {
      const decision = decide(
        compile([APP], { allowedHeaders: ['*'] }),
        preflight(APP, 'GET', { accessControlRequestHeaders: requested }),
      );
      expect(decision).toMatchObject({ allowed: false, headers: [] });
      expect(decision.reasons).toContain(reason);
    });

    it('refuses private network access unless allowed', () => {
      const refused = decide(
        compile([APP]),
        preflight(APP, 'GET', { accessControlRequestPrivateNetwork: true }),
      );
      expect(refused).toMatchObject({
        allowed: false,
        headers: [],
        refusal: 'private_network_not_allowed',
      });
      expect(refused.reasons).toContain('private network access is not allowed');
      const allowed = decide(
        compile([APP], { allowPrivateNetwork: true }),
        preflight(APP, 'GET', { accessControlRequestPrivateNetwork: true }),
      );
      expect(headerMap(allowed)['access-control-allow-private-network']).toBe('true');
    });

    it('does not answer private network access when it was not asked', () => {
      const decision = decide(compile([APP], { allowPrivateNetwork: true }), preflight(APP, 'GET'));
      expect(headerMap(decision)).not.toHaveProperty('access-control-allow-private-network');
    });

    it('answers * for a * match without credentials', () => {
      const decision = decide(compile(['*']), preflight('https://x.org', 'POST'));
      expect(headerMap(decision)['access-control-allow-origin']).toBe('*');
    });

    it('refuses a preflight from an invalid origin without headers', () => {
      expect(decide(compile(['*']), preflight('https://x.org/', 'POST'))).toMatchObject({
        kind: 'preflight',
        allowed: false,
        block: true,
        headers: [],
        reasons: ['origin header is not a valid origin'],
      });
    });

    it('neither blocks nor answers a refused preflight in report-only mode', () => {
      expect(
        decide(compile([APP], { mode: 'report-only' }), preflight(APP, 'DELETE')),
      ).toMatchObject({ allowed: false, block: false, headers: [] });
    });
  });
});
