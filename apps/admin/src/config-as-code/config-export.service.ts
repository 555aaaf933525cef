import { Injectable } from '@nestjs/common';
import { DomainError } from '#problem-details';
import { tenantNotFound } from '../tenants/tenants.repository.js';
import { ConfigStateRepository } from './config-state.repository.js';
import { type ExportFormat, SINGLE_TENANT_FORMATS } from './document/config-model.js';
import { MAX_DOCUMENT_TENANTS } from './document/config-document.schema.js';
import type { WrittenDocument } from './formats/config-format.js';
import { FORMAT_WRITERS } from './formats/formats.js';

/** Writes stored tenants in a format, with what the format could not say. */
@Injectable()
export class ConfigExportService {
  constructor(private readonly states: ConfigStateRepository) {}

  async export(format: ExportFormat, tenant: string | undefined): Promise<WrittenDocument> {
    if (tenant === undefined && SINGLE_TENANT_FORMATS.has(format))
      throw DomainError.validation([{ field: 'tenant', reason: `is required for the ${format} format (it describes one tenant)` }]);
    return FORMAT_WRITERS[format](tenant === undefined ? await this.all() : [await this.one(tenant)]);
  }

  private async one(slug: string) {
    const state = (await this.states.read([slug])).get(slug);
    if (state === undefined) throw tenantNotFound(slug);
    return state;
  }

  private async all() {
    if ((await this.states.count()) > MAX_DOCUMENT_TENANTS) {
      throw DomainError.validation([
        { field: 'tenant', reason: `is required: there are more than ${MAX_DOCUMENT_TENANTS} tenants, export them one at a time` },
      ]);
    }
    return this.states.readAll();
  }
}
