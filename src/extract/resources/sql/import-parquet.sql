-- Store.import_parquet: the Parquet tables of a run (temporary ray_* views) into the store's tables.
-- Runs already imported are skipped entirely, so importing the same folder twice adds nothing.

CREATE OR REPLACE TEMP TABLE _ray_new_runs AS
    SELECT * FROM ray_runs WHERE run_id NOT IN (SELECT run_id FROM runs);

-- Versions already stored (same document, same raw bytes; e.g. by a local run) are skipped.
CREATE OR REPLACE TEMP TABLE _ray_new_versions AS
    SELECT * FROM ray_versions v
    WHERE v.run_id IN (SELECT run_id FROM _ray_new_runs)
      AND NOT EXISTS (SELECT 1 FROM versions x WHERE x.doc_id = v.doc_id AND x.raw_sha256 = v.raw_sha256)
    QUALIFY row_number() OVER (PARTITION BY v.doc_id, v.raw_sha256 ORDER BY v.fetched_at, v.source) = 1;

INSERT INTO documents BY NAME
    SELECT * FROM ray_documents d
    WHERE d.doc_id IN (SELECT doc_id FROM _ray_new_versions) AND d.doc_id NOT IN (SELECT doc_id FROM documents)
    QUALIFY row_number() OVER (PARTITION BY d.doc_id ORDER BY d.first_seen_at) = 1;

INSERT INTO versions BY NAME SELECT * FROM _ray_new_versions;

INSERT INTO sentences BY NAME SELECT * FROM ray_sentences WHERE version_id IN (SELECT version_id FROM _ray_new_versions);

INSERT INTO mentions BY NAME SELECT * FROM ray_mentions WHERE version_id IN (SELECT version_id FROM _ray_new_versions);

INSERT INTO claims BY NAME SELECT * FROM ray_claims WHERE version_id IN (SELECT version_id FROM _ray_new_versions);

INSERT INTO errors BY NAME SELECT * FROM ray_errors WHERE run_id IN (SELECT run_id FROM _ray_new_runs);

-- The run's counts say what this store got: versions it had already count as skipped.
INSERT INTO runs BY NAME
    WITH n AS (SELECT run_id, count(*)::INTEGER AS n_new FROM _ray_new_versions GROUP BY run_id)
    SELECT r.* REPLACE (
        COALESCE(n.n_new, 0) AS n_new_versions, r.n_sources - r.n_errors - COALESCE(n.n_new, 0) AS n_skipped
    )
    FROM _ray_new_runs r LEFT JOIN n ON n.run_id = r.run_id;
