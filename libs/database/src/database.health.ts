import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { defaultMigrationsDir, readMigrationFiles } from './migrate/migration-files.js';
import { PrismaService } from './prisma.service.js';

const CHECK_TIMEOUT_MS = 2000;

/** Readiness: the database answers and every migration of this build is applied. */
@Injectable()
export class DatabaseHealthIndicator {
  private expectedMigrations?: Promise<string[]>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly health: HealthIndicatorService,
  ) {}

  async isReady(key = 'database'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const pending = await withTimeout(this.pendingMigrations(), CHECK_TIMEOUT_MS);
      return pending.length === 0
        ? indicator.up()
        : indicator.down({ message: 'migrations not applied', pending });
    } catch (error) {
      return indicator.down({ message: `database unreachable: ${(error as Error).message}` });
    }
  }

  private async pendingMigrations(): Promise<string[]> {
    this.expectedMigrations ??= readMigrationFiles(defaultMigrationsDir()).then((files) => files.map((f) => f.name));
    const expected = await this.expectedMigrations;
    const [table] = await this.prisma.$queryRaw<{ present: boolean }[]>`
      SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`;
    if (!table?.present) return expected;
    const rows = await this.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const applied = new Set(rows.map((row) => row.migration_name));
    return expected.filter((name) => !applied.has(name));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
