-- 举一反三: when the task's deadline timer recorded the attestation missing (SelfCheckOverdue), and who answered for it.
ALTER TABLE propagation_tasks_v1 ADD COLUMN IF NOT EXISTS overdue_recorded_at timestamptz;
ALTER TABLE propagation_tasks_v1 ADD COLUMN IF NOT EXISTS overdue_accountable_id text;
ALTER TABLE propagation_tasks_v1 ADD COLUMN IF NOT EXISTS overdue_accountable_name text;
