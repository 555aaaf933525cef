import { type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Accepts request bodies in JSON only. Fastify (with Nest's adapter) also parses text/plain
 * and form bodies; a form post turned into an object would be validated like JSON, which makes
 * the API accept what it never documented. A request without a body passes, and its missing
 * fields are reported by validation.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.body === undefined || request.body === null) return true;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new UnsupportedMediaTypeException(
        `send the body as application/json, not ${type === '' ? 'without a content type' : type}`,
      );
    }
    return true;
  }
}
