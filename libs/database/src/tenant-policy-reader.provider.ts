import type { Provider } from '@nestjs/common';
import { TenantPolicyReader } from '#dynamic-cors/postgres';
import { PrismaService } from './prisma.service.js';

/** The dynamic-CORS library's tenant policy reader on this process's pool, for the admin's check and preview. */
export const tenantPolicyReaderProvider: Provider = {
  provide: TenantPolicyReader,
  inject: [PrismaService],
  useFactory: (prisma: PrismaService) => new TenantPolicyReader(prisma.pool),
};
