-- Migration 10: PLOVER codes on claims
-- Issue 17: the PLOVER type, mode, context and the actor's and recipient's codes of each pledge,
-- position and event claim (``plover.annotate`` at ingest), in claim_history and the views of claims.
-- The backfill codes stored claims from their columns; the views are migration 9's plus the codes.

ALTER TABLE claims ADD COLUMN IF NOT EXISTS plover_type VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS plover_mode VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS plover_context VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS actor_code VARCHAR;
ALTER TABLE claims ADD COLUMN IF NOT EXISTS recipient_code VARCHAR;

CREATE OR REPLACE VIEW claim_history AS
SELECT c.claim_key, c.claim_value, c.kind, c.predicate, c.subject_id, c.subject_text, c.object_id,
       c.object_text, c.polarity, c.modality, c.tier, c.time_iso, c.window_duration, c.window_anchor,
       c.quantity_value, c.quantity_upper, c.quantity_unit, c.location_id, c.condition,
       c.evidence_text, c.evidence_start, c.evidence_end, c.sentence_idx, c.claim_id, c.confidence,
       h.doc_id, h.doc_key, h.site, h.lang, h.title, h.version_id, h.version_no, h.valid_from, h.valid_to,
       c.window_bound, c.quantity_text, c.quantity_scope, c.quantity_previous, c.quantity_per,
       c.participants, c.analysis, c.key_version, h.published,
       COALESCE(h.site, h.doc_key) AS outlet, COALESCE(f.wire_group, h.version_id) AS wire_group,
       iso_interval(c.window_duration) AS window_interval,
       c.plover_type, c.plover_mode, c.plover_context, c.actor_code, c.recipient_code
FROM claims c JOIN version_history h USING (version_id)
LEFT JOIN fingerprints f ON f.version_id = c.version_id;

CREATE OR REPLACE VIEW current_claims AS SELECT * FROM claim_history WHERE valid_to IS NULL;

CREATE OR REPLACE VIEW pledges AS
SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
       c.window_duration, c.window_interval, c.window_anchor, c.condition, c.quantity_value,
       c.quantity_upper, c.quantity_unit, c.time_iso, c.tier, c.lang, c.site, c.doc_key, c.version_no,
       c.evidence_text, c.plover_type, c.plover_mode, c.plover_context, c.actor_code, c.recipient_code
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
WHERE c.kind = 'pledge';

CREATE OR REPLACE VIEW positions AS
SELECT c.subject_id, e.name_en AS subject, c.predicate, c.polarity, c.modality, c.object_id,
       c.object_text, c.lang, c.site, c.doc_key, c.version_no, c.evidence_text,
       c.plover_type, c.plover_mode, c.plover_context, c.actor_code, c.recipient_code
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.subject_id
WHERE c.kind = 'position';

CREATE OR REPLACE VIEW events AS
SELECT c.predicate, c.time_iso, c.location_id, e.name_en AS location, c.object_text, c.lang, c.site,
       c.doc_key, c.version_no, c.evidence_text,
       c.plover_type, c.plover_mode, c.plover_context, c.actor_code, c.recipient_code
FROM current_claims c LEFT JOIN entities e ON e.entity_id = c.location_id
WHERE c.kind = 'event';
