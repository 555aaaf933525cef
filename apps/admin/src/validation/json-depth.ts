/** How deep a request body may nest: the API's deepest body is a few levels, this leaves room. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects or arrays more than `max` levels deep. Walked with
 * an explicit stack, so a body of any depth is judged without recursion: code that later walks
 * it recursively (validation, logging) would otherwise overflow the call stack and answer 500.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}
