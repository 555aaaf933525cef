import { Injectable } from '@nestjs/common';
import { DomainError } from '#problem-details';
import type { Page, PageQuery } from '../pagination/page.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { diffSnapshots } from './version-diff.js';
import { toSnapshotView, toVersionView, type VersionDiffView, type VersionItemView, type VersionView } from './version.schema.js';
import { VersionsRepository } from './versions.repository.js';

/** Reads a tenant's configuration history: the list, one version, and the diff of two. */
@Injectable()
export class VersionsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly versions: VersionsRepository,
  ) {}

  async list(slug: string, query: PageQuery): Promise<Page<VersionItemView> & { current: number }> {
    const tenant = await this.tenants.requireRef(slug);
    const [page, current] = await Promise.all([this.versions.list(tenant, query), this.versions.currentNumber(tenant)]);
    return { ...page, current };
  }

  async get(slug: string, number: string): Promise<VersionView> {
    const tenant = await this.tenants.requireRef(slug);
    return toVersionView(await this.versions.require(tenant, number));
  }

  /** What going from version `against` to version `number` changes. */
  async diff(slug: string, number: string, against: string | undefined): Promise<VersionDiffView> {
    const tenant = await this.tenants.requireRef(slug);
    const to = await this.versions.require(tenant, number);
    if (against === undefined || against === '')
      throw DomainError.validation([{ field: 'against', reason: 'is required: the version to compare with' }]);
    const from = await this.versions.require(tenant, against);
    return {
      version: to.version,
      against: from.version,
      ...diffSnapshots(toSnapshotView(from.snapshot), toSnapshotView(to.snapshot)),
    };
  }
}
