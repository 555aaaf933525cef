import { patternHost } from './pattern-host.js';
import { scanPattern } from './regex-syntax.js';

function hostOf(source: string) {
  const scan = scanPattern(source);
  if (!scan.ok) throw new Error(scan.reason);
  return patternHost(scan.tree);
}

describe(patternHost.name, () => {
  it.each([
    ['^https://[a-z]+\\.example\\.com$', { host: 'example.com', exact: false }],
    ['^https://[a-z]+[.]example\\.com$', { host: 'example.com', exact: false }],
    ['^https://[a-z]+\\.example\\.com:8443$', { host: 'example.com', exact: false }],
    ['^https://[a-z]+\\.example\\.com(?::[0-9]+)?$', { host: 'example.com', exact: false }],
    ['^https://[a-z]+\\.example\\.com(?::\\d{2,5})?$', { host: 'example.com', exact: false }],
    ['^https://(?:[a-z]+\\.)?example\\.com$', { host: 'example.com', exact: false }],
    ['^https://(?:app|admin)\\.example\\.co\\.uk$', { host: 'example.co.uk', exact: false }],
    ['^https?://app\\.example\\.com$', { host: 'app.example.com', exact: true }],
    ['^http://localhost:[0-9]+$', { host: 'localhost', exact: true }],
    ['^https://[a-z]+\\.com$', { host: 'com', exact: false }],
  ])('reads %s as %j', (source, expected) => {
    expect(hostOf(source)).toEqual(expected);
  });

  it.each([
    '^https://[^c].*$',
    '^https://[a-z]+\\.[a-z]+$',
    '^https://[a-z]+example\\.com$',
    '^https://[a-z]+\\.example\\.com[0-9]*$',
    '^https://[a-z]+\\.example\\.(?:com|net)$',
    '^https://a\\.example\\.com|^https://b$',
    '^https://[a-z]+\\.example\\.com',
    '^https://[a-z]+\\.example\\.com\\$$',
  ])('finds no literal host at the end of %s', (source) => {
    expect(hostOf(source)).toBeUndefined();
  });
});
