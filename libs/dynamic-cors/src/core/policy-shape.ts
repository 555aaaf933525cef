import { isHttpToken, normaliseMethod } from './http-token.js';
import type { CorsPolicy, PolicyMode } from './policy.js';
import { MAX_MAX_AGE } from './validate-policy.js';

/** A response header as `[lower-case name, value]`. */
export type CorsHeader = readonly [name: string, value: string];

/**
 * Everything a compiled policy holds that does not depend on its origins: methods, headers,
 * credentials, max-age, mode and the header values derived from them. Most tenants share a
 * handful of such settings (the defaults above all), so each distinct one is compiled once and
 * shared by every policy that has it (issue 6: memory per cached policy). Never mutated.
 */
export interface PolicyShape {
  readonly mode: PolicyMode;
  readonly allowCredentials: boolean;
  readonly allowPrivateNetwork: boolean;
  /** Allowed methods, normalised (see {@link normaliseMethod}), without `*`. */
  readonly allowedMethods: ReadonlySet<string>;
  readonly anyMethod: boolean;
  /** Allowed request header names, lower-case, without `*`. */
  readonly allowedHeaders: ReadonlySet<string>;
  readonly anyHeader: boolean;
  /** `Access-Control-Allow-Methods` value; `''` means omit. */
  readonly allowMethodsValue: string;
  /** `Access-Control-Allow-Headers` value when no header is requested; `''` means omit. */
  readonly allowHeadersValue: string;
  /** `Access-Control-Expose-Headers` value; `''` means omit. */
  readonly exposeHeadersValue: string;
  readonly maxAgeValue: string;
  /** Status of an answered preflight, 204 or 200. */
  readonly preflightStatus: 200 | 204;
  /** Whether allowed actual responses carry `Timing-Allow-Origin: <origin>`. */
  readonly timingAllowOrigin: boolean;
  /** Whether responses carry `CORS-Decision` (see `corsDecisionHeader`). */
  readonly debugHeader: boolean;
  /** Headers every allowed actual request carries besides Allow-Origin. */
  readonly actualTailHeaders: readonly CorsHeader[];
  /** Headers of an allowed actual request matched by `*` (Allow-Origin `*`). */
  readonly anyOriginActualHeaders: readonly CorsHeader[];
  /** The Allow-Methods header with {@link allowMethodsValue}, when that is not `''`. */
  readonly allowMethodsHeader: CorsHeader | undefined;
  /** The Allow-Headers header with {@link allowHeadersValue}, when that is not `''`. */
  readonly allowHeadersHeader: CorsHeader | undefined;
  readonly maxAgeHeader: CorsHeader;
  /** Entries left out, reported before the origin rules' warnings (exposed headers)… */
  readonly warningsBefore: readonly string[];
  /** …and after them (methods, headers, max-age), in the order the policy lists its fields. */
  readonly warningsAfter: readonly string[];
}

export const CREDENTIALS_HEADER: CorsHeader = Object.freeze([
  'access-control-allow-credentials',
  'true',
]);
export const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Distinct settings kept at once. A deployment has a handful; the bound only keeps a flood of
 * one-off settings from growing the table forever. A policy compiled after its shape left the
 * table gets a copy of its own, which is only less shared, never wrong.
 */
const MAX_SHAPES = 512;
const shapes = new Map<string, PolicyShape>();

