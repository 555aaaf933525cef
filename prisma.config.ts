import { defineConfig } from 'prisma/config';

// Read only by the Prisma CLI. `generate` needs no connection; `migrate deploy` (where Prisma's
// engine is available) uses DATABASE_URL. The app applies migrations itself (libs/database).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/corsmesh' },
});
