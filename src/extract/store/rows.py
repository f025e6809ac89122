"""Records to rows: the row of each store table that a ``Document``, its ``Extraction`` and a failure become.

Both sinks write these rows (the DuckDB store with INSERTs, the Parquet sink as files the store imports), and
the evaluation scores claims as they would be stored, so a row has one definition. Rows are ``column -> value``
dicts; a column that only newer stores have is left out when it has no value, so a store still on an older
migration (while it is upgraded) can take the row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from extract.claims import keys
from extract.ids import claim_id_for, doc_id_for, ref_id, ref_text
from extract.model import Claim, Document, Extraction
from extract.urls import without_credentials
from extract.version import EXTRACTOR_VERSION

Row = dict[str, Any]
PLOVER_COLUMNS = ("plover_type", "plover_mode", "plover_context", "actor_code", "recipient_code")  # migration 10


@dataclass(frozen=True)
class VersionRows:
    """The rows of one new document version, per table."""

    documents: list[Row]
    versions: list[Row]
    sentences: list[Row]
    mentions: list[Row]
    claims: list[Row]

    def tables(self) -> dict[str, list[Row]]:
        return {
            "documents": self.documents,
            "versions": self.versions,
            "sentences": self.sentences,
            "mentions": self.mentions,
            "claims": self.claims,
        }


def version_rows(
    extraction: Extraction,
    doc_key: str,
    version_id: str,
    run_id: str,
    at: datetime,
    *,
    valid_from: date | None = None,
) -> VersionRows:
    """Every row ``extraction`` adds as a new version ``version_id`` of the document ``doc_key``."""
    doc = extraction.document
    doc_id = doc_id_for(doc_key)
    document = {
        "doc_id": doc_id,
        "doc_key": doc_key,
        "url": doc.url and without_credentials(doc.url),
        "site": doc.site,
        "first_seen_run": run_id,
        "first_seen_at": at,
    }
    version = version_record(version_id, doc_id, run_id, doc, at)
    if valid_from is not None:
        version["valid_from"] = valid_from
    if doc.warnings:
        version["warnings"] = "; ".join(doc.warnings)
    sentences = [
        {
            "version_id": version_id,
            "idx": s.idx,
            "paragraph": s.paragraph,
            "start_char": s.start,
            "end_char": s.end,
            "text": s.text,
            "is_heading": s.is_heading,
        }
        for s in extraction.sentences
    ]
    mentions = [
        {
            "version_id": version_id,
            "sentence_idx": m.sentence,
            "start_char": m.start,
            "end_char": m.end,
            "text": m.text,
            "label": m.label,
            "entity_id": m.entity_id,
            "source": m.source,
        }
        for m in extraction.mentions
    ]
    claims = claim_records(version_id, run_id, extraction.claims)
    return VersionRows([document], [version], sentences, mentions, claims)


def version_record(version_id: str, doc_id: str, run_id: str, doc: Document, fetched_at: datetime) -> dict[str, Any]:
    """The ``versions`` row of ``doc`` as column -> value (the columns every store has since migration 1)."""
    return {
        "version_id": version_id,
        "doc_id": doc_id,
        "run_id": run_id,
        "raw_sha256": doc.raw_sha256,
        "text_sha256": doc.text_sha256,
        "title": doc.title,
        "published": doc.published,
        "lang": doc.lang,
        "lang_score": doc.lang_score,
        "content_type": doc.content_type,
        "source": without_credentials(doc.source),
        "fetched_at": fetched_at,
        "text": doc.text,
    }


def claim_record(version_id: str, run_id: str, claim: Claim) -> dict[str, Any]:
    """The ``claims`` row for ``claim``, as column -> value (without its key: ``with_keys``)."""
    time, window, quantity, evidence = claim.time, claim.window, claim.quantity, claim.evidence
    participants = [{"text": p.text, "entity_id": p.entity_id} for p in claim.participants]
    return {
        "claim_id": claim_id_for(version_id, claim),
        "version_id": version_id,
        "run_id": run_id,
        "kind": claim.kind,
        "predicate": claim.predicate,
        "subject_id": ref_id(claim.subject),
        "subject_text": ref_text(claim.subject),
        "object_id": ref_id(claim.object),
        "object_text": ref_text(claim.object),
        "polarity": claim.polarity,
        "modality": claim.modality,
        "condition": claim.condition,
        "time_start": time.start if time else None,
        "time_end": time.end if time else None,
        "time_granularity": time.granularity if time else None,
        "time_iso": time.iso if time else None,
        "time_text": time.text if time else None,
        "window_duration": window.duration if window else None,
        "window_bound": window.bound if window else None,
        "window_anchor": window.anchor if window else None,
        "tier": claim.tier,
        "quantity_value": quantity.value if quantity else None,
        "quantity_upper": quantity.upper if quantity else None,
        "quantity_unit": quantity.unit if quantity else None,
        "quantity_text": quantity.text if quantity else None,
        "quantity_approximate": quantity.approximate if quantity else None,
        "quantity_scope": quantity.scope if quantity else None,
        "quantity_previous": quantity.previous if quantity else None,
        "quantity_per": quantity.per if quantity else None,
        "location_id": ref_id(claim.location),
        "location_text": ref_text(claim.location),
        "participants": json.dumps(participants, ensure_ascii=False) if participants else None,
        "sentence_idx": evidence.sentence_idx,
        "evidence_start": evidence.start,
        "evidence_end": evidence.end,
        "evidence_text": evidence.sentence,
        "confidence": claim.confidence,
        "extractor": claim.extractor,
        "extractor_version": EXTRACTOR_VERSION,
        "analysis": claim.analysis,
        **{column: getattr(claim, column) for column in PLOVER_COLUMNS},
    }


def with_keys(record: dict[str, Any], claim: Claim | None = None, co_actors: Sequence[str] = ()) -> dict[str, Any]:
    """``record`` with its claim_key, claim_value and key_version, computed on ``claim`` (rebuilt from the
    record when not given); ``co_actors`` are the other actors of the same act in its sentence
    (``keys.co_actors`` of the version's claims)."""
    claim = claim if claim is not None else keys.as_claim(record)
    return record | {
        "claim_key": keys.claim_key(claim, co_actors),
        "claim_value": keys.value_json(keys.claim_value(claim, co_actors)),
        "key_version": keys.KEY_VERSION,
    }


def claim_records(version_id: str, run_id: str, claims: Sequence[Claim]) -> list[dict[str, Any]]:
    """The keyed ``claims`` rows of one version's claims; claims with identical ids are stored once."""
    records: dict[str, dict[str, Any]] = {}
    for claim, co in zip(claims, keys.co_actors(claims), strict=True):
        record = with_keys(claim_record(version_id, run_id, claim), claim, co)
        records.setdefault(record["claim_id"], record)
    return list(records.values())


def error_row(run_id: str | None, source: str, exc: BaseException, at: datetime, fingerprint: str | None = None) -> Row:
    """The ``errors`` row of ``source`` failing with ``exc`` (with its reason when it has one).

    ``fingerprint`` identifies a permanent failure of given content (``Store.failed_before``).
    """
    row = {
        "run_id": run_id,
        "source": without_credentials(source),
        "error_type": type(exc).__name__,
        "message": without_credentials(str(exc)),
        "at": at,
        "reason": getattr(exc, "reason", None) or "internal",
        "transient": getattr(exc, "transient", False),
    }
    if fingerprint is not None:  # named only when set: a store mid-upgrade has no such column yet
        row["fingerprint"] = fingerprint
    return row
