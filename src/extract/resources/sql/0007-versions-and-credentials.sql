-- Migration 7: versions compared with the latest one; credentials stripped from stored URLs and keys
-- A document may now return to the content of an earlier version, which is then a new version: the
-- unique (doc_id, raw_sha256) goes (DuckDB drops a constraint by rebuilding the table). Such a version
-- is valid from its fetch date (``valid_from``), not from the earlier version's publication date.
-- ``warnings``: what decoding had to repair.

CREATE TABLE versions_rebuilt (
    version_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    run_id VARCHAR,
    raw_sha256 VARCHAR NOT NULL,
    text_sha256 VARCHAR NOT NULL,
    title VARCHAR,
    published DATE,
    lang VARCHAR,
    lang_score DOUBLE,
    content_type VARCHAR,
    source VARCHAR,
    fetched_at TIMESTAMP NOT NULL,
    text VARCHAR NOT NULL,
    valid_from DATE,
    warnings VARCHAR
);
INSERT INTO versions_rebuilt BY NAME SELECT * FROM versions;
DROP TABLE versions;
ALTER TABLE versions_rebuilt RENAME TO versions;
CREATE INDEX versions_doc_id ON versions (doc_id);

CREATE OR REPLACE VIEW version_history AS
WITH dated AS (
    SELECT v.version_id, v.doc_id, d.doc_key, d.url, d.site, v.title, v.lang, v.published, v.fetched_at,
           v.source, COALESCE(v.valid_from, v.published, CAST(v.fetched_at AS DATE)) AS valid_from
    FROM versions v JOIN documents d USING (doc_id)
)
SELECT *,
       ROW_NUMBER() OVER w AS version_no,
       LEAD(valid_from) OVER w AS valid_to
FROM dated
WINDOW w AS (PARTITION BY doc_id ORDER BY valid_from, fetched_at, version_id);
