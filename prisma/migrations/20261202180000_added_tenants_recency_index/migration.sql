-- A gateway warms its cache at start-up with the most recently updated tenants, a page of 1,000
-- per statement, newest first (`TenantPolicyReader.recent`, keyset pagination on
-- (updated_at, id)). Without an index in that order each page sorted every tenant: 83 ms a page
-- at 100,000 tenants on an idle machine, 100 pages before a gateway with a cache that large is
-- ready. With it, each page is a backward index scan from where the last one ended: 6 ms.
CREATE INDEX "tenants_updated_at_id_idx" ON "tenants" ("updated_at", "id");
