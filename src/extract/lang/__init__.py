"""Language data: one TOML file per language (``src/extract/lang/<code>.toml``), loaded and checked once.

Everything the clause layer and the claim rules know about a language lives in its file: the spaCy
pipeline (or the shallow path), dependency labels by role, predicate triggers, cues for negation, modality,
conditions, attribution and scope, time units and window patterns, tier markers and sequence cues, and
quantity units. ``predicates.toml`` beside them is the language-independent predicate inventory. Adding a
language means adding a file (and its spaCy pipeline, where one exists): nothing in Python branches on a
language code.

A file that is missing a key, has a value of the wrong type, names an unknown predicate or holds a regular
expression that does not compile is refused at start-up with :class:`LanguageDataError`, naming the file and
the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from extract.errors import Error

FAMILIES = ("commitment", "stance", "event", "count")
MODALITIES = ("planned", "possible", "offered", "intended", "demanded", "agreed", "unclear")
TIME_UNITS = ("hour", "day", "week", "month", "year")


class LanguageDataError(Error, ValueError):
    """A language data file that cannot be used (the message names the file and the key)."""


@dataclass(frozen=True)
class Predicate:
    """A language-independent predicate: ``family`` decides which claim a clause with it can give."""

    id: str
    family: str  # commitment | stance | event
    symmetric: bool = False  # "meet", "talk": the comitative ("with X") is a joint actor
    asserted_family: str | None = None  # a commitment told as done: "backed the plan" is a position
    consumes_complement: bool = False  # a stance about an action: "refused to withdraw", "agreed to halt"
    negates_complement: bool = False  # "refuse", "rule out": the action is refused
    completes: bool = False  # "end the mission in September 2025": a date of it is a deadline (within)
    dated: bool = False  # an event that is news only with a date or venue ("posted on X" is not)
    collective: bool = False  # coordinated agents act together: one joint claim
    holder_acts: bool = False  # "hostages held by Hamas will be released": the holder releases
    moves_own: bool = False  # "British troops will be sent": the state of the forces moved sends them
    target_date: bool = False  # "extend the deadline to 1 August": the date is the new end, not "until"
    negated_as: str | None = None  # a refused attack is a halt: "agreed not to attack Kyiv" = halt_attacks
    breakable: bool = False  # a truce, a deal: after "violations of" it is what is broken, nobody's act
    third_party: bool = False  # mediators, hosts: they stand between the parties, never "both sides"


@dataclass(frozen=True)
class Trigger:
    """One way a language writes a predicate: token lemma sequences, optionally needing an object word."""

    predicate: str
    patterns: tuple[str, ...]
    needs_object: tuple[str, ...] = ()
    needs_context: tuple[str, ...] = ()  # a word anywhere in the clause
    excluded_after: tuple[str, ...] = ()  # not when followed by one of these words
    pos: tuple[str, ...] = ()  # the head must have one of these parts of speech (parsed languages)
    needs_governor: bool = False  # names the act only as what a stance is about: "agreed to a truce"


@dataclass(frozen=True)
class LanguageData:
    code: str
    name: str
    path: Path
    pipeline: str  # spaCy package name, or "" for the shallow path (spacy.blank)
    analysis: str  # "full" (parser) | "shallow"
    lemmatizer: str  # "pipeline" | "lookup" | "pymorphy3"
    head_final: bool  # Japanese: arguments and adverbials precede their predicate
    home: str | None  # the state whose institutions this press names bare (「政府」 is Japan's in Japanese news)
    locale: str  # babel locale for CLDR names
    parse: dict[str, tuple[str, ...]]
    triggers: tuple[Trigger, ...]
    words: dict[str, frozenset[str]]  # cue name → words (lemmas or lower-cased forms)
    patterns: dict[str, tuple[re.Pattern[str], ...]]  # cue name → compiled regular expressions
    modality: dict[str, frozenset[str]]  # modality → cue words
    units: dict[str, frozenset[str]]  # time unit → words
    window_cues: dict[str, tuple[re.Pattern[str], ...]]  # bound/anchor cue → regular expressions (windows.py)
    numbers: dict[str, float]  # number words ("three", "三", "drei")
    ordinals: dict[str, int]  # ordinal words ("second", "第二", "zweite")
    quantity_units: dict[str, frozenset[str]]  # normalised unit → counted nouns / counters
    scales: dict[str, float]  # "billion" → 1e9, "億" → 1e8
    currencies: dict[str, str]  # "$" / "dollars" / "ドル" → "USD"
    fractions: dict[str, float]  # "a fifth" → 20 (percent)
    demonyms: dict[str, str]  # "russian" / "russisch" → "country:RU" (lemmas, lower case)
    groups: dict[str, int]  # words naming a group of actors by size: "both" → 2, "trilateral" / 「3者」 → 3

    def has(self, cue: str, word: str) -> bool:
        return word in self.words.get(cue, ())

    def names_institution(self, word: str) -> bool:
        """Is ``word`` an actor's institution ("government", 「国軍」, 「外務省」)? Written onto a state's name it
        is that state acting."""
        return any(self.has(cue, word.lower()) for cue in ("actor_nouns", "state_nouns", "home_nouns"))

    def regex(self, cue: str) -> tuple[re.Pattern[str], ...]:
        return self.patterns.get(cue, ())


# --- loading and validation -----------------------------------------------------------------------

_WORD_CUES = (
    "negation",
    "hypothetical",
    "breach",
    "breach_links",
    "prospective",
    "homographs",
    "future",
    "past",
    "reporting",
    "quoting",
    "each",
    "total",
    "joint",
    "comitative",
    "group_nouns",
    "party_nouns",
    "between",
    "actor_nouns",
    "pronouns",
    "person_pronouns",
    "litotes",
    "aspectual",
    "passive",
    "continuative",
    "last_words",
    "next_words",
    "year_words",
    "home_nouns",
    "scale_of",
    "topic_case",
    "topic_marks",
    "quotative",
    "definite",
    "plan_nouns",
    "deadline",
    "until",
    "at_least",
    "approximate",
    "more_than",
    "rate",
    "percent",
    "gdp",
    "locative",
    "oblique_prepositions",
    "joint_companions",
    "relative_pronouns",
    "place_parts",
    "articles",
    "coordinators",
    "change_from",
    "change_to",
    "change_by",
    "anchor_stop",
    "window_nouns",
    "agent_preps",
    "raising",
    "object_control",
    "light_verbs",
    "perfect",
    "perfect_marks",
    "state",
    "formal_nouns",
    "member_nouns",
    "state_nouns",
    "inclusion",
    "theme",
    "purpose",
    "ordinal_prefix",
    "generic_stop",
    "clause_joins",
    "complementizers",
    "vague_numbers",
    "name_particles",
    "organisation_nouns",
    "organisation_marks",
    "concessive_marks",
)
_WINDOW_CUES = (
    "within_before",
    "within_after",
    "for_before",
    "for_after",
    "after_before",
    "after_after",
    "anchor_after",
    "anchor_before",
)
_PATTERN_CUES = (
    "condition",
    "attribution",
    "tier_marker",
    "escalation",
    "scenario",
    "window",
    "first_step",
    "membership",
    "dateline",
    "quotation",
    "staged",
    "sequence_first",
    "sequence_next",
    "baseline",
    "boilerplate",
    "short_quote",
    "theme_marker",
    "future_forms",
    "past_forms",
    "conversion",
    "duration_of",
    "period_end",
    "portfolio_before",
    "portfolio_after",
    "same_day",
)
_PARSE_ROLES = (
    "subject",
    "passive_subject",
    "agent",
    "object",
    "oblique",
    "complement",
    "coordination",
    "relative",
    "modifier",
    "clause",
    "case",
    "governed",
    "control",
)


def _data_dir() -> Path:
    return Path(str(resources.files("extract").joinpath("lang")))


def available() -> tuple[str, ...]:
    """Language codes with a data file, sorted."""
    return tuple(sorted(p.stem for p in _data_dir().glob("*.toml") if p.stem != "predicates"))


def _fail(path: Path, key: str, problem: str) -> LanguageDataError:
    return LanguageDataError(f"{path}: [{key}] {problem}")


def _table(data: dict[str, Any], key: str, path: Path, required: bool = True) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise _fail(path, key, "is missing")
        return {}
    if not isinstance(value, dict):
        raise _fail(path, key, f"must be a table, not {type(value).__name__}")
    return value


def _strings(value: Any, path: Path, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, key, "must be a list of non-empty strings")
    return tuple(value)


def _compile(value: Any, path: Path, key: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for i, rx in enumerate(_strings(value, path, key)):
        try:
            out.append(re.compile(rx, re.IGNORECASE))
        except re.error as exc:
            raise _fail(path, f"{key}[{i}]", f"is not a valid regular expression: {exc}") from exc
    return tuple(out)


def _numbers(value: dict[str, Any], path: Path, key: str) -> dict[str, float]:
    for word, number in value.items():
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise _fail(path, f"{key}.{word}", "must be a number")
    return {k: float(v) for k, v in value.items()}


class PredicateTable(dict):
    """id → :class:`Predicate`; an id with a detail ("act:disarm", a commitment no trigger names) is its base's."""

    def get(self, key, default=None):
        found = super().get(key)
        if found is None and isinstance(key, str) and ":" in key:
            found = super().get(key.split(":", 1)[0])
        return default if found is None else found

    def __missing__(self, key):
        if isinstance(key, str) and ":" in key:
            return self[key.split(":", 1)[0]]
        raise KeyError(key)


