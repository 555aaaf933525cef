import { Injectable } from '@nestjs/common';
import { PrismaService } from '#database';
import { DomainError, type InvalidField } from '#problem-details';
import type { Db } from '../persistence/prisma-errors.js';
import { TenantHostsValidator } from '../tenants/tenant-hosts.validator.js';
import { ConfigStateRepository, type TenantNotice } from './config-state.repository.js';
import type { ImportFormat, MappedConfig, TenantState } from './document/config-model.js';
import { MAX_DOCUMENT_TENANTS } from './document/config-document.schema.js';
import { type ImportPlan, planChanges, type TenantChange } from './document/plan-changes.js';
import { resolveTenants, within } from './document/resolve-tenants.js';
import { FORMAT_READERS } from './formats/formats.js';
import { TenantChangeApplier } from './tenant-change.applier.js';

/** What to import and how. */
export interface ImportRequest {
  readonly format: ImportFormat;
  /** The parsed document (JSON, YAML or XML already read into values). */
  readonly document: unknown;
  readonly dryRun: boolean;
  readonly prune: boolean;
  readonly tenant?: string;
}

/** The plan, and whether it was applied. */
export type ImportResult = ImportPlan & { readonly dryRun: boolean };

/**
 * An import can take much longer than an ordinary write (a thousand tenants); PostgreSQL still
 * bounds each statement, and this bounds the whole transaction.
 */
const IMPORT_TRANSACTION_TIMEOUT_MS = 120_000;

/**
 * Imports a configuration: reads the format, validates every tenant with the admin API's rules
 * against what is stored, plans the changes and, unless it is a dry run, applies them in one
 * transaction (all or nothing) with an audit event and one change notice per changed tenant.
 */
@Injectable()
export class ConfigImportService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly states: ConfigStateRepository,
    private readonly hosts: TenantHostsValidator,
    private readonly applier: TenantChangeApplier,
  ) {}

  async import(actor: string, request: ImportRequest): Promise<ImportResult> {
    const mapped = await this.read(request);
    if (request.dryRun) {
      const changes = await this.plan(mapped, request.prune, this.prisma);
      return { dryRun: true, changes: changes.map((c) => c.change), losses: mapped.losses };
    }
    const changes = await this.prisma.$transaction(
      async (tx) => {
        await this.states.deferNotices(tx);
        await this.states.lock(slugsOf(mapped), tx);
        const planned = await this.plan(mapped, request.prune, tx);
        await this.apply(actor, planned, tx);
        return planned;
      },
      { timeout: IMPORT_TRANSACTION_TIMEOUT_MS, maxWait: IMPORT_TRANSACTION_TIMEOUT_MS },
    );
    return { dryRun: false, changes: changes.map((c) => c.change), losses: mapped.losses };
  }

  private async read(request: ImportRequest): Promise<MappedConfig> {
    // Kong routes name their tenant by host: the stored owners of every host the file mentions.
    const owners = request.format === 'kong' ? await this.states.hostnameOwners(hostsIn(request.document)) : new Map<string, string>();
    const mapped = FORMAT_READERS[request.format](request.document, {
      ...(request.tenant === undefined ? {} : { tenant: request.tenant }),
      tenantOfHost: (host) => owners.get(host),
    });
    if (mapped.tenants.length > MAX_DOCUMENT_TENANTS)
      throw DomainError.validation([{ field: 'tenants', reason: `must have at most ${MAX_DOCUMENT_TENANTS} entries` }]);
    return mapped;
  }

  /** Validates everything against the stored state and plans; a 400 names every invalid item. */
  private async plan(mapped: MappedConfig, prune: boolean, db: Db): Promise<TenantChange[]> {
    const slugs = slugsOf(mapped);
    const current = await this.states.read(slugs, db);
    const resolved = resolveTenants(mapped, current);
    const invalid: InvalidField[] = [...resolved.invalid];
    for (const tenant of resolved.desired) {
      try {
        this.hosts.check(tenant);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        invalid.push(...within(resolved.where.get(tenant.slug)!, error.invalidFields));
      }
    }
    const named = new Set(resolved.desired.map((tenant) => tenant.slug));
    const pruned = prune ? await this.prunable(named, db) : [];
    const prunedSlugs = new Set(pruned.map((tenant) => tenant.slug));
    const owners = await this.states.hostnameOwners(resolved.desired.flatMap((tenant) => tenant.hostnames), db);
    for (const tenant of resolved.desired) {
      tenant.hostnames.forEach((hostname) => {
        const owner = owners.get(hostname);
        if (owner !== undefined && !named.has(owner) && !prunedSlugs.has(owner)) {
          invalid.push({
            field: `${resolved.where.get(tenant.slug)!}.hostnames`,
            reason: `${hostname} belongs to tenant ${owner}, which this import does not change`,
          });
        }
      });
    }
    if (invalid.length > 0) throw DomainError.validation(invalid);
    return planChanges(resolved.desired, current, pruned);
  }

  private async prunable(named: ReadonlySet<string>, db: Db): Promise<TenantState[]> {
    if ((await this.states.count(db)) - named.size > MAX_DOCUMENT_TENANTS) {
      throw DomainError.validation([
        { field: 'prune', reason: `would delete more than ${MAX_DOCUMENT_TENANTS} tenants in one import; delete them in smaller steps` },
      ]);
    }
    return this.states.readAll(named, db);
  }

  /**
   * Deletions first, then the hostnames that move between tenants are released, then each
   * tenant is created or changed: so a hostname can pass from one tenant to another in one import.
   */
  private async apply(actor: string, changes: readonly TenantChange[], tx: Db): Promise<void> {
    const notices: TenantNotice[] = [];
    const record = (notice: TenantNotice | null) => notice !== null && notices.push(notice);
    for (const change of changes) if (change.action === 'delete') record(await this.applier.applyTenantChange(actor, change, tx));
    for (const change of changes) {
      if (change.action !== 'update') continue;
      const kept = new Set(change.desired.hostnames);
      await this.states.releaseHostnames(change.current.id, change.current.hostnames.filter((h) => !kept.has(h)), tx);
    }
    for (const change of changes) {
      if (change.action === 'create' || change.action === 'update') record(await this.applier.applyTenantChange(actor, change, tx));
    }
    await this.states.notify(notices, tx);
  }
}

function slugsOf(mapped: MappedConfig): string[] {
  return mapped.tenants.flatMap((draft) => {
    const slug = (draft.value as { slug?: unknown } | null)?.slug;
    return typeof slug === 'string' ? [slug] : [];
  });
}

/** Every string under a `hosts` key of a decK file. */
function hostsIn(value: unknown): string[] {
  const hosts: string[] = [];
  const pending = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    for (const [key, child] of Object.entries(item)) {
      if (key === 'hosts' && Array.isArray(child)) hosts.push(...child.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()));
      else pending.push(child);
    }
  }
  return hosts;
}
