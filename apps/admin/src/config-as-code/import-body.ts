import type { FastifyInstance } from 'fastify';
import { DomainError } from '#problem-details';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../validation/json-depth.js';
import { parseSource, syntaxOfMediaType } from './document/parse-source.js';

/** The YAML and XML media types an import body may have (JSON is parsed by Nest's own parser). */
const TEXT_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml', 'application/xml', 'text/xml'];

/**
 * Lets the admin app read YAML and XML bodies as text (parsed later, by the import, with the
 * YAML and XML parsers), within `bodyLimit`; and gives routes marked `@RouteConfig({ largeBody:
 * true })` the larger `largeBodyLimit` for every body type.
 */
export function acceptConfigurationBodies(instance: FastifyInstance, limits: { bodyLimit: number; largeBodyLimit: number }): void {
  instance.addContentTypeParser(TEXT_TYPES, { parseAs: 'string', bodyLimit: limits.bodyLimit }, (_request, body, done) => done(null, body));
  instance.addHook('onRoute', (route) => {
    if ((route.config as { largeBody?: unknown } | undefined)?.largeBody === true) route.bodyLimit = limits.largeBodyLimit;
  });
}

/** The document of an import request: JSON as Fastify parsed it, YAML and XML parsed here. */
export function importedDocument(body: unknown, contentType: string | undefined): unknown {
  const syntax = syntaxOfMediaType(contentType);
  if (syntax === undefined) {
    throw new UnsupportedMediaTypeException(
      `send the configuration as application/json, application/yaml or application/xml, not ${contentType ?? 'without a content type'}`,
    );
  }
  if (body === undefined || body === null || body === '') throw DomainError.validation([{ field: 'body', reason: 'is required: the document to import' }]);
  if (syntax !== 'json') return parseSource(String(body), syntax);
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw DomainError.validation([{ field: 'body', reason: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }]);
  return body;
}
