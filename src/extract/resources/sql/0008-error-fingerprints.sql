-- Migration 8: error fingerprints: a permanent failure of unchanged content is recorded once

ALTER TABLE errors ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;
