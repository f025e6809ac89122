-- Migration 4: faster claim_changes
-- Same rows as migration 2's view; a document filter now reaches the claims (0.72 s → 0.02 s for one
-- document at 1M claims, benchmarks/queries.py) and kind is chosen deterministically.

CREATE OR REPLACE VIEW claim_changes AS
WITH per_version AS (
    SELECT doc_key, version_no, claim_key, min(kind) AS kind,
           nullif(array_to_string(list_sort(list_distinct(list(claim_value))), ' | '), '') AS value,
           min(evidence_text) AS evidence
    FROM claim_history
    WHERE version_no > 1 OR valid_to IS NOT NULL
    GROUP BY doc_key, version_no, claim_key
),
sides AS (
    SELECT c.doc_key, c.version_no + s.shift AS version_no, c.claim_key, c.kind, c.value, c.evidence, s.is_old
    FROM per_version c CROSS JOIN (VALUES (0, false), (1, true)) s(shift, is_old)
),
compared AS (
    SELECT doc_key, version_no, claim_key,
           COALESCE(min(kind) FILTER (WHERE is_old), min(kind) FILTER (WHERE NOT is_old)) AS kind,
           count(*) FILTER (WHERE is_old) AS n_old, count(*) FILTER (WHERE NOT is_old) AS n_new,
           any_value(value) FILTER (WHERE is_old) AS old_value,
           any_value(value) FILTER (WHERE NOT is_old) AS new_value,
           any_value(evidence) FILTER (WHERE is_old) AS old_evidence,
           any_value(evidence) FILTER (WHERE NOT is_old) AS new_evidence
    FROM sides
    GROUP BY doc_key, version_no, claim_key
)
SELECT c.doc_key, c.version_no, h.valid_from, c.claim_key, c.kind,
       CASE WHEN c.n_old = 0 THEN 'added' WHEN c.n_new = 0 THEN 'removed' ELSE 'changed' END AS change,
       c.old_value, c.new_value, c.old_evidence, c.new_evidence
FROM compared c JOIN version_history h ON h.doc_key = c.doc_key AND h.version_no = c.version_no
WHERE c.version_no > 1 AND c.old_value IS DISTINCT FROM c.new_value
