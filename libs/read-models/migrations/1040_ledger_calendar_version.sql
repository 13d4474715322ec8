-- 问题台账 / 整改台账: the official calendar version that computed each finding's current deadline (issue 13, part 4).
-- Added in place rather than as a v3 table: no event recorded before this migration carries `calendarVersion`, so NULL
-- ("computed before calendars were versioned") is already what a replay would write for every existing row.
ALTER TABLE finding_ledger_v2 ADD COLUMN IF NOT EXISTS calendar_version integer;
