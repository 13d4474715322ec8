-- 问责台账 for 举一反三 (issue 16): a missing self-check attestation and each rung of the ladder it climbs
-- (通报 → 约谈 → 问责), attributed to the official who claimed the task, else its unit. Derived like every read model
-- (see 1001): rebuilt from the event store at any time. Its own projection (projection:self_check_accountability:v1),
-- built from zero beside accountability_ledger_v1, so the finding rows are not rebuilt; the 问责台账 query reads both.
CREATE TABLE IF NOT EXISTS self_check_accountability_v1 (
  propagation_id          text        NOT NULL,
  -- The asked unit (the task is stream `selfcheck-<propagation_id>-<unit_id>`); the accountable unit is the same.
  unit_id                 text        NOT NULL,
  stream_version          integer     NOT NULL,
  event_id                uuid        NOT NULL UNIQUE,
  event_type              text        NOT NULL,
  campaign_id             text        NOT NULL,
  origin_finding_id       text,
  kind                    text        NOT NULL CHECK (kind IN ('self_check_overdue', 'escalation')),
  level                   text        CHECK (level IN ('notice', 'interview', 'accountability')),
  person_id               text,
  person_name             text,
  person_role             text,
  step                    text        NOT NULL,
  step_signed_at          timestamptz,
  occurred_at             timestamptz NOT NULL,
  due_date                date,
  due_at                  timestamptz,
  next_level              text,
  next_due_date           date,
  signed_by_id            text,
  signed_by_name          text,
  detail                  text        NOT NULL,
  -- A supervisor's acknowledgement of an interview or referral rung (SelfCheckEscalationAcknowledged).
  acknowledged_by_id      text,
  acknowledged_by_name    text,
  acknowledged_at         timestamptz,
  acknowledgement_note    text,
  PRIMARY KEY (propagation_id, unit_id, stream_version)
);
CREATE INDEX IF NOT EXISTS self_check_accountability_v1_occurred_idx ON self_check_accountability_v1 (occurred_at DESC);
CREATE INDEX IF NOT EXISTS self_check_accountability_v1_unit_idx ON self_check_accountability_v1 (unit_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS self_check_accountability_v1_person_idx ON self_check_accountability_v1 (person_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS self_check_accountability_v1_campaign_idx ON self_check_accountability_v1 (campaign_id, occurred_at DESC);

-- The projection's memory of each task (campaign, origin: later events do not repeat them) and its guard: the last
-- stream version applied, so a replayed event changes nothing.
CREATE TABLE IF NOT EXISTS self_check_accountability_tasks_v1 (
  propagation_id     text    NOT NULL,
  unit_id            text    NOT NULL,
  campaign_id        text    NOT NULL,
  origin_finding_id  text,
  stream_version     integer NOT NULL,
  PRIMARY KEY (propagation_id, unit_id)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON self_check_accountability_v1, self_check_accountability_tasks_v1 TO duban_app;

-- 举一反三台账: the ladder's rung a missing attestation reached (the propagation projection's own column; no event
-- before this migration carried a rung, so no rebuild is needed).
ALTER TABLE propagation_tasks_v1 ADD COLUMN IF NOT EXISTS ladder_level text;
ALTER TABLE propagation_tasks_v1 ADD COLUMN IF NOT EXISTS ladder_next_due_date date;
