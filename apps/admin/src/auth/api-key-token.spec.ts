import { constantTimeEquals, generateApiKey, parseApiKeyToken, secretMatches } from './api-key-token.js';

describe(generateApiKey.name, () => {
  it('makes a cmk_<prefix>_<secret> token whose secret matches the stored hash', () => {
    const key = generateApiKey();
    const parsed = parseApiKeyToken(key.token);

    expect(parsed?.prefix).toBe(key.prefix);
    expect(secretMatches(parsed!.secret, key.secretHash)).toBe(true);
    expect(key.secretHash).not.toContain(parsed!.secret);
  });

  it('never makes the same key twice', () => {
    expect(generateApiKey().token).not.toBe(generateApiKey().token);
  });
});

describe(parseApiKeyToken.name, () => {
  it.each([
    '',
    'cmk_',
    'cmk_XYZ_abc',
    `cmk_0123456789abcdef_${'a'.repeat(42)}`,
    `xyz_0123456789abcdef_${'a'.repeat(43)}`,
  ])('refuses %j', (token) => {
    expect(parseApiKeyToken(token)).toBeNull();
  });
});

describe(secretMatches.name, () => {
  it('refuses another secret and a malformed hash', () => {
    const key = generateApiKey();

    expect(secretMatches('wrong', key.secretHash)).toBe(false);
    expect(secretMatches(parseApiKeyToken(key.token)!.secret, 'abc')).toBe(false);
  });
});

describe(constantTimeEquals.name, () => {
  it('compares strings of any length', () => {
    expect(constantTimeEquals('same', 'same')).toBe(true);
    expect(constantTimeEquals('same', 'same but longer')).toBe(false);
  });
});
