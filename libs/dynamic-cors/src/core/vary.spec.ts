import { mergeVary } from './vary.js';

describe(mergeVary.name, () => {
  it('answers ours alone when nothing was sent', () => {
    expect(mergeVary(undefined, 'Origin')).toBe('Origin');
    expect(mergeVary('', 'Origin')).toBe('Origin');
  });

  it('keeps each token once, case-insensitively, in first-seen order and spelling', () => {
    expect(mergeVary('Origin, User-Agent', 'Origin')).toBe('Origin, User-Agent');
    expect(mergeVary('origin,accept-encoding', 'Origin')).toBe('origin, accept-encoding');
    expect(mergeVary('Accept-Encoding', 'Origin, Access-Control-Request-Method')).toBe(
      'Accept-Encoding, Origin, Access-Control-Request-Method',
    );
    expect(mergeVary('Origin, ORIGIN , ,User-Agent', 'Origin')).toBe('Origin, User-Agent');
  });

  it('merges a header sent several times', () => {
    expect(mergeVary(['Accept', 'origin, Accept'], 'Origin')).toBe('Accept, origin');
  });

  it('lets * stand for everything', () => {
    expect(mergeVary('Accept, *', 'Origin')).toBe('*');
  });
});
