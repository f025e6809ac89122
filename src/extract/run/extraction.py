"""The work done for one document: NLP and claim rules, as plain records (``model.Extraction``).

Executors run ``extract_document`` in this process, in worker processes or on Ray actors; nothing here
touches the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from extract.acquire.read import load
from extract.claims.rules import extract_claims
from extract.model import Claim, Document, Extraction, Mention, Sentence
from extract.nlp.analyse import analyse


def extract_document(doc: Document, *, batch_chars: int | None = None) -> Extraction:
    """NLP and claim extraction for one loaded document.

    A text longer than ``batch_chars`` is analysed in batches of whole paragraphs, each parsed and its claims
    extracted on its own and then shifted into document offsets, so the parsed spaCy documents of one batch
    at a time are held: memory is bounded and time linear in the length. (Rules see one batch at a time: a
    tiered plan cut by a batch boundary loses its steps across it, which only texts far longer than a news
    report risk.)
    """
    if batch_chars is None or len(doc.text) <= batch_chars:
        analysis = analyse(doc.text, doc.lang, doc.title)
        return Extraction(doc, analysis.sentences, analysis.mentions, extract_claims(analysis, doc.published))
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    claims: list[Claim] = []
    paragraphs = 0
    for offset, text in paragraph_batches(doc.text, batch_chars):
        analysis = analyse(text, doc.lang, doc.title if offset == 0 else None)
        batch_claims = extract_claims(analysis, doc.published)
        first = len(sentences)
        sentences += [
            replace(
                s, idx=s.idx + first, paragraph=s.paragraph + paragraphs, start=s.start + offset, end=s.end + offset
            )
            for s in analysis.sentences
        ]
        mentions += [
            replace(m, sentence=m.sentence + first, start=m.start + offset, end=m.end + offset)
            for m in analysis.mentions
        ]
        claims += [_shifted(c, first, offset) for c in batch_claims]
        paragraphs = sentences[-1].paragraph + 1 if sentences else paragraphs
    return Extraction(doc, sentences, mentions, claims)


def paragraph_batches(text: str, batch_chars: int) -> Iterator[tuple[int, str]]:
    """(offset, text) of consecutive pieces of ``text`` of at most ``batch_chars`` characters, cut after a line
    where one ends in the window, else after a sentence end or a space (a text on one line), else hard."""
    start = 0
    while start < len(text):
        end = len(text)
        if end - start > batch_chars:
            window = text[start : start + batch_chars]
            cut = window.rfind("\n")
            if cut <= 0:
                cut = max(window.rfind(mark) for mark in "。．.!?！？\u3000 ")
            end = start + (cut + 1 if cut > 0 else batch_chars)
        yield start, text[start:end]
        start = end


def _shifted(claim: Claim, sentences: int, offset: int) -> Claim:
    ev = claim.evidence
    evidence = replace(ev, sentence_idx=ev.sentence_idx + sentences, start=ev.start + offset, end=ev.end + offset)
    return replace(claim, evidence=evidence)


def extract_file(source: str, published: date | None = None) -> Extraction:
    """Load and extract one source without storing anything (used by tests and notebooks)."""
    return extract_document(load(source, published=published))
