-- Which findings an evidence file belongs to (GET /evidence/:sha256 asks on every download).
CREATE INDEX IF NOT EXISTS rectification_ledger_v2_evidence ON rectification_ledger_v2 USING gin (evidence jsonb_path_ops);
