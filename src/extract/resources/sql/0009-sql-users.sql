-- Migration 9: for SQL users: JSON columns, windows as intervals, comments on every table, view and column
-- DuckDB refuses to change a column's type while indexes depend on its table: drop, alter, recreate.
-- ``claim_history`` is migration 6's view plus ``window_interval``; ``pledges`` and ``tiers`` are
-- migration 2's plus it. A later migration that replaces a view must call ``apply_comments`` again.

DROP INDEX IF EXISTS claims_claim_key;
DROP INDEX IF EXISTS claims_kind;
DROP INDEX IF EXISTS claims_subject_id;
DROP INDEX IF EXISTS claims_version_id;
ALTER TABLE claims ALTER claim_value SET DATA TYPE JSON;
ALTER TABLE claims ALTER participants SET DATA TYPE JSON;
CREATE INDEX claims_claim_key ON claims (claim_key);
CREATE INDEX claims_kind ON claims (kind);
CREATE INDEX claims_subject_id ON claims (subject_id);
CREATE INDEX claims_version_id ON claims (version_id);

-- DuckDB casts '72 hours' to an INTERVAL but not ISO 8601's 'PT72H', which is how windows are stored.
CREATE OR REPLACE MACRO iso_interval(d) AS
    CASE WHEN regexp_full_match(d, 'P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?')
              AND d NOT IN ('P', 'PT') AND NOT ends_with(d, 'T')
    THEN to_years(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)Y', 1) AS INTEGER), 0))
       + to_months(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)M', 1) AS INTEGER), 0))
       + to_days(7 * COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)W', 1) AS INTEGER), 0))
       + to_days(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 1), '(\d+)D', 1) AS INTEGER), 0))
       + to_hours(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 2), '(\d+)H', 1) AS BIGINT), 0))
       + to_minutes(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 2), '(\d+)M', 1) AS BIGINT), 0))
       + to_seconds(COALESCE(TRY_CAST(regexp_extract(split_part(d, 'T', 2), '([\d.]+)S', 1) AS DOUBLE), 0))
    END;

CREATE OR REPLACE VIEW claim_history AS
SELECT c.claim_key, c.claim_value, c.kind, c.predicate, c.subject_id, c.subject_text, c.object_id,
       c.object_text, c.polarity, c.modality, c.tier, c.time_iso, c.window_duration, c.window_anchor,
       c.quantity_value, c.quantity_upper, c.quantity_unit, c.location_id, c.condition,
       c.evidence_text, c.evidence_start, c.evidence_end, c.sentence_idx, c.claim_id, c.confidence,
       h.doc_id, h.doc_key, h.site, h.lang, h.title, h.version_id, h.version_no, h.valid_from, h.valid_to,
       c.window_bound, c.quantity_text, c.quantity_scope, c.quantity_previous, c.quantity_per,
       c.participants, c.analysis, c.key_version, h.published,
       COALESCE(h.site, h.doc_key) AS outlet, COALESCE(f.wire_group, h.version_id) AS wire_group,
       iso_interval(c.window_duration) AS window_interval
FROM claims c JOIN version_history h USING (version_id)
LEFT JOIN fingerprints f ON f.version_id = c.version_id;

CREATE OR REPLACE VIEW pledges AS
SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
       c.window_duration, c.window_interval, c.window_anchor, c.condition, c.quantity_value,
       c.quantity_upper, c.quantity_unit, c.time_iso, c.tier, c.lang, c.site, c.doc_key, c.version_no,
       c.evidence_text
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
WHERE c.kind = 'pledge';

CREATE OR REPLACE VIEW tiers AS
SELECT c.tier, c.subject_id, e.name_en AS actor, c.predicate, c.window_duration, c.window_interval,
       c.window_anchor, c.condition, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
WHERE c.kind = 'tier';
