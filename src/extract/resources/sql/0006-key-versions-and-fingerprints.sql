-- Migration 6: claim keys from meaning (key versions), new claim fields, syndication fingerprints, disagreements
-- Keys are recomputed from the claims (keys.KEY_VERSION); later key rule changes re-key through
-- ``Store.migrate`` without a schema migration. ``disagreements`` is described in its own comment.

ALTER TABLE claims ADD COLUMN IF NOT EXISTS quantity_scope VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS quantity_previous DOUBLE;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS quantity_per VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS analysis VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS key_version INTEGER;
CREATE TABLE IF NOT EXISTS key_versions (
    key_version INTEGER NOT NULL,
    applied_at TIMESTAMP NOT NULL,
    n_claims BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprints (
    version_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    wire_group VARCHAR NOT NULL,
    signature BIGINT[] NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprint_bands (
    band INTEGER NOT NULL,
    hash BIGINT NOT NULL,
    version_id VARCHAR NOT NULL
);
CREATE INDEX IF NOT EXISTS fingerprint_bands_hash ON fingerprint_bands (band, hash);

-- Every claim with the validity of the version that states it; ``outlet`` is the source a claim is
-- compared by (the site, else the document), ``wire_group`` the near-identical texts it belongs to.
CREATE OR REPLACE VIEW claim_history AS
SELECT c.claim_key, c.claim_value, c.kind, c.predicate, c.subject_id, c.subject_text, c.object_id,
       c.object_text, c.polarity, c.modality, c.tier, c.time_iso, c.window_duration, c.window_anchor,
       c.quantity_value, c.quantity_upper, c.quantity_unit, c.location_id, c.condition,
       c.evidence_text, c.evidence_start, c.evidence_end, c.sentence_idx, c.claim_id, c.confidence,
       h.doc_id, h.doc_key, h.site, h.lang, h.title, h.version_id, h.version_no, h.valid_from, h.valid_to,
       c.window_bound, c.quantity_text, c.quantity_scope, c.quantity_previous, c.quantity_per,
       c.participants, c.analysis, c.key_version, h.published,
       COALESCE(h.site, h.doc_key) AS outlet, COALESCE(f.wire_group, h.version_id) AS wire_group
FROM claims c JOIN version_history h USING (version_id)
LEFT JOIN fingerprints f ON f.version_id = c.version_id;

-- Near-identical texts on more than one source (a wire story and its copies), with their sources.
CREATE OR REPLACE VIEW wire_groups AS
SELECT f.wire_group, list(DISTINCT COALESCE(d.site, d.doc_key) ORDER BY COALESCE(d.site, d.doc_key)) AS members,
       count(DISTINCT COALESCE(d.site, d.doc_key)) AS n_sources
FROM fingerprints f JOIN documents d USING (doc_id)
GROUP BY f.wire_group HAVING count(DISTINCT COALESCE(d.site, d.doc_key)) > 1;

-- What each source says now about each key: the claims of its latest current version stating it.
CREATE OR REPLACE VIEW source_claims AS
SELECT * FROM current_claims
QUALIFY dense_rank() OVER (PARTITION BY outlet, claim_key ORDER BY valid_from DESC, version_id DESC) = 1;

-- Keys whose current values differ between sources: one row per reading (distinct value) of such a key,
-- with the fields that conflict, the sources and languages stating it, how many independent sources
-- those are (a wire story copied by several sites counts once; ``syndicated`` lists the copies) and
-- the evidence. Fields agree as in keys.value_diff: a field one reading leaves out is no conflict; a
-- month, week or year agrees with the days inside it, "until X" with anything ending on X, a place
-- with the places inside it, participants with a subset of them; anchors and conditions compare only
-- as listed terms, and a tier's action (its class is in the key) is never a conflict. Two values of a
-- field conflict only when each has a source that does not state the other, and a plan ("will") does
-- not conflict with its fulfilment ("did") when every statement of the plan predates the event.
-- Keys that identify nothing on their own are left out: an event with neither venue nor a numbered
-- round or date, a pledge, position or quantity with no actor.
CREATE OR REPLACE VIEW disagreements AS
WITH stated AS (
    SELECT s.*, w.members,
           CASE WHEN w.wire_group IS NULL THEN s.outlet ELSE 'wire:' || w.wire_group END AS independent
    FROM source_claims s LEFT JOIN wire_groups w ON w.wire_group = s.wire_group
    WHERE NOT (split_part(s.claim_key, '|', 1) = 'event' AND split_part(s.claim_key, '|', 3) = ''
               AND split_part(s.claim_key, '|', 4) IN ('', 'next'))
      AND NOT (split_part(s.claim_key, '|', 1) IN ('pledge', 'position', 'quantity')
               AND split_part(s.claim_key, '|', 2) = '')
),
readings AS (
    SELECT claim_key, split_part(claim_key, '|', 1) AS family, claim_value,
           list(DISTINCT outlet ORDER BY outlet) AS sources,
           list(DISTINCT lang ORDER BY lang) AS langs,
           count(DISTINCT outlet) AS n_sources,
           count(DISTINCT independent) AS n_independent,
           list(DISTINCT members) FILTER (WHERE members IS NOT NULL) AS syndicated,
           list(DISTINCT {'source': outlet, 'lang': lang, 'doc_key': doc_key, 'version_no': version_no,
                          'evidence': evidence_text}) AS evidence,
           max(valid_from) AS latest
    FROM stated GROUP BY claim_key, claim_value
),
-- Each value of each field, with the sources stating it and whether every statement of it came before
-- the time it names.
fields AS (
    SELECT r.claim_key, j.key AS field, json_extract_string(j.value, '$') AS v,
           list(DISTINCT t.source ORDER BY t.source) AS sources,
           bool_and(COALESCE(
               try_cast(left(json_extract_string(r.claim_value, '$.time'), 10) AS DATE) > r.latest, false
           )) AS before_time
    FROM readings r, json_each(r.claim_value) j, (SELECT UNNEST(r.sources) AS source) t
    WHERE j.key <> 'action'
    GROUP BY ALL
),
conflicts AS (
    SELECT DISTINCT a.claim_key, a.field
    FROM fields a JOIN fields b ON a.claim_key = b.claim_key AND a.field = b.field AND a.v < b.v
        AND NOT list_has_all(b.sources, a.sources) AND NOT list_has_all(a.sources, b.sources)
    LEFT JOIN entities ea ON ea.entity_id = a.v LEFT JOIN entities eb ON eb.entity_id = b.v
    LEFT JOIN entities pa ON pa.entity_id = ea.parent_id LEFT JOIN entities pb ON pb.entity_id = eb.parent_id
    WHERE NOT COALESCE(CASE
        WHEN a.field = 'time' THEN
            (starts_with(a.v, '../') OR starts_with(b.v, '../'))
                AND string_split(a.v, '/')[-1] = string_split(b.v, '/')[-1]
            OR NOT (starts_with(a.v, '../') OR starts_with(b.v, '../')) AND (
                regexp_full_match(a.v, '\d{4}(-\d{2})?')
                    AND starts_with(string_split(b.v, '/')[1], a.v)
                    AND starts_with(string_split(b.v, '/')[-1], a.v)
                OR regexp_full_match(b.v, '\d{4}(-\d{2})?')
                    AND starts_with(string_split(a.v, '/')[1], b.v)
                    AND starts_with(string_split(a.v, '/')[-1], b.v)
                OR regexp_full_match(a.v, '\d{4}-W\d{2}')
                    AND strftime(try_cast(left(string_split(b.v, '/')[1], 10) AS DATE), '%G-W%V') = a.v
                    AND strftime(try_cast(left(string_split(b.v, '/')[-1], 10) AS DATE), '%G-W%V') = a.v
                OR regexp_full_match(b.v, '\d{4}-W\d{2}')
                    AND strftime(try_cast(left(string_split(a.v, '/')[1], 10) AS DATE), '%G-W%V') = b.v
                    AND strftime(try_cast(left(string_split(a.v, '/')[-1], 10) AS DATE), '%G-W%V') = b.v
                OR regexp_full_match(a.v, '\d{4}-\d{2}/\d{4}-\d{2}')
                    AND left(b.v, 7) >= split_part(a.v, '/', 1)
                    AND left(string_split(b.v, '/')[-1], 7) <= split_part(a.v, '/', 2)
                OR regexp_full_match(b.v, '\d{4}-\d{2}/\d{4}-\d{2}')
                    AND left(a.v, 7) >= split_part(b.v, '/', 1)
                    AND left(string_split(a.v, '/')[-1], 7) <= split_part(b.v, '/', 2))
        WHEN a.field = 'place' THEN
            ea.parent_id = b.v OR eb.parent_id = a.v OR pa.parent_id = b.v OR pb.parent_id = a.v
        WHEN a.field = 'participants' THEN
            list_has_all(string_split(a.v, ','), string_split(b.v, ','))
            OR list_has_all(string_split(b.v, ','), string_split(a.v, ','))
        WHEN a.field IN ('anchor', 'condition') THEN starts_with(a.v, '“') OR starts_with(b.v, '“')
        WHEN a.field = 'stance' THEN a.v = 'did' AND b.v = 'will' AND b.before_time
        ELSE false END, false)
)
SELECT r.claim_key, r.family, c.fields, r.claim_value AS reading, r.sources, r.langs, r.n_sources,
       r.n_independent, r.syndicated, r.evidence, r.latest
FROM readings r
JOIN (SELECT claim_key, list(field ORDER BY field) AS fields FROM conflicts GROUP BY claim_key) c
  USING (claim_key);