@cache
def predicates() -> dict[str, Predicate]:
    """The predicate inventory (``predicates.toml``): every key of a table is a field of :class:`Predicate`."""
    path = _data_dir() / "predicates.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    flags = {f.name for f in fields(Predicate)} - {"id", "family", "asserted_family", "negated_as"}
    out = PredicateTable()
    for pid, spec in data.items():
        if not isinstance(spec, dict):
            raise _fail(path, pid, "must be a table")
        if spec.get("family") not in FAMILIES:
            raise _fail(path, f"{pid}.family", f"must be one of {', '.join(FAMILIES)}")
        if spec.get("asserted_family") not in (None, "position", "event"):
            raise _fail(path, f"{pid}.asserted_family", "must be position or event")
        unknown = set(spec) - flags - {"family", "asserted_family", "negated_as", "note"}
        if unknown:
            raise _fail(path, pid, f"unknown keys {sorted(unknown)}")
        for flag in flags & set(spec):
            if not isinstance(spec[flag], bool):
                raise _fail(path, f"{pid}.{flag}", "must be true or false")
        if spec.get("negated_as") is not None and spec["negated_as"] not in data:
            raise _fail(path, f"{pid}.negated_as", "names a predicate that this file does not define")
        out[pid] = Predicate(
            pid,
            spec["family"],
            asserted_family=spec.get("asserted_family"),
            negated_as=spec.get("negated_as"),
            **{f: spec[f] for f in flags & set(spec)},
        )
    return out


