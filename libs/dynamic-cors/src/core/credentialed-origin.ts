import { compileLinearPattern, type LinearPattern } from './linear-pattern.js';
import { patternHost } from './pattern-host.js';
import type { OriginRule } from './policy.js';
import { publicSuffixOf, registrableDomainOf } from './public-suffix.js';

const ONE_DOMAIN =
  'with allowCredentials a regex must end in a literal registrable domain, optionally with a port, e.g. \\.example\\.com$ or \\.example\\.co\\.uk(?::[0-9]+)?$';

/**
 * Why a rule cannot be combined with `allowCredentials`, if it cannot. With credentials an
 * allowed origin reads the user's authenticated responses, so a rule must not reach beyond
 * origins one organisation controls (SPEC "Security contract"):
 *
 * - `*`: the Fetch standard never honours it with credentials
 *   (https://fetch.spec.whatwg.org/#cors-protocol-and-credentials);
 * - `null`: sandboxed frames, `data:` and `file:` documents and some redirects all send it,
 *   so any page can;
 * - a regex that can match an origin outside one registrable domain (Public Suffix List,
 *   private section included): it must end in that domain as a literal, and it must match none
 *   of a broad, randomised set of origins outside it.
 *
 * @returns the reason, or undefined when the rule is safe with credentials.
 */
export function credentialsConflict(rule: Pick<OriginRule, 'kind' | 'value'>): string | undefined {
  switch (rule.kind) {
    case 'any':
      return 'origin * cannot be combined with allowCredentials';
    case 'exact':
      return rule.value === 'null'
        ? 'origin null cannot be combined with allowCredentials: sandboxed frames and local files send it, so any page can'
        : undefined;
    case 'wildcard':
      // Wildcards never cover a public suffix (parseOriginRule refuses them).
      return undefined;
    case 'regex':
      return regexConflict(rule.value);
  }
}

function regexConflict(source: string): string | undefined {
  const compiled = compileLinearPattern(source);
  if (!compiled.ok) return compiled.reason;
  const host = patternHost(compiled.tree);
  if (host === undefined) return ONE_DOMAIN;
  const domain = registrableDomainOf(host.host) ?? (host.exact ? host.host : undefined);
  if (domain === undefined) {
    const suffix = publicSuffixOf(host.host);
    return suffix === undefined ? ONE_DOMAIN : `${ONE_DOMAIN}; ${host.host} is the public suffix ${suffix}`;
  }
  const outside = canaryOutside(compiled.pattern, domain, source);
  return outside === undefined
    ? undefined
    : `with allowCredentials a regex must match only origins in ${domain}, and this one matches ${outside}`;
}

const SUFFIXES = ['com', 'net', 'org', 'io', 'co.uk', 'github.io', 'dev', 'app', 'de', 'invalid'];
const LABEL_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-';
const CANARIES_PER_PATTERN = 400;

/**
 * The first origin outside `domain` that the pattern matches: near misses built from the
 * domain (`evilexample.com`, `example.com.evil.net`, `example.co`) and random hosts, with
 * both schemes and a few ports. The set is seeded by the pattern, so a verdict is repeatable.
 */
function canaryOutside(pattern: LinearPattern, domain: string, source: string): string | undefined {
  const random = mulberry32(hash(source));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const label = (): string =>
    Array.from({ length: 1 + Math.floor(random() * 10) }, () => pick([...LABEL_CHARS])).join('');
  const [name, ...rest] = domain.split('.');
  const suffix = rest.join('.');
  const nearMisses = [
    `evil${domain}`,
    `evil-${domain}`,
    `${domain}.evil.com`,
    `${domain}-evil.com`,
    `${domain}.co`,
    `${name}.${suffix}x`,
    `${name}x.${suffix}`,
    ...SUFFIXES.map((s) => `${name}.${s}`),
    ...SUFFIXES.map((s) => `${label()}.${domain}.${s}`),
    suffix,
  ];
  const hosts = [...nearMisses];
  while (hosts.length < CANARIES_PER_PATTERN) {
    const labels = Array.from({ length: 1 + Math.floor(random() * 3) }, label);
    if (random() < 0.2) labels.push(name ?? label());
    hosts.push(`${labels.join('.')}.${pick(SUFFIXES)}`);
  }
  for (const host of hosts) {
    if (host === domain || host.endsWith(`.${domain}`) || !/^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(host)) continue;
    for (const origin of [`https://${host}`, `http://${host}`, `https://${host}:${pick(['8443', '1', '443'])}`]) {
      if (pattern.test(origin)) return origin;
    }
  }
  return undefined;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A small seeded generator (mulberry32): the canaries must be the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
