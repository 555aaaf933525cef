import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, Controller, Get, type INestApplication, Module, NotFoundException, Param, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { corsOf, DynamicCorsModule, type DynamicCorsOptions } from '#dynamic-cors';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];

/** A tenant API such as a platform writes it: the routes an embedding app has under `/t/:slug`. */
@Controller()
class TenantApiController {
  @Get('t/:slug/echo')
  echo(@Param('slug') slug: string, @Req() request: object) {
    return { tenant: slug, decision: corsOf(request)?.decision.kind ?? null };
  }

  @Post('t/:slug/echo')
  post(@Param('slug') slug: string, @Body() body: unknown) {
    return { tenant: slug, body };
  }

  @Get('t/:slug/fails')
  fails(): never {
    throw new Error('handler failed');
  }

  @Get('t/:slug/missing')
  missing(): never {
    throw new NotFoundException('no such thing');
  }

  @Get('health')
  health() {
    return { ok: true };
  }
}

/**
 * A fresh NestJS app on `platform` with the library's module, as a user writes it, listening
 * on a free port over real HTTP.
 */
export async function startEmbeddingApp(platform: Platform, options: DynamicCorsOptions): Promise<EmbeddingApp> {
  @Module({ imports: [DynamicCorsModule.forRoot(options)], controllers: [TenantApiController] })
  class EmbeddingModule {}
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(EmbeddingModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  return new EmbeddingApp(app);
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export class EmbeddingApp {
  constructor(readonly app: INestApplication) {}

  get port(): number {
    return (this.app.getHttpServer().address() as AddressInfo).port;
  }

  /** One request over a real socket (Node's fetch would refuse to send `Origin` as given). */
  request(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port: this.port, method, path, headers: { host: `127.0.0.1:${this.port}`, ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
