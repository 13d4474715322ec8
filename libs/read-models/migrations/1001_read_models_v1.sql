-- Read models, version 1. Every table here is derived: a projection can drop its rows and rebuild them from the
-- event store at any time, so nothing in this file is a source of truth. A change of shape means new `_v2` tables
-- and a new projection version, built beside the old ones, never an in-place ALTER of live rows.
-- Each row keeps the stream version it was last written from: re-applying an event already applied is a no-op.
-- Timestamps written by projections come from the events (never now()) so a rebuild reproduces them exactly.

-- 问题台账: one row per finding, the state, unit, owner, deadline and the signer of every step.
CREATE TABLE IF NOT EXISTS finding_ledger_v1 (
  finding_id                   text        PRIMARY KEY,
  campaign_id                  text        NOT NULL,
  state                        text        NOT NULL,
  source                       text,
  category_code                text,
  severity                     text,
  town_unit_id                 text,
  village                      text,
  household                    text,
  description                  text,
  -- The unit the finding is currently assigned to (null until dispatched).
  unit_id                      text,
  owner_id                     text,
  owner_name                   text,
  owner_unit_id                text,
  recorded_by_id               text,
  recorded_by_name             text,
  recorded_at                  timestamptz,
  dispatched_by_id             text,
  dispatched_by_name           text,
  dispatched_at                timestamptz,
  notice_no                    text,
  due_date                     date,
  deadline_at                  timestamptz,
  claimed_by_id                text,
  claimed_by_name              text,
  claimed_at                   timestamptz,
  plan_submitted_at            timestamptz,
  last_progress_at             timestamptz,
  progress_count               integer     NOT NULL DEFAULT 0,
  extension_pending            boolean     NOT NULL DEFAULT false,
  rectification_signed_by_id   text,
  rectification_signed_by_name text,
  rectification_signed_at      timestamptz,
  verified_by_id               text,
  verified_by_name             text,
  verified_at                  timestamptz,
  closed_at                    timestamptz,
  annulled_by_id               text,
  annulled_by_name             text,
  annulled_at                  timestamptz,
  reopened_count               integer     NOT NULL DEFAULT 0,
  reassigned_count             integer     NOT NULL DEFAULT 0,
  last_reason                  text,
  stream_version               integer     NOT NULL,
  updated_at                   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS finding_ledger_v1_campaign_idx ON finding_ledger_v1 (campaign_id, recorded_at, finding_id);
CREATE INDEX IF NOT EXISTS finding_ledger_v1_unit_idx ON finding_ledger_v1 (unit_id, state, recorded_at);
CREATE INDEX IF NOT EXISTS finding_ledger_v1_state_idx ON finding_ledger_v1 (state, recorded_at);
CREATE INDEX IF NOT EXISTS finding_ledger_v1_category_idx ON finding_ledger_v1 (category_code);
CREATE INDEX IF NOT EXISTS finding_ledger_v1_severity_idx ON finding_ledger_v1 (severity);
-- The overdue filter only ever looks at open findings; a partial index keeps closed ones out of it.
CREATE INDEX IF NOT EXISTS finding_ledger_v1_open_deadline_idx ON finding_ledger_v1 (deadline_at)
  WHERE state NOT IN ('Closed', 'Annulled');

-- 问题认领清单: per unit, what was dispatched to it and who signed for it. A reassigned finding keeps its row in
-- the old unit's list (status reassigned_away) because that unit's signature history must stay readable.
CREATE TABLE IF NOT EXISTS claim_list_v1 (
  unit_id          text        NOT NULL,
  finding_id       text        NOT NULL,
  campaign_id      text        NOT NULL,
  notice_no        text,
  dispatched_by_id   text,
  dispatched_by_name text,
  dispatched_at    timestamptz,
  due_date         date,
  deadline_at      timestamptz,
  claimed_by_id    text,
  claimed_by_name  text,
  claimed_at       timestamptz,
  status           text        NOT NULL
    CHECK (status IN ('awaiting_claim', 'claimed', 'reassigned_away', 'closed', 'annulled')),
  stream_version   integer     NOT NULL,
  PRIMARY KEY (unit_id, finding_id)
);
-- The claim list's own memory of each finding: its campaign (later events do not repeat it), the unit it is
-- currently assigned to, and the last stream version applied — one guard for every row of the finding.
CREATE TABLE IF NOT EXISTS claim_list_findings_v1 (
  finding_id       text        PRIMARY KEY,
  campaign_id      text        NOT NULL,
  current_unit_id  text,
  stream_version   integer     NOT NULL
);
CREATE INDEX IF NOT EXISTS claim_list_v1_unit_status_idx ON claim_list_v1 (unit_id, status, dispatched_at);
CREATE INDEX IF NOT EXISTS claim_list_v1_finding_idx ON claim_list_v1 (finding_id);

-- 整改台账 (一题一策一台账): per finding, the plan, measures, evidence and rejections.
CREATE TABLE IF NOT EXISTS rectification_ledger_v1 (
  finding_id                 text        PRIMARY KEY,
  campaign_id                text        NOT NULL,
  unit_id                    text,
  owner_id                   text,
  owner_name                 text,
  owner_unit_id              text,
  plan                       text,
  measures                   jsonb       NOT NULL DEFAULT '[]',
  planned_completion_date    date,
  plan_signed_by_id          text,
  plan_signed_by_name        text,
  plan_signed_at             timestamptz,
  submission_summary         text,
  submission_signed_by_id    text,
  submission_signed_by_name  text,
  submission_signed_at       timestamptz,
  -- Every evidence reference gathered, in stream order: [{ ref, source: recording|progress|submission, version, at }].
  evidence                   jsonb       NOT NULL DEFAULT '[]',
  rejections                 integer     NOT NULL DEFAULT 0,
  last_rejection_reason      text,
  stream_version             integer     NOT NULL,
  updated_at                 timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS rectification_ledger_v1_unit_idx ON rectification_ledger_v1 (unit_id);

-- The daily progress history; keyed by the event's stream version, so a replayed event inserts nothing.
CREATE TABLE IF NOT EXISTS rectification_progress_v1 (
  finding_id      text        NOT NULL,
  stream_version  integer     NOT NULL,
  workday         date,
  summary         text,
  percent         integer,
  evidence        jsonb       NOT NULL DEFAULT '[]',
  signed_by_id    text,
  signed_by_name  text,
  at              timestamptz,
  PRIMARY KEY (finding_id, stream_version)
);

-- One row per event of a finding (and of a campaign): who signed what, when, why, and the hash chain link,
-- so a discipline inspector reads the trail and can compare it with verify-chains.
CREATE TABLE IF NOT EXISTS audit_trail_v1 (
  stream_id       text        NOT NULL,
  version         integer     NOT NULL,
  -- Null for a campaign's own events (campaign created, dispatch notice issued).
  finding_id      text,
  position        bigint      NOT NULL,
  event_id        uuid        NOT NULL,
  event_type      text        NOT NULL,
  signer_id       text,
  signer_name     text,
  signer_unit_id  text,
  signer_role     text,
  at              timestamptz,
  recorded_at     timestamptz NOT NULL,
  reason          text,
  summary         text        NOT NULL,
  hash            text        NOT NULL,
  prev_hash       text        NOT NULL,
  correlation_id  text,
  PRIMARY KEY (stream_id, version)
);
CREATE INDEX IF NOT EXISTS audit_trail_v1_finding_idx ON audit_trail_v1 (finding_id, version);
CREATE INDEX IF NOT EXISTS audit_trail_v1_signer_idx ON audit_trail_v1 (signer_id, recorded_at, position);

-- The application role runs the projections (and their rebuilds) and the queries.
GRANT SELECT, INSERT, UPDATE, DELETE ON
  finding_ledger_v1, claim_list_v1, claim_list_findings_v1, rectification_ledger_v1, rectification_progress_v1, audit_trail_v1
  TO duban_app;
