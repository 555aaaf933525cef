import { createRequire } from 'node:module';
import type * as Tldts from 'tldts';

// tldts carries the whole Public Suffix List (~60 ms to load on a busy machine). Only writes
// need it (validating a rule), never a request or the gateway's start, so it loads on first use.
let tldts: typeof Tldts | undefined;
function psl(): typeof Tldts {
  return (tldts ??= createRequire(import.meta.url)('tldts') as typeof Tldts);
}

const OPTIONS = { allowPrivateDomains: true } as const;

/**
 * The public suffix that `host` is, or is covered by, when anyone may register names right
 * under it: `com`, `co.uk`, and the private section's `github.io` (anyone can host a page
 * there). Hosts under a suffix the list does not know (`localhost`, `example.internal`) are
 * nobody's public suffix.
 *
 * @returns the suffix when `host` is one, else undefined.
 */
export function publicSuffixOf(host: string): string | undefined {
  const parsed = psl().parse(host, OPTIONS);
  const listed = parsed.isIcann === true || parsed.isPrivate === true;
  return listed && parsed.domain === null && parsed.publicSuffix !== null ? parsed.publicSuffix : undefined;
}

/**
 * The registrable domain of `host` (its public suffix and one label more, by the Public Suffix
 * List with its private section): `a.b.example.co.uk` → `example.co.uk`.
 *
 * @returns undefined when `host` has none (it is a public suffix, a single label or an IP).
 */
export function registrableDomainOf(host: string): string | undefined {
  return psl().getDomain(host, OPTIONS) ?? undefined;
}
