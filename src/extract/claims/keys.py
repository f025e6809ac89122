"""Claim identity: a language-independent key from what a claim means, separate from its value.

Two reports state *the same claim* when their keys are equal, and *agree* when their values do. The key is
what the claim is about; the value is everything that can differ between reports of it:

| family   | key                                      | value fields                                             |
|----------|------------------------------------------|----------------------------------------------------------|
| pledge   | pledge / actor / class [/ object]        | stance, certainty, window, bound, anchor, quantity,      |
|          |                                          | scope, total, per, previous, time, condition             |
| position | position / actor / class [/ object]      | stance, certainty, time, condition                       |
| tier     | tier / number / class [/ actor]          | actor, action, certainty, window, bound, anchor,         |
|          |                                          | condition, quantity                                      |
| event    | event / class / venue / round or date    | stance, certainty, time, place, participants, window,    |
|          | [/ object]                               | bound, anchor                                            |
| quantity | quantity / actor / unit                  | value, scope, total, per, previous                       |

- **actor**: the canonical id, a person or a force by the state it belongs to (Sánchez and 「スペイン」 are
  ``country:ES``; 米軍 is ``country:US``); a joint actor is the sorted set of its members joined by ``+``
  (``country:RU+country:UA``). Claims of a symmetric act split per actor in one sentence ("Russia and
  Ukraine each exchanged 157") are joined into that set (``keyed``).
- **class**: the predicate class paraphrases share (``resources/predicate_classes.toml``): inside a tier,
  responding, intervening and deploying forces are one action; "reject X" is "accept X" with the opposite
  stance; meetings and talks are always events.
- **object**: a canonical id, else the head noun of the object text, normalised across languages
  (``resources/key_terms.toml``: 「和平計画」 and "the peace plan" are ``plan``).
- **venue**: the event's place resolved up the place hierarchy to its country (Abu Dhabi → ``country:AE``), so
  a report that names the city and one that names only the country meet; **round** a number or ``next``,
  else the event's start **date**.

Refused commitments ("will not send troops") and commitments told as done ("released 157 prisoners") are
keyed as pledges, so a move from "will not send" to "will send", or from "will release" to "released", is
one changed claim. A tier's response is one claim whoever gives it; other steps of a phased deal are their
actor's. Values agree when every field both state agrees (``value_diff``): what one report leaves out is
not a change; times agree when one contains the other at a coarser granularity, places when one is inside
the other, participants when one set contains the other, and anchors and conditions only compare as listed
terms (free text is not compared).

``KEY_VERSION`` is stored with every claim; when these rules (or their data files) change it is bumped and
the store re-keys its claims on the next ``extract migrate`` (``Store.migrate``).
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from extract.lang import predicates
from extract.model import Claim, EntityRef, Evidence, Quantity, TimeValue, Window
from extract.nlp.gazetteer import load_gazetteer

KEY_VERSION = 3  # 1: the rules before issue 11 (no key_version column); 2: an early draft of these
KEY_FIELDS = {
    "pledge": ("actor", "class", "object"),
    "position": ("actor", "class", "object"),
    "tier": ("tier", "class", "actor"),
    "event": ("class", "venue", "when", "object"),
    "quantity": ("actor", "unit"),
}
TENTATIVE = {"possible", "offered"}
FUTURE = {"planned", "intended", "agreed", "possible", "offered", "demanded"}
NOT_COMPARED = {"action"}  # shown, never a change: the class in the key already says what the tier does

_ROUND = re.compile(
    r"第\s*(\d+)\s*(?:ラウンド|回)|(\d+)\s*回目|(\d+)(?:st|nd|rd|th)\s+round"
    r"|\b(first|second|third|fourth|fifth|sixth)\s+(?:round|session|meeting|trilateral)"
    r"|\b(erste|zweite|dritte|vierte)n?\s+(?:runde|verhandlungsrunde)"
    r"|\b(primera|segunda|tercera|première|deuxième|troisième)\s+(?:ronda|reunión|round|session)"
    r"|\b(перв|втор|треть|перш|друг|трет)\w*\s+(?:раунд|тур)"
    r"|(初(?:の|めての)[^、。]{0,8}?(?:協議|会合|会談|交渉)|初会合)",
    re.IGNORECASE,
)
_NEXT = re.compile(
    r"次の|次回|\bnext\s+(?:round|meeting|session|talks|trilateral)|\bnächste\w*\s+(?:runde|treffen)"
    r"|\bpr[óo]xim\w*\s+(?:ronda|reuni[óo]n)|\bprochain\w*\s+(?:round|session|réunion)|\bследующ\w*\s+раунд"
    r"|\bнаступн\w*\s+раунд",
    re.IGNORECASE,
)
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "erste": 1, "zweite": 2, "dritte": 3, "vierte": 4,
    "primera": 1, "segunda": 2, "tercera": 3, "première": 1, "deuxième": 2, "troisième": 3,
    "перв": 1, "втор": 2, "треть": 3, "перш": 1, "друг": 2, "трет": 3,
}  # fmt: skip
_DATE_TOKEN = re.compile(r"^\d{4}(?:-W\d{2}|-\d{2}(?:-\d{2})?)?$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_PREPOSITIONS = re.compile(
    r"\s(?:of|for|on|to|with|from|in|at|about|over|against|by|between|de|del|des|du|für|von|zu|mit|über|sur|pour"
    r"|con|sobre|di|per|на|о|об|по|для|з|із)\s",
    re.IGNORECASE,
)
_JA_PARTICLES = re.compile(r"(?:を|は|が|に|で|と|も|へ|の|から|まで|について|をめぐって|」|「|『|』|、|。)+$")
_PUNCT = re.compile(r"[\"'“”‘’«»「」『』()（）\[\]【】、。,.;:!?・]")


# --- data files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRule:
    """How one predicate is keyed (``resources/predicate_classes.toml``)."""

    predicate: str
    name: str  # the class
    opposed: bool = False  # "reject": the class with the opposite stance
    tier: str | None = None  # its class inside a tier
    position: str | None = None  # its class as a stance
    object: bool = False  # the object is part of the key
    event: bool = False  # always keyed as an event
    rounds: bool = False  # events of the class are numbered
    mutual: str | None = None  # its class when several actors do it to each other ("exchange")


@cache
def predicate_classes() -> dict[str, ClassRule]:
    text = resources.files("extract.resources").joinpath("predicate_classes.toml").read_text(encoding="utf-8")
    rules = {}
    for predicate, entry in tomllib.loads(text).items():
        rules[predicate] = ClassRule(
            predicate,
            entry.get("class", predicate),
            bool(entry.get("opposed", False)),
            entry.get("tier"),
            entry.get("position"),
            bool(entry.get("object", False)),
            bool(entry.get("event", False)),
            bool(entry.get("rounds", False)),
            entry.get("mutual"),
        )
    return rules


def class_rule(predicate: str) -> ClassRule:
    return predicate_classes().get(predicate) or ClassRule(predicate, predicate)


@cache
def _terms(section: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    text = resources.files("extract.resources").joinpath("key_terms.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)[section]
    return tuple(
        (term, re.compile("|".join(_word_pattern(w) for w in words), re.IGNORECASE)) for term, words in table.items()
    )


def _word_pattern(word: str) -> str:
    open_end = word.endswith("*")
    core = re.escape(word.rstrip("*"))
    if _CJK.search(word):
        return core
    tail = r"\w*" if open_end else ""
    return rf"(?<!\w){core}{tail}(?!\w)"


def find_term(section: str, text: str, *, last: bool = True) -> str | None:
    """The term of ``key_terms.toml`` [section] found in ``text``: the one ending latest (the head of a noun
    phrase), or with ``last=False`` the longest match (the most specific anchor)."""
    best: tuple[int, int, str] | None = None
    for term, pattern in _terms(section):
        for m in pattern.finditer(text):
            rank = (m.end(), m.end() - m.start()) if last else (m.end() - m.start(), -m.start())
            if best is None or rank > best[:2]:
                best = (*rank, term)
    return best[2] if best else None


# --- families, actors, places ---------------------------------------------------------------------------


def family(row: Mapping[str, Any]) -> str:
    """pledge | position | tier | event | quantity — negated commitments belong to the pledge family."""
    if _refusal_or_pledge(row["kind"], row["predicate"], row.get("polarity")):
        return "pledge"
    return row["kind"]


def family_of(claim: Claim) -> str:
    """``family`` of a claim before it is stored."""
    if _refusal_or_pledge(claim.kind, claim.predicate, claim.polarity):
        return "pledge"
    return claim.kind


def _refusal_or_pledge(kind: str, predicate: str, polarity: str | None) -> bool:
    """Pledges, and refused commitments (stored as negative positions); "backed the plan" and the denial of a
    done act ("denied that it had agreed") stay positions."""
    if kind == "position":
        known = predicates().get(predicate)
        return polarity == "negative" and known is not None and known.family == "commitment"
    return kind == "pledge" and _is_commitment(predicate)


def _is_commitment(predicate: str) -> bool:
    """Commitments, and events put as commitments ("will not sign a deal" is a pledge, refused)."""
    known = predicates().get(predicate)
    return known is not None and known.family in ("commitment", "event")


def key_family(claim: Claim) -> str:
    """The family a claim is keyed in: ``family_of``, except that meetings are always events and a
    commitment told as done ("released 157 prisoners") is the pledge it fulfils."""
    if claim.kind in ("tier", "quantity"):
        return claim.kind
    if class_rule(claim.predicate).event:
        return "event"
    known = predicates().get(claim.predicate)
    if claim.kind == "event" and known is not None and known.family == "commitment":
        return "pledge"
    return family_of(claim)


def actor(entity_id: str | None) -> str:
    """The id an actor is keyed by: a person's country, otherwise the entity itself."""
    if not entity_id:
        return ""
    entity = load_gazetteer().get(entity_id)
    if entity is not None and entity.type == "person" and entity.parent:
        return entity.parent
    return entity_id


