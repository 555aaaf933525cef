import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is not set: give the corsmesh database, the one the admin app manages');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);

// The CORS layer sees the adapter and registers an onRequest hook: nothing else to configure.
const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ databaseUrl }), new FastifyAdapter({ bodyLimit: 64 * 1024 }));
// SIGTERM closes the app, and with it the policy source's connections.
app.enableShutdownHooks();
// Fastify listens on localhost only unless told otherwise.
await app.listen(port, process.env.HOST ?? '0.0.0.0');
console.log(`nest-fastify example listening on port ${port}`);