def _flag(table: dict[str, Any], name: str, path: Path, key: str) -> bool:
    value = table.get(name, False)
    if not isinstance(value, bool):
        raise _fail(path, f"{key}.{name}", "must be true or false")
    return value


def _triggers(data: dict[str, Any], path: Path) -> tuple[Trigger, ...]:
    known = predicates()
    out = []
    for pid, spec in _table(data, "predicates", path).items():
        key = f"predicates.{pid}"
        if pid not in known:
            raise _fail(path, key, "names a predicate that predicates.toml does not define")
        specs = spec if isinstance(spec, list) else [spec]
        for i, one in enumerate(specs):
            k = key if len(specs) == 1 else f"{key}[{i}]"
            if not isinstance(one, dict) or "triggers" not in one:
                raise _fail(path, k, "must be a table with triggers = [...]")
            unknown = set(one) - {"triggers", "needs_object", "needs_context", "excluded_after", "pos"}
            unknown -= {"needs_governor"}
            if unknown:
                raise _fail(path, k, f"unknown keys {sorted(unknown)}")
            out.append(
                Trigger(
                    pid,
                    _strings(one["triggers"], path, f"{k}.triggers"),
                    _strings(one.get("needs_object", []), path, f"{k}.needs_object") if one.get("needs_object") else (),
                    _strings(one.get("needs_context", []), path, f"{k}.needs_context")
                    if one.get("needs_context")
                    else (),
                    _strings(one.get("excluded_after", []), path, f"{k}.excluded_after")
                    if one.get("excluded_after")
                    else (),
                    _strings(one.get("pos", []), path, f"{k}.pos") if one.get("pos") else (),
                    _flag(one, "needs_governor", path, k),
                )
            )
    return tuple(out)


def _word_map(table: dict[str, Any], path: Path, key: str) -> dict[str, frozenset[str]]:
    return {name: frozenset(w.lower() for w in _strings(v, path, f"{key}.{name}")) for name, v in table.items()}


