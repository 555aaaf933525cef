/**
 * The request path's steady cost out of a case's windows: the fewest instructions per request
 * that a second window confirms (within `tolerance`). A window can come out too high, when a
 * major GC (tens to hundreds of millions of instructions) falls in it, and too low, when
 * valgrind carries out `callgrind_control --zero` late and part of the requests wrk counted in
 * the window were not (seen once: 106,786 among windows of 143,695–272,366). Where no two
 * windows agree, their median.
 */
export function steadyPerRequest(perWindow: readonly number[], tolerance = 0.03): number {
  if (perWindow.length === 0) throw new Error('no windows');
  const sorted = [...perWindow].sort((a, b) => a - b);
  for (let i = 0; i + 1 < sorted.length; i++) {
    if (sorted[i + 1]! <= sorted[i]! * (1 + tolerance)) return sorted[i]!;
  }
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
