-- One round trip per append (issue 15): the head check of every stream, the events and the idempotency record in one
-- server-side call, committed as one implicit transaction. The chain hashes and signatures are still computed by the
-- API and the worker (the signing key never reaches the database), chained onto the head hash they expect; the
-- function checks that head (version and hash) under the same statement, so a stale expectation writes nothing.
--
-- Streams come sorted by id and the events in that order (two multi-stream appends take the unique-index locks in the
-- same order and cannot deadlock); positions are assigned in array order. Errors:
--   DB409 the stream is not at the expected version (DETAIL: {"streamId", "actual"}) — the port's VERSION_CONFLICT;
--   DB412 the stream is at the expected version but its head hash is not the one the caller chained onto (a stale
--         cache in the caller: it reads the head and tries again).
-- A lost race on the same version still surfaces as the unique violation on events_stream_version_uniq, and a reused
-- idempotency key as the one on processed_commands; either way the whole call writes nothing.
CREATE OR REPLACE FUNCTION duban_append(
  p_streams         text[],
  p_expected        integer[],
  p_head_hashes     text[],
  p_event_streams   text[],
  p_versions        integer[],
  p_event_ids       uuid[],
  p_types           text[],
  p_data            text[],
  p_metadata        text[],
  p_prev_hashes     text[],
  p_hashes          text[],
  p_key_ids         text[],
  p_signatures      text[],
  p_recorded_at     timestamptz,
  p_idem_key        text,
  p_command_type    text,
  p_request_hash    text,
  p_result          text
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  head_version integer;
  head_hash    text;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
    head_version := NULL;
    head_hash := NULL;
    SELECT e.version, e.hash INTO head_version, head_hash
      FROM events e WHERE e.stream_id = p_streams[i] ORDER BY e.version DESC LIMIT 1;
    IF coalesce(head_version, 0) <> p_expected[i] THEN
      RAISE EXCEPTION 'stream % is at version %, not %', p_streams[i], coalesce(head_version, 0), p_expected[i]
        USING ERRCODE = 'DB409', DETAIL = json_build_object('streamId', p_streams[i], 'actual', coalesce(head_version, 0))::text;
    END IF;
    IF coalesce(head_hash, repeat('0', 64)) <> p_head_hashes[i] THEN
      RAISE EXCEPTION 'stream % head hash is not the one chained onto', p_streams[i] USING ERRCODE = 'DB412';
    END IF;
  END LOOP;

  INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash, signing_key_id, signature)
  SELECT u.stream_id, u.version, u.event_id, u.type, u.data, u.metadata, p_recorded_at, u.prev_hash, u.hash, u.key_id, u.signature
    FROM unnest(p_event_streams, p_versions, p_event_ids, p_types, p_data, p_metadata, p_prev_hashes, p_hashes, p_key_ids, p_signatures)
         WITH ORDINALITY AS u(stream_id, version, event_id, type, data, metadata, prev_hash, hash, key_id, signature, n)
   ORDER BY u.n;

  IF p_idem_key IS NOT NULL THEN
    INSERT INTO processed_commands (idempotency_key, command_type, request_hash, result, recorded_at)
    VALUES (p_idem_key, p_command_type, p_request_hash, p_result::json, p_recorded_at);
  END IF;
END $$;

REVOKE ALL ON FUNCTION duban_append(text[], integer[], text[], text[], integer[], uuid[], text[], text[], text[], text[], text[], text[], text[], timestamptz, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION duban_append(text[], integer[], text[], text[], integer[], uuid[], text[], text[], text[], text[], text[], text[], text[], timestamptz, text, text, text, text) TO duban_app;
