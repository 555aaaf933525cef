import { PrismaService } from '#database';
import type { CorsPolicy, OriginRuleKind } from '#dynamic-cors';

/** Writes tenants straight through the database layer, as a script or psql would. */
export class TenantSeed {
  readonly prisma: PrismaService;

  constructor(databaseUrl: string) {
    this.prisma = new PrismaService({ url: databaseUrl, poolSize: 2 });
  }

  async tenant(
    slug: string,
    options: {
      hostnames?: string[];
      upstreamUrl?: string;
      origins?: { kind: OriginRuleKind; value: string }[];
      policy?: Partial<Omit<CorsPolicy, 'origins'>>;
    } = {},
  ): Promise<string> {
    const tenant = await this.prisma.tenant.create({
      data: {
        slug,
        name: slug,
        upstreamUrl: options.upstreamUrl,
        hostnames: { create: (options.hostnames ?? []).map((hostname) => ({ hostname })) },
        policy: { create: toPolicyRow(options.policy ?? {}) },
        origins: { create: options.origins ?? [] },
      },
    });
    return tenant.id;
  }

  addOrigin(tenantId: string, kind: OriginRuleKind, value: string) {
    return this.prisma.originRule.create({ data: { tenantId, kind, value } });
  }

  removeOrigins(tenantId: string) {
    return this.prisma.originRule.deleteMany({ where: { tenantId } });
  }

  updatePolicy(tenantId: string, policy: Partial<Omit<CorsPolicy, 'origins'>>) {
    return this.prisma.corsPolicy.update({ where: { tenantId }, data: { ...toPolicyRow(policy), version: { increment: 1 } } });
  }

  close(): Promise<void> {
    return this.prisma.$disconnect();
  }
}

function toPolicyRow(policy: Partial<Omit<CorsPolicy, 'origins'>>) {
  const { mode, allowedMethods, allowedHeaders, exposedHeaders, pathRules, ...flags } = policy;
  return {
    ...flags,
    ...(pathRules ? { pathRules: pathRules as object[] } : {}),
    ...(mode ? { mode: mode === 'report-only' ? ('report_only' as const) : ('enforce' as const) } : {}),
    ...(allowedMethods ? { allowedMethods: [...allowedMethods] } : {}),
    ...(allowedHeaders ? { allowedHeaders: [...allowedHeaders] } : {}),
    ...(exposedHeaders ? { exposedHeaders: [...exposedHeaders] } : {}),
  };
}
