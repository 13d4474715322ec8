-- The application connects as duban_app: it may append and read events, never change them.
-- The role is cluster-wide; its password is set by the migrator from DUBAN_APP_PASSWORD.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'duban_app') THEN
    CREATE ROLE duban_app LOGIN;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO duban_app;
REVOKE ALL ON events FROM duban_app;
GRANT SELECT, INSERT ON events TO duban_app;
GRANT SELECT, INSERT ON processed_commands TO duban_app;
GRANT SELECT, INSERT, UPDATE ON subscription_checkpoints TO duban_app;
