-- 问题台账 says which findings came from a county's existing 问题清单 (issue 13): the file's SHA-256 and the row.
-- Added to v2 in place rather than as a v3: no event before this change carries `importedFrom`, so every existing row
-- is already right with NULLs and nothing needs replaying.
ALTER TABLE finding_ledger_v2 ADD COLUMN IF NOT EXISTS imported_sha256 text;
ALTER TABLE finding_ledger_v2 ADD COLUMN IF NOT EXISTS imported_row integer;