def key_actor(ref: EntityRef | None) -> str:
    """A person or a force by the state it belongs to, a place by what it stands for ("Moscow said");
    an unlinked actor by its lower-cased text."""
    if ref is None:
        return ""
    if not ref.entity_id:
        return _normalise(ref.text)
    entity = load_gazetteer().get(ref.entity_id)
    if entity is None:
        return ref.entity_id
    if entity.type in ("person", "force") and entity.parent:
        return actor(entity.parent) or entity.parent
    if entity.type == "place" and entity.metonym:
        return entity.metonym
    return entity.id


def country_of(entity_id: str) -> str:
    """A place resolved up the place hierarchy to its country (or region): place:abu-dhabi → country:AE."""
    gaz = load_gazetteer()
    entity = gaz.get(entity_id)
    seen = set()
    while entity is not None and entity.type not in ("country", "region") and entity.parent and entity.id not in seen:
        seen.add(entity.id)
        parent = gaz.get(entity.parent)
        if parent is None:
            return entity.parent
        entity = parent
    return entity.id if entity is not None else entity_id


def is_inside(inner: str, outer: str) -> bool:
    """True when place ``inner`` is ``outer`` or lies inside it (Abu Dhabi is inside the UAE)."""
    gaz = load_gazetteer()
    current, seen = inner, set()
    while current and current not in seen:
        if current == outer:
            return True
        seen.add(current)
        entity = gaz.get(current)
        current = entity.parent if entity is not None else None
    return False


