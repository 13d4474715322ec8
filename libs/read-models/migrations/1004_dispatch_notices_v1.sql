-- 督办通知书 (dispatch notices), version 1. Derived like every read model (see 1001): rebuilt from the event store
-- at any time, never a source of truth; a change of shape means `_v2` tables built beside these.
--
-- One row per notice × finding: every FindingDispatched, and every FindingReassigned that went out under a notice
-- number, with the notice as it was issued — the unit it is addressed to, the signer (签发人), the deadline, and
-- the finding as it stood that moment (village, household, category, severity, description). A printed notice
-- must read the same later, so an amendment after issue does not rewrite the row; it only sets
-- `amended_after_issue` so the document can say the ledger now holds corrected details.
CREATE TABLE IF NOT EXISTS dispatch_notices_v1 (
  notice_no               text        NOT NULL,
  finding_id              text        NOT NULL,
  campaign_id             text        NOT NULL,
  -- The version of the FindingDispatched / FindingReassigned event in stream `finding-<finding_id>`.
  stream_version          integer     NOT NULL,
  event_id                uuid        NOT NULL UNIQUE,
  kind                    text        NOT NULL CHECK (kind IN ('dispatch', 'reassignment')),
  -- 主送单位: the unit the finding is sent to; names as the directory had them when the notice was projected.
  unit_id                 text        NOT NULL,
  unit_name               text,
  -- A reassignment's previous unit and reason.
  from_unit_id            text,
  from_unit_name          text,
  reason                  text,
  note                    text,
  -- 签发人 and the issuing office (the signer's unit).
  signer_id               text        NOT NULL,
  signer_name             text        NOT NULL,
  signer_role             text,
  signer_unit_id          text,
  signer_unit_name        text,
  issued_at               timestamptz NOT NULL,
  -- 整改时限.
  deadline_workdays       integer,
  due_date                date        NOT NULL,
  deadline_at             timestamptz NOT NULL,
  capped_by_phase_end     boolean     NOT NULL DEFAULT false,
  -- The finding as it stood when the notice was issued.
  source                  text,
  category_code           text,
  severity                text,
  town_unit_id            text,
  town_unit_name          text,
  village                 text,
  household               text,
  description             text,
  amended_after_issue     boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (notice_no, finding_id)
);
CREATE INDEX IF NOT EXISTS dispatch_notices_v1_finding_idx ON dispatch_notices_v1 (finding_id, stream_version DESC);
CREATE INDEX IF NOT EXISTS dispatch_notices_v1_unit_idx ON dispatch_notices_v1 (unit_id, issued_at DESC);

-- The projection's own memory of each finding: its details as recorded and amended (later events do not repeat
-- them), the notice of its current dispatch (null after a reassignment that went out without one), and the last
-- stream version applied — one guard for every row of the finding, so a replayed event changes nothing.
CREATE TABLE IF NOT EXISTS dispatch_notice_findings_v1 (
  finding_id          text        PRIMARY KEY,
  campaign_id         text        NOT NULL,
  source              text,
  category_code       text,
  severity            text,
  town_unit_id        text,
  village             text,
  household           text,
  description         text,
  current_notice_no   text,
  stream_version      integer     NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON dispatch_notices_v1, dispatch_notice_findings_v1 TO duban_app;
