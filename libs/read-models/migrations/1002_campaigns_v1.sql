-- Campaign settings as the API reads them (phases, policy, calendar overrides, last notice number).
CREATE TABLE IF NOT EXISTS campaigns_v1 (
  campaign_id          text PRIMARY KEY,
  name                 text NOT NULL,
  notice_prefix        text NOT NULL,
  phases               jsonb NOT NULL,
  policy               jsonb NOT NULL,
  calendar_overrides   jsonb NOT NULL,
  last_notice_sequence integer NOT NULL DEFAULT 0,
  last_notice_no       text,
  created_by_id        text NOT NULL,
  created_by_name      text NOT NULL,
  created_at           timestamptz NOT NULL,
  stream_version       integer NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON campaigns_v1 TO duban_app;
