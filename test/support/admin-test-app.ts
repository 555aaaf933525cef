import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createAdminApp } from '../../apps/admin/src/admin.app.js';
import { loadAdminConfig } from '../../apps/admin/src/config/admin.config.js';
import { testLogger } from './silent-logger.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** The root token of every admin test app. */
export const TEST_ADMIN_TOKEN = 'test-root-token-0123456789abcdefghij';

/** One admin API request; `token: null` sends no Authorization header. */
export interface AdminRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | 'HEAD';
  readonly url: string;
  readonly body?: unknown;
  /** Bearer token; the root token unless given, none when null. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
  /** Client address, to keep the failed-authentication limit of one test away from the others. */
  readonly remoteAddress?: string;
}

/** An admin app on a database of its own, driven through Fastify's inject. */
export interface AdminTestApp {
  readonly app: NestFastifyApplication;
  readonly db: TestDatabase;
  request(request: AdminRequest): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Starts the admin app, as production builds it, on a fresh migrated database; `env` adds
 * or overrides configuration variables.
 */
export async function startAdminTestApp(env: Record<string, string> = {}): Promise<AdminTestApp> {
  const db = await createTestDatabase();
  const app = await createAdminApp(
    loadAdminConfig({ DATABASE_URL: db.url, ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...env }),
    testLogger(),
  );
  const fastify = app.getHttpAdapter().getInstance();
  return {
    app,
    db,
    request: ({ method, url, body, token, headers, remoteAddress }) => {
      const bearer = token === undefined ? TEST_ADMIN_TOKEN : token;
      const options: InjectOptions = {
        method,
        url,
        headers: { ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...headers },
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
        ...(remoteAddress === undefined ? {} : { remoteAddress }),
      };
      return fastify.inject(options);
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
