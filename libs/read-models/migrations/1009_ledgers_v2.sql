-- 问题台账 and 整改台账, version 2 (issue 11, item 7). Same shape as v1; what changed is what the projections write:
-- a step that is undone (a rejected rectification, a reassignment, a look-back reopen) now clears the signers of
-- what it undid, and closing replaces the last reason. The v1 rows of existing deployments were written by the old
-- logic and cannot be corrected in place without replaying, so v2 is built beside v1 from zero by its own checkpoints
-- (projection:finding_ledger:v2, projection:rectification_ledger:v2); v1 is left as it was, for a rollback.
CREATE TABLE IF NOT EXISTS finding_ledger_v2 (LIKE finding_ledger_v1 INCLUDING ALL);
CREATE TABLE IF NOT EXISTS rectification_ledger_v2 (LIKE rectification_ledger_v1 INCLUDING ALL);
CREATE TABLE IF NOT EXISTS rectification_progress_v2 (LIKE rectification_progress_v1 INCLUDING ALL);

GRANT SELECT, INSERT, UPDATE, DELETE ON finding_ledger_v2, rectification_ledger_v2, rectification_progress_v2 TO duban_app;
