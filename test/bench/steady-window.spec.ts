import { steadyPerRequest } from '../../bench/lib/steady-window.js';

describe('the steady window of an instruction count', () => {
  it('takes the fewest per request that another window confirms, not a lone low one', () => {
    // simple/actual/ours of a subset run on 2026-12-02: one window counted late.
    expect(steadyPerRequest([272_366, 171_622, 147_417, 106_786, 143_695])).toBe(143_695);
  });

  it('leaves out windows a major GC inflated', () => {
    expect(steadyPerRequest([150_799, 186_159, 144_350, 144_317, 144_330])).toBe(144_317);
  });

  it('falls back to the median when no two windows agree', () => {
    expect(steadyPerRequest([100, 200, 400])).toBe(200);
    expect(steadyPerRequest([100, 200, 400, 800])).toBe(300);
  });

  it('refuses an empty list', () => {
    expect(() => steadyPerRequest([])).toThrow('no windows');
  });
});
