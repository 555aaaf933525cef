import { isIP } from 'node:net';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function port(defaultPort: number) {
  return z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(defaultPort);
}

function wholeNumber(min: number, defaultValue: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(defaultValue);
}

function positiveInt(defaultValue: number, max: number) {
  return wholeNumber(1, defaultValue, max);
}

function nonNegativeInt(defaultValue: number, max: number) {
  return wholeNumber(0, defaultValue, max);
}

const postgresUrl = z
  .string({ error: (issue) => (issue.input === undefined ? 'must be set to a postgresql:// URL' : 'must be a postgresql:// URL') })
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgresql:// URL');

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i, 'must be a domain name such as apis.example.com')
  .transform((value) => value.toLowerCase());

/**
 * Which hops in front of an app may set `X-Forwarded-*`: none (`false`), the nearest N hops,
 * or the listed addresses and CIDR ranges. There is no "trust everyone": with `true`, any
 * client could pick the address the app sees (SPEC "Security contract").
 */
export type TrustProxySetting = false | number | readonly string[];

const trustProxy = z
  .string()
  .default('false')
  .transform((value, context): TrustProxySetting => {
    const trimmed = value.trim();
    if (trimmed === 'false' || trimmed === '0') return false;
    if (/^[0-9]+$/.test(trimmed)) return Math.min(Number(trimmed), 100);
    if (trimmed === 'true') {
      context.addIssue({
        code: 'custom',
        message: 'true would trust any client\'s X-Forwarded-For; give the number of proxies in front (e.g. 1) or their addresses (e.g. 10.0.0.0/8)',
      });
      return z.NEVER;
    }
    const entries = trimmed.split(',').map((entry) => entry.trim()).filter(Boolean);
    const bad = entries.find((entry) => !isAddressOrRange(entry));
    if (bad !== undefined || entries.length === 0) {
      context.addIssue({ code: 'custom', message: `must be false, a hop count, or a comma list of IP addresses or CIDR ranges (bad entry: ${bad ?? value})` });
      return z.NEVER;
    }
    return entries;
  });

/**
 * The operator's allow-list of upstream and tenant hosts that would otherwise be refused
 * (loopback, link-local, metadata, the gateway's own addresses, IP-literal or `localhost`
 * tenant hostnames): a comma list of host names, IP addresses and CIDR ranges, lower-cased.
 */
const upstreamAllowedHosts = z
  .string()
  .default('')
  .transform((value, context): readonly string[] => {
    const entries = value.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
    const bad = entries.find((entry) => !isAddressOrRange(entry) && !HOST_NAME.test(entry));
    if (bad !== undefined) {
      context.addIssue({ code: 'custom', message: `must be a comma list of host names, IP addresses or CIDR ranges (bad entry: ${bad})` });
      return z.NEVER;
    }
    return entries;
  });

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** The building blocks of each app's environment schema, so both validate a variable alike. */
export const envSchemas = {
  port,
  positiveInt,
  nonNegativeInt,
  postgresUrl,
  hostname,
  host: z.string().min(1).default('127.0.0.1'),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Unset: decided at start-up (readable on a terminal, JSON when piped or in production). */
  logFormat: z.enum(['pretty', 'json'], { error: 'must be pretty or json' }).optional(),
  nodeEnv: z.string().optional(),
  adminToken: z.string().min(24, 'must be at least 24 characters'),
  trustProxy,
  upstreamAllowedHosts,
  boolean: (defaultValue: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .default(defaultValue ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
};
