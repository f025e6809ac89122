"""Entity linking by gazetteer: multilingual aliases → canonical entity ids.

Countries come from CLDR territory names (babel) in every supported locale, so "ウクライナ" and "Ukraine"
are both ``country:UA``; curated actors (forces, organisations, leaders, places, topics) come from
``resources/actors.toml``. The gazetteer is also a spaCy component (``extract_gazetteer``) that writes
linked spans to ``doc.spans["gazetteer"]`` with ``kb_id_`` set to the canonical id, and the exact
character matches to ``doc._.links``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

from babel import Locale
from spacy.language import Language
from spacy.tokens import Doc, Span

LOCALES = ("en", "ja")
# CLDR territory codes that are not countries (regions, unions, placeholders).
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"}
COARSE_LABEL = {
    "country": "GPE",
    "place": "GPE",
    "region": "LOC",
    "force": "ORG",
    "org": "ORG",
    "person": "PERSON",
    "topic": "TOPIC",
}
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
_LATIN = re.compile(r"[A-Za-z]")
_WORDCHAR = re.compile(r"[A-Za-z0-9_$]")  # "US$" is a currency, not the country
_KANJI = re.compile(r"[\u4e00-\u9fff々]")


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    name_en: str
    name_ja: str
    parent: str | None = None
    metonym: str | None = None  # what a place stands for when it acts ("Baghdad agreed" = Iraq)

    @property
    def label(self) -> str:
        return COARSE_LABEL.get(self.type, "MISC")


class Match(NamedTuple):
    """A gazetteer hit (a tuple, so Docs carrying it serialise across ``nlp.pipe(n_process=…)``)."""

    start: int
    end: int
    text: str
    entity_id: str


class Gazetteer:
    """Alias tables per language with a longest-match, boundary-aware matcher."""

    def __init__(self, entities: dict[str, Entity], aliases: dict[str, dict[str, str]]):
        self.entities = entities
        self.aliases = aliases
        self._patterns = {lang: _compile(table) for lang, table in aliases.items()}

    def find(self, text: str, lang: str) -> list[Match]:
        """Longest matches first, then leftmost: "the coalition of the willing" is one name, not "the coalition"."""
        pattern = self._patterns.get(lang)
        if pattern is None:
            raise ValueError(f"gazetteer has no aliases for language {lang!r}")
        candidates = []
        for m in pattern.finditer(text):  # a lookahead: the longest alias starting at each position
            start, end = m.start(), m.start() + len(m.group(1))
            if _is_bounded(text, start, end):
                candidates.append((start, end))
        chosen: list[tuple[int, int]] = []
        for start, end in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
            if not any(start < e and s < end for s, e in chosen):
                chosen.append((start, end))
        table = self.aliases[lang]
        return [Match(s, e, text[s:e], table[text[s:e]]) for s, e in sorted(chosen)]

    def get(self, entity_id: str | None) -> Entity | None:
        return self.entities.get(entity_id) if entity_id else None

    def rows(self) -> list[tuple[str, str, str, str, str | None]]:
        """(entity_id, type, name_en, name_ja, parent_id) for the store."""
        return [(e.id, e.type, e.name_en, e.name_ja, e.parent) for e in self.entities.values()]


def _compile(table: dict[str, str]) -> re.Pattern[str]:
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("(?=(" + "|".join(re.escape(a) for a in alternatives) + "))")


def _is_bounded(text: str, start: int, end: int) -> bool:
    """Reject matches inside a longer word: Latin aliases need word boundaries, katakana ones too."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    first, last = text[start], text[end - 1]
    if _LATIN.match(first) and _WORDCHAR.match(before):
        return False
    if _LATIN.match(last) and _WORDCHAR.match(after):
        return False
    if _KATAKANA.match(first) and before and _KATAKANA.match(before):
        return False
    if _KATAKANA.match(last) and after and _KATAKANA.match(after):
        return False
    # A kanji name right after another kanji is part of a longer word: 日本 in 東日本大震災.
    return not (
        _KANJI.match(first) and before and _KANJI.match(before) and all(_KANJI.match(c) for c in text[start:end])
    )


def _country_entities() -> tuple[dict[str, Entity], dict[str, dict[str, str]]]:
    names = {loc: Locale(loc).territories for loc in LOCALES}
    entities: dict[str, Entity] = {}
    aliases: dict[str, dict[str, str]] = {loc: {} for loc in LOCALES}
    for code, name_en in names["en"].items():
        if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
            continue
        cid = f"country:{code}"
        name_ja = names["ja"].get(code, name_en)
        entities[cid] = Entity(cid, "country", name_en, name_ja)
        for loc in LOCALES:
            if code in names[loc]:
                aliases[loc][names[loc][code]] = cid
        # Japanese names a state's government or side as "<country>政府" / "<country>側" (イスラエル政府).
        for suffix in ("政府", "側", "当局"):
            aliases["ja"][f"{name_ja}{suffix}"] = cid
        # Japanese writes a country's armed forces as "<country>軍" (ドイツ軍, クロアチア軍).
        fid = f"force:{code}"
        entities[fid] = Entity(fid, "force", f"{name_en} armed forces", f"{name_ja}軍", cid)
        aliases["ja"][f"{name_ja}軍"] = fid
    return entities, aliases


def _curated(entities: dict[str, Entity], aliases: dict[str, dict[str, str]]) -> None:
    data = tomllib.loads(resources.files("extract").joinpath("resources/actors.toml").read_text("utf-8"))
    for eid, spec in data.items():
        known = entities.get(eid)
        entities[eid] = Entity(
            eid,
            spec.get("type", known.type if known else eid.split(":")[0]),
            spec.get("name_en", known.name_en if known else eid),
            spec.get("name_ja", known.name_ja if known else eid),
            spec.get("parent", known.parent if known else None),
            spec.get("metonym"),
        )
        for alias in spec.get("en", []):
            aliases["en"][alias] = eid
            aliases["en"][alias[0].upper() + alias[1:]] = eid  # sentence-initial "The coalition"
            aliases["ja"].setdefault(
                alias, eid
            )  # Japanese text quotes English names: 有志連合(Coalition of the Willing)
        for alias in spec.get("ja", []):
            aliases["ja"][alias] = eid


@cache
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (CLDR countries + curated actors)."""
    entities, aliases = _country_entities()
    _curated(entities, aliases)
    return Gazetteer(entities, aliases)


if not Doc.has_extension("links"):
    Doc.set_extension("links", default=None)


@Language.factory("extract_gazetteer", default_config={"lang": "en"})
def make_gazetteer_component(nlp: Language, name: str, lang: str):
    gazetteer = load_gazetteer()

    def link(doc: Doc) -> Doc:
        spans = []
        doc._.links = gazetteer.find(doc.text, lang)
        for m in doc._.links:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            entity = gazetteer.entities[m.entity_id]
            spans.append(Span(doc, span.start, span.end, label=entity.label, kb_id=m.entity_id))
        doc.spans["gazetteer"] = spans
        return doc

    return link
