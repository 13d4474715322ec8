-- 问责台账 (accountability ledger), version 1. Derived like every read model (see 1001): rebuilt from the event
-- store at any time, never a source of truth, and a change of shape means `_v2` tables built beside these.
--
-- One row per consequence a finding's timers establish (a missed daily report, a missed dispatch / claim /
-- verification SLA, an overdue deadline, each rung of the escalation ladder) and per look-back reopen, each
-- attributed forever to whoever held the signed step at the time (DESIGN lifecycle rule 1: 谁签字谁负责).
-- A row is keyed by the event's stream version, so re-applying the event inserts nothing; an escalation row is
-- later completed by the supervisor's acknowledgement (确认约谈 / 确认问责), never otherwise changed.
CREATE TABLE IF NOT EXISTS accountability_ledger_v1 (
  finding_id              text        NOT NULL,
  -- The version of the consequence event in stream `finding-<finding_id>`.
  stream_version          integer     NOT NULL,
  event_id                uuid        NOT NULL UNIQUE,
  event_type              text        NOT NULL,
  campaign_id             text        NOT NULL,
  -- As the finding stood when the consequence fell (later amendments do not rewrite history).
  notice_no               text,
  category_code           text,
  severity                text,
  kind                    text        NOT NULL CHECK (kind IN (
                            'dispatch_overdue', 'claim_overdue', 'missed_report', 'overdue', 'escalation',
                            'verification_overdue', 'reopen')),
  level                   text        CHECK (level IN ('notice', 'interview', 'accountability')),
  -- The person whose signature holds the step; null while nobody in the unit has signed (an unclaimed
  -- dispatch): then the unit answers.
  person_id               text,
  person_name             text,
  person_role             text,
  unit_id                 text        NOT NULL,
  -- The signed step the consequence rests on (FindingClaimed, FindingDispatched, RectificationSubmitted, …).
  step                    text        NOT NULL,
  step_signed_at          timestamptz,
  -- When the consequence fell (the event's `at`: the timer's instant, or the reopen's signature).
  occurred_at             timestamptz NOT NULL,
  -- The missed report's workday; the deadline date an overdue / escalation row is about.
  workday                 date,
  due_date                date,
  -- The instant that was missed (SLA end, report cutoff, deadline).
  due_at                  timestamptz,
  next_level              text,
  next_due_date           date,
  -- Who signed the event: the system for a timer, the supervisor for a reopen; and the reopen's reason.
  signed_by_id            text,
  signed_by_name          text,
  reason                  text,
  -- A short Chinese line: what was missed, and when.
  detail                  text        NOT NULL,
  -- Interviews and referrals are proposals until a supervisor signs that they go ahead.
  acknowledged_by_id      text,
  acknowledged_by_name    text,
  acknowledged_at         timestamptz,
  acknowledgement_note    text,
  acknowledged_version    integer,
  PRIMARY KEY (finding_id, stream_version)
);
CREATE INDEX IF NOT EXISTS accountability_ledger_v1_occurred_idx
  ON accountability_ledger_v1 (occurred_at DESC, finding_id, stream_version);
CREATE INDEX IF NOT EXISTS accountability_ledger_v1_unit_idx ON accountability_ledger_v1 (unit_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS accountability_ledger_v1_person_idx ON accountability_ledger_v1 (person_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS accountability_ledger_v1_campaign_idx ON accountability_ledger_v1 (campaign_id, occurred_at DESC);
-- The acknowledgement looks up the latest open proposal of a level for a finding.
CREATE INDEX IF NOT EXISTS accountability_ledger_v1_pending_idx ON accountability_ledger_v1 (finding_id, level, due_date)
  WHERE kind = 'escalation' AND acknowledged_at IS NULL;

-- The projection's own memory of each finding: what later events do not repeat (campaign, notice number, category,
-- severity, the last rectification's signature for a reopen), and the last stream version applied — one guard
-- for every row of the finding, so a replayed event changes nothing.
CREATE TABLE IF NOT EXISTS accountability_findings_v1 (
  finding_id              text        PRIMARY KEY,
  campaign_id             text        NOT NULL,
  notice_no               text,
  category_code           text,
  severity                text,
  rectification_signed_at timestamptz,
  stream_version          integer     NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON accountability_ledger_v1, accountability_findings_v1 TO duban_app;
