"""Named-entity recognition against gold data: exact character span and exact type, per type and micro-averaged.

Datasets (paths relative to the ``shared`` directory):

- ``gsd-dev`` (ja): ``data/ja-ner/gsd-dev.ne.conllu``, UD Japanese GSD dev with BILUO NE tags (``NE=B-ORG``)
  in MISC. Sentence text is rebuilt from the token forms and ``SpaceAfter``.
- ``stockmark`` (ja): ``data/ja-ner/stockmark-ner-wikipedia.json``, Japanese Wikipedia sentences with
  character spans and 8 Japanese type names. It has no temporal annotation, so DATE is not scored there.
- ``meantime`` (en): ``data/en-news-meantime/corpus_*/*.xml``, NewsReader MEANTIME Wikinews articles. Document
  text is rebuilt from the tokens (one line per sentence, light detokenisation); entity types come from the
  ENTITY instance each ENTITY_MENTION refers to (REFERS_TO), dates from TIMEX3. Only the annotated head of
  each article (title, dateline, first sentences) is evaluated, and only proper-name mentions (see
  ``meantime_example``).

Every source label is mapped to the common scheme ``COMMON`` by the tables below; labels mapped to ``None`` are
dropped from gold *and* predictions, and a label missing from a table raises ``KeyError`` (so a new label can
not silently vanish). Predictions come from the product's pipelines (``extract.nlp.analyse.load_pipeline``): the NER
labels (Japanese ENE labels first go through ``coarse_label``) and, with ``use_gazetteer``, the gazetteer's
exact matches (``doc._.links``, the offsets the product stores), which replace every overlapping NER entity
as ``extract.nlp.analyse`` does for the mentions it keeps.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from defusedxml import ElementTree
from spacy.tokens import Doc

from extract.evaluation.scoring import PRF, Score, by_kind
from extract.nlp import gazetteer_component  # noqa: F401  registers doc._.links

logger = logging.getLogger(__name__)

COMMON = ("PERSON", "ORG", "LOC", "DATE", "MISC")  # the common scheme

# OntoNotes 5 labels (English predictions, GSD gold, GiNZA predictions after ``coarse_label``), plus the
# labels only GSD (TITLE_AFFIX, MOVEMENT) or only GiNZA's ENE→OntoNotes mapper (OTHERS, ANIMAL, …) use.
ONTONOTES_TO_COMMON: dict[str, str | None] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",  # countries, cities, states
    "LOC": "LOC",  # non-GPE locations: mountains, rivers, regions
    "FAC": "LOC",  # buildings, airports, roads, bridges
    "DATE": "DATE",  # absolute or relative dates and periods
    "TIME": "DATE",  # times of day and durations under a day
    "NORP": "MISC",  # nationalities, religious and political groups (GiNZA: also parties, international orgs)
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "MOVEMENT": "MISC",  # GSD only: movements, doctrines (自由民権運動, 属人主義)
    "CARDINAL": None,
    "ORDINAL": None,
    "QUANTITY": None,
    "MONEY": None,
    "PERCENT": None,
    "TITLE_AFFIX": None,  # GSD only: titles and honorific suffixes (議員, 卿, 弁護士), not names
    "OTHERS": None,  # GiNZA only: ENE types outside OntoNotes (Position_Vocation, Disease_Other, Dish, …)
    "ANIMAL": None,  # GiNZA only
    "PHONE": None,  # GiNZA only
    "EMAIL": None,  # GiNZA only
    "URL": None,  # GiNZA only
}

# stockmarkteam/ner-wikipedia-dataset types.
STOCKMARK_TO_COMMON: dict[str, str | None] = {
    "人名": "PERSON",
    "法人名": "ORG",  # companies
    "政治的組織名": "ORG",  # parties, governments, ministries
    "その他の組織名": "ORG",  # schools, bands, sports teams, …
    "地名": "LOC",
    "施設名": "LOC",
    "製品名": "MISC",
    "イベント名": "MISC",
}

# MEANTIME ENTITY ``ent_type`` values.
MEANTIME_ENTITY_TO_COMMON: dict[str, str | None] = {
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "PRO": "MISC",  # products (iPod, Airbus A380)
    "FIN": "MISC",  # financial entities (the Dow Jones, the U.S. dollar)
    "MIX": "MISC",  # mixed (1 instance)
}

# MEANTIME TIMEX3 ``type`` values: OntoNotes DATE covers periods, so durations count as DATE like in GSD.
MEANTIME_TIMEX_TO_COMMON: dict[str, str | None] = {"DATE": "DATE", "TIME": "DATE", "DURATION": "DATE", "SET": "DATE"}

# MEANTIME ``syntactic_type`` values of proper-name mentions (NAM; PRE.NAM is a name used as a premodifier,
# "Apple" in "Apple CEO"). Nominal, pronominal, appositive, … mentions are not scored.
MEANTIME_NAME_TYPES = frozenset({"NAM", "PRE.NAM"})

# Gazetteer coarse labels (``extract.nlp.gazetteer.COARSE_LABEL`` values, MISC for unknown entity types).
GAZETTEER_TO_COMMON: dict[str, str | None] = {
    "GPE": "LOC",
    "LOC": "LOC",
    "ORG": "ORG",
    "PERSON": "PERSON",
    "TOPIC": None,
    "MISC": None,
}

DATASETS = {"gsd-dev": "ja", "stockmark": "ja", "meantime": "en"}
BATCH_SIZE = {"ja": 64, "en": 16}  # sentences for Japanese, whole documents for English

Span = tuple[int, int, str]  # (start, end, COMMON label), character offsets


@dataclass(frozen=True)
class Example:
    """One unit of evaluation text (a sentence or a document) with its gold entities.

    ``ignore`` holds (start, end) extents of gold mentions whose name status or type is unknown: predictions
    with exactly such an extent are neither counted right nor wrong.
    """

    text: str
    gold: frozenset[Span]
    ignore: frozenset[tuple[int, int]] = field(default_factory=frozenset)


def to_common(label: str, table: dict[str, str | None]) -> str | None:
    """The COMMON label for a source label (None: not scored); unknown labels raise KeyError."""
    return table[label]


# --- CoNLL-U (GSD) -------------------------------------------------------------------------------------


def conllu_sentences(lines: Iterable[str]) -> Iterator[list[list[str]]]:
    """Token rows (10 columns) of each sentence; multiword-token ranges and empty nodes are skipped."""
    rows: list[list[str]] = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if rows:
                yield rows
            rows = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                rows.append(cols)
    if rows:
        yield rows


def misc_field(misc: str, key: str) -> str | None:
    """The value of ``key`` in a CoNLL-U MISC column (``A=1|B=2``)."""
    for item in misc.split("|"):
        name, _, value = item.partition("=")
        if name == key:
            return value
    return None


def rebuild_text(forms: Sequence[str], space_after: Sequence[bool]) -> tuple[str, list[tuple[int, int]]]:
    """Sentence text and the (start, end) of each token: a space follows a token unless SpaceAfter=No."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for i, form in enumerate(forms):
        offsets.append((pos, pos + len(form)))
        parts.append(form)
        pos += len(form)
        if space_after[i] and i < len(forms) - 1:
            parts.append(" ")
            pos += 1
    return "".join(parts), offsets


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, last token + 1, label) of each entity in a BIO/BILUO tag sequence ("O" or "" outside).

    An I-/L- tag that does not continue an entity of the same label starts a new one (lenient, like conlleval).
    """
    spans: list[tuple[int, int, str]] = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, name = tag.partition("-")
        continues = prefix in ("I", "L") and name == label and start is not None
        if not continues and start is not None:
            spans.append((start, i, label))
            start, label = None, None
        if prefix in ("B", "U") or (prefix in ("I", "L") and not continues):
            start, label = i, name
        if prefix in ("L", "U") and start is not None:
            spans.append((start, i + 1, label))
            start, label = None, None
    return spans


def conllu_example(rows: list[list[str]]) -> Example:
    """Text and COMMON-labelled character spans of one GSD sentence."""
    forms = [r[1] for r in rows]
    space_after = [misc_field(r[9], "SpaceAfter") != "No" for r in rows]
    text, offsets = rebuild_text(forms, space_after)
    tags = [misc_field(r[9], "NE") or "O" for r in rows]
    gold = set()
    for first, end, label in bio_spans(tags):
        common = to_common(label, ONTONOTES_TO_COMMON)
        if common is not None:
            gold.add((offsets[first][0], offsets[end - 1][1], common))
    return Example(text, frozenset(gold))


def read_gsd(path: Path, limit: int | None = None) -> list[Example]:
    """Sentences of a CoNLL-U file with NE tags in MISC."""
    with path.open(encoding="utf-8") as f:
        return [conllu_example(rows) for rows in islice(conllu_sentences(f), limit)]


# --- Stockmark ------------------------------------------------------------------------------------------


def stockmark_example(item: dict) -> Example:
    """One stockmark sentence; the stored span must match the entity name."""
    text = item["text"]
    gold = set()
    for ent in item["entities"]:
        start, end = ent["span"]
        if text[start:end] != ent["name"]:
            raise ValueError(f"stockmark span {start}:{end} is {text[start:end]!r}, not {ent['name']!r}")
        common = to_common(ent["type"], STOCKMARK_TO_COMMON)
        if common is not None:
            gold.add((start, end, common))
    return Example(text, frozenset(gold))


def read_stockmark(path: Path, limit: int | None = None) -> list[Example]:
    """Sentences of the stockmark Wikipedia NER JSON."""
    items = json.loads(path.read_text(encoding="utf-8"))
    return [stockmark_example(item) for item in islice(items, limit)]


# --- MEANTIME -------------------------------------------------------------------------------------------

_RENDER = {"``": '"', "''": '"'}
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "''", "'s", "'", "’", "’s", "...", "n't"}
_NO_SPACE_BEFORE |= {"'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``"}


def detokenize(sentences: Sequence[Sequence[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Text (one line per sentence) and per-sentence token (start, end) offsets from PTB-style tokens.

    Spaces are dropped before closing punctuation and clitics and after opening brackets, ``$`` and
    opening quotes; PTB quotes (`` '') become ``"``.
    """
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for s, tokens in enumerate(sentences):
        if s:
            parts.append("\n")
            pos += 1
        sentence_offsets = []
        for i, token in enumerate(tokens):
            if i and token not in _NO_SPACE_BEFORE and tokens[i - 1] not in _NO_SPACE_AFTER:
                parts.append(" ")
                pos += 1
            rendered = _RENDER.get(token, token)
            sentence_offsets.append((pos, pos + len(rendered)))
            parts.append(rendered)
            pos += len(rendered)
        offsets.append(sentence_offsets)
    return "".join(parts), offsets


