-- A writer that changes many rows of many tenants in one transaction (the configuration import)
-- may defer the per-row notices: with `SET LOCAL corsmesh.policy_notices = 'deferred'` the
-- triggers stay silent for that transaction only, and the writer sends one notice per tenant
-- itself, with the same payload, before it commits. Every other writer is unchanged.

CREATE OR REPLACE FUNCTION "corsmesh_notify_policy_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changed_tenant_id UUID;
  changed_slugs TEXT[] := ARRAY[]::TEXT[];
  changed_hostnames TEXT[] := ARRAY[]::TEXT[];
BEGIN
  IF current_setting('corsmesh.policy_notices', true) = 'deferred' THEN
    RETURN NULL;
  END IF;
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
