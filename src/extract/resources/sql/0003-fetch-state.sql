-- Migration 3: fetch state and error reasons for the nightly job

CREATE TABLE fetch_state (
    url VARCHAR PRIMARY KEY,
    doc_key VARCHAR,
    etag VARCHAR,
    last_modified VARCHAR,
    raw_sha256 VARCHAR,
    last_status INTEGER,
    last_error VARCHAR,
    last_run VARCHAR,
    last_checked TIMESTAMP NOT NULL,
    last_changed TIMESTAMP
);
ALTER TABLE errors ADD COLUMN reason VARCHAR;
ALTER TABLE errors ADD COLUMN transient BOOLEAN;
