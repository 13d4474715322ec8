-- 举一反三, version 1: each propagation and each unit's self-check task. Derived like every read model (see 1001):
-- rebuilt from the event store at any time; timestamps come from the events, never now().

-- One row per propagation (its stream `propagation-<id>` holds only the launch).
CREATE TABLE IF NOT EXISTS propagations_v1 (
  propagation_id        text        PRIMARY KEY,
  campaign_id           text        NOT NULL,
  origin_kind           text        NOT NULL CHECK (origin_kind IN ('finding', 'checklist_item')),
  origin_finding_id     text,
  origin_category_code  text,
  scope                 text        NOT NULL,
  instruction           text        NOT NULL,
  deadline_workdays     integer     NOT NULL,
  due_date              date        NOT NULL,
  deadline_at           timestamptz NOT NULL,
  launched_by_id        text,
  launched_by_name      text,
  launched_at           timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS propagations_v1_campaign_idx ON propagations_v1 (campaign_id, launched_at);
CREATE INDEX IF NOT EXISTS propagations_v1_origin_idx ON propagations_v1 (origin_finding_id) WHERE origin_finding_id IS NOT NULL;

-- One row per (propagation, unit) task; its stream `selfcheck-<propagation>-<unit>`'s last applied version is the guard.
CREATE TABLE IF NOT EXISTS propagation_tasks_v1 (
  propagation_id     text        NOT NULL,
  unit_id            text        NOT NULL,
  campaign_id        text        NOT NULL,
  origin_finding_id  text,
  status             text        NOT NULL CHECK (status IN ('requested', 'claimed', 'attested')),
  due_date           date        NOT NULL,
  deadline_at        timestamptz NOT NULL,
  owner_id           text,
  owner_name         text,
  claimed_at         timestamptz,
  outcome            text        CHECK (outcome IN ('none_found', 'found')),
  checked            text,
  evidence           jsonb       NOT NULL DEFAULT '[]',
  finding_ids        jsonb       NOT NULL DEFAULT '[]',
  found_count        integer     NOT NULL DEFAULT 0,
  attested_at        timestamptz,
  late               boolean     NOT NULL DEFAULT false,
  stream_version     integer     NOT NULL,
  PRIMARY KEY (propagation_id, unit_id)
);
CREATE INDEX IF NOT EXISTS propagation_tasks_v1_unit_idx ON propagation_tasks_v1 (unit_id, status, deadline_at);
CREATE INDEX IF NOT EXISTS propagation_tasks_v1_origin_idx ON propagation_tasks_v1 (origin_finding_id) WHERE origin_finding_id IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON propagations_v1, propagation_tasks_v1 TO duban_app;
