-- Migration 2: claim keys, history and analyst views

ALTER TABLE claims ADD COLUMN claim_key VARCHAR;
ALTER TABLE claims ADD COLUMN claim_value VARCHAR;
CREATE INDEX claims_claim_key ON claims (claim_key);

-- Versions of each document in order, valid from their publication (else fetch) date until the
-- next version of the same document supersedes them.
CREATE VIEW version_history AS
WITH dated AS (
    SELECT v.version_id, v.doc_id, d.doc_key, d.url, d.site, v.title, v.lang, v.published, v.fetched_at,
           v.source, COALESCE(v.published, CAST(v.fetched_at AS DATE)) AS valid_from
    FROM versions v JOIN documents d USING (doc_id)
)
SELECT *,
       ROW_NUMBER() OVER w AS version_no,
       LEAD(valid_from) OVER w AS valid_to
FROM dated
WINDOW w AS (PARTITION BY doc_id ORDER BY valid_from, fetched_at, version_id);

-- Every claim with the validity of the version that states it.
CREATE VIEW claim_history AS
SELECT c.claim_key, c.claim_value, c.kind, c.predicate, c.subject_id, c.subject_text, c.object_id,
       c.object_text, c.polarity, c.modality, c.tier, c.time_iso, c.window_duration, c.window_anchor,
       c.quantity_value, c.quantity_upper, c.quantity_unit, c.location_id, c.condition,
       c.evidence_text, c.evidence_start, c.evidence_end, c.sentence_idx, c.claim_id, c.confidence,
       h.doc_id, h.doc_key, h.site, h.lang, h.title, h.version_id, h.version_no, h.valid_from, h.valid_to
FROM claims c JOIN version_history h USING (version_id);

-- What the corpus said on a date: SELECT * FROM corpus_as_of(DATE '2026-02-03').
CREATE MACRO corpus_as_of(d) AS TABLE
    SELECT * FROM claim_history WHERE valid_from <= d AND (valid_to IS NULL OR valid_to > d);

-- Claims as of the latest version of each document.
CREATE VIEW current_claims AS SELECT * FROM claim_history WHERE valid_to IS NULL;

CREATE VIEW pledges AS
SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
       c.window_duration, c.window_anchor, c.condition, c.quantity_value, c.quantity_upper,
       c.quantity_unit, c.time_iso, c.tier, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
WHERE c.kind = 'pledge';

CREATE VIEW positions AS
SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
       c.object_text, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
WHERE c.kind = 'position';

CREATE VIEW tiers AS
SELECT c.tier, c.subject_id, e.name_en AS actor, c.predicate, c.window_duration, c.window_anchor,
       c.condition, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
WHERE c.kind = 'tier';

CREATE VIEW events AS
SELECT c.predicate, c.time_iso, c.location_id, e.name_en AS location, c.object_text, c.lang, c.site,
       c.doc_key, c.version_no, c.evidence_text
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.location_id
WHERE c.kind = 'event';

-- What changed between consecutive versions of each document (values per key compared as sets).
CREATE VIEW claim_changes AS
WITH per_version AS (
    SELECT doc_id, version_no, claim_key, any_value(kind) AS kind,
           string_agg(DISTINCT claim_value, ' | ' ORDER BY claim_value) AS value,
           min(evidence_text) AS evidence
    FROM claim_history GROUP BY doc_id, version_no, claim_key
),
pairs AS (
    SELECT doc_id, doc_key, version_no, valid_from FROM version_history WHERE version_no > 1
),
old AS (
    SELECT p.doc_id, p.version_no, c.claim_key, c.kind, c.value, c.evidence
    FROM pairs p JOIN per_version c ON c.doc_id = p.doc_id AND c.version_no = p.version_no - 1
),
new AS (
    SELECT p.doc_id, p.version_no, c.claim_key, c.kind, c.value, c.evidence
    FROM pairs p JOIN per_version c ON c.doc_id = p.doc_id AND c.version_no = p.version_no
)
SELECT p.doc_key, p.version_no, p.valid_from,
       COALESCE(o.claim_key, n.claim_key) AS claim_key, COALESCE(o.kind, n.kind) AS kind,
       CASE WHEN o.claim_key IS NULL THEN 'added' WHEN n.claim_key IS NULL THEN 'removed'
            ELSE 'changed' END AS change,
       o.value AS old_value, n.value AS new_value, o.evidence AS old_evidence, n.evidence AS new_evidence
FROM old o
FULL OUTER JOIN new n ON o.doc_id = n.doc_id AND o.version_no = n.version_no AND o.claim_key = n.claim_key
JOIN pairs p ON p.doc_id = COALESCE(o.doc_id, n.doc_id) AND p.version_no = COALESCE(o.version_no, n.version_no)
WHERE o.value IS DISTINCT FROM n.value;
