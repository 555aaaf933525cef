/**
 * Merges `Vary` values: every token of `existing` (as the upstream or handler sent it), then
 * those of `ours` not already there, each once, compared case-insensitively (field names are
 * case-insensitive, RFC 9110 §12.5.5). `*` alone stands for everything, so it absorbs the rest.
 */
export function mergeVary(
  existing: string | readonly string[] | undefined,
  ours: string,
): string {
  if (existing === undefined || existing.length === 0) return ours;
  const seen = new Set<string>();
  const tokens: string[] = [];
  const add = (value: string): boolean => {
    for (const part of value.split(",")) {
      const token = part.trim();
      if (token === "") continue;
      if (token === "*") return false;
      const key = token.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      tokens.push(token);
    }
    return true;
  };
  for (const value of typeof existing === "string" ? [existing] : existing) {
    if (!add(value)) return "*";
  }
  if (!add(ours)) return "*";
  return tokens.join(", ");
}
