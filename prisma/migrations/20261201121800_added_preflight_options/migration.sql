-- Preflight answers (SPEC "Policy depth"): the status of an allowed preflight (204, or 200 for
-- old clients) and whether allowed actual responses carry Timing-Allow-Origin.
ALTER TABLE "cors_policies"
  ADD COLUMN "preflight_status" INTEGER NOT NULL DEFAULT 204,
  ADD COLUMN "timing_allow_origin" BOOLEAN NOT NULL DEFAULT false,
  ADD CONSTRAINT "cors_policies_preflight_status_check" CHECK ("preflight_status" IN (200, 204));
