-- The daily dispatch list reads one campaign's notices every workday (the last sequence, the gap check, the notices
-- since the previous list); without this it scans every campaign's notices in the database.
CREATE INDEX IF NOT EXISTS dispatch_notices_v1_campaign_idx ON dispatch_notices_v1 (campaign_id);
