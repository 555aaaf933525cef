import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { ConfigError } from '#config';
import { explainConnectionFailure, migrate, startEmbeddedDatabase, type EmbeddedDatabase } from '#database';
import { listenOrExplain } from '#service-runtime';
import { createAdminApp } from '../../admin/src/admin.app.js';
import { loadAdminConfig } from '../../admin/src/config/admin.config.js';
import { createGatewayApp } from '../../gateway/src/gateway.app.js';
import { loadGatewayConfig } from '../../gateway/src/config/gateway.config.js';
import { keepAdminToken, resolveAdminToken, type AdminToken } from './admin-token.js';
import type { LauncherConfig } from './launcher.config.js';

/** Both apps running in this process, on one database. */
export interface RunningStack {
  readonly gatewayUrl: string;
  readonly adminUrl: string;
  readonly adminToken: AdminToken;
  /** Which database, and where its data lives, for a person to read. */
  readonly database: string;
  /** Set when the embedded database is in use. */
  readonly embeddedDatabase?: EmbeddedDatabase;
  /** Stops the apps, then the embedded database. */
  stop(): Promise<void>;
}

/**
 * What `npm start` does: validates all configuration first, picks the database (DATABASE_URL,
 * or an embedded PostgreSQL keeping its data in DATA_DIR), applies migrations, and starts the
 * gateway and the admin app.
 */
export async function startAll(env: Record<string, string | undefined>, launcher: LauncherConfig, logger: Logger): Promise<RunningStack> {
  const dataDir = resolve(launcher.DATA_DIR);
  const adminToken = await resolveAdminToken(launcher.ADMIN_TOKEN, dataDir);
  // The embedded database's URL is known only once it runs; a placeholder lets every other
  // variable be checked before anything starts.
  const appEnv = { ...env, DATABASE_URL: launcher.DATABASE_URL ?? 'postgresql://embedded', ADMIN_TOKEN: adminToken.token };
  const [gatewayConfig, adminConfig] = validateBoth(() => loadGatewayConfig(appEnv), () => loadAdminConfig(appEnv));

  const progress = (message: string) => logger.info(message);
  const embeddedDatabase = launcher.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase({ dataDir, port: launcher.EMBEDDED_POSTGRES_PORT, log: progress });
  const databaseUrl = launcher.DATABASE_URL ?? embeddedDatabase!.url;
  const apps: NestFastifyApplication[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) await app.close();
    await embeddedDatabase?.stop();
  };
  try {
    await migrate({ databaseUrl, log: progress }).catch((error: unknown) => {
      throw explainConnectionFailure(error, databaseUrl);
    });
    const gateway = await createGatewayApp({ ...gatewayConfig, DATABASE_URL: databaseUrl }, logger.child({ app: 'gateway' }));
    apps.push(gateway);
    await listenOrExplain(gateway, { name: 'gateway', port: gatewayConfig.PORT, host: gatewayConfig.HOST, portVariable: 'PORT' });
    const admin = await createAdminApp({ ...adminConfig, DATABASE_URL: databaseUrl }, logger.child({ app: 'admin' }));
    apps.push(admin);
    await listenOrExplain(admin, { name: 'admin app', port: adminConfig.ADMIN_PORT, host: adminConfig.HOST, portVariable: 'ADMIN_PORT' });
    await keepAdminToken(adminToken);
    const database = embeddedDatabase
      ? `embedded PostgreSQL on 127.0.0.1:${launcher.EMBEDDED_POSTGRES_PORT}, data in ${embeddedDatabase.clusterDir}`
      : `DATABASE_URL (${withoutCredentials(databaseUrl)})`;
    return { gatewayUrl: await gateway.getUrl(), adminUrl: await admin.getUrl(), adminToken, database, embeddedDatabase, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Both apps' configurations, or one ConfigError naming every bad variable of either. */
function validateBoth<A, B>(first: () => A, second: () => B): [A, B] {
  const attempt = <T>(load: () => T): T | ConfigError => {
    try {
      return load();
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  };
  const a = attempt(first);
  const b = attempt(second);
  if (a instanceof ConfigError || b instanceof ConfigError) {
    const problems = [a, b].flatMap((result) => (result instanceof ConfigError ? result.problems : []));
    throw new ConfigError(problems.filter((problem, i) => problems.findIndex((other) => other.variable === problem.variable) === i));
  }
  return [a, b];
}

function withoutCredentials(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
