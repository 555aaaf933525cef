-- Opt-in `CORS-Decision` response header (SPEC "Traffic insight").
ALTER TABLE "cors_policies" ADD COLUMN "debug_header" BOOLEAN NOT NULL DEFAULT false;
