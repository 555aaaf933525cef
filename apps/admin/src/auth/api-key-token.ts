import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an API key token starts with, so leaked keys are easy to recognise and scan for. */
export const API_KEY_TOKEN_PREFIX = 'cmk_';

const TOKEN_PATTERN = /^cmk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A freshly generated API key: the token is shown once; only prefix and hash are stored. */
export interface GeneratedApiKey {
  readonly token: string;
  readonly prefix: string;
  readonly secretHash: string;
}

/**
 * A new key `cmk_<prefix>_<secret>`: a 64-bit public prefix to find the row and a 256-bit
 * secret of which only the SHA-256 is stored (a fast hash is enough for a random secret of
 * this size; a slow password hash would only slow down every request).
 */
export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `${API_KEY_TOKEN_PREFIX}${prefix}_${secret}`, prefix, secretHash: sha256Hex(secret) };
}

/** The prefix and secret of a well-formed key token, or null. */
export function parseApiKeyToken(token: string): { prefix: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match === null ? null : { prefix: match[1]!, secret: match[2]! };
}

/** Whether `secret` hashes to `secretHash`, compared in constant time. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const expected = Buffer.from(secretHash, 'hex');
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Whether two strings are equal, in time independent of where they differ: both are hashed
 * first so that the comparison does not reveal the length either.
 */
export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
