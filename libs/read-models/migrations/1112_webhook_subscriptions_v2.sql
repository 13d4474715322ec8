-- Webhook subscriptions as signed events (WebhookSubscribed / …Changed / WebhookUnsubscribed on
-- webhook-subscription-{id}): webhook_subscriptions_v2 is their projection, rebuilt from the log like any other.
-- webhook_subscriptions_v1 (configuration rows written by the API directly) is no longer read: a subscription made
-- that way has no event behind it and must be made again through POST /webhook-subscriptions.
CREATE TABLE IF NOT EXISTS webhook_subscriptions_v2 (
  subscription_id  text PRIMARY KEY,
  url              text NOT NULL,
  secret_ref       text NOT NULL,
  event_types      text[] NOT NULL,
  unit_ids         text[] NOT NULL,
  active           boolean NOT NULL,
  created_by_id    text NOT NULL,
  created_by_name  text NOT NULL,
  created_at       timestamptz NOT NULL,
  changed_at       timestamptz NOT NULL,
  stream_version   integer NOT NULL
);

-- The HMAC secrets, by the ref the events name. Never in the log (kept forever, read by the discipline inspector);
-- not a projection either: a rebuild of the subscriptions leaves them where they are.
CREATE TABLE IF NOT EXISTS webhook_secrets_v1 (
  secret_ref       text PRIMARY KEY,
  subscription_id  text NOT NULL,
  secret           text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_subscriptions_v2 TO duban_app;
GRANT SELECT, INSERT ON webhook_secrets_v1 TO duban_app;
