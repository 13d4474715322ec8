-- Evidence files: the bytes live in the evidence store (a folder or an S3 bucket) under their SHA-256; the database
-- keeps what each stored file is and who uploaded it when, so a command's reference can be checked and a download
-- authorised. Events name the hash, never the bytes.
CREATE TABLE IF NOT EXISTS evidence_files (
  sha256            text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  type              text        NOT NULL,
  size              bigint      NOT NULL CHECK (size > 0),
  thumbnail_sha256  text        CHECK (thumbnail_sha256 ~ '^[0-9a-f]{64}$'),
  stored_at         timestamptz NOT NULL
);

-- Every upload, the same bytes twice included: the second is a new record pointing at the one stored file.
CREATE TABLE IF NOT EXISTS evidence_uploads (
  upload_id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256            text        NOT NULL REFERENCES evidence_files (sha256),
  name              text        NOT NULL,
  type              text        NOT NULL,
  size              bigint      NOT NULL,
  uploaded_by       text        NOT NULL,
  uploaded_at       timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS evidence_uploads_sha256 ON evidence_uploads (sha256, uploaded_by);

-- Thumbnails are files of their own: served with their original's access rule.
CREATE INDEX IF NOT EXISTS evidence_files_thumbnail ON evidence_files (thumbnail_sha256);

GRANT SELECT, INSERT ON evidence_files, evidence_uploads TO duban_app;
