import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { migrate, startEmbeddedDatabase, type EmbeddedDatabase } from '#database';
import { createAdminApp } from '../../admin/src/admin.app.js';
import { loadAdminConfig } from '../../admin/src/config/admin.config.js';
import { createGatewayApp } from '../../gateway/src/gateway.app.js';
import { loadGatewayConfig } from '../../gateway/src/config/gateway.config.js';
import { keepAdminToken, resolveAdminToken, type AdminToken } from './admin-token.js';
import { loadLauncherConfig } from './launcher.config.js';

/** Both apps running in this process, on one database. */
export interface RunningStack {
  readonly gatewayUrl: string;
  readonly adminUrl: string;
  readonly adminToken: AdminToken;
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
export async function startAll(env: Record<string, string | undefined>, logger: Logger): Promise<RunningStack> {
  const launcher = loadLauncherConfig(env);
  const adminToken = await resolveAdminToken(launcher.ADMIN_TOKEN, launcher.DATA_DIR);
  // The embedded database's URL is known only once it runs; a placeholder lets every other
  // variable be checked before anything starts.
  const appEnv = { ...env, DATABASE_URL: launcher.DATABASE_URL ?? 'postgresql://embedded', ADMIN_TOKEN: adminToken.token };
  const gatewayConfig = loadGatewayConfig(appEnv);
  const adminConfig = loadAdminConfig(appEnv);

  const progress = (message: string) => logger.info(message);
  const embeddedDatabase = launcher.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase({ dataDir: launcher.DATA_DIR, port: launcher.EMBEDDED_POSTGRES_PORT, log: progress });
  const databaseUrl = launcher.DATABASE_URL ?? embeddedDatabase!.url;
  const apps: NestFastifyApplication[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) await app.close();
    await embeddedDatabase?.stop();
  };
  try {
    await migrate({ databaseUrl, log: progress });
    const gateway = await createGatewayApp({ ...gatewayConfig, DATABASE_URL: databaseUrl }, logger.child({ app: 'gateway' }));
    apps.push(gateway);
    await gateway.listen({ port: gatewayConfig.PORT, host: gatewayConfig.HOST });
    const admin = await createAdminApp({ ...adminConfig, DATABASE_URL: databaseUrl }, logger.child({ app: 'admin' }));
    apps.push(admin);
    await admin.listen({ port: adminConfig.ADMIN_PORT, host: adminConfig.HOST });
    await keepAdminToken(adminToken);
    return { gatewayUrl: await gateway.getUrl(), adminUrl: await admin.getUrl(), adminToken, embeddedDatabase, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
