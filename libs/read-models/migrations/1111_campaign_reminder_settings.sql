-- A campaign's own reminder settings (ReminderSettingsChanged), whole; NULL: it never set any and its people get the
-- defaults. No earlier event carries them, so no rebuild is needed for campaigns already projected.
ALTER TABLE campaigns_v1 ADD COLUMN IF NOT EXISTS reminder_settings jsonb;
ALTER TABLE campaigns_v1 ADD COLUMN IF NOT EXISTS reminder_settings_changed_by text;
ALTER TABLE campaigns_v1 ADD COLUMN IF NOT EXISTS reminder_settings_changed_at timestamptz;
