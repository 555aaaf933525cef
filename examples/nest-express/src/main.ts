import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is not set: give the corsmesh database, the one the admin app manages');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);

// Express is Nest's default platform: no adapter to give.
const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ databaseUrl }));
// SIGTERM closes the app, and with it the policy source's connections.
app.enableShutdownHooks();
await app.listen(port, process.env.HOST ?? '0.0.0.0');
console.log(`nest-express example listening on port ${port}`);
