-- Webhook subscribers (other systems): which event types and units each wants, where, and the secret its bodies are
-- signed with (HMAC-SHA256). Each subscriber has its own checkpoint row, named webhook:{subscription_id}.
CREATE TABLE IF NOT EXISTS webhook_subscriptions_v1 (
  subscription_id text PRIMARY KEY,
  url             text NOT NULL,
  secret          text NOT NULL,
  event_types     text[] NOT NULL,
  -- Empty: every unit.
  unit_ids        text[] NOT NULL DEFAULT '{}',
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Deliveries that failed every retry: kept with the body as sent, for an operator to redeliver.
CREATE TABLE IF NOT EXISTS webhook_dead_letters_v1 (
  subscription_id text NOT NULL,
  event_id        text NOT NULL,
  body            text NOT NULL,
  attempts        integer NOT NULL,
  last_error      text NOT NULL,
  failed_at       timestamptz NOT NULL DEFAULT now(),
  redelivered_at  timestamptz,
  PRIMARY KEY (subscription_id, event_id)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_subscriptions_v1, webhook_dead_letters_v1 TO duban_app;
