// The library comparison's NestJS app on Fastify (see nest-echo-app.ts), in a process of its own.
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { serveNestEcho } from './nest-echo-app.js';

await serveNestEcho(new FastifyAdapter());
