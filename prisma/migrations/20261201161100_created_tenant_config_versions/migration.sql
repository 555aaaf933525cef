-- Versions of a tenant's CORS configuration (SPEC "Versions and safe change"): every committed
-- change to its policy, path rules or origins appends one immutable snapshot, numbered per
-- tenant from 1 (the tenant's creation), in the transaction of the change. Only the newest
-- VERSIONS_KEPT_PER_TENANT are kept. Gateways never read this table, so it has no change notice.
CREATE TABLE "tenant_config_versions" (
    "tenant_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "tenant_config_versions_pkey" PRIMARY KEY ("tenant_id", "version"),
    CONSTRAINT "tenant_config_versions_version_positive" CHECK ("version" >= 1),
    CONSTRAINT "tenant_config_versions_snapshot_is_object" CHECK (jsonb_typeof("snapshot") = 'object')
);

ALTER TABLE "tenant_config_versions" ADD CONSTRAINT "tenant_config_versions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Versions are immutable: only their retention (or their tenant's deletion) removes them.
CREATE FUNCTION "corsmesh_refuse_version_update"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'tenant configuration versions are immutable';
END;
$$;

CREATE TRIGGER "tenant_config_versions_immutable"
BEFORE UPDATE ON "tenant_config_versions"
FOR EACH ROW EXECUTE FUNCTION "corsmesh_refuse_version_update"();

-- Existing tenants start their history at version 1 with what they have now.
INSERT INTO "tenant_config_versions" ("tenant_id", "version", "actor", "summary", "snapshot")
SELECT t."id", 1, 'migration', 'history started',
       jsonb_build_object(
         'policy', jsonb_build_object(
           'allowedMethods', to_jsonb(COALESCE(p."allowed_methods", ARRAY[]::TEXT[])),
           'allowedHeaders', to_jsonb(COALESCE(p."allowed_headers", ARRAY[]::TEXT[])),
           'exposedHeaders', to_jsonb(COALESCE(p."exposed_headers", ARRAY[]::TEXT[])),
           'allowCredentials', p."allow_credentials",
           'maxAge', p."max_age",
           'allowPrivateNetwork', p."allow_private_network",
           'mode', p."mode"::TEXT,
           'pathRules', p."path_rules",
           'preflightStatus', p."preflight_status",
           'timingAllowOrigin', p."timing_allow_origin"),
         'origins', COALESCE((SELECT jsonb_agg(jsonb_build_object('kind', o."kind"::TEXT, 'value', o."value") ORDER BY o."created_at", o."id")
                                FROM "origin_rules" o WHERE o."tenant_id" = t."id"), '[]'::jsonb))
  FROM "tenants" t JOIN "cors_policies" p ON p."tenant_id" = t."id";
