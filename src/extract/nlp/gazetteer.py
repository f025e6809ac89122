"""Entity linking by gazetteer: multilingual aliases → canonical entity ids.

Countries come from CLDR territory names (babel) in the locale of every language with a data file
(``lang/<code>.toml``), so "ウクライナ", "Ukraine", "Украина" and "Ucrania" are all ``country:UA``; curated
actors (forces, organisations, leaders, places, topics) and their aliases per language come from
``resources/actors.toml``. The spaCy component ``extract_gazetteer`` (``gazetteer_component.py``, so that
reading the tables does not import spaCy) writes linked spans to ``doc.spans["gazetteer"]`` with ``kb_id_``
set to the canonical id, and the exact character matches to ``doc._.links``.

Inflected names: aliases match as written (German genitives such as "Russlands" are listed as aliases), and
in languages whose lemmatizer is morphological (``lemmatizer = "pymorphy3"``: Russian, Ukrainian) also by
lemma sequence, so "России", "Москвой" and "коалиции желающих" link to the entities of "Россия", "Москва"
and "коалиция желающих" without listing every case form. A one-word name written with a capital matches only
a capitalised word, so a common word that shares a lemma with a name ("малых" / Мали) is not a mention.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

from babel import Locale

if TYPE_CHECKING:  # spaCy is imported only by the NLP (gazetteer_component): keys and diff use the tables alone
    from spacy.tokens import Doc

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
_KANJI = re.compile(r"[\u4e00-\u9fff々]")


def locales() -> dict[str, str]:
    """language code → babel locale, for every language with a data file (English first)."""
    from extract import lang as langdata

    codes = sorted(langdata.available(), key=lambda c: (c != "en", c))
    return {code: langdata.load(code).locale for code in codes}


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    name_en: str
    name_ja: str
    parent: str | None = None
    metonym: str | None = None  # what a place stands for when it acts ("Baghdad agreed" = Iraq)
    names: tuple[tuple[str, str], ...] = ()  # (language code, display name) for every language

    @property
    def label(self) -> str:
        return COARSE_LABEL.get(self.type, "MISC")

    def name(self, lang: str) -> str:
        """The entity's name in ``lang`` (CLDR or curated), else its English name."""
        return dict(self.names).get(lang) or self.name_en


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

    def names(self) -> list[tuple[str, str, str]]:
        """(entity_id, lang, name) for every entity and every language (the store's ``entity_names``)."""
        langs = list(self.aliases)
        return [(e.id, lang, e.name(lang)) for e in self.entities.values() for lang in langs]

    def find_lemmas(self, doc: Doc, lang: str, table: dict[tuple[str, ...], tuple[str, bool]]) -> list[Match]:
        """Matches by lemma sequence (``table``: lemmas of each alias → (entity id, written with a capital)),
        longest first. A capitalised alias of one word matches only a capitalised word ("Мали", not "малых").
        Used for languages whose names inflect (Russian, Ukrainian)."""
        longest = max((len(k) for k in table), default=0)
        lemmas = [lemma_key(t.lemma_ or t.text) for t in doc]
        out: list[Match] = []
        i = 0
        while i < len(doc):
            hit = None
            for n in range(min(longest, len(doc) - i), 0, -1):
                found = table.get(tuple(lemmas[i : i + n]))
                if found is not None and (n > 1 or not found[1] or doc[i].text[:1].isupper()):
                    hit = (n, found[0])
                    break
            if hit is None:
                i += 1
                continue
            n, eid = hit
            start, end = doc[i].idx, doc[i + n - 1].idx + len(doc[i + n - 1].text)
            out.append(Match(start, end, doc.text[start:end], eid))
            i += n
        return out


def _compile(table: dict[str, str]) -> re.Pattern[str]:
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("(?=(" + "|".join(re.escape(a) for a in alternatives) + "))")


def _is_wordchar(ch: str) -> bool:
    """A letter or digit of an alphabetic script (Latin, Cyrillic, Greek…), or "_"/"$" ("US$" is a currency)."""
    return bool(ch) and ord(ch) < 0x2E80 and (ch.isalnum() or ch in "_$")


