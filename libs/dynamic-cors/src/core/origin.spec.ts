import { parseRequestOrigin } from './origin.js';

describe(parseRequestOrigin.name, () => {
  describe('valid origins', () => {
    it.each([
      ['https://app.example.com', 'https://app.example.com'],
      ['http://localhost', 'http://localhost'],
      ['http://localhost:3000', 'http://localhost:3000'],
      ['https://a', 'https://a'],
      ['https://App.Example.COM', 'https://app.example.com'],
      ['HTTPS://app.example.com', 'https://app.example.com'],
      ['https://app.example.com:443', 'https://app.example.com'],
      ['http://app.example.com:80', 'http://app.example.com'],
      ['http://app.example.com:443', 'http://app.example.com:443'],
      ['https://app.example.com:80', 'https://app.example.com:80'],
      ['https://app.example.com:65535', 'https://app.example.com:65535'],
      ['https://app.example.com:1', 'https://app.example.com:1'],
      ['https://trusted.com.', 'https://trusted.com'],
      ['https://trusted.com.:8443', 'https://trusted.com:8443'],
      ['https://xn--bcher-kva.de', 'https://xn--bcher-kva.de'],
      ['https://my-app-1.example.com', 'https://my-app-1.example.com'],
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['http://0.0.0.0', 'http://0.0.0.0'],
      ['http://255.255.255.255', 'http://255.255.255.255'],
      ['http://[::1]:3000', 'http://[::1]:3000'],
      ['http://[::]', 'http://[::]'],
      ['http://[2001:DB8::1]', 'http://[2001:db8::1]'],
      ['http://[2001:db8:0:0:0:0:0:1]', 'http://[2001:db8:0:0:0:0:0:1]'],
      ['http://[fe80::]', 'http://[fe80::]'],
      ['https://1.example.com', 'https://1.example.com'],
      [`https://${'a'.repeat(63)}.com`, `https://${'a'.repeat(63)}.com`],
      ['null', 'null'],
    ])('accepts %s as %s', (header, expected) => {
      expect(parseRequestOrigin(header)).toBe(expected);
    });

    it('returns the very same string when the header is already normalised', () => {
      const header = 'https://app.example.com:8443';
      expect(parseRequestOrigin(header)).toBe(header);
    });
  });

  describe('invalid origins', () => {
    it.each([
      ['empty', ''],
      ['a bare host', 'app.example.com'],
      ['a scheme-relative origin', '//app.example.com'],
      ['another scheme', 'ftp://app.example.com'],
      ['a file origin', 'file://'],
      ['an opaque-looking scheme', 'data:text/html,x'],
      ['a missing host', 'https://'],
      ['a trailing slash', 'https://app.example.com/'],
      ['a path', 'https://app.example.com/path'],
      ['a query', 'https://app.example.com?x=1'],
      ['a fragment', 'https://app.example.com#x'],
      ['a fragment hiding the host', 'https://evil.com#@trusted.com'],
      ['userinfo', 'https://user@trusted.com'],
      ['userinfo with password', 'https://trusted.com:pw@evil.com'],
      ['percent-encoding', 'https://trusted.com%2eevil.com'],
      ['a space', 'https://trusted .com'],
      ['a leading space', ' https://trusted.com'],
      ['a trailing space', 'https://trusted.com '],
      ['a tab', 'https://trusted.com\t'],
      ['a NUL', 'https://trusted.com\u0000.evil.com'],
      ['a CR LF', 'https://trusted.com\r\nSet-Cookie: a=b'],
      ['a DEL', 'https://trusted\u007f.com'],
      ['non-ASCII', 'https://bücher.de'],
      ['a fullwidth dot', 'https://trusted\uff0ecom'],
      ['an underscore', 'https://my_app.example.com'],
      ['a wildcard', 'https://*.example.com'],
      ['a backslash', 'https://trusted.com\\evil.com'],
      ['two comma-joined origins', 'https://a.com,https://b.com'],
      ['two comma-space-joined origins', 'https://a.com, https://b.com'],
      ['two space-joined origins', 'https://a.com https://b.com'],
      ['an empty label', 'https://a..com'],
      ['a leading dot', 'https://.example.com'],
      ['two trailing dots', 'https://trusted.com..'],
      ['only a dot', 'https://.'],
      ['a 64-character label', `https://${'a'.repeat(64)}.com`],
      ['a host over 253 characters', `https://${`${'a'.repeat(60)}.`.repeat(4)}${'b'.repeat(10)}`],
      ['an empty port', 'https://trusted.com:'],
      ['port 0', 'https://trusted.com:0'],
      ['port 65536', 'https://trusted.com:65536'],
      ['a leading-zero port', 'https://trusted.com:0443'],
      ['a non-numeric port', 'https://trusted.com:https'],
      ['a six-digit port', 'https://trusted.com:100000'],
      ['two ports', 'https://trusted.com:1:2'],
      ['a short IPv4', 'http://127.1'],
      ['an IPv4 part over 255', 'http://256.0.0.1'],
      ['a leading-zero IPv4 part', 'http://010.0.0.1'],
      ['a five-part IPv4', 'http://1.2.3.4.5'],
      ['a hexadecimal IPv4', 'http://0x7f.0.0.1'],
      ['a hexadecimal last label', 'http://example.0x1'],
      ['a bare number host', 'http://2130706433'],
      ['an IPv4 with a trailing dot', 'http://1.2.3.4.'],
      ['an unbracketed IPv6', 'http://::1'],
      ['an unclosed IPv6', 'http://[::1'],
      ['an IPv6 with two ::', 'http://[1::2::3]'],
      ['an IPv6 with nine pieces', 'http://[1:2:3:4:5:6:7:8:9]'],
      ['an IPv6 with seven pieces', 'http://[1:2:3:4:5:6:7]'],
      ['an IPv6 with a 5-digit piece', 'http://[12345::]'],
      ['an IPv6 with embedded IPv4', 'http://[::ffff:127.0.0.1]'],
      ['an IPv6 zone', 'http://[fe80::1%25eth0]'],
      ['an IPv6 followed by text', 'http://[::1]x'],
      ['the word null in upper case', 'NULL'],
      ['null with a space', 'null '],
      ['a 100 KB header', `https://${'a'.repeat(100_000)}.com`],
    ])('refuses %s', (_label, header) => {
      expect(parseRequestOrigin(header)).toBeNull();
    });

    it('refuses a non-string without throwing', () => {
      expect(parseRequestOrigin(undefined as unknown as string)).toBeNull();
    });

    it('bails out on a 100 KB header quickly', () => {
      const header = `https://${'a.'.repeat(50_000)}com`;
      const started = performance.now();
      for (let i = 0; i < 1000; i++) parseRequestOrigin(header);
      expect(performance.now() - started).toBeLessThan(100);
    });
  });
});
