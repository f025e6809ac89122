"""PLOVER codes for claims and clauses (issue 17): event type, mode, context, actor and recipient codes.

PLOVER (the ontology of POLECAT, successor of CAMEO) codes an event as actor, recipient, one of 16 types, a mode and
a context. Everything language- or ontology-specific is data in ``resources/plover.toml``:

- the predicate of a claim gives the type and mode of the act told as done ("withdrew" is RETREAT withdraw); a
  rule on the words of the trigger and the object can refine it ("support … military aid" is AID);
- how the act is put changes the type as the manual says: a promise, offer, plan or agreement of a cooperative
  act, a retreat or a concession is AGREE (the CAMEO table: 03 EXPRESS INTENT TO COOPERATE; a pledge keeps its own
  fields and is AGREE with mode ``intent``), a
  hostile act put as future is THREATEN with the act as the threat's content, a refused act is REJECT and a
  demanded one REQUEST (with the modes REJECT and REQUEST share: assist, change, yield, meet);
- actor and recipient codes are ISO 3166 alpha-3 for states (from the gazetteer's ``country:XX`` ids, through
  CLDR's territory aliases), the manual's IGO / UNO / EUR / … for international bodies, and a person's, force's or
  organisation's parent country otherwise. A name the gazetteer does not link is resolved from its own words and
  the words just before it ("British Defence Secretary Tom King", "Ugandan rebels") through the same gazetteer and
  the language's demonyms, never from a list of the names of any one text.

``annotate`` fills the fields of a list of claims (called once, at the end of ``claims.extract_claims``);
``code_sentences`` codes each sentence of an analysis by its main clause (the PLOVER evaluation, where a sentence
is one event whether or not the claim rules keep it); ``code_claim_row`` recomputes the codes from the columns a
store keeps (the export).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from extract.claims import keys
from extract.model import Claim

if TYPE_CHECKING:
    from extract.nlp.analyse import Analysis

TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
INTENT_MODALITIES = ("planned", "possible", "offered", "intended", "agreed")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@dataclass(frozen=True)
class Code:
    """The PLOVER fields of one claim or clause."""

    type: str | None = None
    mode: str | None = None
    context: str | None = None
    actor: str | None = None
    recipient: str | None = None


@dataclass(frozen=True)
class _Rule:
    words: tuple[str, ...]
    type: str
    mode: str


@dataclass(frozen=True)
class _Mapping:
    type: str
    mode: str
    rules: tuple[_Rule, ...]


@dataclass(frozen=True)
class Table:
    predicates: dict[str, _Mapping]
    intent: dict[str, str]
    threat_mode: dict[str, str]
    refusal: dict[str, str]
    alpha3: dict[str, str]
    entities: dict[str, str]
    contexts: dict[str, tuple[str, ...]]
    words: dict[str, dict[str, tuple[str, str]]]  # language → lemma → (type, mode)
    own_act: frozenset[str]  # stances coded as themselves, not as their complement
    names: dict[str, dict[str, str]]  # language → name (lower-case) → code
    places: dict[str, dict[str, str]]  # language → place name (lower-case) → code, read in an actor's own words
    nouns: dict[str, dict[str, tuple[str, str]]]  # language → noun lemma → (type, mode), as words
    cues: dict[str, dict[str, frozenset[str]]]  # language → cue name → words (speech, obligation, intent)
    phrases: dict[str, dict[str, tuple[str, str]]]  # language → set phrase → (type, mode)


@cache
def table() -> Table:
    data = tomllib.loads(resources.files("extract.resources").joinpath("plover.toml").read_text(encoding="utf-8"))
    preds = {}
    for pid, spec in data["predicates"].items():
        rules = tuple(_Rule(tuple(r["words"]), r["type"], r.get("mode", "")) for r in spec.get("rules", ()))
        for t in [spec["type"], *(r.type for r in rules)]:
            if t and t not in TYPES:
                raise ValueError(f"plover.toml: predicates.{pid}: {t!r} is not a PLOVER type")
        preds[pid] = _Mapping(spec["type"], spec.get("mode", ""), rules)
    return Table(
        preds,
        data["intent"],
        data["threat_mode"],
        data["refusal"],
        data["alpha3"],
        data["entities"],
        {k: tuple(v) for k, v in data["contexts"].items()},
        _lexicons(data.get("words", {}), data["predicates"]),
        frozenset(data.get("own_act", {}).get("predicates", ())),
        {lang: {k.lower(): v for k, v in names.items()} for lang, names in data.get("names", {}).items()},
        {lang: {k.lower(): v for k, v in names.items()} for lang, names in data.get("places", {}).items()},
        _lexicons(data.get("nouns", {}), data["predicates"]),
        {lang: {k: frozenset(v) for k, v in c.items()} for lang, c in data.get("cues", {}).items()},
        _lexicons(data.get("phrases", {})),
    )


def _lexicons(spec: dict, predicates: dict | None = None) -> dict[str, dict[str, tuple[str, str]]]:
    """``[words.<lang>]``: type (or "TYPE mode", or "@predicate": typed by that predicate's rules) → lemmas,
    turned into lemma → (type, mode)."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for lang, by_type in spec.items():
        lexicon = out.setdefault(lang, {})
        for key, lemmas in by_type.items():
            t, _, mode = key.partition(" ")
            if t.startswith("@") and predicates is not None and t[1:] not in predicates:
                raise ValueError(f"plover.toml: words.{lang}: {t!r} names no predicate of plover.toml")
            if t not in TYPES and not t.startswith("@"):
                raise ValueError(f"plover.toml: words.{lang}: {t!r} is not a PLOVER type")
            for lemma in lemmas:
                lexicon.setdefault(lemma, (t, mode))
    return out


def _has(text: str, word: str) -> bool:
    if _CJK.search(word):
        return word in text
    return re.search(r"(?<![a-z])" + re.escape(word), text) is not None


def _any(text: str, words: Iterable[str]) -> bool:
    return any(_has(text, w) for w in words)


# --- types ----------------------------------------------------------------------------------------------------


def base_type(predicate: str, words: str) -> tuple[str | None, str | None]:
    """Type and mode of the act told as done; ``words`` are the trigger and object phrase."""
    m = table().predicates.get(predicate)
    if m is None:
        return None, None
    low = words.lower()
    for rule in m.rules:
        if _any(low, rule.words):
            return rule.type or None, rule.mode or None
    return m.type or None, m.mode or None


def classify(
    predicate: str, words: str, *, negated: bool = False, modality: str = "asserted", pledge: bool = False
) -> tuple[str | None, str | None]:
    """PLOVER type and mode of an act as put: done, promised, refused or demanded."""
    t, mode = base_type(predicate, words)
    m = table().predicates.get(predicate)
    if modality == "agreed" and not pledge and m is not None and m.type == "AGREE" and t not in (None, "AGREE"):
        # the agreeing is itself the act a rule of the predicate names ("agreed to the opposition's demand" concedes
        # it): "agreed" is the act as told, not an intent to do another
        modality = "asserted"
    return put(t, mode, predicate, negated=negated, modality=modality, pledge=pledge)


def put(
    t: str | None, mode: str | None, predicate: str = "", *, negated=False, modality="asserted", pledge=False
) -> tuple[str | None, str | None]:
    """The type and mode of an act of type ``t`` as put (see :func:`classify`)."""
    if t is None:
        return None, None
    tab = table()
    if negated:
        if t in tab.refusal and t != "REQUEST":
            return "REJECT", tab.refusal[t]
        if t in ("ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "THREATEN") and modality in INTENT_MODALITIES:
            return "AGREE", "intent" if pledge else None  # "will not attack": an intent to de-escalate (CAMEO 03)
        if t == "REJECT":
            return None, None  # "did not reject"
        return None, None  # a negated act did not happen (the manual's "negation": not an event)
    if modality == "demanded" and t not in ("REQUEST", "REJECT", "ACCUSE", "THREATEN"):
        return "REQUEST", tab.refusal.get(t, "change")
    if modality in INTENT_MODALITIES or pledge:
        target = tab.intent.get(predicate) or tab.intent.get(t)
        if target == "AGREE":
            return "AGREE", "intent" if pledge else None
        if target == "THREATEN":
            return "THREATEN", tab.threat_mode.get(predicate) or tab.threat_mode.get(t, "violence")
    return t, mode


def context(text: str) -> str | None:
    low = text.lower()
    found = [name for name, words in table().contexts.items() if _any(low, words)]
    return ",".join(found) or None


# --- actors ---------------------------------------------------------------------------------------------------


@cache
def _alpha3() -> dict[str, str]:
    from babel.core import get_global

    out: dict[str, str] = {}
    for alias, target in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(target) == 1:
            out.setdefault(target[0], alias)
    out.update(table().alpha3)
    return out


def alpha3(alpha2: str) -> str | None:
    return _alpha3().get(alpha2.upper())


def entity_code(entity_id: str | None, _depth: int = 0) -> str | None:
    """The PLOVER code of a canonical entity id, or None."""
    if not entity_id or _depth > 4:
        return None
    if entity_id in table().entities:
        return table().entities[entity_id]
    kind, _, rest = entity_id.partition(":")
    if kind == "country":
        return alpha3(rest)
    from extract.nlp.gazetteer import load_gazetteer

    entity = load_gazetteer().get(entity_id)
    if entity is None:
        return None
    if entity.parent:
        return entity_code(entity.parent, _depth + 1)
    if entity.metonym:
        return entity_code(entity.metonym, _depth + 1)
    return None


@cache
def _demonyms(lang: str) -> dict[str, str]:
    from extract.claims.clauses import demonym_table

    try:
        return demonym_table(lang)
    except Exception:  # noqa: BLE001 - a language without data has no demonyms
        return {}


def _found_codes(text: str, lang: str, places: bool = False) -> list[tuple[int, str]]:
    """(position, code) of every country, organisation or demonym named in ``text``, in text order; with
    ``places``, the cities and regions of ``[places.<lang>]`` too (``text`` is an actor's own phrase)."""
    from extract.nlp.gazetteer import load_gazetteer

    found = []
    for m in load_gazetteer().find(text, lang):
        code = entity_code(m.entity_id)
        if code:
            found.append((m.start, code))
    low = text.lower()
    names = table().names.get(lang, {})
    if places:
        names = {**table().places.get(lang, {}), **names}
    for name, code in names.items():
        if _CJK.search(name):
            found += [(at, code)] if (at := text.find(name)) >= 0 else []
        else:
            found += [(m.start(), code) for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", low)]
    demonyms = _demonyms(lang)
    if _CJK.search(text):
        for word, target in demonyms.items():
            at = text.find(word)
            if at >= 0:
                found.append((at, entity_code(target)))
    else:
        words = [(m.start(), m.group().removesuffix("'s").rstrip(".")) for m in re.finditer(r"[\w.'-]+", text.lower())]
        i = 0
        while i < len(words):
            at, word = words[i]
            pair = f"{word} {words[i + 1][1]}" if i + 1 < len(words) else ""
            target = demonyms.get(pair)
            if target:
                found.append((at, entity_code(target)))
                i += 2
                continue
            target = demonyms.get(word) or demonyms.get(word.removesuffix("-led"))
            if target:
                found.append((at, entity_code(target)))
            i += 1
        taken = {at for at, _ in found}
        # a misspelt or inflected name ("Ethopia", "Koreans"), not a person's given name ("Roland Dumas")
        for m in re.finditer(r"\b[A-Z][a-z]{4,}\b(?! [A-Z][a-z])", text):
            if m.start() not in taken and (code := _near_name(m.group().lower(), lang)):
                found.append((m.start(), code))
    return sorted((at, code) for at, code in found if code)


@cache
def _name_index(lang: str) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The one-word country names and demonyms of a language (six letters or more) and the forms with one letter
    deleted, each → code (None where two codes share a form)."""
    from extract.nlp.gazetteer import load_gazetteer

    names: dict[str, str] = {}
    for alias, entity_id in load_gazetteer().aliases.get(lang, {}).items():
        if entity_id.startswith("country:") and alias.isalpha() and len(alias) >= 6:
            names.setdefault(alias.lower(), entity_code(entity_id))
    for word, target in _demonyms(lang).items():
        if word.isalpha() and len(word) >= 6:
            names.setdefault(word.lower(), entity_code(target))
    exact: dict[str, str | None] = {k: v for k, v in names.items() if v}
    deleted: dict[str, str | None] = {}
    for name, code in exact.items():
        for i in range(len(name)):
            form = name[:i] + name[i + 1 :]
            deleted[form] = code if deleted.get(form, code) == code else None
    return exact, deleted


def _near_name(word: str, lang: str) -> str | None:
    """The code of the country name or demonym one letter away from ``word`` (a typo, a plural), if just one."""
    exact, deleted = _name_index(lang)
    if word in exact or len(word) < 5:
        return None
    found = {deleted[word]} if word in deleted else set()
    for i in range(len(word)):
        form = word[:i] + word[i + 1 :]
        found |= {exact[form]} if form in exact else set()
        found |= {deleted[form]} if form in deleted else set()
    return found.pop() if len(found) == 1 and None not in found else None


def _words_code(text: str, lang: str) -> str | None:
    """The code of the first country, organisation, demonym or place named in ``text`` (an actor's words)."""
    found = _found_codes(text, lang, places=True)
    return found[0][1] if found else None


_NP_STOP = re.compile(r"[,;:()\[\]{}\"“”]|\b(?:and|or|but|that|which|who|said|says|on|in|at|by|of the)\b", re.I)


def resolve(text: str | None, entity_id: str | None, sentence: str = "", lang: str = "en") -> str | None:
    """An actor's code: its entity, else the words of its name, else the title just before it in the sentence."""
    code = entity_code(entity_id)
    if code and text and sentence and not _CJK.search(text):
        # the name is the end of a longer one the mention cut ("North" + "Korean", "South" + "African")
        at = sentence.find(text)
        m = re.search(r"([A-Z][\w.-]*) $", sentence[max(0, at - 30) : at]) if at > 0 else None
        if m and len(wider := _found_codes(m.group(1) + " " + text, lang)) == 1 and wider[0][0] == 0:
            return wider[0][1]
    if code or not text:
        return code
    code = _words_code(text, lang)
    if code or not sentence:
        return code
    at = sentence.find(text)
    if at <= 0:
        return None
    before = sentence[max(0, at - 60) : at]
    if not _CJK.search(text):
        stops = list(_NP_STOP.finditer(before))
        if stops:
            before = before[stops[-1].end() :]
    elif "、" in before:
        before = before[before.rindex("、") + 1 :]
    found = _found_codes(before, lang) if before.strip() else []  # the title before it: no places
    return found[0][1] if found else None


# --- claims ---------------------------------------------------------------------------------------------------


def _coded(c: Claim, code: Code) -> Claim:
    return replace(
        c,
        plover_type=code.type,
        plover_mode=code.mode,
        plover_context=code.context,
        actor_code=code.actor,
        recipient_code=code.recipient,
    )


def code_claim(c: Claim, lang: str = "en", trigger: str = "") -> Code:
    """The PLOVER fields of a pledge, position or event claim, and of a count told of an act ("Britain deployed
    four jets"); tiers and bare counts have none."""
    if c.kind not in ("pledge", "position", "event") and not (c.kind == "quantity" and c.predicate != "count"):
        return Code()
    sentence = c.evidence.sentence
    words = " ".join(x for x in (trigger, c.object.text if c.object else "") if x)
    t, mode = classify(
        c.predicate,
        words,
        negated=c.polarity == "negative",
        modality=c.modality,
        pledge=c.kind == "pledge",
    )
    if t is None:
        return Code(context=context(sentence))
    actor = resolve(c.subject.text, c.subject.entity_id, sentence, lang) if c.subject else None
    recipient = None
    refs = [c.object] if c.object else []
    refs += [p for p in c.participants if c.subject is None or p != c.subject]
    for r in refs:
        code = resolve(r.text, r.entity_id, "", lang) if r.entity_id else None
        if code and code != actor:
            recipient = code
            break
    return Code(t, mode, context(sentence), actor, recipient)


def trigger_text(c: Claim, sentence_start: int | None) -> str:
    """The claim's trigger as written (its evidence offsets are document offsets)."""
    if sentence_start is None:
        return ""
    return c.evidence.sentence[c.evidence.start - sentence_start : c.evidence.end - sentence_start]


def annotate(claims: Sequence[Claim], analysis: Analysis) -> list[Claim]:
    """Claims with their PLOVER fields filled (the analysis gives the language and where sentences start)."""
    starts = {s.idx: s.start for s in analysis.sentences}
    out = []
    for c in claims:
        out.append(_coded(c, code_claim(c, analysis.lang, trigger_text(c, starts.get(c.evidence.sentence_idx)))))
    return out


# --- sentences ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceEvent:
    """The PLOVER event a sentence codes to, from its main clause."""

    sentence: int
    text: str
    code: Code
    predicate: str | None = None
    actors: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    trigger: int = -1  # where the event's trigger starts and ends in the sentence
    trigger_end: int = -1


def _own_cue(c, lang: str) -> bool:
    """The modality the clause layer gave is read off the clause's own phrasal trigger: "called up reservists" is
    no demand, "set tyres on fire" no plan (a one-word trigger such as "pledge" is the commitment itself)."""
    from extract import lang as langdata

    words = c.trigger_text.lower().split()
    if len(words) < 2:
        return False
    data = langdata.load(lang)
    cues = data.modality.get(c.modality, frozenset())
    if c.modality == "planned":
        cues = cues | data.words.get("future", frozenset())
    return any(words[0].startswith(cue) for cue in cues)


def _demand_put(c, lang: str) -> bool:
    """Whether a clause read as demanded is a demand: not for a rally, whose demand is its topic ("rallied to demand
    …": the manual codes the PROTEST)."""
    return base_type(c.predicate, c.trigger_text)[0] != "PROTEST"


def _container(c, clauses, lang: str) -> tuple[str, bool] | None:
    """(modality, negated) of an act named as a noun in the object of an act no predicate types, when that act
    is put as demanded, promised or planned: "called on Washington to resume negotiations" demands talks,
    "vowed to intensify their attacks" threatens attacks. An aspectual verb ("launched war games") tells its
    object as begun."""
    from extract import lang as langdata

    if not c.nominal or c.modality != "asserted":
        return None
    aspectual = langdata.load(lang).words.get("aspectual", frozenset())
    for o in clauses:
        verb = o.predicate.removeprefix("act:")
        if (
            o is not c
            and o.predicate.startswith("act:")
            and o.sentence.idx == c.sentence.idx
            and o.modality in (*INTENT_MODALITIES, "demanded")
            and o.object_text
            and c.trigger_text in o.object_text
            and verb not in aspectual
        ):
            return o.modality, o.negated
    return None


def _purpose(c) -> str:
    """The words of the clause after its object, up to the next comma: what the act is for ("sent paratroopers
    to Chad to protect the government": military protection is AID)."""
    if c.span is None or not c.object_text:
        return ""
    text = c.sentence.text
    at = text.find(c.object_text, c.trigger.start)
    if at < 0:
        return ""
    return text[at + len(c.object_text) : c.span.end].split(",")[0]


def _manner_only(c, lang: str) -> bool:
    """The clause is read as negated only for a "without" and a noun after its trigger ("ready to resume talks
    without preconditions", "attacked without warning"): that says how the act is done, not that it is not
    (``[cues.<lang>] manner``; "without firing a shot" negates the firing, a clause of its own)."""
    from extract import lang as langdata

    manner = table().cues.get(lang, {}).get("manner", frozenset())
    if not manner or not c.negated:
        return False
    text = c.sentence.text
    low = text.lower()
    words = langdata.load(lang).words.get("negation", frozenset()) - manner
    negation = [rf"(?<!\w){re.escape(w)}(?!\w)" if w[:1].isalpha() else re.escape(w) for w in words]
    before, after = low[: c.trigger.end], low[c.trigger.end :]
    if any(re.search(w, before) or re.search(w, after) for w in negation):
        return False
    return any(re.search(rf"(?<!\w){re.escape(w)}\s+(?!\w+ing\b)\w", after) for w in manner)


def _clause_code(c, clauses, lang: str) -> tuple[str | None, str | None]:
    from extract.lang import predicates

    negated, modality = c.negated, c.modality
    if _manner_only(c, lang):
        negated = False
    if (outer := _container(c, clauses, lang)) is not None:
        modality, negated = outer
    if modality != "asserted" and _own_cue(c, lang):
        modality = "asserted"
    if modality == "demanded" and not _demand_put(c, lang):
        modality = "asserted"
    if c.governor is not None:
        gov = clauses[c.governor]
        if predicates()[gov.predicate].negates_complement:
            negated = not negated
    words = " ".join(x for x in (c.trigger_text, c.object_text or "", _purpose(c)) if x)
    if c.governor is not None and not negated:
        gov = clauses[c.governor]
        if base_type(gov.predicate, gov.trigger_text)[0] == "THREATEN":
            # "threatened to break relations / impose a curfew / attack": a THREATEN whose mode is its content
            t, _ = base_type(c.predicate, words)
            tab = table()
            mode = tab.threat_mode.get(c.predicate) or tab.threat_mode.get(t or "", "")
            return "THREATEN", mode or base_type(gov.predicate, f"{gov.trigger_text} {words}")[1]
    return classify(c.predicate, words, negated=negated, modality=modality)


def _venue(text: str, at: int, lang: str) -> bool:
    """The name at ``at`` says where an act is done: it follows a preposition of ``[cues.<lang>] venue`` ("in New
    York", "at the U.N. headquarters in Geneva")."""
    venue = table().cues.get(lang, {}).get("venue", frozenset())
    words = re.findall(r"[\w.'-]+", text[:at].lower())
    while words and (words[-1] in ("the", "a") or not words[-1].isalpha()):
        words.pop()
    return bool(words) and words[-1] in venue


def _codes(mentions, sentence: str, lang: str, skip: Iterable[str] = ()) -> tuple[str, ...]:
    out: list[str] = []
    for m in mentions:
        code = resolve(m.text, m.entity_id, sentence, lang)
        if code and code not in out and code not in skip:
            out.append(code)
    return tuple(out)


def _governed(i: int, clauses: Sequence, typed: dict) -> bool:
    """A typed clause governs this one: "demanded that X" is the demand, but "agreed to X" and "refused to X"
    give the complement (as the claim rules do)."""
    from extract.lang import predicates

    c = clauses[i]
    for j in (c.governor, c.under):
        if j is not None and j in typed:
            consumes = predicates()[clauses[j].predicate].consumes_complement
            return not (consumes and j == c.governor and clauses[j].predicate not in table().own_act)
    return False


def _consumed(i: int, clauses: Sequence, typed: dict) -> bool:
    """This stance gives its typed complement instead of itself ("agreed to withdraw")."""
    from extract.lang import predicates

    if not predicates()[clauses[i].predicate].consumes_complement or clauses[i].predicate in table().own_act:
        return False
    return any(clauses[k].governor == i for k in typed if k != i)


def _typed(members: Iterable[int], clauses: Sequence, lang: str, strict: bool = True) -> dict[int, tuple]:
    """Clauses of a sentence with a PLOVER type: index → (type, mode). Not strict, an if-clause or a participle
    ("activists protested outside …" parsed as one) is the sentence's event when it has no other."""
    typed = {}
    for i in members:
        c = clauses[i]
        if c.family == "count" or (strict and (c.describes or c.conditional)):
            continue
        t, mode = _clause_code(c, clauses, lang)
        if t:
            typed[i] = (t, mode)
    return typed


def code_clauses(clauses: Sequence, lang: str) -> list[SentenceEvent]:
    """One event per sentence that has a typed clause: the first clause no other typed clause governs."""
    from extract import lang as langdata

    head_final = langdata.load(lang).head_final
    by_sentence: dict[int, list[int]] = {}
    for i, c in enumerate(clauses):
        by_sentence.setdefault(c.sentence.idx, []).append(i)
    events = []
    for idx, members in sorted(by_sentence.items()):
        typed = _typed(members, clauses, lang)
        loose = _typed(members, clauses, lang, strict=False)
        for i in list(typed):  # a clause another one hangs from is no if-clause ("rejected …, urging …")
            for j in (clauses[i].governor, clauses[i].under):
                if j is not None and j in loose and j not in typed:
                    typed[j] = loose[j]
        if not typed:  # an if-clause is the sentence's event only when it has no other ("provided" read as "if")
            typed = loose
        if not typed:
            continue

        order = [i for i in typed if not _governed(i, clauses, typed) and not _consumed(i, clauses, typed)]
        order = order or list(typed)
        # the main verb comes first in English, last in a head-final language (「…を解除した」)
        sign = -1 if head_final else 1
        main = min(order, key=lambda i: (clauses[i].purpose, sign * clauses[i].trigger.start))
        c = clauses[main]
        t, mode = typed[main]
        text = c.sentence.text
        actors = _codes(sorted(c.agents, key=lambda m: text.find(m.text)), text, lang)  # in text order
        if not actors:  # an agent the parse missed or the gazetteer does not know: the first actor (or seat of
            # government: "Downing Street accused …") named before
            actors = tuple(dict.fromkeys(code for _, code in _found_codes(text[: c.trigger.start], lang, True)))[:1]
        if not actors:  # else the sentence's first actor (a domestic event names its country once)
            actors = tuple(code for _, code in _found_codes(text, lang))[:1]
        if t in ("CONSULT", "COOPERATE") and len(actors) > 1:  # reciprocal: the other side, not the venue
            recipients = actors[1:2]
        else:  # the first actor named in the object phrase ("aid to Albanian rebels in Macedonia")
            named = [code for _, code in _found_codes(c.object_text, lang)] if c.object_text else []
            venues = []
            if len(actors) > 1 and c.object_text:  # joint actors: where they act is no side ("… signed … in New York")
                venues = [code for at, code in _found_codes(c.object_text, lang) if _venue(c.object_text, at, lang)]
                named = [code for code in named if code not in venues]
            recipients = tuple(dict.fromkeys(x for x in named if x not in actors)) or _codes(
                c.objects, text, lang, skip=(*actors, *venues)
            )
        if not recipients:  # the first other actor named after the trigger
            rest = text if head_final else text[c.trigger.end :]  # 「…に…を要求した」: before the verb
            after = [
                code
                for at, code in _found_codes(rest, lang)
                if code not in actors and not (len(actors) > 1 and _venue(rest, at, lang))
            ]
            recipients = tuple(after[:1])
        if not recipients and len(actors) > 1:  # joint actors ("X and Y met"): the other side
            recipients = actors[1:2]
        if not recipients:  # the addressee named before the act ("called on China to release …")
            recipients = tuple(code for _, code in _found_codes(text, lang) if code not in actors)[:1]
        if not recipients and actors and len({code for _, code in _found_codes(text, lang)} - set(actors)) == 0:
            recipients = actors[:1]  # a domestic event: the only country named is both sides (manual, GSR)
        code = Code(
            t, mode, context(c.sentence.text), actors[0] if actors else None, recipients[0] if recipients else None
        )
        events.append(
            SentenceEvent(idx, c.sentence.text, code, c.predicate, actors, recipients, c.trigger.start, c.trigger.end)
        )
    return events


def _depth(t) -> int:
    n = 0
    while t.head.i != t.i and n < 50:
        t, n = t.head, n + 1
    return n


def _token_codes(tokens, sentence: str, lang: str, skip: Iterable[str] = ()) -> tuple[str, ...]:
    out: list[str] = []
    for t in tokens:
        phrase = sentence[
            t.left_edge.idx - t.sent.start_char : t.right_edge.idx - t.sent.start_char + len(t.right_edge)
        ]
        for _, code in _found_codes(phrase, lang, places=True):
            if code not in out and code not in skip:
                out.append(code)
    return tuple(out)


def _entry(lexicon: dict, t) -> tuple[str, str] | None:
    """The lexicon entry of a verb: its phrasal form first ("blow up", "pull out"), then its lemma or form."""
    for x in t.children:
        if x.dep_ == "prt" and (entry := lexicon.get(f"{t.lemma_.lower()} {x.lower_}")):
            return entry
    entry = lexicon.get(t.lemma_.lower()) or lexicon.get(t.lower_)
    if entry is None and not _CJK.search(t.text):  # a lemma the tagger got wrong ("staged" → "stag")
        entry = next((lexicon[f] for f in _forms(t.lower_)[1:] if len(f) > 2 and f in lexicon), None)
    return entry


def _subtree_text(t, sentence: str) -> str:
    start = t.left_edge.idx - t.sent.start_char
    return sentence[start : t.right_edge.idx - t.sent.start_char + len(t.right_edge)]


def _in(t, words: frozenset[str]) -> bool:
    return t.lemma_.lower() in words or t.lower_ in words


def _obligation(span, cues: dict[str, frozenset[str]], deps: tuple[str, ...]):
    """(speaker verb, obliged verb) of "X said (that) Y must / should …": a demand put as what another must do
    (REQUEST; the manual: "all requests, demands, and orders"), or None."""
    speech, must = cues.get("speech", frozenset()), cues.get("obligation", frozenset())
    for v in span:
        if v.pos_ not in ("VERB", "AUX") or not any(_in(x, must) for x in v.children if x.dep_ in ("aux", "aux:pass")):
            continue
        head = v
        while head.dep_ in deps and head.head.i != head.i:
            head = head.head
            if _in(head, speech):
                return head, v
    return None


def _intent_cue(t, cues: dict[str, frozenset[str]]) -> bool:
    """The act is put as a willingness, readiness or proposal ("expressed willingness to mediate", "proposed a
    summit"): the words of ``[cues.<lang>] intent`` among the two words it hangs from."""
    intent = cues.get("intent", frozenset())
    for _ in range(2):
        if t.head.i == t.i:
            return False
        t = t.head
        if _in(t, intent):
            return True
    return False


def code_by_words(analysis: Analysis, sentence) -> SentenceEvent | None:
    """The sentence's verb closest to the root whose lemma the manual's definitions name (``[words.<lang>]`` of
    plover.toml; a ``@predicate`` entry is typed by that predicate's rules on the verb's phrase), put as the parse
    puts it (future, negated), with its subject as the actor and its object as the recipient; a verb that
    another must do in what a speaker says is the speaker's REQUEST; with no such verb, a noun of
    ``[nouns.<lang>]`` ("in a protest over fuel taxes")."""
    from extract import lang as langdata

    tab = table()
    lexicon = tab.words.get(analysis.lang)
    span = analysis.span_of(sentence) if lexicon else None
    if span is None:
        return None
    data = langdata.load(analysis.lang)
    cues = tab.cues.get(analysis.lang, {})
    future = data.words.get("future", frozenset()) | data.modality.get("planned", frozenset())
    negation = data.words.get("negation", frozenset())
    text = sentence.text
    subject_deps = data.parse.get("subject", ())
    object_deps = data.parse.get("object", ()) + data.parse.get("oblique", ())
    condition = cues.get("condition", frozenset())
    typed = _typed_tokens([(t, _entry(lexicon, t)) for t in span if t.pos_ == "VERB"], text)
    # a verb of an if-clause is what the event depends on: the event only when there is no other
    unconditional = {
        i: (t, code)
        for i, (t, code) in typed.items()
        if not any(_in(x, condition) for x in t.children if x.dep_ == "mark")
    }
    only_conditional = bool(typed) and not unconditional
    typed = unconditional or typed
    obliged = _obligation(span, cues, data.parse.get("complement", ()) + data.parse.get("clause", ()))
    if obliged is not None and (not typed or _depth(obliged[0]) <= min(_depth(t) for t, _ in typed.values())):
        speaker, verb = obliged
        t = _typed_tokens([(verb, _entry(lexicon, verb))], text).get(verb.i, (None, ("",)))[1][0]
        actors = _token_codes(_subjects(speaker, subject_deps), text, analysis.lang)
        actors = actors or tuple(code for _, code in _found_codes(text, analysis.lang))[:1]
        recipients = _token_codes([x for x in verb.children if x.dep_ in subject_deps], text, analysis.lang, actors)
        recipients = recipients or tuple(c for _, c in _found_codes(text, analysis.lang) if c not in actors)[:1]
        recipients = recipients or actors[:1]  # a domestic demand: the only country named is both sides
        code = Code(
            "REQUEST",
            tab.refusal.get(t or "", "change"),
            context(text),
            actors[0] if actors else None,
            recipients[0] if recipients else None,
        )
        return SentenceEvent(sentence.idx, text, code, None, actors, recipients, speaker.idx - span.start_char)
    if not typed:  # a verb the tagger did not tag as one, then a noun ("in a protest over fuel taxes")
        typed = _typed_tokens(_fallback(span, lexicon), text)
    if not typed:
        nouns = tab.nouns.get(analysis.lang, {})
        typed = _typed_tokens([(t, _entry(nouns, t)) for t in span if t.pos_ in ("NOUN", "PROPN")], text)
    if not typed:
        return None
    # how the verb is put: its own auxiliaries and the verb it is the complement of, not what is coordinated with
    # it or its objects ("looted shops and set fire to cars": no "set to"); an act put as not done is no event, and
    # the next verb down the parse is read ("did not attack the town but shelled its outskirts")
    skip = set(data.parse.get("coordination", ())) | set(object_deps)
    for head, (t, mode) in sorted(typed.values(), key=lambda x: (_depth(x[0]), x[0].i)):
        # a verb hanging from it is another act ("rampaged …, setting fire to cars": no "set to")
        near = [x for x in head.children if x.dep_ not in skip and x.pos_ != "VERB"]
        near += [head.head] if head.dep_ in data.parse.get("control", ()) else []
        planned = any(_in(x, future) for x in near) or _intent_cue(head, cues)
        if only_conditional and head.head.i != head.i:
            # an act only named as the condition of one said to come ("would turn Seoul into a sea of fire if war
            # broke out"): the act is put as what will follow, a threat if it is hostile
            planned = planned or any(_in(x, future) for x in head.head.children)
        modality = "planned" if planned else "asserted"
        negated = any(x.lower_ in negation for x in head.children)
        t, mode = put(t, mode or None, negated=negated, modality=modality)
        if t is not None:
            break
    if t is None:
        return None
    subjects = _subjects(head, subject_deps)
    agents = [y for x in head.children if x.dep_ in data.parse.get("agent", ()) for y in x.children]
    actors = _token_codes(agents or subjects, text, analysis.lang)
    actors = actors or tuple(code for _, code in _found_codes(text, analysis.lang))[:1]
    objects = [x for x in head.children if x.dep_ in object_deps]
    if len(actors) > 1:  # joint actors: where they act is no side ("… signed an accord in New York")
        objects = [x for x in objects if x.lower_ not in cues.get("venue", frozenset())]
    if agents:  # passive: "was attacked by X" — the subject is the recipient
        objects = [x for x in head.children if x.dep_ in data.parse.get("passive_subject", ())] + objects
    recipients = _token_codes(objects, text, analysis.lang, skip=actors)
    if not recipients and len(actors) > 1:  # joint actors ("X and Y held talks"): the other side
        recipients = actors[1:2]
    if not recipients:
        others = [code for _, code in _found_codes(text, analysis.lang) if code not in actors]
        recipients = tuple(others[:1]) or actors[:1]
    code = Code(t, mode or None, context(text), actors[0] if actors else None, recipients[0] if recipients else None)
    return SentenceEvent(sentence.idx, text, code, None, actors, recipients, head.idx - span.start_char)


def _typed_tokens(pairs, text: str) -> dict[int, tuple]:
    """token index → (token, (type, mode)) of the tokens whose lexicon entry types them (an "@predicate" entry by
    that predicate's rules on the token's phrase; one that matches none of them names no event)."""
    out = {}
    for t, entry in pairs:
        if not entry:
            continue
        if entry[0].startswith("@"):
            entry = base_type(entry[0][1:], _subtree_text(t, text))
        if entry[0]:
            out[t.i] = (t, (entry[0], entry[1] or ""))
    return out


def _subjects(head, deps) -> list:
    """The verb's subject; for a pronoun or none, the subject of the verb it hangs from ("Belgrade said it would
    shoot down …", "vowed to retaliate": the sayer, the vower)."""
    t = head
    for _ in range(4):
        subjects = [x for x in t.children if x.dep_ in deps]
        if subjects and any(x.pos_ != "PRON" for x in subjects):
            return subjects
        if t.head.i == t.i:
            break
        t = t.head
    return [x for x in head.children if x.dep_ in deps]


def _forms(w: str) -> list[str]:
    """The form and the form less an ending (-s, -es, -ed, -d, -ing, a doubled consonant)."""
    forms = [w]
    for ending, stems in (("ing", ("", "e")), ("ed", ("", "e")), ("es", ("",)), ("s", ("",)), ("d", ("",))):
        if w.endswith(ending):
            stem = w[: -len(ending)]
            forms += [stem + x for x in stems]
            forms += [stem[:-1]] if len(stem) > 3 and stem[-1] == stem[-2] else []  # "shelled", "shipping"
    return forms


def _fallback(span, lexicon: dict) -> list:
    """Tokens a lexicon names under a form the tagger did not give as a verb or lemma ("shelled" read as an
    adjective): the form, and the form less an ending (-s, -es, -ed, -d, -ing, a doubled consonant)."""
    out = []
    for t in span:
        if t.pos_ in ("PROPN", "PUNCT", "NUM", "DET", "ADP", "PRON"):
            continue
        forms = _forms(t.lower_)
        if any(len(f) > 2 and f in lexicon for f in forms):
            out.append((t, next(lexicon[f] for f in forms if len(f) > 2 and f in lexicon)))
    return out


def _attribution(at, span, lang: str, cues: dict[str, frozenset[str]]) -> list[tuple[int, int]]:
    """Where the sentence names its source rather than a party (", Thai military sources said", "according to
    Pentagon sources", 「…によると」): sentence offsets."""
    from extract import lang as langdata

    data = langdata.load(lang)
    text, base = span.text, span.start_char
    out = []
    root = span.root
    said = _in(root, cues.get("speech", frozenset()) | cues.get("report", frozenset()))
    if said and root.i != at.i and (root.i > at.i) != data.head_final:  # the saying comes after the act
        for x in root.children:
            if x.dep_ in data.parse.get("subject", ()):
                out.append((x.left_edge.idx - base, x.right_edge.idx - base + len(x.right_edge)))
    low = text.lower()
    for phrase in cues.get("attribution", ()):
        i = low.find(phrase)
        if i < 0:
            continue
        if data.head_final:
            start = max(low.rfind(c, 0, i) for c in "、,") + 1
            out.append((start, i + len(phrase)))
        else:
            ends = [j for j in (low.find(c, i) for c in ",;") if j >= 0]
            out.append((i, min(ends) if ends else len(low)))
    return out


def _parties(e: SentenceEvent, at, span, lang: str, cues: dict[str, frozenset[str]]) -> SentenceEvent:
    """The actor and recipient read again off the parse: the agent of a passive ("was attacked by X") is the
    actor and its subject the recipient; a party named only where the sentence names its source is none."""
    from extract import lang as langdata

    data = langdata.load(lang)
    text = span.text
    actor, recipient = e.code.actor, e.code.recipient
    if actor is None:  # no state named: a place the sentence names ("riots erupted in Bombay")
        actor = next((code for _, code in _found_codes(text, lang, places=True)), None)
        recipient = recipient or actor
    agents = [y for x in at.children if x.dep_ in data.parse.get("agent", ()) for y in x.children]
    if agents and (codes := _token_codes(agents, text, lang)):
        passive = [x for x in at.children if x.dep_ in data.parse.get("passive_subject", ())]
        actor = codes[0]
        recipient = next(iter(_token_codes(passive, text, lang, skip=codes)), recipient)
        recipient = None if recipient == actor else recipient
    passive = [x for x in at.children if x.dep_ in data.parse.get("passive_subject", ())]
    if not agents and passive and (done_to := _token_codes(passive, text, lang)) and actor in done_to:
        # a passive with no agent ("an American tourist has been charged in Italy"): its subject is done to, and
        # the state where it is done acts, if another is named
        others = [code for code in _token_codes(list(at.children), text, lang) if code not in done_to]
        recipient = done_to[0]
        actor = others[0] if others else actor
    ranges = _attribution(at, span, lang, cues)
    if ranges:
        found = _found_codes(text, lang)
        outside = [code for pos, code in found if not any(a <= pos < b for a, b in ranges)]
        inside = {code for pos, code in found if any(a <= pos < b for a, b in ranges)}
        if actor in inside and actor not in outside and outside:
            actor = outside[0]
        if recipient in inside and recipient not in outside:
            others = [code for code in outside if code != actor]
            recipient = others[0] if others else (actor or recipient)
    if (actor, recipient) == (e.code.actor, e.code.recipient):
        return e
    return replace(e, code=replace(e.code, actor=actor, recipient=recipient))


def _by_protesters(at, span, lang: str, cues: dict[str, frozenset[str]]) -> bool:
    """The act's subject names protesters, rioters or a crowd (``[cues.<lang>] protesters``)."""
    from extract import lang as langdata

    deps = langdata.load(lang).parse.get("subject", ())
    words = cues.get("protesters", ())
    return any(_any(_subtree_text(t, span.text).lower(), words) for t in _subjects(at, deps))


def _armed_subject(at, span, lang: str, cues: dict[str, frozenset[str]]) -> bool:
    """The act's subject is a weapon or what carries one (``[cues.<lang>] weapons``: "warplanes", "tanks")."""
    from extract import lang as langdata

    deps = langdata.load(lang).parse.get("subject", ())
    words = cues.get("weapons", ())
    return any(_any(_subtree_text(t, span.text).lower(), words) for t in _subjects(at, deps))


def _coercion(text: str, at: int, cues: dict[str, frozenset[str]], head_final: bool = False) -> bool:
    """Force short of war the records code as COERCE, as CAMEO (the manual's table: 17 COERCE) does: police or
    troops using force on protesters (175 violent repression), or property blown up, demolished or burnt (1712
    destroy property), with nobody named killed or hurt and no firearm, shell or air strike named (those the
    manual's ASSAULT modes name). ``at``: where the trigger starts."""
    low = text.lower()
    if _any(low, cues.get("casualties", ())) or _any(low, cues.get("weapons", ())):
        return False  # anyone killed or hurt, or shot at, shelled or bombed from the air: ASSAULT
    agents = [m.start() for w in cues.get("repression_agents", ()) for m in re.finditer(re.escape(w), low)]
    targets = [m.start() for w in cues.get("repression_targets", ()) for m in re.finditer(re.escape(w), low)]
    if agents and targets and min(agents) < max(targets):
        return True
    property_named = _any(low[:at] if head_final else low[at:], cues.get("property", ()))
    return property_named and _any(low, cues.get("property_acts", ()))


def _rally(at, w: SentenceEvent | None, span, cues: dict[str, frozenset[str]]) -> str | None:
    """A call on others to back a third party is SUPPORT, to unite or act against one ACCUSE (CAMEO 053 rally
    support on behalf of, 113 rally opposition against; the manual's table: 05 → SUPPORT, 11 → ACCUSE)."""
    heads = [at] + ([_token_at(span, w.trigger)] if w is not None and w.trigger >= 0 else [])
    for head in heads:
        for x in head.subtree:
            if x.i == head.i or x.pos_ not in ("VERB", "NOUN") or x.head.i == x.i:
                continue
            first = x
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head  # "to unite and mobilize against": the first of the verbs joined
            if first.head.i != head.i and first.head.pos_ == "VERB" and first.i != head.i:
                continue  # "demanded that Pakistan stop supporting militants": what another verb governs
            against = any(_in(y, cues.get("against", frozenset())) for y in x.children)
            if (_in(x, cues.get("rally_against", frozenset())) and against) or _in(
                x, cues.get("rally_oppose", frozenset())
            ):
                return "ACCUSE"
            if _in(x, cues.get("rally_support", frozenset())) and x.dep_ in ("xcomp", "ccomp"):
                return "SUPPORT"
    return None


def _token_at(span, start: int, end: int = -1):
    """The token of the span closest to the root among those from ``start`` to ``end`` (sentence offsets)."""
    inside = [t for t in span if start <= t.idx - span.start_char < max(end, start + 1)]
    if not inside:
        inside = [t for t in span if t.idx - span.start_char >= start][:1]
    return min(inside, key=_depth) if inside else None


def _phrase_type(text: str, lang: str) -> tuple[str, str] | None:
    """A set phrase of ``[phrases.<lang>]`` that puts the sentence's act ("is out of the question")."""
    low = text.lower()
    for words, code in table().phrases.get(lang, {}).items():
        if _has(low, words):
            return code
    return None


def code_sentences(analysis: Analysis) -> list[SentenceEvent]:
    """The PLOVER event of each sentence of an analysis that codes to one: its main clause, unless the verb the
    words of the manual's definitions name sits closer to the root of the parse ("asked Britain to extradite …"
    is the asking); a set phrase of ``[phrases.<lang>]`` puts the act as it says."""
    from extract import lang as langdata
    from extract.claims.clauses import build_clauses

    cues = table().cues.get(analysis.lang, {})
    events = {e.sentence: e for e in code_clauses(build_clauses(analysis, None), analysis.lang)}
    for s in analysis.sentences:
        e = events.get(s.idx)
        w = code_by_words(analysis, s)
        span = analysis.span_of(s)
        at = (
            _token_at(span, e.trigger, e.trigger_end) if e is not None and span is not None and e.trigger >= 0 else None
        )
        w_at = _token_at(span, w.trigger) if w is not None and span is not None else None
        if w is not None and (
            e is None
            or at is None
            or _depth(w_at) < _depth(at)
            # a demand made by demonstrating is a PROTEST (manual, REQUEST: "demands that take the form of
            # demonstrations, protests, etc. are coded as PROTEST")
            # the same verb read by what it is said of: protesters clashing with police riot (PROTEST riot)
            or (w_at.i == at.i and w.code.type == "PROTEST" and e.code.type in ("REQUEST", "CONSULT", "ASSAULT"))
        ):
            e, at = w, w_at
        elif (
            e is not None
            and at is not None
            and table().intent.get(e.code.type or "") == "AGREE"
            and _intent_cue(at, cues)
        ):
            e = replace(e, code=replace(e.code, type="AGREE", mode=None))
        if e is not None and e.code.type == "REQUEST" and at is not None and (rallied := _rally(at, w, span, cues)):
            e = replace(e, code=replace(e.code, type=rallied, mode="disapprove" if rallied == "ACCUSE" else None))
        if (
            e is not None
            and e.code.type == "ASSAULT"
            and at is not None
            and _coercion(s.text, at.idx - span.start_char, cues, langdata.load(analysis.lang).head_final)
        ):
            e = replace(e, code=replace(e.code, type="COERCE", mode=None))
        if (
            e is not None
            and e.code.type == "ACCUSE"
            and at is not None
            and at.pos_ == "NOUN"
            and _in(at.head, cues.get("done_in", frozenset()))
            and _in(at, cues.get("done_in_protest", frozenset()))
        ):
            # an act done "in protest" that no word types ("drove their tractors onto the highways in protest at
            # falling prices"): a collective action carried out as a protest (PROTEST demo)
            e = replace(e, code=replace(e.code, type="PROTEST", mode="demo"))
        if (
            e is not None
            and e.code.type == "COERCE"
            and at is not None
            and _armed_subject(at, span, analysis.lang, cues)
        ):
            # a raid, search or seizure by warplanes, tanks or gunships is force (ASSAULT), not a police act
            e = replace(e, code=replace(e.code, type="ASSAULT", mode=None))
        if (
            e is not None
            and e.code.type == "ASSAULT"
            and at is not None
            and _by_protesters(at, span, analysis.lang, cues)
        ):
            # violence by protesters is a riot (PROTEST riot: "distinct, continuous and violent action directed
            # toward members of a distinct 'other' group or government authorities")
            e = replace(e, code=replace(e.code, type="PROTEST", mode="riot"))
        if e is not None and e.code.type == "MOBILIZE" and len(e.actors) > 1:
            # "joint military operations are coded as COOPERATE but single-country exercises as MOBILIZE" (manual)
            e = replace(e, code=replace(e.code, type="COOPERATE", mode=None))
        if e is not None and at is not None:
            e = _parties(e, at, span, analysis.lang, cues)
        if (phrase := _phrase_type(s.text, analysis.lang)) is not None:
            if e is None:  # no verb the lexicon knows: the actors named, in text order
                named = tuple(dict.fromkeys(code for _, code in _found_codes(s.text, analysis.lang)))
                e = SentenceEvent(s.idx, s.text, Code(actor=named[0] if named else None), None, named[:1], named[1:2])
                e = replace(e, code=replace(e.code, recipient=named[1] if len(named) > 1 else None))
            e = replace(e, code=replace(e.code, type=phrase[0], mode=phrase[1] or None, context=context(s.text)))
        if e is not None:
            events[s.idx] = e
    return [events[i] for i in sorted(events)]


# --- export ---------------------------------------------------------------------------------------------------


def _entity(code: str | None, text: str | None, entity_id: str | None) -> dict:
    out: dict = {"code": code}
    if text:
        out["entity_text"] = text
    if entity_id:
        out["identifier_id"] = entity_id
    return out


def records(
    claims: Sequence[Claim],
    lang: str,
    *,
    doc_id: str,
    starts: dict[int, int] | None = None,
    published=None,
    source: str = "",
    ids: Sequence[str] | None = None,
) -> list[dict]:
    """PLOVER JSON records (the manual's field names) of the claims that have a PLOVER type, with provenance.

    ``starts``: where each sentence starts in the document (for the trigger text); ``ids``: record ids (the
    store's claim ids), else ``<doc_id>-<n>``."""
    from datetime import date as _date

    from extract.version import EXTRACTOR_VERSION

    starts = starts or {}
    out = []
    for i, c in enumerate(claims):
        if not c.plover_type:
            continue
        refs = list(c.participants) or ([c.subject] if c.subject else [])
        actor = [
            _entity(
                c.actor_code if a == c.subject else resolve(a.text, a.entity_id, c.evidence.sentence, lang),
                a.text,
                a.entity_id,
            )
            for a in refs
        ]
        recipient = []
        if c.recipient_code:
            ref = c.object if c.object and entity_code(c.object.entity_id) == c.recipient_code else None
            recipient = [_entity(c.recipient_code, ref.text if ref else None, ref.entity_id if ref else None)]
        when = c.time.start if c.time and c.time.start == c.time.end else published
        trigger = trigger_text(c, starts.get(c.evidence.sentence_idx))
        out.append(
            {
                "id": ids[i] if ids else f"{doc_id}-{i:04d}",
                "date": when.isoformat() if isinstance(when, _date) else None,
                "actor": actor,
                "recipient": recipient,
                "event": [c.plover_type],
                "mode": [c.plover_mode] if c.plover_mode else [],
                "context": c.plover_context.split(",") if c.plover_context else [],
                "event_text": [trigger] if trigger else [],
                "text": c.evidence.sentence,
                "language": lang,
                "coder": f"extract {EXTRACTOR_VERSION}",
                "coded_date": _date.today().isoformat(),
                "source": source,
                "claim": {
                    "kind": c.kind,
                    "predicate": c.predicate,
                    "polarity": c.polarity,
                    "modality": c.modality,
                    "subject_id": c.subject.entity_id if c.subject else None,
                    "object": c.object.text if c.object else None,
                    "object_id": c.object.entity_id if c.object else None,
                    "time": c.time.iso if c.time else None,
                    "sentence_idx": c.evidence.sentence_idx,
                    "evidence_start": c.evidence.start,
                    "evidence_end": c.evidence.end,
                    "confidence": c.confidence,
                    "extractor": c.extractor,
                },
            }
        )
    return out


def _stored(row: dict) -> Claim:
    """A stored claim with the PLOVER codes of its columns (migration 10)."""
    c = keys.as_claim(row)  # the stored columns, rebuilt as the key rules rebuild them
    return _coded(
        c,
        Code(
            *(row.get(col) for col in ("plover_type", "plover_mode", "plover_context", "actor_code", "recipient_code"))
        ),
    )


def _sentence_starts(rows: Iterable[tuple]) -> dict[str, dict[int, int]]:
    starts: dict[str, dict[int, int]] = {}
    for version_id, idx, start in rows:
        starts.setdefault(version_id, {})[idx] = start
    return starts


def stored_codes(con) -> list[tuple]:
    """(claim_id, type, mode, context, actor, recipient) of every stored pledge, position, event and act-count
    claim, coded from its columns (the backfill of migration 10, for claims stored before the codes were)."""
    starts = _sentence_starts(con.execute("SELECT version_id, idx, start_char FROM sentences").fetchall())
    cur = con.execute(
        "SELECT c.*, v.lang AS doc_lang FROM claims c JOIN versions v USING (version_id) "
        "WHERE c.kind IN ('pledge', 'position', 'event') OR (c.kind = 'quantity' AND c.predicate <> 'count')"
    )
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = dict(zip(names, values, strict=True))
        c = keys.as_claim(row)
        trigger = trigger_text(c, starts.get(row["version_id"], {}).get(c.evidence.sentence_idx))
        code = code_claim(c, row.get("doc_lang") or "en", trigger)
        out.append((row["claim_id"], code.type, code.mode, code.context, code.actor, code.recipient))
    return out


def export_store(store) -> Iterable[dict]:
    """PLOVER records of every stored claim, from the stored PLOVER columns and the sentence offsets of the
    ``sentences`` table."""
    rows = store.claims()
    starts = _sentence_starts(store.query("SELECT version_id, idx, start_char FROM sentences")[1])
    by_version: dict[str, list[dict]] = {}
    for row in rows:
        by_version.setdefault(row["version_id"], []).append(row)
    for version_id, group in by_version.items():
        yield from records(
            [_stored(row) for row in group],
            group[0].get("lang") or "en",
            doc_id=group[0].get("doc_id") or version_id,
            starts=starts.get(version_id, {}),
            published=group[0].get("published"),
            source=group[0].get("source") or "",
            ids=[row["claim_id"] for row in group],
        )
