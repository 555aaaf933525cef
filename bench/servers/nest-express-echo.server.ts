// The library comparison's NestJS app on Express (see nest-echo-app.ts), in a process of its own.
import { ExpressAdapter } from '@nestjs/platform-express';
import { serveNestEcho } from './nest-echo-app.js';

await serveNestEcho(new ExpressAdapter());
