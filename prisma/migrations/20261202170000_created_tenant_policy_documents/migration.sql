-- Each tenant's policy as the gateways read it, precomputed (issue 13): one row per tenant with
-- a policy, holding the whole policy, origins included, as one JSON document. A cache miss then
-- costs PostgreSQL one index probe per tenant by slug (two by hostname) instead of three and an
-- aggregate of its origin rules (0.137 ms for four tenants instead of 0.26-0.39); and the gateway
-- one JSON parse instead of seventeen columns. Written only by the triggers below, in the statement and
-- transaction of the change itself, so a change notice (delivered at commit) never finds an
-- older document.
CREATE TABLE "tenant_policy_documents" (
  "tenant_id" UUID NOT NULL,
  "slug" TEXT NOT NULL,
  "document" JSON NOT NULL,
  CONSTRAINT "tenant_policy_documents_pkey" PRIMARY KEY ("tenant_id"),
  -- Checked at commit: a statement that moves a slug from one tenant to another rebuilds both
  -- documents in no set order. Unique all the same, so that the planner, statistics or none,
  -- expects one row per slug looked up (an index scan).
  CONSTRAINT "tenant_policy_documents_slug_key" UNIQUE ("slug") DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT "tenant_policy_documents_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Rebuilds the documents of the given tenants from the tables, and drops those of tenants
-- without a policy. Takes the policy rows' lock first, as every admin writer does: two
-- transactions changing one tenant's rules at once then rebuild one after the other, the second
-- from a snapshot that holds the first's rows (READ COMMITTED gives each statement of a
-- volatile function a fresh one); without it, the later commit would store a document missing
-- the earlier one's change.
CREATE FUNCTION "corsmesh_refresh_policy_documents"(changed UUID[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "cors_policies" WHERE "tenant_id" = ANY(changed) ORDER BY "tenant_id" FOR UPDATE;
  INSERT INTO "tenant_policy_documents" AS d ("tenant_id", "slug", "document")
  SELECT t."id", t."slug", json_build_object(
           'tenantId', t."id", 'slug', t."slug", 'name', t."name", 'upstreamUrl', t."upstream_url",
           'version', p."version", 'mode', p."mode",
           'allowedMethods', p."allowed_methods", 'allowedHeaders', p."allowed_headers",
           'exposedHeaders', p."exposed_headers", 'allowCredentials', p."allow_credentials",
           'maxAge', p."max_age", 'allowPrivateNetwork', p."allow_private_network",
           'pathRules', p."path_rules", 'preflightStatus', p."preflight_status",
           'timingAllowOrigin', p."timing_allow_origin", 'debugHeader', p."debug_header",
           -- Each rule as [id, kind, value, expiresAt]: arrays rather than objects, a third less JSON to parse.
           'origins', COALESCE((SELECT json_agg(json_build_array(o."id", o."kind", o."value", o."expires_at") ORDER BY o."created_at", o."id")
                                  FROM "origin_rules" o WHERE o."tenant_id" = t."id"), '[]'))
    FROM "tenants" t JOIN "cors_policies" p ON p."tenant_id" = t."id"
   WHERE t."id" = ANY(changed)
  ON CONFLICT ("tenant_id") DO UPDATE SET "slug" = EXCLUDED."slug", "document" = EXCLUDED."document";
  DELETE FROM "tenant_policy_documents" d
   WHERE d."tenant_id" = ANY(changed) AND NOT EXISTS (SELECT 1 FROM "cors_policies" p WHERE p."tenant_id" = d."tenant_id");
END;
$$;

-- Once per statement, for the distinct tenants of its rows (TG_ARGV[0] names their tenant's
-- column): an import writing a thousand rules of one tenant rebuilds its document once, not a
-- thousand times. Inserting a tenant needs none: it has no policy until its policy row's insert,
-- whose trigger builds the document; deleting one deletes its document by the foreign key.
CREATE FUNCTION "corsmesh_refresh_changed_policy_documents"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed UUID[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows', TG_ARGV[0]) INTO changed;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('SELECT array_agg(DISTINCT %I) FROM old_rows', TG_ARGV[0]) INTO changed;
  ELSE
    EXECUTE format('SELECT array_agg(DISTINCT id) FROM (SELECT %1$I AS id FROM old_rows UNION SELECT %1$I FROM new_rows) AS rows', TG_ARGV[0]) INTO changed;
  END IF;
  IF changed IS NOT NULL THEN
    PERFORM "corsmesh_refresh_policy_documents"(changed);
  END IF;
  RETURN NULL;
END;
$$;

-- A trigger with transition tables fires on one event only, hence one per event.
CREATE TRIGGER "tenants_updated_refresh_policy_documents" AFTER UPDATE ON "tenants"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "corsmesh_refresh_changed_policy_documents"('id');
CREATE TRIGGER "cors_policies_inserted_refresh_policy_documents" AFTER INSERT ON "cors_policies"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "corsmesh_refresh_changed_policy_documents"('tenant_id');
CREATE TRIGGER "cors_policies_updated_refresh_policy_documents" AFTER UPDATE ON "cors_policies"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "corsmesh_refresh_changed_policy_documents"('tenant_id');
CREATE TRIGGER "cors_policies_deleted_refresh_policy_documents" AFTER DELETE ON "cors_policies"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "corsmesh_refresh_changed_policy_documents"('tenant_id');
CREATE TRIGGER "origin_rules_inserted_refresh_policy_documents" AFTER INSERT ON "origin_rules"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "corsmesh_refresh_changed_policy_documents"('tenant_id');
CREATE TRIGGER "origin_rules_updated_refresh_policy_documents" AFTER UPDATE ON "origin_rules"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "corsmesh_refresh_changed_policy_documents"('tenant_id');
CREATE TRIGGER "origin_rules_deleted_refresh_policy_documents" AFTER DELETE ON "origin_rules"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "corsmesh_refresh_changed_policy_documents"('tenant_id');

SELECT "corsmesh_refresh_policy_documents"(ARRAY(SELECT "id" FROM "tenants"));
ANALYZE "tenant_policy_documents";
