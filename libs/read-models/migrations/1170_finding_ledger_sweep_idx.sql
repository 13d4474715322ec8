-- The daily report cutoff (CadenceSources.findingsToSweep) pages one campaign's findings by id every workday:
-- campaign_id = $1 AND finding_id > $after ORDER BY finding_id LIMIT $page. In (campaign, id) order each page is a
-- short range scan that stops at the limit; without it every page reads and sorts all the campaign's rows. The state
-- and updated_at conditions stay a filter on purpose: both change on most events, and indexing them would stop the
-- projection's row updates from being HOT.
CREATE INDEX IF NOT EXISTS finding_ledger_v2_campaign_finding_idx ON finding_ledger_v2 (campaign_id, finding_id);
