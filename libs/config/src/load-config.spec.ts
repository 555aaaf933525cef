import { z } from 'zod';
import { ConfigError } from './load-config.js';
import { envSchemas, loadConfig } from './index.js';

const schema = z.object({
  DATABASE_URL: envSchemas.postgresUrl,
  PORT: envSchemas.port(3000),
  LOG_LEVEL: envSchemas.logLevel,
  BASE_DOMAIN: envSchemas.hostname.optional(),
  TRUST_PROXY: envSchemas.trustProxy,
  UPSTREAM_ALLOWED_HOSTS: envSchemas.upstreamAllowedHosts,
});

describe(loadConfig.name, () => {
  it('applies defaults and converts types', () => {
    expect(loadConfig(schema, { DATABASE_URL: 'postgresql://db/x', TRUST_PROXY: '1' })).toEqual({
      DATABASE_URL: 'postgresql://db/x',
      PORT: 3000,
      LOG_LEVEL: 'info',
      TRUST_PROXY: 1,
      UPSTREAM_ALLOWED_HOSTS: [],
    });
  });

  describe('TRUST_PROXY', () => {
    const trustProxy = (value?: string) => loadConfig(schema, { DATABASE_URL: 'postgresql://db/x', TRUST_PROXY: value }).TRUST_PROXY;

    it('trusts nobody by default', () => {
      expect(trustProxy()).toBe(false);
      expect(trustProxy('0')).toBe(false);
    });

    it('takes a comma list of addresses and CIDR ranges', () => {
      expect(trustProxy('10.0.0.0/8, ::1,192.168.1.7')).toEqual(['10.0.0.0/8', '::1', '192.168.1.7']);
    });

    it('refuses true, which would let any client choose its address', () => {
      expect(() => trustProxy('true')).toThrow(/TRUST_PROXY: true would trust any client/);
    });

    it('names a bad entry of the list', () => {
      expect(() => trustProxy('10.0.0.0/8,proxy.internal')).toThrow(/bad entry: proxy.internal/);
      expect(() => trustProxy('10.0.0.0/33')).toThrow(/bad entry: 10.0.0.0\/33/);
    });
  });

  describe('UPSTREAM_ALLOWED_HOSTS', () => {
    const allowed = (value?: string) => loadConfig(schema, { DATABASE_URL: 'postgresql://db/x', UPSTREAM_ALLOWED_HOSTS: value }).UPSTREAM_ALLOWED_HOSTS;

    it('takes host names, addresses and CIDR ranges, lower-cased', () => {
      expect(allowed('127.0.0.1, ::1,10.0.0.0/8, Backend.Internal')).toEqual(['127.0.0.1', '::1', '10.0.0.0/8', 'backend.internal']);
      expect(allowed()).toEqual([]);
    });

    it('names a bad entry', () => {
      expect(() => allowed('127.0.0.1,http://x')).toThrow(/bad entry: http:\/\/x/);
      expect(() => allowed('10.0.0.0/40')).toThrow(/bad entry: 10.0.0.0\/40/);
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { DATABASE_URL: 'postgres://db/x', PORT: '' }).PORT).toBe(3000);
  });

  it('names every bad variable with the reason', () => {
    let error: unknown;
    try {
      loadConfig(schema, { DATABASE_URL: 'mysql://db', PORT: '70000', LOG_LEVEL: 'loud', BASE_DOMAIN: 'not a domain' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual(['BASE_DOMAIN', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as Error).message).toContain('PORT: must be between 0 and 65535');
    expect((error as Error).message).toContain('DATABASE_URL: must be a postgresql:// URL');
  });

  it('reports a missing required variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(/DATABASE_URL: /);
  });
});