/** The shared {@link PolicyShape} of a policy's non-origin settings. */
export function shapeOf(policy: CorsPolicy): PolicyShape {
  // Truthiness, as the decision has always read these two flags.
  const credentials = !!policy.allowCredentials;
  const warningsBefore: string[] = [];
  const exposed = uniqueTokens(policy.exposedHeaders, 'exposed header', warningsBefore, (h) =>
    h.toLowerCase(),
  );
  if (credentials && exposed.includes('*')) {
    warningsBefore.push(
      'exposed header * ignored: it is a literal name when credentials are allowed',
    );
  }
  const warningsAfter: string[] = [];
  const methods = uniqueTokens(policy.allowedMethods, 'method', warningsAfter, normaliseMethod);
  const headers = uniqueTokens(policy.allowedHeaders, 'header', warningsAfter, (h) =>
    h.toLowerCase(),
  );
  const maxAge = Number.isInteger(policy.maxAge)
    ? Math.min(Math.max(policy.maxAge, 0), MAX_MAX_AGE)
    : 0;
  if (maxAge !== policy.maxAge) warningsAfter.push(`maxAge ${policy.maxAge} replaced by ${maxAge}`);
  const mode: PolicyMode = policy.mode === 'report-only' ? 'report-only' : 'enforce';
  const privateNetwork = !!policy.allowPrivateNetwork;
  const preflightStatus = policy.preflightStatus === 200 ? 200 : 204;
  const timingAllowOrigin = policy.timingAllowOrigin === true;
  const debugHeader = policy.debugHeader === true;

  // Keyed by what the shape is made of, warnings included: everything below is a function of
  // these values, and JSON keeps strings, numbers and booleans apart.
  const parts = [
    mode,
    credentials,
    privateNetwork,
    maxAge,
    methods,
    headers,
    exposed,
    warningsBefore,
    warningsAfter,
    preflightStatus,
    timingAllowOrigin,
    debugHeader,
  ] as const;
  const key = JSON.stringify(parts);
  let shape = shapes.get(key);
  if (shape === undefined) {
    shape = buildShape(...parts);
    if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
    shapes.set(key, shape);
  }
  return shape;
}

function buildShape(
  mode: PolicyMode,
  credentials: boolean,
  allowPrivateNetwork: boolean,
  maxAge: number,
  methods: readonly string[],
  headers: readonly string[],
  exposed: readonly string[],
  warningsBefore: readonly string[],
  warningsAfter: readonly string[],
  preflightStatus: 200 | 204,
  timingAllowOrigin: boolean,
  debugHeader: boolean,
): PolicyShape {
  const exposeHeadersValue = exposed.filter((h) => !(credentials && h === '*')).join(', ');
  const actualTailHeaders: CorsHeader[] = [];
  if (credentials) actualTailHeaders.push(CREDENTIALS_HEADER);
  if (exposeHeadersValue !== '')
    actualTailHeaders.push(['access-control-expose-headers', exposeHeadersValue]);

  const anyMethod = methods.includes('*');
  const explicitMethods = methods.filter((m) => m !== '*');
  // With credentials `*` is a literal method name to the browser
  // (https://fetch.spec.whatwg.org/#cors-preflight-fetch), so decide echoes the method instead.
  const allowMethodsValue = anyMethod && !credentials ? '*' : explicitMethods.join(', ');

  const anyHeader = headers.includes('*');
  const explicitHeaders = headers.filter((h) => h !== '*');
  const allowHeadersValue = (credentials ? explicitHeaders : headers).join(', ');
  const maxAgeValue = String(maxAge);

  return Object.freeze({
    mode,
    allowCredentials: credentials,
    allowPrivateNetwork,
    allowedMethods: new Set(explicitMethods),
    anyMethod,
    allowedHeaders: new Set(explicitHeaders.map((h) => h.toLowerCase())),
    anyHeader,
    allowMethodsValue,
    allowHeadersValue,
    exposeHeadersValue,
    maxAgeValue,
    preflightStatus,
    timingAllowOrigin,
    debugHeader,
    actualTailHeaders: freezeAll(actualTailHeaders),
    anyOriginActualHeaders: freezeAll([['access-control-allow-origin', '*'], ...actualTailHeaders]),
    allowMethodsHeader:
      allowMethodsValue === ''
        ? undefined
        : Object.freeze(['access-control-allow-methods', allowMethodsValue] as const),
    allowHeadersHeader:
      allowHeadersValue === ''
        ? undefined
        : Object.freeze(['access-control-allow-headers', allowHeadersValue] as const),
    maxAgeHeader: Object.freeze(['access-control-max-age', maxAgeValue] as const),
    warningsBefore: Object.freeze(warningsBefore),
    warningsAfter: Object.freeze(warningsAfter),
  });
}

/** Keeps valid tokens (and `*`), unique by `key`, in their first-seen spelling. */
function uniqueTokens(
  values: readonly string[],
  noun: string,
  warnings: string[],
  key: (value: string) => string,
): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const value of values) {
    if (typeof value !== 'string' || !isHttpToken(value)) {
      warnings.push(`${noun} ${JSON.stringify(value)} ignored: not a valid HTTP token`);
      continue;
    }
    const k = key(value);
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push(noun === 'method' ? k : value);
  }
  return kept;
}

export function freezeAll(headers: CorsHeader[]): readonly CorsHeader[] {
  for (const header of headers) Object.freeze(header);
  return Object.freeze(headers);
}
