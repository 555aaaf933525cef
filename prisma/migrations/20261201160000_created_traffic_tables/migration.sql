-- Traffic insight (SPEC "Traffic insight"): what the gateways decided, aggregated in memory and
-- upserted here in batches. No foreign keys: a gateway's batch may name a tenant or an origin
-- rule deleted a moment before, and one such row must not fail the whole batch; the admin's
-- retention job removes rows whose tenant or rule is gone. No change-notice triggers either:
-- nothing here changes what a gateway serves.

-- Refused requests per (origin, reason): the refusals inbox.
CREATE TABLE "traffic_refusals" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "tenant_id" UUID NOT NULL,
  "origin" TEXT NOT NULL,
  "reason" TEXT NOT NULL,
  "mode" TEXT NOT NULL,
  "count" BIGINT NOT NULL,
  "methods" TEXT[] NOT NULL,
  "request_headers" TEXT[] NOT NULL,
  "sample_path" TEXT NOT NULL,
  "first_seen_at" TIMESTAMPTZ(3) NOT NULL,
  "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "traffic_refusals_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "traffic_refusals_tenant_id_origin_reason_key" ON "traffic_refusals" ("tenant_id", "origin", "reason");
CREATE INDEX "traffic_refusals_tenant_id_last_seen_at_id_idx" ON "traffic_refusals" ("tenant_id", "last_seen_at" DESC, "id" DESC);

-- Distinct (origin, method, requested headers) seen, allowed or refused: replayed by the
-- policy preview. `request_headers` is normalised: lower-case names, sorted, comma-joined.
CREATE TABLE "traffic_tuples" (
  "tenant_id" UUID NOT NULL,
  "origin" TEXT NOT NULL,
  "method" TEXT NOT NULL,
  "request_headers" TEXT NOT NULL,
  "preflight" BOOLEAN NOT NULL,
  "sample_path" TEXT NOT NULL,
  "count" BIGINT NOT NULL,
  "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "traffic_tuples_pkey" PRIMARY KEY ("tenant_id", "origin", "method", "request_headers", "preflight")
);
CREATE INDEX "traffic_tuples_tenant_id_last_seen_at_idx" ON "traffic_tuples" ("tenant_id", "last_seen_at" DESC);

-- Requests and preflights whose origin matched a rule: `matchCount` and `lastMatchedAt`.
-- Kept apart from "origin_rules", whose writes notify the gateways.
CREATE TABLE "origin_rule_usage" (
  "rule_id" UUID NOT NULL,
  "tenant_id" UUID NOT NULL,
  "match_count" BIGINT NOT NULL,
  "last_matched_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "origin_rule_usage_pkey" PRIMARY KEY ("rule_id")
);

-- Five-minute totals of cross-origin decisions, for the traffic chart.
CREATE TABLE "traffic_buckets" (
  "tenant_id" UUID NOT NULL,
  "start" TIMESTAMPTZ(3) NOT NULL,
  "allowed" BIGINT NOT NULL,
  "refused" BIGINT NOT NULL,
  "preflights" BIGINT NOT NULL,
  "refused_by_reason" JSONB NOT NULL,
  CONSTRAINT "traffic_buckets_pkey" PRIMARY KEY ("tenant_id", "start")
);
CREATE INDEX "traffic_buckets_start_idx" ON "traffic_buckets" ("start");
