// The admin app in a process of its own, run from the build, for the invalidation scenario.
import type { AddressInfo } from 'node:net';
import { importBuilt } from '../lib/dist.js';
import { serveCommands } from '../lib/server-process.js';

type AdminAppModule = typeof import('../../apps/admin/src/admin.app.js');
type AdminConfigModule = typeof import('../../apps/admin/src/config/admin.config.js');
type ServiceRuntimeModule = typeof import('../../libs/service-runtime/src/index.js');

const { createAdminApp } = await importBuilt<AdminAppModule>('apps/admin/src/admin.app.ts');
const { loadAdminConfig } = await importBuilt<AdminConfigModule>('apps/admin/src/config/admin.config.ts');
const { createLogger } = await importBuilt<ServiceRuntimeModule>('libs/service-runtime/src/index.ts');

const config = loadAdminConfig({ ...process.env, ADMIN_PORT: '0', HOST: '127.0.0.1' });
const app = await createAdminApp(config, createLogger({ name: 'admin', level: config.LOG_LEVEL }));
await app.listen({ port: 0, host: '127.0.0.1' });
serveCommands((app.getHttpServer().address() as AddressInfo).port, () => app.close());
