import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { createNestFastifyApp } from '#service-runtime';
import type { AdminConfig } from './config/admin.config.js';
import { AdminModule } from './admin.module.js';
import { acceptConfigurationBodies } from './config-as-code/import-body.js';
import { OpenApiDocument } from './docs/openapi-document.js';

/** The admin app, ready to `listen()` or to be driven with `inject()` in tests. */
export async function createAdminApp(config: AdminConfig, logger: Logger): Promise<NestFastifyApplication> {
  const app = await createNestFastifyApp(AdminModule.forRoot(config), {
    logger,
    bodyLimit: config.ADMIN_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    configureFastify: (instance) =>
      acceptConfigurationBodies(instance, { bodyLimit: config.ADMIN_BODY_LIMIT_BYTES, largeBodyLimit: config.ADMIN_IMPORT_BODY_LIMIT_BYTES }),
  });
  // Built from the routes, so only once they are all registered.
  app.get(OpenApiDocument).build(app);
  return app;
}
