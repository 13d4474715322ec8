-- The audit trail shows when an offline capture was made on the phone (the command's X-Captured-At, kept in the
-- event's metadata as capturedAt) beside the server's time. Added to v2 in place rather than as a v3: it is one
-- more column, NULL for every event sent online.
ALTER TABLE audit_trail_v2 ADD COLUMN IF NOT EXISTS captured_at timestamptz;

-- Rows projected before this column existed: filled once from the log (a rebuild fills them the same way). Only
-- events whose metadata names capturedAt are parsed.
UPDATE audit_trail_v2 t
   SET captured_at = (e.metadata::jsonb ->> 'capturedAt')::timestamptz
  FROM events e
 WHERE e.metadata LIKE '%"capturedAt"%'
   AND e.event_id = t.event_id
   AND t.captured_at IS NULL
   AND e.metadata::jsonb ->> 'capturedAt' IS NOT NULL;
