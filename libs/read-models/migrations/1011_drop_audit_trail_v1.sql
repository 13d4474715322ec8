-- audit_trail_v1 was replaced by audit_trail_v2 (1005) and nothing reads or writes it any more: a read model is
-- rebuildable from the log, so dropping the unused one loses nothing.
DROP TABLE IF EXISTS audit_trail_v1;
