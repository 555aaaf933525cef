import { ConfigError, envSchemas, loadConfig } from '#config';
import { migrate } from '#database';
import { z } from 'zod';

// `npm run db:migrate`: applies pending migrations to DATABASE_URL, without Prisma's engine.
try {
  const { DATABASE_URL } = loadConfig(z.object({ DATABASE_URL: envSchemas.postgresUrl }));
  const result = await migrate({ databaseUrl: DATABASE_URL, log: (message) => process.stdout.write(message + '\n') });
  process.stdout.write(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied\n`);
} catch (error) {
  process.stderr.write(`migration failed: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
  process.exit(1);
}
