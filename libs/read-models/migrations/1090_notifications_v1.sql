-- The in-app inbox (站内通知): one row per person and notice, written by the notifier in the same transaction as its
-- checkpoint (notifier:inbox:v1), so a crash never leaves a notice written twice or a checkpoint past a lost one.
-- notice_id is derived from (what it is about, kind, person): the same fact can never make two rows either way.
CREATE TABLE IF NOT EXISTS inbox_notices_v1 (
  notice_id    text PRIMARY KEY,
  user_id      text NOT NULL,
  -- The log event's id, or a reminder's key: what the person was told about.
  about        text NOT NULL,
  kind         text NOT NULL,
  title        text NOT NULL,
  finding_id   text,
  unit_id      text,
  created_at   timestamptz NOT NULL,
  read_at      timestamptz
);
CREATE INDEX IF NOT EXISTS inbox_notices_v1_user ON inbox_notices_v1 (user_id, created_at DESC, notice_id);
CREATE INDEX IF NOT EXISTS inbox_notices_v1_unread ON inbox_notices_v1 (user_id) WHERE read_at IS NULL;

-- What the notifier keeps of each finding to route notices and plan reminders (NoticeRouting, folded from its events).
CREATE TABLE IF NOT EXISTS notification_routing_v1 (
  finding_id     text PRIMARY KEY,
  campaign_id    text,
  routing        jsonb NOT NULL,
  stream_version integer NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON inbox_notices_v1, notification_routing_v1 TO duban_app;
