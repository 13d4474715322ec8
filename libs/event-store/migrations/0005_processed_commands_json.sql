-- A replayed command answers with its first result exactly as first sent: json keeps the text (and so the key order)
-- that jsonb would normalise. Rows recorded before keep jsonb's order.
ALTER TABLE processed_commands ALTER COLUMN result TYPE json USING result::text::json;
