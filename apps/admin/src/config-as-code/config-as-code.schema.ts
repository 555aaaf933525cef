import { z } from 'zod';
import { slugSchema } from '../tenants/tenant.schema.js';
import { EXPORT_FORMATS, IMPORT_FORMATS } from './document/config-model.js';

const flag = (byDefault: boolean) =>
  z
    .enum(['true', 'false'], 'must be true or false')
    .default(byDefault ? 'true' : 'false')
    .transform((value) => value === 'true');

/** `GET /export?format=&tenant=&report=`. */
export const exportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS, `must be one of ${EXPORT_FORMATS.join(', ')}`).default('corsmesh'),
  tenant: slugSchema.optional(),
  report: flag(false),
});
export type ExportQuery = z.output<typeof exportQuerySchema>;

/** `POST /import?format=&dryRun=&prune=&tenant=`: a dry run unless asked (SPEC). */
export const importQuerySchema = z.object({
  format: z.enum(IMPORT_FORMATS, `must be one of ${IMPORT_FORMATS.join(', ')}`).default('corsmesh'),
  dryRun: flag(true),
  prune: flag(false),
  tenant: slugSchema.optional(),
});
export type ImportQuery = z.output<typeof importQuerySchema>;

const lossView = z.object({
  where: z.string().meta({ example: 'CORSRules' }),
  what: z.string().meta({ example: 'AllowedMethod differs between rules: merged into one list that every allowed origin may use' }),
});

/** What an import answers. */
export const importPlanView = z
  .object({
    dryRun: z.boolean().meta({ description: 'true: nothing was changed' }),
    changes: z.array(
      z.object({
        tenant: z.string().meta({ example: 'acme' }),
        action: z.enum(['create', 'update', 'delete', 'unchanged']),
        fields: z.array(z.string()).meta({ example: ['policy.maxAge', 'origins'] }),
        diff: z
          .array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() }))
          .meta({ description: 'Each changed field with its value before and after' }),
      }),
    ),
    losses: z.array(lossView).meta({ description: 'What the source says that corsmesh cannot represent' }),
  })
  .meta({ id: 'ImportPlan' });

/** `GET /export?report=true`. */
export const exportReportView = z
  .object({ document: z.unknown(), losses: z.array(lossView) })
  .meta({ id: 'ExportReport', description: 'The exported document and what it could not say' });
