-- 每日摘要: one row per campaign, unit and workday — the primary key is what "once" means for a digest. The sender
-- writes the row, the unit officials' inbox notices and the outgoing text messages in one transaction, so a digest is
-- either recorded with everything it owes or not at all (and the next pass of that day writes it).
CREATE TABLE IF NOT EXISTS unit_digests_v1 (
  campaign_id      text NOT NULL,
  unit_id          text NOT NULL,
  workday          date NOT NULL,
  digest_key       text NOT NULL UNIQUE,
  -- The digest hour of that workday and the window (since, digest_at] whose news it carries.
  digest_at        timestamptz NOT NULL,
  since            timestamptz NOT NULL,
  title            text NOT NULL,
  sections         jsonb NOT NULL,
  new_count        integer NOT NULL,
  due_count        integer NOT NULL,
  overdue_count    integer NOT NULL,
  escalated_count  integer NOT NULL,
  recipients       text[] NOT NULL,
  recorded_at      timestamptz NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, workday)
);
CREATE INDEX IF NOT EXISTS unit_digests_v1_unit ON unit_digests_v1 (unit_id, workday DESC);

-- Text messages for the SMS / 政务 IM port (an outbox): written in the same transaction as what they tell, sent by the
-- worker through the configured adapter, marked sent after. A crash between the provider's answer and the mark sends
-- the message again under the same message_id — the id a provider adapter hands on for the provider to drop repeats.
CREATE TABLE IF NOT EXISTS outbound_messages_v1 (
  message_id           text PRIMARY KEY,
  user_id              text NOT NULL,
  phone                text,
  kind                 text NOT NULL,
  -- The digest's key or the reminder's key: what the message is about.
  about                text NOT NULL,
  body                 text NOT NULL,
  created_at           timestamptz NOT NULL,
  attempts             integer NOT NULL DEFAULT 0,
  last_error           text,
  sent_at              timestamptz,
  sent_via             text,
  provider_message_id  text,
  -- Refused for good by the adapter (no phone, text it cannot carry): kept for an operator, never retried.
  refused_at           timestamptz
);
CREATE INDEX IF NOT EXISTS outbound_messages_v1_pending ON outbound_messages_v1 (created_at, message_id) WHERE sent_at IS NULL AND refused_at IS NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON unit_digests_v1, outbound_messages_v1 TO duban_app;
