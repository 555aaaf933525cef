import { Module } from '@nestjs/common';
import { DocsController, DocsJsonController } from './docs.controller.js';
import { OpenApiDocument } from './openapi-document.js';

/** The OpenAPI document and Swagger UI. */
@Module({ controllers: [DocsController, DocsJsonController], providers: [OpenApiDocument], exports: [OpenApiDocument] })
export class DocsModule {}
