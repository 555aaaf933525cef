import { type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '#problem-details';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

/**
 * Accepts request bodies in JSON only. Fastify (with Nest's adapter) also parses text/plain
 * and form bodies; a form post turned into an object would be validated like JSON, which makes
 * the API accept what it never documented. A request without a body passes, and its missing
 * fields are reported by validation. A body nested deeper than {@link MAX_JSON_DEPTH} levels
 * is a 400 before anything walks it.
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
    if (nestsDeeperThan(request.body, MAX_JSON_DEPTH)) {
      throw DomainError.validation([{ field: 'body', reason: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }]);
    }
    return true;
  }
}
