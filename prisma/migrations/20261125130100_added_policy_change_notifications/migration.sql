-- Every write that can change what a gateway serves for a tenant (its slug, hostnames, policy
-- or origin rules) sends a NOTIFY on "corsmesh_policy_changed" inside the writing transaction,
-- so gateways evict exactly when the write commits, whoever made it (admin API, a script, psql).
-- PostgreSQL folds identical payloads within one transaction into one notification, so a bulk
-- replace of a tenant's origins notifies once.
-- Payload: {"tenantId": uuid, "slugs": [old/new slug], "hostnames": [old/new hostname]}; the
-- slugs and hostnames let gateways drop negative-cache entries for a tenant they did not know.

CREATE FUNCTION "corsmesh_notify_policy_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed_tenant_id UUID;
  changed_slugs TEXT[] := ARRAY[]::TEXT[];
  changed_hostnames TEXT[] := ARRAY[]::TEXT[];
BEGIN
  IF TG_TABLE_NAME = 'tenants' THEN
    changed_tenant_id := COALESCE(NEW."id", OLD."id");
    IF TG_OP <> 'INSERT' THEN changed_slugs := changed_slugs || OLD."slug"; END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW."slug" <> OLD."slug") THEN
      changed_slugs := changed_slugs || NEW."slug";
    END IF;
  ELSIF TG_TABLE_NAME = 'tenant_hostnames' THEN
    changed_tenant_id := COALESCE(NEW."tenant_id", OLD."tenant_id");
    IF TG_OP <> 'INSERT' THEN changed_hostnames := changed_hostnames || OLD."hostname"; END IF;
    IF TG_OP <> 'DELETE' THEN changed_hostnames := changed_hostnames || NEW."hostname"; END IF;
  ELSE
    changed_tenant_id := COALESCE(NEW."tenant_id", OLD."tenant_id");
  END IF;

  PERFORM pg_notify('corsmesh_policy_changed', json_build_object(
    'tenantId', changed_tenant_id,
    'slugs', changed_slugs,
    'hostnames', changed_hostnames
  )::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "tenants_notify_policy_changed"
AFTER INSERT OR UPDATE OR DELETE ON "tenants"
FOR EACH ROW EXECUTE FUNCTION "corsmesh_notify_policy_changed"();

CREATE TRIGGER "tenant_hostnames_notify_policy_changed"
AFTER INSERT OR UPDATE OR DELETE ON "tenant_hostnames"
FOR EACH ROW EXECUTE FUNCTION "corsmesh_notify_policy_changed"();

CREATE TRIGGER "cors_policies_notify_policy_changed"
AFTER INSERT OR UPDATE OR DELETE ON "cors_policies"
FOR EACH ROW EXECUTE FUNCTION "corsmesh_notify_policy_changed"();

CREATE TRIGGER "origin_rules_notify_policy_changed"
AFTER INSERT OR UPDATE OR DELETE ON "origin_rules"
FOR EACH ROW EXECUTE FUNCTION "corsmesh_notify_policy_changed"();