def meantime_example(path: Path) -> Example:
    """Gold proper-name entity mentions and TIMEX3 dates of the annotated part of one MEANTIME document.

    Only NAM/PRE.NAM mentions are gold. Mentions without a syntactic type (many names in the airbus and gm
    sub-corpora are left untyped) or without a single entity type go to ``ignore``; nominal and pronominal
    mentions are left out, so a prediction matching one counts as a false positive.
    """
    root = ElementTree.parse(path).getroot()
    markables = root.find("Markables")
    text, char_span = meantime_text(root, last_annotated_sentence(root, markables))
    types_of = mention_types(root)
    gold: set[Span] = set()
    ignore: set[tuple[int, int]] = set()
    for mention in markables.iter("ENTITY_MENTION"):
        extent = _extent(mention, char_span)
        syntactic = mention.get("syntactic_type") or ""
        types = types_of.get(mention.get("m_id"), set())
        if extent is None or (syntactic and syntactic not in MEANTIME_NAME_TYPES):
            continue
        if not syntactic or len(types) != 1:
            ignore.add(extent)
            continue
        common = to_common(next(iter(types)), MEANTIME_ENTITY_TO_COMMON)
        if common is not None:
            gold.add((*extent, common))
    for timex in markables.iter("TIMEX3"):
        extent = _extent(timex, char_span)
        common = to_common(timex.get("type"), MEANTIME_TIMEX_TO_COMMON)
        if extent is not None and common is not None:
            gold.add((*extent, common))
    return Example(text, frozenset(gold), frozenset(ignore - {(s, e) for s, e, _ in gold}))


