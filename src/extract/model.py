"""Typed records passed between the stages: documents, sentences, mentions, times and claims.

Character offsets are always offsets into ``Document.text`` (the extracted main text), end-exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

CLAIM_KINDS = ("pledge", "tier", "event", "position", "quantity")


@dataclass(frozen=True)
class Document:
    """One fetched/read version of a source, after main-text extraction and language detection."""

    source: str  # what the user gave: URL or file path
    url: str | None  # canonical URL when known (HTTP source or <link rel=canonical>)
    raw_sha256: str  # hash of the raw bytes as fetched/read
    text: str  # extracted main text, paragraphs separated by "\n"
    title: str | None
    published: date | None
    site: str | None
    lang: str  # ISO 639-1 code: "ja", "en"
    lang_score: float
    content_type: str  # "text/html" or "text/plain"
    warnings: tuple[str, ...] = ()  # what reading it had to repair (bytes that could not be decoded)

    @property
    def text_sha256(self) -> str:
        import hashlib

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Sentence:
    idx: int
    paragraph: int
    start: int
    end: int
    text: str
    is_heading: bool = False


@dataclass(frozen=True)
class Mention:
    """An entity mention: NER span, optionally linked to a canonical entity id."""

    sentence: int
    start: int
    end: int
    text: str
    label: str  # coarse type: PERSON, GPE, ORG, NORP, LOC, FAC, DATE, ...
    entity_id: str | None  # canonical id from the gazetteer, e.g. "country:US"
    source: str  # "ner" | "gazetteer" | "ner+gazetteer"


@dataclass(frozen=True)
class TimeValue:
    """A calendar time normalised to an inclusive [start, end] date interval."""

    start: date
    end: date
    granularity: str  # "day" | "week" | "month" | "year"
    text: str
    char_start: int = 0
    char_end: int = 0
    open_start: bool = False  # "until February 1": the interval ends at ``end`` and its start is not stated

    @property
    def iso(self) -> str:
        """ISO 8601: a date, a week, a month, a year, an interval ``start/end``, or ``../end``."""
        if self.open_start:
            return f"../{replace(self, open_start=False, start=self.end).iso}"
        if self.granularity == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        if self.granularity == "month" and (self.start.year, self.start.month) != (self.end.year, self.end.month):
            return f"{self.start.year:04d}-{self.start.month:02d}/{self.end.year:04d}-{self.end.month:02d}"
        if self.granularity == "year":
            return f"{self.start.year:04d}"
        if self.granularity == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def is_range(self) -> bool:
        return self.granularity == "day" and self.start != self.end


@dataclass(frozen=True)
class Window:
    """A relative time window such as "within 72 hours of the first violation", or the bound of a deadline
    ("by 2035": no duration, bound "within")."""

    duration: str | None  # ISO 8601 duration: "PT72H", "P1W"; None for a deadline or "until" without one
    bound: str  # "within" | "for" | "after"
    anchor: str | None  # the anchor event as written, e.g. "最初の違反" / "the first violation"
    text: str
    char_start: int = 0
    char_end: int = 0


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # normalised unit: "country", "person", "percent", a currency code ("USD"), ...
    text: str
    upper: float | None = None  # for ranges "50〜250人"
    approximate: bool = False
    scope: str | None = None  # "each" ("157 each", 「157人ずつ」) | "total" ("314 in total", 「合わせて314人」)
    previous: float | None = None  # the old value of a change: "from 2% to 5%" is 5 with previous 2
    per: str | None = None  # a rate: "$300 billion a year" is per "year"


@dataclass(frozen=True)
class EntityRef:
    text: str  # surface form in the evidence
    entity_id: str | None  # canonical id, None when not linked


@dataclass(frozen=True)
class Evidence:
    sentence_idx: int
    sentence: str
    start: int  # span of the claim's trigger/region in Document.text
    end: int


@dataclass(frozen=True)
class Claim:
    kind: str  # one of CLAIM_KINDS
    predicate: str  # language-independent predicate id, e.g. "intervene", "send_troops", "reject"
    evidence: Evidence
    subject: EntityRef | None = None
    object: EntityRef | None = None
    polarity: str = "positive"  # "positive" | "negative"
    modality: str = "asserted"  # "asserted" | "planned" | "possible" | "offered" | "intended" | "demanded"
    condition: str | None = None
    time: TimeValue | None = None
    window: Window | None = None
    tier: int | None = None
    quantity: Quantity | None = None
    location: EntityRef | None = None
    participants: tuple[EntityRef, ...] = field(default_factory=tuple)
    confidence: float = 0.5
    extractor: str = ""
    analysis: str = "full"  # "full" (parsed) | "shallow" (no parser for the language: lower confidence)
    # PLOVER codes (issue 17, filled by ``plover.annotate``): event type, mode, context, and the actor's and
    # recipient's codes (ISO 3166 alpha-3 for states, IGO/UNO/EUR/… for international bodies)
    plover_type: str | None = None
    plover_mode: str | None = None
    plover_context: str | None = None
    actor_code: str | None = None
    recipient_code: str | None = None


@dataclass(frozen=True)
class Extraction:
    """What the NLP and claim stages produce for one document: plain records (no spaCy objects), so a worker
    process or a Ray actor can send it back, ready to store."""

    document: Document
    sentences: list[Sentence]
    mentions: list[Mention]
    claims: list[Claim]


@dataclass(frozen=True)
class SourceResult:
    """What became of one source in a run."""

    source: str
    status: str  # "new" | "unchanged" | "error" | "failed before" (as in an earlier run) | "not modified" (304)
    version_id: str | None = None
    lang: str | None = None
    title: str | None = None
    n_claims: int = 0
    error: str | None = None


@dataclass(frozen=True)
class ClaimChange:
    """A claim that changed in a document a run stored a new version of (the store's ``claim_changes`` view)."""

    doc_key: str
    change: str  # "added" | "removed" | "changed"
    claim_key: str
    old: str | None
    new: str | None


@dataclass
class RunSummary:
    """What one run did (``extract ingest``, ``extract run``, either engine), and how it ends.

    ``source_errors`` are sources that could not even be listed (a feed that failed); ``steps`` are the run's
    steps besides its sources that can fail it (the nightly job counts its snapshot as one, whether or not a
    snapshot is configured), ``snapshot_error`` says that one failed.
    """

    run_id: str
    results: list[SourceResult] = field(default_factory=list)
    source_errors: list[str] = field(default_factory=list)
    changes: list[ClaimChange] = field(default_factory=list)
    snapshot: Path | None = None
    snapshot_error: str | None = None
    steps: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def n_skipped(self) -> int:
        """Sources that needed no NLP: unchanged, not modified, or failing as in an earlier run."""
        return self.count("unchanged") + self.count("not modified") + self.count("failed before")

    @property
    def n_errors(self) -> int:
        return self.count("error") + len(self.source_errors) + bool(self.snapshot_error)

    @property
    def status(self) -> str:
        """ "ok", "partial" (some failed) or "failed" (everything failed)."""
        if not self.n_errors:
            return "ok"
        return "failed" if self.n_errors >= len(self.results) + len(self.source_errors) + self.steps else "partial"

    @property
    def exit_code(self) -> int:
        return {"ok": 0, "partial": 1, "failed": 2}[self.status]
