"""The gazetteer as a spaCy component: ``extract_gazetteer`` links mentions to canonical ids.

Apart from ``gazetteer.py`` so that the commands that only read the store (``keys``, ``diff``) use the alias
tables without importing spaCy; importing this module registers the factory and ``doc._.links``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.nlp.gazetteer import Match, lemma_key, load_gazetteer

if not Doc.has_extension("links"):
    Doc.set_extension("links", default=None)


def lemma_table(nlp: Language, aliases: dict[str, str]) -> dict[tuple[str, ...], tuple[str, bool]]:
    """Lemmas of every alias (by the pipeline's own tokenizer and lemmatizer) → (entity id, capitalised)."""
    table: dict[tuple[str, ...], tuple[str, bool]] = {}
    for alias, eid in sorted(aliases.items(), key=lambda a: len(a[0])):
        doc = nlp.make_doc(alias)
        for pipe_name, proc in nlp.pipeline:
            if pipe_name != "extract_gazetteer":
                doc = proc(doc)
        key = tuple(lemma_key(t.lemma_ or t.text) for t in doc)
        if key and any(ch.isalpha() for ch in alias):
            table.setdefault(key, (eid, alias[:1].isupper()))
    return table


def _merge(first: list[Match], more: list[Match]) -> list[Match]:
    """Matches of ``first`` and those of ``more`` that overlap none of them, in text order."""
    taken = [(m.start, m.end) for m in first]
    return sorted(first + [m for m in more if not any(m.start < e and s < m.end for s, e in taken)])


@Language.factory("extract_gazetteer", default_config={"lang": "en", "lemmas": False})
def make_gazetteer_component(nlp: Language, name: str, lang: str, lemmas: bool):
    gazetteer = load_gazetteer()
    by_lemma: dict[tuple[str, ...], tuple[str, bool]] | None = None

    def link(doc: Doc) -> Doc:
        nonlocal by_lemma
        spans = []
        doc._.links = gazetteer.find(doc.text, lang)
        if lemmas:
            if by_lemma is None:
                by_lemma = lemma_table(nlp, gazetteer.aliases[lang])
            doc._.links = _merge(doc._.links, gazetteer.find_lemmas(doc, lang, by_lemma))
        for m in doc._.links:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            entity = gazetteer.entities[m.entity_id]
            spans.append(Span(doc, span.start, span.end, label=entity.label, kb_id=m.entity_id))
        doc.spans["gazetteer"] = spans
        return doc

    return link
