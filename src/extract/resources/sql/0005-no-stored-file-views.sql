-- Migration 5: no stored views that read files
-- Ray imports used to leave persistent ``ray_*`` views over Parquet files in the store; they are now
-- temporary views of the importing connection, so nothing stored reads the file system.

DROP VIEW IF EXISTS ray_documents;
DROP VIEW IF EXISTS ray_versions;
DROP VIEW IF EXISTS ray_sentences;
DROP VIEW IF EXISTS ray_mentions;
DROP VIEW IF EXISTS ray_claims;
DROP VIEW IF EXISTS ray_errors;
DROP VIEW IF EXISTS ray_runs;