def _is_bounded(text: str, start: int, end: int) -> bool:
    """Reject matches inside a longer word: alphabetic aliases need word boundaries ("US" not in "BUS", "Россия"
    not in "Россиянин"), katakana ones too."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    first, last = text[start], text[end - 1]
    if _is_wordchar(first) and first not in "_$" and _is_wordchar(before):
        return False
    if _is_wordchar(last) and last not in "_$" and _is_wordchar(after):
        return False
    if _KATAKANA.match(first) and before and _KATAKANA.match(before):
        return False
    if _KATAKANA.match(last) and after and _KATAKANA.match(after):
        return False
    # A kanji name right after another kanji is part of a longer word: 日本 in 東日本大震災.
    return not (
        _KANJI.match(first) and before and _KANJI.match(before) and all(_KANJI.match(c) for c in text[start:end])
    )


def lemma_key(word: str) -> str:
    return word.lower().replace("ё", "е")


def _country_entities() -> tuple[dict[str, Entity], dict[str, dict[str, str]]]:
    langs = locales()
    names = {lang: Locale.parse(loc).territories for lang, loc in langs.items()}
    entities: dict[str, Entity] = {}
    aliases: dict[str, dict[str, str]] = {lang: {} for lang in langs}
    for code, name_en in names["en"].items():
        if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
            continue
        cid = f"country:{code}"
        name_ja = names["ja"].get(code, name_en)
        local = tuple((lang, names[lang][code]) for lang in langs if code in names[lang])
        entities[cid] = Entity(cid, "country", name_en, name_ja, names=local)
        for lang in langs:
            if code in names[lang]:
                aliases[lang][names[lang][code]] = cid
        # Japanese names a state's government or side as "<country>政府" / "<country>側" (イスラエル政府).
        for suffix in ("政府", "側", "当局"):
            aliases["ja"][f"{name_ja}{suffix}"] = cid
        # Japanese writes a country's armed forces as "<country>軍" (ドイツ軍, クロアチア軍).
        fid = f"force:{code}"
        entities[fid] = Entity(
            fid,
            "force",
            f"{name_en} armed forces",
            f"{name_ja}軍",
            cid,
            names=(("en", f"{name_en} armed forces"), ("ja", f"{name_ja}軍")),
        )
        aliases["ja"][f"{name_ja}軍"] = fid
    return entities, aliases


def _curated(entities: dict[str, Entity], aliases: dict[str, dict[str, str]]) -> None:
    folder = resources.files("extract").joinpath("resources")
    data: dict = {}
    for name in sorted(f.name for f in folder.iterdir() if f.name.startswith("actors") and f.name.endswith(".toml")):
        data.update(tomllib.loads(folder.joinpath(name).read_text("utf-8")))  # actors.toml, actors-people.toml, …
    langs = list(aliases)
    for eid, spec in data.items():
        known = entities.get(eid)
        names = dict(known.names) if known else {}
        for lang in langs:  # a curated name, else (for an entity that is not a country) its first alias
            if spec.get(f"name_{lang}"):
                names[lang] = spec[f"name_{lang}"]
            elif lang not in names and spec.get(lang) and not known:
                names[lang] = spec[lang][0]
        entities[eid] = Entity(
            eid,
            spec.get("type", known.type if known else eid.split(":")[0]),
            spec.get("name_en", known.name_en if known else eid),
            spec.get("name_ja", known.name_ja if known else eid),
            spec.get("parent", known.parent if known else None),
            spec.get("metonym"),
            tuple(names.items()),
        )
        for lang in langs:
            for alias in spec.get(lang, []):
                aliases[lang][alias] = eid
                if lang != "ja" and alias[0].islower():
                    aliases[lang][alias[0].upper() + alias[1:]] = eid  # sentence-initial "The coalition"
        for alias in spec.get("en", []):
            for lang in langs:  # other languages quote English names: 有志連合(Coalition of the Willing), "FT"
                if lang != "en":
                    aliases[lang].setdefault(alias, eid)
        for alias in [*spec.get("ja", []), *spec.get("en", [])] if "ja" in aliases else []:
            if re.search(r"[A-Za-z0-9]", alias):  # Japanese press writes ＲＳＦ, ＮＡＴＯ, Ｇ７
                aliases["ja"].setdefault(_fullwidth(alias), eid)


def _fullwidth(text: str) -> str:
    """ "RSF" → "ＲＳＦ": the full-width forms of printable ASCII."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@cache
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (CLDR countries + curated actors)."""
    entities, aliases = _country_entities()
    _curated(entities, aliases)
    _city_names(entities, aliases)
    return Gazetteer(entities, aliases)


def _city_names(entities: dict[str, Entity], aliases: dict[str, dict[str, str]]) -> None:
    """CLDR's names of the time-zone cities in every language ("Rom", "Pjöngjang", "Jartum", "Эр-Рияд") for the
    curated places that stand for their state, where the curated aliases do not name them already."""
    from zoneinfo import available_timezones

    from babel.dates import get_timezone_location

    places = {e.name_en: e.id for e in entities.values() if e.type == "place" and e.metonym}
    zones = {}
    for tz in available_timezones():
        if "/" in tz and not tz.startswith(("Etc/", "SystemV/")):
            city = get_timezone_location(tz, "en", return_city=True)
            if city in places:
                zones[tz] = places[city]
    for lang, loc in locales().items():
        for tz, eid in zones.items():
            name = get_timezone_location(tz, loc, return_city=True)
            if name and "(" not in name:  # "Tripoli (Libye)" names the zone, not the city as news write it
                aliases[lang].setdefault(name, eid)
