-- CreateEnum
CREATE TYPE "OriginRuleKind" AS ENUM ('exact', 'wildcard', 'regex', 'any');

-- CreateEnum
CREATE TYPE "PolicyMode" AS ENUM ('enforce', 'report-only');

-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('root', 'tenant');

-- CreateTable
CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "upstream_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenant_hostnames" (
    "hostname" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,

    CONSTRAINT "tenant_hostnames_pkey" PRIMARY KEY ("hostname")
);

-- CreateTable
CREATE TABLE "cors_policies" (
    "tenant_id" UUID NOT NULL,
    "allowed_methods" TEXT[] DEFAULT ARRAY['GET', 'HEAD', 'POST']::TEXT[],
    "allowed_headers" TEXT[] DEFAULT ARRAY['Content-Type']::TEXT[],
    "exposed_headers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allow_credentials" BOOLEAN NOT NULL DEFAULT false,
    "max_age" INTEGER NOT NULL DEFAULT 600,
    "allow_private_network" BOOLEAN NOT NULL DEFAULT false,
    "mode" "PolicyMode" NOT NULL DEFAULT 'enforce',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cors_policies_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "origin_rules" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "OriginRuleKind" NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "origin_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "tenant_id" UUID,
    "scope" "ApiKeyScope" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" UUID,
    "tenant_slug" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants"("slug");

-- CreateIndex
CREATE INDEX "tenant_hostnames_tenant_id_idx" ON "tenant_hostnames"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "origin_rules_tenant_id_value_key" ON "origin_rules"("tenant_id", "value");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_idx" ON "api_keys"("tenant_id");

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_created_at_id_idx" ON "audit_events"("tenant_id", "created_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "tenant_hostnames" ADD CONSTRAINT "tenant_hostnames_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cors_policies" ADD CONSTRAINT "cors_policies_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "origin_rules" ADD CONSTRAINT "origin_rules_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Constraints Prisma's schema language cannot express; they keep bad rows out even when
-- something writes around the admin API.
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_slug_format" CHECK ("slug" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');
ALTER TABLE "tenant_hostnames" ADD CONSTRAINT "tenant_hostnames_lower_case" CHECK ("hostname" = lower("hostname") AND "hostname" <> '');
ALTER TABLE "cors_policies" ADD CONSTRAINT "cors_policies_max_age_range" CHECK ("max_age" BETWEEN 0 AND 86400);
ALTER TABLE "cors_policies" ADD CONSTRAINT "cors_policies_version_positive" CHECK ("version" >= 1);
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scope_matches_tenant" CHECK (("scope" = 'root') = ("tenant_id" IS NULL));