def _is_place(ref: EntityRef | None) -> bool:
    """A city or region named as an event's object is its venue ("talks in Abu Dhabi"); a country is more
    often a participant ("talks with the US")."""
    if ref is None or not ref.entity_id:
        return False
    entity = load_gazetteer().get(ref.entity_id)
    return entity is not None and entity.type == "place"


# --- components --------------------------------------------------------------------------------------


def _normalise(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.sub(r"\s+", " ", _PUNCT.sub(" ", text)).strip()


def object_token(ref: EntityRef | None) -> str:
    """The object as keyed: the head noun of its text (``key_terms.toml``) — "the U.S.-drafted peace plan" is
    ``plan`` even though it names the US —, else its canonical id, else the text's own last word. Topics and
    organisations keep their id ("the security guarantees", "imports from the EU")."""
    if ref is None:
        return ""
    text = unicodedata.normalize("NFKC", ref.text or "")
    head = text
    if not _CJK.search(text):
        cut = _LATIN_PREPOSITIONS.search(f" {text} ")
        if cut and cut.start() > 0:
            head = text[: cut.start()]
    term = find_term("heads", head) or (find_term("heads", text) if not ref.entity_id else None)
    if ref.entity_id:
        entity = load_gazetteer().get(ref.entity_id)
        keeps_id = entity is None or entity.type in ("topic", "org") or not term
        return _most_specific(ref.entity_id, text) if keeps_id else term
    return term or _last_word(head)


def _most_specific(entity_id: str, text: str) -> str:
    """A place the text names inside the linked entity: "full control of Ukraine's Donetsk region", linked
    to Ukraine, is about Donetsk."""
    gaz = load_gazetteer()
    for lang in gaz.aliases:
        for match in gaz.find(text, lang):
            if match.entity_id != entity_id and is_inside(match.entity_id, entity_id):
                return match.entity_id
    return entity_id


def _last_word(text: str) -> str:
    text = _JA_PARTICLES.sub("", _normalise(text))
    if _CJK.search(text):
        text = text.rsplit("の", 1)[-1].replace(" ", "")
        return text[-8:]
    words = [w for w in text.split() if w not in {"the", "a", "an", "its", "their", "his", "her"}]
    if not words:
        return ""
    word = words[-1]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def event_round(text: str | None) -> str:
    """ "第2ラウンド", "second round", "初の" → "2"/"1"; "next round", 「次回の協議」 → "next"; "" otherwise."""
    m = _ROUND.search(text or "")
    if m:
        if m.group(8):
            return "1"
        for g in (1, 2, 3):
            if m.group(g):
                return m.group(g)
        word = next(w for w in m.groups()[3:7] if w)
        return str(_ORDINALS.get(word.lower(), "")) or ""
    return "next" if _NEXT.search(text or "") else ""


def _rounds_in(text: str) -> set[str]:
    found = set()
    for m in _ROUND.finditer(text):
        found.add(event_round(m.group(0)))
    if _NEXT.search(text):
        found.add("next")
    return found - {""}


def claim_round(claim: Claim) -> str:
    """The round an event is: named in its object, else the one round its sentence names."""
    if claim.object is not None and (r := event_round(claim.object.text)):
        return r
    rounds = _rounds_in(claim.evidence.sentence)
    return rounds.pop() if len(rounds) == 1 else ""


def venue(claim: Claim) -> str:
    ref = claim.location if claim.location is not None else (claim.object if _is_place(claim.object) else None)
    if ref is None:
        return ""
    return country_of(ref.entity_id) if ref.entity_id else _normalise(ref.text)


def _date_token(time: TimeValue | None) -> str:
    """The start of an event's time at its granularity: "2026-02-04" for 4-5 February, "2026-02", "2026-W06"."""
    if time is None:
        return ""
    if time.open_start:
        return time.end.isoformat()
    if time.granularity == "week":
        year, week, _ = time.start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if time.granularity == "month":
        return f"{time.start.year:04d}-{time.start.month:02d}"
    if time.granularity == "year":
        return f"{time.start.year:04d}"
    return time.start.isoformat()


def _actors(claim: Claim, co_actors: Iterable[str] = ()) -> list[str]:
    ids = {key_actor(p) for p in claim.participants} | {key_actor(claim.subject)} | set(co_actors)
    return sorted(i for i in ids if i)


def claim_key(claim: Claim | Mapping[str, Any], co_actors: Iterable[str] = ()) -> str:
    """The key of a claim; ``co_actors`` are the other actors of the same act in its sentence (``keyed``)."""
    claim = as_claim(claim)
    fam = key_family(claim)
    co_actors = tuple(co_actors)
    rule = _rule(claim, co_actors)
    symmetric = _is_symmetric(claim.predicate) or rule.name != class_rule(claim.predicate).name
    actor_id = "+".join(_actors(claim, co_actors if symmetric else ()))
    if fam == "tier":
        # A tier's response ("respond") is one claim whoever gives it (its actor is a value); any other step of
        # a phased deal is the obligation of its actor ("Israel withdraws", "Hamas releases" in phase one).
        tier_class = rule.tier or rule.name
        parts = [str(claim.tier or ""), tier_class, "" if tier_class == "respond" else actor_id]
    elif fam == "event":
        when = claim_round(claim) if rule.rounds else ""
        parts = [
            rule.name,
            venue(claim),
            when or _date_token(claim.time),
            object_token(claim.object) if rule.object else "",
        ]
    elif fam == "position":
        # What a stance is about is part of it when it is a thing accepted, rejected or demanded; for an
        # assessment, a justification or a caution the object is a proposition paraphrased freely.
        position_class = class_rule(rule.position or rule.name)
        parts = [actor_id, position_class.name, object_token(claim.object) if position_class.object else ""]
    elif fam == "quantity":
        parts = [actor_id, claim.quantity.unit if claim.quantity else ""]
    else:
        parts = [actor_id, rule.name, object_token(claim.object) if rule.object else ""]
    while parts and parts[-1] == "" and len(parts) > len(KEY_FIELDS[fam]) - 1:
        parts.pop()
    return "|".join([fam, *parts])


def _rule(claim: Claim, co_actors: Sequence[str]) -> ClassRule:
    """The claim's class rule; an act done to each other ("Russia and Ukraine each released 157") is its
    mutual class (an exchange between them)."""
    rule = class_rule(claim.predicate)
    if rule.mutual and co_actors:
        return class_rule(rule.mutual)
    return rule


def key_parts(key: str) -> dict[str, str]:
    """A key's components by name: "event|meet|country:AE|2" → {family, class, venue, round}."""
    fam, *values = key.split("|")
    parts = {"family": fam}
    for name, value in zip(KEY_FIELDS.get(fam, ()), values, strict=False):
        if name == "when":
            parts["date" if _DATE_TOKEN.match(value) else "round"] = value
        else:
            parts[name] = value
    return parts


SOFT_COMPONENTS = ("object", "venue", "round", "date")


def compatible(
    key_a: str, key_b: str, value_a: Mapping[str, str] | None = None, value_b: Mapping[str, str] | None = None
) -> bool:
    """Two keys of one claim stated less specifically on one side: equal but for soft components (object,
    venue, round or date) that one side leaves empty, a venue inside the other ("Abu Dhabi" / "UAE"), the
    "next" round for a numbered one, or a round on one side and a date on the other that the round's time
    starts on. Actor, class, tier and unit must be equal."""
    pa, pb = key_parts(key_a), key_parts(key_b)
    if pa["family"] != pb["family"]:
        return False
    for name in (set(pa) | set(pb)) - {"family"}:
        va, vb = pa.get(name, ""), pb.get(name, "")
        if va == vb or (name in SOFT_COMPONENTS and (not va or not vb)):
            continue
        if name == "round" and "next" in (va, vb):
            continue
        if name == "venue" and (is_inside(va, vb) or is_inside(vb, va)):
            continue
        return False
    for with_round, with_date, value in ((pa, pb, value_a), (pb, pa, value_b)):
        if with_round.get("round") and with_date.get("date"):
            time = (value or {}).get("time", "")
            if not time.lstrip("./").startswith(with_date["date"]):
                return False  # a numbered round is the dated event only when it is said to start that day
    return True


def _is_symmetric(predicate: str) -> bool:
    known = predicates().get(predicate)
    return known is not None and known.symmetric


# --- values -------------------------------------------------------------------------------------------


def claim_value(claim: Claim | Mapping[str, Any], co_actors: Iterable[str] = ()) -> dict[str, str]:
    """What the claim says, as display strings; fields a report does not state are left out."""
    claim = as_claim(claim)
    fam = key_family(claim)
    co_actors = list(co_actors)
    rule = _rule(claim, co_actors)
    value: dict[str, str | None] = {}
    if fam == "position":
        value["stance"] = _position_stance(claim, rule)
        value["certainty"] = _certainty(claim) if claim.modality in TENTATIVE | {"unclear"} else None
    elif fam == "tier":
        value["actor"] = "+".join(sorted({actor(p.entity_id) or p.text for p in claim.participants})) or (
            actor(claim.subject.entity_id) or claim.subject.text if claim.subject else None
        )
        value["action"] = claim.predicate
        value["certainty"] = _certainty(claim)
    elif fam == "quantity":
        value["value"] = _quantity(claim.quantity, with_unit=False)
    else:
        value["stance"] = _stance(claim)
        value["certainty"] = _certainty(claim)
    if fam == "event":
        value["place"] = claim.location.entity_id or claim.location.text if claim.location else None
        members = _actors(claim, co_actors)
        value["participants"] = ",".join(members) if len(members) > 1 else None
    if fam in ("pledge", "tier", "quantity") or (fam == "event" and claim.quantity):
        if fam != "quantity":
            value["quantity"] = _quantity(claim.quantity)
        value |= _quantity_detail(claim, co_actors)
    if claim.window is not None:
        value["window"] = claim.window.duration
        value["bound"] = claim.window.bound
        value["anchor"] = _anchor(claim.window.anchor)
    if fam != "tier" and fam != "quantity":
        value["time"] = claim.time.iso if claim.time else None
    value["condition"] = _anchor(claim.condition)
    return {k: v for k, v in value.items() if v}


def _stance(claim: Claim) -> str:
    """will / will not for a commitment or a planned event, did / did not for one told as done."""
    done = claim.kind == "event" and claim.modality not in FUTURE
    if claim.polarity == "negative":
        return "did not" if done else "will not"
    return "did" if done else "will"


def _certainty(claim: Claim) -> str:
    if claim.modality == "unclear":
        return "unclear"
    return "tentative" if claim.modality in TENTATIVE else "committed"


def _position_stance(claim: Claim, rule: ClassRule) -> str:
    negative = claim.polarity == "negative"
    if claim.predicate == "demand":
        return "does not demand" if negative else "demands"
    if (rule.position or rule.name) == "accept":
        return "opposes" if negative != rule.opposed else "supports"
    return "denies" if negative else "states"


def _quantity(q: Quantity | None, with_unit: bool = True) -> str | None:
    if q is None:
        return None
    text = _number(q.value)
    if q.upper is not None:
        text += f"-{_number(q.upper)}"
    return f"{text} {q.unit}" if with_unit and q.unit else text


def _quantity_detail(claim: Claim, co_actors: Sequence[str]) -> dict[str, str | None]:
    q = claim.quantity
    if q is None:
        return {}
    total = None
    if q.scope == "total":
        total = _number(q.value)
    elif q.scope == "each" and q.upper is None:
        sides = len(_actors(claim, co_actors))
        total = _number(q.value * sides) if sides > 1 else None
    return {
        "scope": q.scope,
        "total": total,
        "per": q.per,
        "previous": _number(q.previous) if q.previous is not None else None,
    }


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _anchor(text: str | None) -> str | None:
    """A listed anchor or condition term (``first_violation``), else the text in quotes."""
    if not text or not text.strip():
        return None
    term = find_term("anchors", text, last=False)
    return term if term else f"“{_normalise(text)}”"


# --- comparing values ------------------------------------------------------------------------------


FIELD_ORDER = (
    "stance", "certainty", "actor", "action", "value", "quantity", "scope", "total", "per", "previous",
    "window", "bound", "anchor", "time", "place", "participants", "condition",
)  # fmt: skip


def value_diff(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """The fields both values state and disagree on, as field → (old, new), in ``FIELD_ORDER``."""
    shared = sorted(old.keys() & new.keys(), key=lambda f: (FIELD_ORDER.index(f) if f in FIELD_ORDER else 99, f))
    return {f: (old[f], new[f]) for f in shared if f not in NOT_COMPARED and not _field_agrees(f, old[f], new[f])}


def agree(old: Mapping[str, str], new: Mapping[str, str]) -> bool:
    """Values agree when every field both state agrees: a field one report omits is not a change."""
    return not value_diff(old, new)


def _field_agrees(name: str, a: str, b: str) -> bool:
    if a == b:
        return True
    if name == "time":
        return _times_agree(a, b)
    if name == "place":
        return is_inside(a, b) or is_inside(b, a)
    if name == "participants":
        sa, sb = set(a.split(",")), set(b.split(","))
        return sa <= sb or sb <= sa
    if name in ("anchor", "condition"):
        # Only listed terms compare: free text is as often a paraphrase ("if hostilities carried on", "should
        # the fighting go on") as a difference, in one language or two.
        return a.startswith("“") or b.startswith("“")
    return False


def _script(text: str) -> str:
    if _CJK.search(text):
        return "cjk"
    return "cyrillic" if _CYRILLIC.search(text) else "latin"


def _interval(iso: str) -> tuple[date, date, bool] | None:
    """(start, end, coarse) of an ISO value; coarse for weeks, months, years and open starts."""
    try:
        if iso.startswith("../"):
            end = _interval(iso[3:])
            return (date.min, end[1], True) if end else None
        if "/" in iso:
            first, last = (_interval(p) for p in iso.split("/", 1))
            return (first[0], last[1], first[2] or last[2]) if first and last else None
        iso = iso[:10] if "T" in iso else iso
        if re.fullmatch(r"\d{4}-W\d{2}", iso):
            start = date.fromisocalendar(int(iso[:4]), int(iso[6:]), 1)
            return start, date.fromordinal(start.toordinal() + 6), True
        if re.fullmatch(r"\d{4}", iso):
            return date(int(iso), 1, 1), date(int(iso), 12, 31), True
        if re.fullmatch(r"\d{4}-\d{2}", iso):
            year, month = int(iso[:4]), int(iso[5:])
            following = date(year + month // 12, month % 12 + 1, 1)
            return date(year, month, 1), date.fromordinal(following.toordinal() - 1), True
        day = date.fromisoformat(iso)
        return day, day, False
    except ValueError:
        return None


def _times_agree(a: str, b: str) -> bool:
    """A month, week, year or "until" agrees with any time inside it; two exact dates or ranges must be equal."""
    ia, ib = _interval(a), _interval(b)
    if ia is None or ib is None:
        return False
    if a.startswith("../") or b.startswith("../"):
        return ia[1] == ib[1]
    if ia[2] and ia[0] <= ib[0] and ib[1] <= ia[1]:
        return True
    return bool(ib[2] and ib[0] <= ia[0] and ia[1] <= ib[1])


def value_json(value: Mapping[str, str]) -> str:
    """Canonical JSON of a value, for storage and exact comparison."""
    return json.dumps(dict(sorted(value.items())), ensure_ascii=False)


_READING_ORDER = ("actor", "action", "value", "quantity", "scope", "total", "per", "previous", "window", "bound")


def describe(value: Mapping[str, str]) -> str:
    """A short human reading of a value: "will not (committed), window PT72H within, on 2025-04-30"."""
    parts = []
    if "stance" in value:
        certainty = value.get("certainty")
        parts.append(f"{value['stance']} ({certainty})" if certainty else value["stance"])
    elif "certainty" in value:
        parts.append(value["certainty"])
    parts += [value[f] for f in ("actor", "action", "value") if f in value]
    if "quantity" in value:
        parts.append(f"quantity {value['quantity']}")
    parts += [f"{value[f]}" for f in ("scope",) if f in value]
    parts += [f"{f} {value[f]}" for f in ("total", "per", "previous") if f in value]
    if "window" in value or "bound" in value:
        window = " ".join(value[f] for f in ("window", "bound") if f in value)
        parts.append(f"window {window}" + (f" of {value['anchor']}" if "anchor" in value else ""))
    elif "anchor" in value:
        parts.append(f"from {value['anchor']}")
    if "time" in value:
        parts.append(f"on {value['time']}" if parts else value["time"])
    for f in ("place", "participants"):
        if f in value:
            parts.append(f"{f} {value[f]}")
    if "condition" in value:
        parts.append(f"if {value['condition']}")
    return ", ".join(parts)


# --- keys of a document's claims ----------------------------------------------------------------------


def co_actors(claims: Sequence[Claim]) -> list[tuple[str, ...]]:
    """For each claim, the actors of the other claims of the same act in the same sentence: "Russia and
    Ukraine each exchanged 157" split into a claim per country is one act of both."""
    groups: dict[tuple[int, str, str], set[str]] = {}
    for claim in claims:
        groups.setdefault(_act(claim), set()).update(_actors(claim))
    return [tuple(sorted(groups[_act(c)] - set(_actors(c)))) for c in claims]


def _act(claim: Claim) -> tuple[int, str, str]:
    return (claim.evidence.sentence_idx, claim.kind, claim.predicate)


def keyed(claims: Sequence[Claim]) -> list[tuple[str, dict[str, str]]]:
    """(key, value) of each claim of one document version, with the co-actors of split joint acts."""
    return [(claim_key(c, co), claim_value(c, co)) for c, co in zip(claims, co_actors(claims), strict=True)]


# --- claims rows ----------------------------------------------------------------------------------------


def as_claim(claim: Claim | Mapping[str, Any]) -> Claim:
    """A ``Claim`` as is, or one rebuilt from a ``claims`` row (``store.claim_record``): keys are always
    computed on claims, and stored rows are re-keyed this way when the rules change."""
    if isinstance(claim, Claim):
        return claim
    row = claim
    return Claim(
        kind=row["kind"],
        predicate=row["predicate"],
        evidence=Evidence(
            row.get("sentence_idx") or 0,
            row.get("evidence_text") or "",
            row.get("evidence_start") or 0,
            row.get("evidence_end") or 0,
        ),
        subject=_ref(row.get("subject_text"), row.get("subject_id")),
        object=_ref(row.get("object_text"), row.get("object_id")),
        polarity=row.get("polarity") or "positive",
        modality=row.get("modality") or "asserted",
        condition=row.get("condition"),
        time=_time(row),
        window=Window(row["window_duration"], row.get("window_bound") or "within", row.get("window_anchor"), "")
        if row.get("window_duration") or row.get("window_bound")
        else None,
        tier=row.get("tier"),
        quantity=Quantity(
            row["quantity_value"],
            row.get("quantity_unit") or "",
            row.get("quantity_text") or "",
            row.get("quantity_upper"),
            bool(row.get("quantity_approximate")),
            row.get("quantity_scope"),
            row.get("quantity_previous"),
            row.get("quantity_per"),
        )
        if row.get("quantity_value") is not None
        else None,
        location=_ref(row.get("location_text"), row.get("location_id")),
        participants=tuple(
            EntityRef(p.get("text") or "", p.get("entity_id")) for p in json.loads(row.get("participants") or "[]")
        ),
        confidence=row.get("confidence") or 0.5,
        extractor=row.get("extractor") or "",
        analysis=row.get("analysis") or "full",
    )


def _ref(text: str | None, entity_id: str | None) -> EntityRef | None:
    return EntityRef(text or "", entity_id) if text or entity_id else None


def _time(row: Mapping[str, Any]) -> TimeValue | None:
    start, end = row.get("time_start"), row.get("time_end")
    if start is None or end is None:
        return None
    if isinstance(start, str):
        start, end = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    iso = row.get("time_iso") or ""
    return TimeValue(
        start, end, row.get("time_granularity") or "day", row.get("time_text") or "", open_start=iso.startswith("../")
    )
