"""Identities: what makes two reads the same document, and the ids derived from it.

A document is its URL when known, else its absolute path (``document_key``); its id, its versions' ids and
their claims' ids are short hashes of what identifies them, so the local and the Ray engine, and a re-run,
give the same ids to the same content. Run ids are time-ordered and unique.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract.model import Claim, Document, EntityRef
from extract.urls import without_credentials

ID_CHARS = 16  # hex characters kept from sha256 for derived ids


def now() -> datetime:
    """Current UTC time as a naive timestamp (DuckDB TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_run_id() -> str:
    """A sortable, unique run id: UTC start time plus a random suffix."""
    return f"{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


def document_key(doc: Document) -> str:
    """Stable identity of a document across versions: its URL when known, else ``file:`` + absolute path."""
    if doc.url:
        return without_credentials(doc.url)
    return "file:" + str(Path(doc.source).resolve())


def hash_id(*parts: Any) -> str:
    """Deterministic short id from JSON-serialisable parts."""
    payload = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:ID_CHARS]


def doc_id_for(doc_key: str) -> str:
    """Stable document id: hash of the document key."""
    return hash_id("doc", doc_key)


def version_id_for(doc_id: str, raw_sha256: str, returns: int = 0) -> str:
    """Stable version id: hash of the document id and the raw content hash (and, for content that comes back
    after another version, how many times it was stored before)."""
    if returns:
        return hash_id("version", doc_id, raw_sha256, returns)
    return hash_id("version", doc_id, raw_sha256)


def ref_id(ref: EntityRef | None) -> str | None:
    return ref.entity_id if ref else None


def ref_text(ref: EntityRef | None) -> str | None:
    return ref.text if ref else None


def claim_id_for(version_id: str, claim: Claim) -> str:
    """Stable claim id from its version, kind, predicate, arguments, tier and evidence span."""
    return hash_id(
        "claim",
        version_id,
        claim.kind,
        claim.predicate,
        ref_id(claim.subject) or ref_text(claim.subject),
        ref_id(claim.object) or ref_text(claim.object),
        claim.polarity,
        claim.tier,
        claim.time.iso if claim.time else None,
        claim.quantity.value if claim.quantity else None,
        claim.evidence.start,
        claim.evidence.end,
    )