def meantime_text(root, last_sentence: int) -> tuple[str, dict[str, tuple[int, int]]]:
    """Detokenised text of sentences 0..``last_sentence`` and the character extent of each token id."""
    sentences: dict[str, list] = {}
    for tok in sorted(root.iter("token"), key=lambda t: int(t.get("number"))):
        if int(tok.get("sentence")) <= last_sentence:
            sentences.setdefault(tok.get("sentence"), []).append(tok)
    text, offsets = detokenize([[t.text or "" for t in toks] for toks in sentences.values()])
    char_span = {
        tok.get("t_id"): off
        for toks, offs in zip(sentences.values(), offsets, strict=True)
        for tok, off in zip(toks, offs, strict=True)
    }
    return text, char_span


def mention_types(root) -> dict[str, set[str]]:
    """ENTITY ``ent_type``s each mention refers to (REFERS_TO source → target), by mention id."""
    entity_type = {e.get("m_id"): e.get("ent_type") for e in root.iter("ENTITY")}
    types: dict[str, set[str]] = {}
    for rel in root.iter("REFERS_TO"):
        targets = {entity_type[t.get("m_id")] for t in rel.findall("target") if t.get("m_id") in entity_type}
        for src in rel.findall("source"):
            types.setdefault(src.get("m_id"), set()).update(targets)
    return types


def last_annotated_sentence(root, markables) -> int:
    """Index of the last sentence holding any markable: MEANTIME annotates only the title, the dateline and the
    first few sentences (up to sentence 5, in one article 6), so later text is left out of the evaluation.
    """
    sentence = {tok.get("t_id"): int(tok.get("sentence")) for tok in root.iter("token")}
    return max((sentence[a.get("t_id")] for a in markables.iter("token_anchor")), default=-1)


