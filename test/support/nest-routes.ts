import { METHOD_METADATA } from '@nestjs/common/constants.js';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';

/**
 * How many route handlers the app's controllers hide from the OpenAPI document with
 * `@ApiExcludeController()` or `@ApiExcludeEndpoint()` (Swagger UI itself, the dashboard's
 * page), read from Nest's metadata.
 */
export function excludedFromDocsCount(app: INestApplication): number {
  let count = 0;
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const controllerExcluded = Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, metatype)?.[0] === true;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const endpointExcluded = Reflect.getMetadata(DECORATORS.API_EXCLUDE_ENDPOINT, handler)?.disable === true;
        if (controllerExcluded || endpointExcluded) count++;
      }
    }
  }
  return count;
}
