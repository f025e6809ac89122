-- Migration 1: initial schema

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    extractor_version VARCHAR NOT NULL,
    command VARCHAR,
    status VARCHAR NOT NULL,
    n_sources INTEGER,
    n_new_versions INTEGER,
    n_skipped INTEGER,
    n_errors INTEGER
);
CREATE TABLE documents (
    doc_id VARCHAR PRIMARY KEY,
    doc_key VARCHAR NOT NULL UNIQUE,
    url VARCHAR,
    site VARCHAR,
    first_seen_run VARCHAR,
    first_seen_at TIMESTAMP NOT NULL
);
CREATE TABLE versions (
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
    UNIQUE (doc_id, raw_sha256)
);
CREATE TABLE sentences (
    version_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    paragraph INTEGER,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    is_heading BOOLEAN,
    PRIMARY KEY (version_id, idx)
);
CREATE TABLE entities (
    entity_id VARCHAR PRIMARY KEY,
    type VARCHAR,
    name_en VARCHAR,
    name_ja VARCHAR,
    parent_id VARCHAR
);
CREATE TABLE mentions (
    version_id VARCHAR NOT NULL,
    sentence_idx INTEGER,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR,
    label VARCHAR,
    entity_id VARCHAR,
    source VARCHAR
);
CREATE TABLE claims (
    claim_id VARCHAR PRIMARY KEY,
    version_id VARCHAR NOT NULL,
    run_id VARCHAR,
    kind VARCHAR NOT NULL,
    predicate VARCHAR NOT NULL,
    subject_id VARCHAR,
    subject_text VARCHAR,
    object_id VARCHAR,
    object_text VARCHAR,
    polarity VARCHAR,
    modality VARCHAR,
    condition VARCHAR,
    time_start DATE,
    time_end DATE,
    time_granularity VARCHAR,
    time_iso VARCHAR,
    time_text VARCHAR,
    window_duration VARCHAR,
    window_bound VARCHAR,
    window_anchor VARCHAR,
    tier INTEGER,
    quantity_value DOUBLE,
    quantity_upper DOUBLE,
    quantity_unit VARCHAR,
    quantity_text VARCHAR,
    quantity_approximate BOOLEAN,
    location_id VARCHAR,
    location_text VARCHAR,
    participants VARCHAR,
    sentence_idx INTEGER,
    evidence_start INTEGER,
    evidence_end INTEGER,
    evidence_text VARCHAR,
    confidence DOUBLE,
    extractor VARCHAR,
    extractor_version VARCHAR NOT NULL
);
CREATE TABLE errors (
    run_id VARCHAR,
    source VARCHAR,
    error_type VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    "at" TIMESTAMP NOT NULL  -- AT is a keyword in DuckDB: quote it in queries
);
CREATE INDEX versions_doc_id ON versions (doc_id);
CREATE INDEX mentions_version_id ON mentions (version_id);
CREATE INDEX claims_version_id ON claims (version_id);
CREATE INDEX claims_kind ON claims (kind);
CREATE INDEX claims_subject_id ON claims (subject_id);