def parse_file(path: Path) -> LanguageData:
    """Read and check one language file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LanguageDataError(f"{path}: not valid TOML: {exc}") from exc
    meta = _table(data, "language", path)
    for key in ("code", "name", "analysis", "locale"):
        if not isinstance(meta.get(key), str) or not meta.get(key):
            raise _fail(path, f"language.{key}", "must be a non-empty string")
    if meta["code"] != path.stem:
        raise _fail(path, "language.code", f"is {meta['code']!r} but the file is named {path.name}")
    if not isinstance(meta.get("home", ""), str):
        raise _fail(path, "language.home", 'must be an entity id such as "country:JP"')
    if meta["analysis"] not in ("full", "shallow"):
        raise _fail(path, "language.analysis", "must be full or shallow")
    pipeline = meta.get("pipeline", "")
    if meta["analysis"] == "full" and not pipeline:
        raise _fail(path, "language.pipeline", "a full analysis needs a spaCy pipeline")
    lemmatizer = meta.get("lemmatizer", "pipeline")
    if lemmatizer not in ("pipeline", "lookup", "pymorphy3", "none"):
        raise _fail(path, "language.lemmatizer", "must be pipeline, lookup, pymorphy3 or none")

    parse = _table(data, "parse", path, required=meta["analysis"] == "full")
    unknown_roles = set(parse) - set(_PARSE_ROLES)
    if unknown_roles:
        raise _fail(path, "parse", f"unknown roles {sorted(unknown_roles)}")
    cues = _table(data, "cues", path)
    unknown = set(cues) - set(_WORD_CUES) - set(_PATTERN_CUES) - {"modality"}
    if unknown:
        raise _fail(path, "cues", f"unknown cues {sorted(unknown)}")
    for required in ("negation", "condition", "reporting"):
        if required not in cues:
            raise _fail(path, f"cues.{required}", "is missing")
    modality = _word_map(_table(cues, "modality", path), path, "cues.modality")
    bad = set(modality) - set(MODALITIES)
    if bad:
        raise _fail(path, "cues.modality", f"unknown modalities {sorted(bad)}")
    time = _table(data, "time", path)
    units = _word_map(_table(time, "units", path), path, "time.units")
    if set(units) - {"decade"} != set(TIME_UNITS):  # decades are optional: ten years each
        raise _fail(path, "time.units", f"must define exactly {', '.join(TIME_UNITS)} (and optionally decade)")
    quantities = _table(data, "quantities", path)
    return LanguageData(
        code=meta["code"],
        name=meta["name"],
        path=path,
        pipeline=pipeline,
        analysis=meta["analysis"],
        lemmatizer=lemmatizer,
        head_final=bool(meta.get("head_final", False)),
        home=meta.get("home") or None,
        locale=meta["locale"],
        parse={role: _strings(v, path, f"parse.{role}") for role, v in parse.items()},
        triggers=_triggers(data, path),
        words={k: frozenset(w.lower() for w in _strings(cues[k], path, f"cues.{k}")) for k in _WORD_CUES if k in cues},
        patterns={k: _compile(cues[k], path, f"cues.{k}") for k in _PATTERN_CUES if k in cues},
        modality=modality,
        units=units,
        window_cues=_window_cues(_table(time, "window", path), path),
        numbers=_numbers(_table(time, "numbers", path, required=False), path, "time.numbers"),
        ordinals={k: int(v) for k, v in _numbers(_table(data, "ordinals", path), path, "ordinals").items()},
        quantity_units=_word_map(_table(quantities, "units", path), path, "quantities.units"),
        scales=_numbers(_table(quantities, "scales", path, required=False), path, "quantities.scales"),
        currencies={k: str(v) for k, v in _table(quantities, "currencies", path, required=False).items()},
        fractions=_numbers(_table(quantities, "fractions", path, required=False), path, "quantities.fractions"),
        demonyms=_demonyms(_table(data, "demonyms", path, required=False), path),
        groups={
            k.lower(): int(v) for k, v in _numbers(_table(data, "groups", path, required=False), path, "groups").items()
        },
    )


def _window_cues(table: dict[str, Any], path: Path) -> dict[str, tuple[re.Pattern[str], ...]]:
    unknown = set(table) - set(_WINDOW_CUES)
    if unknown:
        raise _fail(path, "time.window", f"unknown cues {sorted(unknown)}; known: {', '.join(_WINDOW_CUES)}")
    return {k: _compile(v, path, f"time.window.{k}") if v else () for k, v in table.items()}


def _demonyms(table: dict[str, Any], path: Path) -> dict[str, str]:
    """demonym → entity id: keys are ISO 3166 alpha-2 codes (countries) or entity ids ("region:europe")."""
    out = {}
    for key, words in table.items():
        if re.fullmatch(r"[A-Z]{2}", key):
            eid = f"country:{key}"
        elif re.fullmatch(r"[a-z]+:[\w.-]+", key):
            eid = key
        else:
            raise _fail(path, f"demonyms.{key}", "keys must be ISO 3166 alpha-2 codes or entity ids")
        for w in _strings(words, path, f"demonyms.{key}"):
            out[w.lower()] = eid
    return out


@cache
def load(code: str) -> LanguageData:
    """The checked data of one language (cached per process)."""
    path = _data_dir() / f"{code}.toml"
    if not path.exists():
        raise LanguageDataError(f"no language data for {code!r} (expected {path}); available: {', '.join(available())}")
    return parse_file(path)


def load_all() -> dict[str, LanguageData]:
    """Every language file, checked (run at start-up and by the tests)."""
    return {code: load(code) for code in available()}
