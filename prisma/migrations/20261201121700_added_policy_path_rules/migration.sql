-- Path rules (SPEC "Policy depth"): an ordered list of at most 50 rules, each
-- {path, origins?, allowedMethods?, allowedHeaders?, exposedHeaders?, allowCredentials?, maxAge?, disabled?}
-- with origins stored normalised as {kind, value}. Kept on the policy row, so the gateway reads
-- them in the same single query as the policy, and the row's trigger notifies their changes.
ALTER TABLE "cors_policies"
  ADD COLUMN "path_rules" JSONB NOT NULL DEFAULT '[]',
  ADD CONSTRAINT "cors_policies_path_rules_is_array" CHECK (jsonb_typeof("path_rules") = 'array');
