import { DomainError } from '#problem-details';
import { satisfies, versionPrecondition } from './if-match.js';

describe(versionPrecondition.name, () => {
  const fieldOf = (run: () => unknown): string | undefined => {
    try {
      run();
      return undefined;
    } catch (error) {
      return (error as DomainError).invalidFields[0]?.field;
    }
  };

  it('takes the body version alone', () => {
    expect(versionPrecondition(undefined, 3)).toEqual({ versions: [3] });
  });

  it('takes one or several strong entity tags', () => {
    expect(versionPrecondition('"3"', undefined)).toEqual({ versions: [3] });
    expect(versionPrecondition('"3", "4"', undefined)).toEqual({ versions: [3, 4] });
  });

  it('never matches weak tags (strong comparison)', () => {
    const precondition = versionPrecondition('W/"3"', undefined);

    expect(satisfies(precondition, 3)).toBe(false);
  });

  it('treats * as any version unless the body names one', () => {
    expect(versionPrecondition('*', undefined)).toBe('any');
    expect(versionPrecondition('*', 2)).toEqual({ versions: [2] });
    expect(satisfies('any', 42)).toBe(true);
  });

  it('requires a version from one of the two', () => {
    expect(fieldOf(() => versionPrecondition(undefined, undefined))).toBe('version');
    expect(fieldOf(() => versionPrecondition('  ', undefined))).toBe('version');
  });

  it('refuses a malformed header and a body that contradicts it', () => {
    expect(fieldOf(() => versionPrecondition('3', undefined))).toBe('If-Match');
    expect(fieldOf(() => versionPrecondition('"3"', 4))).toBe('version');
  });
});
