-- The cadence (日督查、日交办、周调度、月讲评), version 1. Derived like every read model (see 1001): rebuilt from the
-- event store at any time, never a source of truth; a change of shape means `_v2` tables built beside these.
-- Timestamps come from the events (`at`), never now(), so a rebuild reproduces every row exactly.

-- 日督查: one row per (campaign, supervision team, day) that has any event — a filed report, a missed record, or
-- both (missed at the cutoff, filed afterwards). A day with neither has no row; the query shows it as pending.
-- Each row comes from one stream `inspection-<campaign>-<team>-<date>`; its last applied version is the guard.
CREATE TABLE IF NOT EXISTS inspection_reports_v1 (
  campaign_id          text        NOT NULL,
  team_id              text        NOT NULL,
  date                 date        NOT NULL,
  status               text        NOT NULL CHECK (status IN ('filed', 'filed_late', 'missed', 'missed_then_filed')),
  households_visited   integer,
  units_visited        integer,
  -- The findings the team listed for the day, as the signer listed them.
  finding_ids          jsonb       NOT NULL DEFAULT '[]',
  summary              text,
  -- The day's cutoff as the deciding side computed it (the campaign's inspectionCutoff in Asia/Shanghai).
  cutoff_at            timestamptz,
  filed_by_id          text,
  filed_by_name        text,
  filed_at             timestamptz,
  -- The team leader the missed record names; null when the team had no leader on record (the team answers).
  missed_against_id    text,
  missed_against_name  text,
  missed_at            timestamptz,
  stream_id            text        NOT NULL,
  stream_version       integer     NOT NULL,
  PRIMARY KEY (campaign_id, team_id, date)
);
-- The bulletin reads a campaign's missed reports of one day; the list reads a campaign newest first.
CREATE INDEX IF NOT EXISTS inspection_reports_v1_date_idx ON inspection_reports_v1 (campaign_id, date DESC, team_id);

-- Published reports (日报/通报, 日交办清单, 周调度, 月讲评): one row per report, frozen as its event recorded it. A report
-- is published once per (campaign, cadence, period) in its own stream, so the key is also the stream's identity.
CREATE TABLE IF NOT EXISTS cadence_reports_v1 (
  campaign_id    text        NOT NULL,
  cadence        text        NOT NULL
    CHECK (cadence IN ('daily_inspection', 'daily_dispatch', 'weekly_dispatch', 'monthly_review')),
  -- The date (daily), ISO week 'YYYY-Www' (weekly) or the reviewed month 'YYYY-MM' (monthly): keys of one cadence
  -- sort in time order as text.
  period_key     text        NOT NULL,
  published_at   timestamptz NOT NULL,
  -- { asOf, checkpoint }: the instant and log position the numbers were computed at, so anyone can recompute them.
  provenance     jsonb       NOT NULL,
  -- The event's data minus campaignId, periodKey, provenance, signedBy and at.
  content        jsonb       NOT NULL,
  stream_id      text        NOT NULL,
  stream_version integer     NOT NULL,
  event_id       uuid        NOT NULL UNIQUE,
  event_type     text        NOT NULL,
  PRIMARY KEY (campaign_id, cadence, period_key)
);

-- 月讲评 per unit, for the quarterly ranking (季排序) and the annual total (年总评): they accumulate published months
-- only, so they read these rows and never rescore a month.
CREATE TABLE IF NOT EXISTS monthly_review_units_v1 (
  campaign_id  text        NOT NULL,
  month        text        NOT NULL,
  unit_id      text        NOT NULL,
  unit_name    text        NOT NULL,
  score        numeric     NOT NULL,
  -- Null (with ranked = false) for a unit that had nothing to score that month.
  rank         integer,
  ranked       boolean     NOT NULL,
  commended    boolean     NOT NULL,
  named_last   boolean     NOT NULL,
  PRIMARY KEY (campaign_id, month, unit_id)
);

-- Whether a campaign's cadence runs (active), is stopped until resumed (paused) or is over (ended), who changed it,
-- when and why. Kept apart from campaigns_v1 so that table's shape and projection stay as they are.
CREATE TABLE IF NOT EXISTS campaign_lifecycle_v1 (
  campaign_id      text        PRIMARY KEY,
  lifecycle        text        NOT NULL CHECK (lifecycle IN ('active', 'paused', 'ended')),
  reason           text,
  changed_by_id    text,
  changed_by_name  text,
  changed_at       timestamptz,
  -- The version of the last lifecycle event applied in stream `campaign-<id>` (notice events are skipped).
  stream_version   integer     NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON
  inspection_reports_v1, cadence_reports_v1, monthly_review_units_v1, campaign_lifecycle_v1
  TO duban_app;
