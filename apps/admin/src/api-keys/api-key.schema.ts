import { z } from 'zod';

/** `POST /tenants/{slug}/api-keys`. */
export const createApiKeySchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .meta({ description: 'What the key is for', example: 'CI deploy' }),
  })
  .meta({ id: 'CreateApiKey' });

/** A validated `POST` body. */
export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;

/** A key as listed: never its secret nor its hash. */
export const apiKeyView = z
  .object({
    id: z.uuid().meta({ example: '3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a' }),
    name: z.string().meta({ example: 'CI deploy' }),
    prefix: z
      .string()
      .meta({
        description: 'Public part of the key, the `<prefix>` in `cmk_<prefix>_…` and in audit actors',
        example: '9f86d081884c7d65',
      }),
    createdAt: z.iso.datetime().meta({ example: '2026-11-25T13:00:00.000Z' }),
    revokedAt: z.iso.datetime().nullable().meta({ example: null }),
    createdByKeyId: z.uuid().nullable().meta({
      description:
        'The key this key was created with, null when created with the root token; revoking that key revokes this one',
      example: null,
    }),
  })
  .meta({ id: 'ApiKey' });

/** A key as listed. */
export type ApiKeyView = z.infer<typeof apiKeyView>;

/** A key just created: the only response that carries its secret. */
export const createdApiKeyView = apiKeyView
  .extend({
    secret: z.string().meta({
      description: 'The bearer token, shown only this once; only its hash is stored',
      example: 'cmk_9f86d081884c7d65_Q2hhbmdlIG1lISBUaGlzIGlzIG5vdCBhIHJlYWwga2V5Lg',
    }),
  })
  .meta({ id: 'CreatedApiKey' });

/** A key just created, with its secret. */
export type CreatedApiKeyView = z.infer<typeof createdApiKeyView>;

/** A tenant's keys. */
export const apiKeyListView = z.object({ items: z.array(apiKeyView) }).meta({ id: 'ApiKeyList' });