def _extent(markable, char_span: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """Character extent from the first to the last anchored token (None for markables without tokens)."""
    anchored = [char_span[a.get("t_id")] for a in markable.findall("token_anchor")]
    if not anchored:
        return None
    return min(s for s, _ in anchored), max(e for _, e in anchored)


def read_meantime(directory: Path, limit: int | None = None) -> list[Example]:
    """Documents of the MEANTIME English corpus (all ``corpus_*`` sub-corpora, in path order)."""
    return [meantime_example(p) for p in islice(sorted(directory.glob("corpus_*/*.xml")), limit)]


# --- predictions and scoring ----------------------------------------------------------------------------


def predicted_spans(doc: Doc, use_gazetteer: bool) -> set[Span]:
    """COMMON-labelled entities of a parsed doc; with the gazetteer, its links replace overlapping entities."""
    from extract.nlp.analyse import coarse_label
    from extract.nlp.gazetteer import load_gazetteer

    links = (doc._.links or []) if use_gazetteer else []
    spans: set[Span] = set()
    for ent in doc.ents:
        common = to_common(coarse_label(ent.label_), ONTONOTES_TO_COMMON)
        overlapped = any(ent.start_char < m.end and m.start < ent.end_char for m in links)
        if common is not None and not overlapped:
            spans.add((*trim(doc.text, ent.start_char, ent.end_char), common))
    entities = load_gazetteer().entities
    for m in links:
        common = to_common(entities[m.entity_id].label, GAZETTEER_TO_COMMON)
        if common is not None:
            spans.add((m.start, m.end, common))
    return spans


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without leading/trailing whitespace (spaCy entities can end on a newline token)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def predict(texts: Sequence[str], lang: str, use_gazetteer: bool) -> list[set[Span]]:
    """Run the product's pipeline for ``lang`` over ``texts`` (batched, one process)."""
    from extract.nlp.analyse import load_pipeline

    nlp = load_pipeline(lang)
    docs = nlp.pipe(texts, batch_size=BATCH_SIZE[lang], n_process=1)
    return [predicted_spans(doc, use_gazetteer) for doc in docs]


def score(examples: Sequence[Example], predictions: Sequence[set[Span]], labels: Iterable[str]) -> dict[str, PRF]:
    """Exact span + type counts per label; predictions with an ignored extent or unscored label are dropped."""
    counts = {label: PRF() for label in labels}
    for example, predicted in zip(examples, predictions, strict=True):
        kept = {p for p in predicted if p[2] in counts and (p[0], p[1]) not in example.ignore}
        for label, prf in counts.items():
            prf.add(
                ((s, e) for s, e, lab in example.gold if lab == label),
                ((s, e) for s, e, lab in kept if lab == label),
            )
    return counts


def dataset_labels(name: str) -> tuple[str, ...]:
    """The COMMON labels a dataset annotates (stockmark has no dates)."""
    return tuple(label for label in COMMON if not (name == "stockmark" and label == "DATE"))


def load_dataset(name: str, shared: Path, limit: int | None = None) -> list[Example] | None:
    """Gold examples of a dataset, or None (with a warning) when its files are missing."""
    paths = {
        "gsd-dev": (shared / "data/ja-ner/gsd-dev.ne.conllu", read_gsd),
        "stockmark": (shared / "data/ja-ner/stockmark-ner-wikipedia.json", read_stockmark),
        "meantime": (shared / "data/en-news-meantime", read_meantime),
    }
    path, reader = paths[name]
    if not path.exists():
        logger.warning("NER dataset %s not found at %s; skipped", name, path)
        return None
    return reader(path, limit)


def evaluate_dataset(name: str, shared: Path, *, limit: int | None = None, use_gazetteer: bool = True) -> list[Score]:
    """Per-type and micro-averaged ("ALL") scores of one dataset ([] when its files are missing)."""
    examples = load_dataset(name, shared, limit)
    if examples is None:
        return []
    lang = DATASETS[name]
    predictions = predict([ex.text for ex in examples], lang, use_gazetteer)
    return by_kind("ner", lang, name, score(examples, predictions, dataset_labels(name)), len(examples))


def evaluate_ner(shared: Path, *, limit: int | None = None, use_gazetteer: bool = True) -> list[Score]:
    """Scores for gsd-dev and stockmark (ja) and meantime (en); ``limit`` caps sentences/documents per dataset."""
    scores: list[Score] = []
    for name in DATASETS:
        scores.extend(evaluate_dataset(name, Path(shared), limit=limit, use_gazetteer=use_gazetteer))
    return scores
