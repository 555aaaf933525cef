-- Expiring origins (SPEC "Versions and safe change"): a rule may carry the time it stops
-- matching (a preview deployment's origin cleans itself up) and a note (a ticket, who asked).
-- Gateways compile a policy knowing its next expiry, so no notice is needed at that moment; the
-- table's trigger still notifies every write of these columns.
ALTER TABLE "origin_rules"
  ADD COLUMN "expires_at" TIMESTAMPTZ(3),
  ADD COLUMN "note" TEXT,
  ADD CONSTRAINT "origin_rules_note_length" CHECK (char_length("note") <= 500);
