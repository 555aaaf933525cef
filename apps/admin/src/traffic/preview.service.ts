import { Injectable } from '@nestjs/common';
import {
  compilePolicy,
  type CompiledPolicy,
  type CorsPolicy,
  type CorsRefusalReason,
  decide,
  matchPathRule,
  validatePathRules,
  validatePolicy,
} from '#dynamic-cors';
import { TenantPolicyReader } from '#dynamic-cors/postgres';
import { DomainError } from '#problem-details';
import { tenantNotFound } from '../tenants/tenants.repository.js';
import { type RecordedTuple, TrafficRepository } from './traffic.repository.js';
import type { PreviewItem, PreviewRequest, PreviewView } from './traffic.schema.js';

/** Items listed on each side of a preview. */
export const MAX_PREVIEW_ITEMS = 200;

type Outcome = { readonly allowed: true } | { readonly allowed: false; readonly reason: CorsRefusalReason } | undefined;

/**
 * "What would this change break?": every distinct (origin, method, requested headers) the
 * gateways recorded in the last 7 days, decided by the gateway's own `decide()` under the
 * current policy and under the proposal. Nothing is saved. A tuple is replayed on the path it
 * was last seen on, so path rules apply as they did; a path where either side disables CORS is
 * left out (the upstream answers there, not the policy).
 */
@Injectable()
export class PreviewService {
  constructor(
    private readonly reader: TenantPolicyReader,
    private readonly traffic: TrafficRepository,
  ) {}

  async preview(slug: string, input: PreviewRequest): Promise<PreviewView> {
    const tenant = await this.reader.read(slug);
    if (tenant === null) throw tenantNotFound(slug);
    const proposal = propose(tenant.policy, input);
    const current = compilePolicy(tenant.policy);
    const proposed = compilePolicy(proposal);
    const tuples = await this.traffic.recentTuples({ id: tenant.tenantId, slug: tenant.slug });
    const wouldRefuse = new Map<string, PreviewItem>();
    const wouldAllow = new Map<string, PreviewItem>();
    for (const tuple of tuples) {
      const before = replay(current, tuple);
      const after = replay(proposed, tuple);
      if (before === undefined || after === undefined || before.allowed === after.allowed) continue;
      add(after.allowed ? wouldAllow : wouldRefuse, tuple, after.allowed ? undefined : after.reason);
    }
    return { wouldRefuse: listed(wouldRefuse), wouldAllow: listed(wouldAllow), replayed: tuples.length };
  }
}

/** The proposed policy: the current one with what the request changes, validated like a write. */
function propose(current: CorsPolicy, input: PreviewRequest): CorsPolicy {
  const { version: _version, updatedAt: _updatedAt, warnings: _warnings, ...changes } = input;
  const policy: Record<string, unknown> = { ...current, pathRules: current.pathRules ?? [] };
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) policy[key] = value;
  const proposal = policy as unknown as CorsPolicy & { pathRules: NonNullable<CorsPolicy['pathRules']> };
  const issues = [...validatePolicy(proposal), ...validatePathRules(proposal, proposal.pathRules)];
  if (issues.length > 0) throw DomainError.validation(issues.map((issue) => ({ field: issue.field, reason: issue.reason })));
  return proposal.pathRules.length === 0 ? { ...proposal, pathRules: undefined } : proposal;
}

function replay(policy: CompiledPolicy, tuple: RecordedTuple): Outcome {
  const rule = policy.pathRules === undefined ? undefined : matchPathRule(policy.pathRules, tuple.samplePath, 0);
  if (rule !== undefined && rule.policy === undefined) return undefined;
  const decision = decide(
    rule?.policy ?? policy,
    tuple.preflight
      ? {
          method: 'OPTIONS',
          origin: tuple.origin,
          accessControlRequestMethod: tuple.method,
          ...(tuple.requestHeaders === '' ? {} : { accessControlRequestHeaders: tuple.requestHeaders }),
        }
      : { method: tuple.method, origin: tuple.origin },
  );
  return decision.allowed ? { allowed: true } : { allowed: false, reason: decision.refusal! };
}

/** Preflight and actual tuples of one (origin, method, headers) are one item. */
function add(items: Map<string, PreviewItem>, tuple: RecordedTuple, reason: CorsRefusalReason | undefined): void {
  const key = JSON.stringify([tuple.origin, tuple.method, tuple.requestHeaders]);
  const existing = items.get(key);
  const lastSeenAt = tuple.lastSeenAt.toISOString();
  if (existing === undefined) {
    items.set(key, {
      origin: tuple.origin,
      method: tuple.method,
      requestHeaders: tuple.requestHeaders === '' ? [] : tuple.requestHeaders.split(','),
      count: tuple.count,
      lastSeenAt,
      ...(reason === undefined ? {} : { reason }),
    });
  } else {
    items.set(key, { ...existing, count: existing.count + tuple.count, lastSeenAt: existing.lastSeenAt > lastSeenAt ? existing.lastSeenAt : lastSeenAt });
  }
}

function listed(items: Map<string, PreviewItem>): PreviewItem[] {
  return [...items.values()].sort((a, b) => b.count - a.count || (a.origin < b.origin ? -1 : 1)).slice(0, MAX_PREVIEW_ITEMS);
}
