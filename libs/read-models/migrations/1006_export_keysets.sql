-- Ledger exports (XLSX) page through a whole ledger by keyset, in the on-screen order, inside one snapshot.
-- These indexes serve those orders so each batch is an index range scan rather than a sort of the whole ledger.
-- Derived tables only (see 1001); nothing here is a source of truth.
CREATE INDEX IF NOT EXISTS finding_ledger_v1_recorded_idx ON finding_ledger_v1 (recorded_at, finding_id);
CREATE INDEX IF NOT EXISTS claim_list_v1_unit_dispatched_idx ON claim_list_v1 (unit_id, dispatched_at, finding_id);
