-- A key created with another key (a tenant key or a root-scoped one) records that key, so that
-- revoking a key revokes every key created with it, and theirs in turn: a leaked key cannot
-- leave working keys behind (issue 19). Null for keys created with the root token.
-- Keys are revoked, never deleted one by one (a tenant's keys go with the tenant), so deleting
-- a creator row by hand only forgets the link.
ALTER TABLE "api_keys" ADD COLUMN "created_by_key_id" UUID;

ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_key_id_fkey" FOREIGN KEY ("created_by_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "api_keys_created_by_key_id_idx" ON "api_keys"("created_by_key_id");
