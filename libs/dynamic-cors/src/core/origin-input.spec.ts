import { normaliseOriginInput } from './origin-input.js';
import { parseRequestOrigin } from './origin.js';

describe(normaliseOriginInput.name, () => {
  describe('accepted input', () => {
    it.each([
      ['https://app.example.com', 'https://app.example.com'],
      ['  https://app.example.com  ', 'https://app.example.com'],
      ['HTTPS://APP.Example.COM', 'https://app.example.com'],
      ['https://app.example.com/', 'https://app.example.com'],
      ['https://app.example.com:443', 'https://app.example.com'],
      ['https://app.example.com:443/', 'https://app.example.com'],
      ['http://app.example.com:80', 'http://app.example.com'],
      ['http://localhost:3000', 'http://localhost:3000'],
      ['https://app.example.com.', 'https://app.example.com'],
      ['https://bücher.de', 'https://xn--bcher-kva.de'],
      ['https://BÜCHER.de', 'https://xn--bcher-kva.de'],
      ['https://münchen.example.com:8443', 'https://xn--mnchen-3ya.example.com:8443'],
      ['http://[::1]:8080', 'http://[::1]:8080'],
      ['http://[0:0:0:0:0:0:0:1]', 'http://[::1]'],
      ['http://127.0.0.1', 'http://127.0.0.1'],
      ['null', 'null'],
      ['NULL', 'null'],
    ])('accepts %j as %s', (input, expected) => {
      expect(normaliseOriginInput(input)).toEqual({ ok: true, origin: expected });
    });
  });

  describe('refused input', () => {
    it.each([
      ['', 'origin must not be empty'],
      ['   ', 'origin must not be empty'],
      [
        'https://app.example.com/path',
        'origin must not contain a path: https://app.example.com/path',
      ],
      ['https://app.example.com//', 'origin must not contain a path'],
      ['https://app.example.com/a?b#c', 'origin must not contain a path'],
      ['https://app.example.com\\evil', 'origin must not contain a path'],
      ['https://app.example.com?x=1', 'origin must not contain a query'],
      ['https://app.example.com/?x=1', 'origin must not contain a query'],
      ['https://app.example.com#top', 'origin must not contain a fragment'],
      ['https://evil.com#@trusted.com', 'origin must not contain a fragment'],
      ['https://user:pw@app.example.com', 'origin must not contain credentials'],
      ['https://user@app.example.com', 'origin must not contain credentials'],
      ['ftp://app.example.com', 'origin scheme must be http or https, not ftp'],
      ['javascript:alert(1)', 'origin scheme must be http or https, not javascript'],
      ['app.example.com', 'origin must start with http:// or https://'],
      ['//app.example.com', 'origin must start with http:// or https://'],
      ['https:app.example.com', 'origin must look like https://host[:port]'],
      ['https://', 'origin must have a host'],
      ['https://:443', 'origin must have a host'],
      ['https://trusted.com%2eevil.com', 'origin host must not contain percent-encoding'],
      ['https://app example.com', 'origin must not contain whitespace or control characters'],
      ['https://app.example.com\u0000', 'origin must not contain whitespace or control characters'],
      ['https://app.example.com:99999', 'origin is not a valid URL origin'],
      ['https://app.exa<mple.com', 'origin is not a valid URL origin'],
      ['https://my_app.example.com', 'origin host is not a valid host name'],
      ['https://*.example.com', 'origin host is not a valid host name'],
      ['https://a..example.com', 'origin host is not a valid host name'],
    ])('refuses %j', (input, reason) => {
      const result = normaliseOriginInput(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain(reason);
    });

    it('refuses input over 2048 characters', () => {
      expect(normaliseOriginInput(`https://${'a'.repeat(2048)}.com`)).toEqual({
        ok: false,
        reason: 'origin must be at most 2048 characters',
      });
    });

    it('keeps long input out of the reason', () => {
      const result = normaliseOriginInput(`https://a.com/${'x'.repeat(1000)}`);
      expect(!result.ok && result.reason.length).toBeLessThan(200);
    });
  });

  describe('idempotence', () => {
    it.each(['https://BÜCHER.de:443/', 'HTTP://[0::1]:80', 'https://a.b.c.', 'null'])(
      'returns an origin that parses to itself: %s',
      (input) => {
        const first = normaliseOriginInput(input);
        if (!first.ok) throw new Error(first.reason);
        expect(normaliseOriginInput(first.origin)).toEqual(first);
        expect(parseRequestOrigin(first.origin)).toBe(first.origin);
      },
    );
  });
});
