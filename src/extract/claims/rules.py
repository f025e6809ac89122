"""Claim rules: clauses → typed claims, then the tier ladder and de-duplication.

The rules read only clauses (``clauses.build_clauses``) and the predicate inventory
(``lang/predicates.toml``); nothing here depends on the language:

- a **stance** ("rejects the guarantees", 「要求した」) is a position of each agent; a stance that consumes a
  commitment ("agreed to halt strikes", "ruled out sending troops") gives the commitment instead;
- a **commitment** is a pledge when it is put as future, planned, possible, offered, intended or agreed; a
  refusal (family pledge, kind position) when negated or refused; an event when told as done with a date
  or a count ("Russia released 157 POWs on 5 February"); otherwise nothing (a past act with no date is
  background, not a claim);
- an **event** (meetings, signings, announcements, visits, attacks) needs a date, a venue or an actor;
- a **count** is a quantity claim of its clause's agent, unless another claim of the sentence carries it;
- agents that act together (meetings, exchanges, "in total") make one claim with joint participants;
  otherwise each agent gets its own claim ("Croatia and Czechia will not send troops").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from extract.claims import plover, tiers
from extract.claims.clauses import Clause, build_clauses
from extract.lang import predicates
from extract.model import Claim, EntityRef, Evidence, Mention, Window
from extract.nlp.analyse import Analysis
from extract.version import EXTRACTOR_VERSION

_TENTATIVE_GOVERNORS = {"ready": "offered", "accept": "agreed", "agree": "agreed", "demand": "demanded"}


def extract_claims(analysis: Analysis, published: date | None = None) -> list[Claim]:
    """All claims of a document, in text order."""
    clauses = build_clauses(analysis, published)
    governing = {c.governor for c in clauses if c.governor is not None}
    claims: list[Claim] = []
    for i, clause in enumerate(clauses):
        claims += clause_claims(clause, clauses, consumed=i in governing)
    claims = _quantity_claims(clauses, claims)
    claims = tiers.apply(analysis, clauses, claims)
    claims = _merge_events(_recent(claims, published))
    return plover.annotate(_dedupe(claims), analysis)


def clause_claims(c: Clause, clauses: list[Clause], consumed: bool = False) -> list[Claim]:
    pred = predicates()[c.predicate]
    if c.heading:
        return []
    if c.family == "stance":
        if consumed and pred.consumes_complement:
            return []  # the governed commitment is the claim
        if c.conditional:
            return []
        return _claims(c, "position", polarity="negative" if c.negated else "positive", confidence=0.7)
    if c.family == "count":
        return []  # counts become claims in _quantity_claims
    if c.about is not None:
        return []  # another actor's act that a stance is about: the stance is the claim
    if c.family == "event":
        if consumed and pred.consumes_complement and not _dated_apart(c, clauses) and not _denied(c, clauses):
            return []  # "agreed to halt strikes": the halt is the claim
        boss = clauses[c.under] if c.under is not None else None
        if (
            boss is not None
            and c.governor is None
            and not _generic(boss)
            and (boss.family == "commitment" or predicates()[boss.predicate].consumes_complement)
        ):
            return []  # 「攻撃を停止」: the attack is what is halted, not an event
        governed = c.governor is not None and predicates()[clauses[c.governor].predicate].consumes_complement
        undated_plan = c.modality in ("planned", "possible") and c.time is None and not c.nominal
        # "will convene a committee by the end of April": a deadline makes a planned event a commitment
        undated_plan = undated_plan or (c.modality in ("planned", "possible") and c.time_bound == "within")
        # 「合意には至らなかった」: an agreement's own word puts no modality on its denial
        own = c.modality == "agreed" and c.governor is None and pred.collective
        if governed or undated_plan or (c.negated and c.modality not in ("asserted", "unclear") and not own):
            return _commitment(c, clauses, pred)  # "agreed to hold talks", "will meet again soon", "will not sign"
        placed = c.time is not None and c.location is not None
        counted = c.nominal and c.past and c.quantity is not None and c.trigger_text in c.quantity.text
        if (
            _only_describes(c)
            or not (c.agents or placed)
            or ((pred.dated or c.nominal) and not (c.time or c.location or counted))
        ):
            return []  # "carried out 73 strikes" is dated by its count
        if (
            c.predicate == "announce"
            and c.time is None
            and any(o.under is not None and clauses[o.under] is c and not o.nominal for o in clauses)
        ):
            return []  # "announced that it will…", 「…すると発表」: the announced act is the claim, unless dated
        modality = c.modality if c.modality in ("planned", "possible", "unclear") else "asserted"
        return _claims(
            c,
            "event",
            polarity="negative" if c.negated else "positive",
            modality=modality,
            confidence=0.8 if c.time and c.location else 0.6,
        )
    if _generic(c) and any(o.under is not None and clauses[o.under] is c and o.family == "event" for o in clauses):
        return []  # 「協議に臨む」, "attend the talks": the talks are the claim
    if _generic(c) and (c.describes or (c.under is not None and clauses[c.under].family == "stance")):
        return []  # 「ウクライナが支配している地域」 describes a place; 「割譲するよう要求」 is the demand's content
    return _commitment(c, clauses, pred)


def _dated_apart(c: Clause, clauses: list[Clause]) -> bool:
    """ "The two sides agreed in May that the troops would leave by September 15": an agreement told as done on
    a date of its own is an event beside the commitment it holds; an agreement somebody reports ("Peskov said
    on the 30th that Russia had agreed…") is dated by the report."""
    told = c.past and c.time is not None and c.agents and not c.negated and c.modality in ("asserted", "agreed")
    if not told or c.under is not None:
        return False
    held = [o for o in clauses if o.governor is not None and clauses[o.governor] is c]
    # "agreed on Sunday to extend the cuts": a date before the held act's clause is the agreement's
    return all(
        o.time is None or o.time.iso != c.time.iso or c.time.char_start < (o.span or o.trigger).start for o in held
    )


def _denied(c: Clause, clauses: list[Clause]) -> bool:
    """ "denied that it had agreed to a truce": a done act somebody denies is the claim, not what it holds."""
    return c.past and c.governor is not None and predicates()[clauses[c.governor].predicate].negates_complement


def _only_describes(c: Clause) -> bool:
    """ "the line agreed", 「後押ししてくれた各国」 describe a noun; "who seized power in July" states a dated act."""
    return c.describes and not (c.past and c.time)


def _generic(c: Clause) -> bool:
    """An act no trigger names (``act:<lemma>``)."""
    return c.predicate.startswith("act:")


def _commitment(c: Clause, clauses: list[Clause], pred) -> list[Claim]:
    """A commitment (or an event put as one): pledge, refusal, done-with-a-date event, or nothing."""
    if c.conditional or c.purpose:
        return []  # "if Russia refrains from attacking…" qualifies another claim; a purpose is not a pledge
    if c.under is not None and clauses[c.under].predicate == "demand":
        return []  # "Washington urged Caracas to free the prisoners": the demand is the claim, no pledge
    negative, modality = c.negated, c.modality
    if c.governor is not None:
        gov = clauses[c.governor]
        if _denied(gov, clauses):
            return []  # the denied agreement is the claim
        if gov.predicate == "demand":
            return []  # "Kyiv demands Russia withdraw" is Kyiv's position, not a Russian pledge
        if predicates()[gov.predicate].negates_complement:
            negative, modality = not negative, "asserted"
        elif gov.predicate in _TENTATIVE_GOVERNORS:
            modality = _TENTATIVE_GOVERNORS[gov.predicate]
        if gov.negated:
            negative = not negative
    if negative and pred.negated_as and (c.governor is not None or modality != "asserted"):
        c = replace(c, predicate=pred.negated_as, negated=False)  # "agreed not to attack Kyiv": a halt
        negative = False
    if negative and modality == "asserted" and c.governor is None and c.family == "commitment":
        # "the US is not directly involved", "did not take part": a negative fact, not a refusal
        return _claims(c, "event", polarity="negative", confidence=0.55)
    if negative:
        # refused commitments are stored as positions, and so is a denial of a done act ("denied that it had
        # agreed"); a refused act is a pledge ("refused to meet")
        kind = "position" if c.family == "commitment" or _denied(c, clauses) else "pledge"
        return _claims(c, kind, polarity="negative", modality=modality, confidence=0.7)
    if modality != "asserted":
        return _claims(c, "pledge", modality=modality, confidence=0.7 if c.window or c.quantity else 0.6)
    if _only_describes(c):
        return []
    if c.past and (c.time or c.quantity) and pred.asserted_family != "position":
        # "Britain deployed four jets": a done act with a count and no date states the count; an exchange is
        # an event whatever it counts
        kind = "event" if c.time or pred.symmetric else "quantity"
        return _claims(c, kind, confidence=0.6)
    if pred.asserted_family == "position" and not c.nominal:  # "Ukraine backed the proposal on Tuesday"
        return _claims(c, "position", confidence=0.6)
    return []


def _claims(c: Clause, kind: str, **fields) -> list[Claim]:
    """One claim per agent, or one joint claim; none without an agent (except events)."""
    agents = _distinct(c.agents)
    if not agents and not (kind == "event" and c.time and c.location):
        return []  # a claim is somebody's (a dated, placed event may name nobody)
    confidence = fields.pop("confidence", 0.6)
    if c.analysis == "shallow":
        confidence -= 0.15
    base = dict(
        kind=kind,
        predicate=c.predicate,
        evidence=Evidence(
            c.sentence.idx, c.sentence.text, c.sentence.start + c.trigger.start, c.sentence.start + c.trigger.end
        ),
        object=_object(c),
        polarity=fields.pop("polarity", "positive"),
        modality=fields.pop("modality", c.modality),
        condition=c.condition,
        time=c.time,
        window=c.window or _time_bound(c),
        quantity=None if _names_its_agents(c) else c.quantity,
        location=_ref(c.location) if c.location else None,
        confidence=round(min(confidence + (0.1 if any(a.entity_id for a in agents) else 0), 0.95), 2),
        extractor=EXTRACTOR_VERSION,
        analysis=c.analysis,
    )
    # "US and British forces struck more than 60 targets": a count of several agents is their total
    together = c.joint or (kind == "quantity" and c.quantity is not None and c.quantity.scope != "each")
    if together and len(agents) > 1:
        return [Claim(subject=_ref(agents[0]), participants=tuple(_ref(a) for a in agents), **base)]
    if not agents:
        return [Claim(subject=None, **base)]
    return [Claim(subject=_ref(a), **base) for a in agents]


def _names_its_agents(c: Clause) -> bool:
    """ "Les deux pays respecteront le cessez-le-feu", 「両国の3カ国」: a count of countries that is the number
    of the clause's agents says who they are, not how many of something they act on; "in total, seven countries
    took part" states the count."""
    q = c.quantity
    return q is not None and q.unit == "country" and q.scope != "total" and len(_distinct(c.agents)) == q.value > 1


def _distinct(agents: tuple[Mention, ...]) -> list[Mention]:
    """One agent per actor: "Trump … he … Trump" in one clause is one actor."""
    seen: set[str] = set()
    out = []
    for a in agents:
        if (a.entity_id or a.text) not in seen:
            seen.add(a.entity_id or a.text)
            out.append(a)
    return out


def _time_bound(c: Clause) -> Window | None:
    """ "by 2035" / 「2035年までに」 (a deadline: within), "until 1 February" (for): the bound of a date."""
    if c.time is None or c.time_bound is None:
        return None
    return Window(None, c.time_bound, None, c.time.text, c.time.char_start, c.time.char_end)


def _object(c: Clause) -> EntityRef | None:
    if c.objects:
        m = c.objects[0]
        return EntityRef(c.object_text or m.text, m.entity_id)
    return EntityRef(c.object_text, None) if c.object_text else None


def _ref(m: Mention) -> EntityRef:
    return EntityRef(m.text, m.entity_id)


def _quantity_claims(clauses: list[Clause], claims: list[Claim]) -> list[Claim]:
    """A count no other claim of its sentence carries is a quantity claim of its clause's agent."""
    carried = {(c.evidence.sentence_idx, c.quantity.text) for c in claims if c.quantity}
    # 「3カ国の協議」, "three-way talks among the US, Russia and Ukraine": the size of a meeting's group
    sizes = {
        (c.sentence.idx, c.quantity.text)
        for c in clauses
        if c.quantity is not None
        and (_names_its_agents(c) or (predicates()[c.predicate].symmetric and len(c.agents) == c.quantity.value))
    }
    out = list(claims)
    for c in clauses:
        if c.family != "count" or c.quantity is None or not c.agents or c.heading:
            continue
        if (c.sentence.idx, c.quantity.text) in carried | sizes:
            continue
        out += _claims(c, "quantity", modality="asserted", confidence=0.6)
    return out


BACKGROUND_DAYS = 730  # events dated this long before publication are background, not news


def _recent(claims: list[Claim], published: date | None) -> list[Claim]:
    """Drop dated events long before the report ("Hamas's attack of October 7, 2023" in a 2025 report)."""
    if published is None:
        return claims
    return [
        c
        for c in claims
        if not (c.kind == "event" and c.time is not None and (published - c.time.end).days > BACKGROUND_DAYS)
    ]


def _actors(c: Claim) -> frozenset[str]:
    refs = c.participants or ((c.subject,) if c.subject else ())
    return frozenset(r.entity_id or r.text for r in refs)


def _about(c: Claim) -> str | None:
    return (c.object.entity_id or c.object.text) if c.object else None


def _subsumes(a: Claim, b: Claim) -> bool:
    """Does ``a`` state everything ``b`` does (``b`` repeats it, with less)? Dates: ``b``'s within ``a``'s."""
    if (a.kind, a.predicate, a.polarity, a.tier) != (b.kind, b.predicate, b.polarity, b.tier):
        return False
    if not _actors(b) <= _actors(a) or (a.kind != "event" and _actors(a) != _actors(b)):
        return False
    if a.kind == "position" and _about(a) != _about(b):
        return False  # rejecting the guarantees and rejecting peacekeepers are two positions
    if b.time is not None and (a.time is None or not (a.time.start <= b.time.start and b.time.end <= a.time.end)):
        return False
    if b.window is not None and (
        a.window is None or (a.window.duration, a.window.bound) != (b.window.duration, b.window.bound)
    ):
        return False
    if b.quantity is not None and (a.quantity is None or a.quantity.value != b.quantity.value):
        return False
    return b.location is None or (a.location is not None and a.location.entity_id == b.location.entity_id)


def _merge_events(claims: list[Claim]) -> list[Claim]:
    """One fact told twice is one claim: a claim whose every stated field another claim of the document
    also states (its date within the other's, its actors among the other's) is dropped; the fuller one keeps
    a venue either names ("the joint meeting yesterday" inside "over February 4 and 5 in Abu Dhabi")."""
    out = list(claims)
    i = 0
    while i < len(out):
        b = out[i]
        fuller = next(
            (j for j, a in enumerate(out) if j != i and _subsumes(a, b) and not (_subsumes(b, a) and j > i)), None
        )
        if fuller is None or b.kind in ("tier", "quantity"):
            i += 1
            continue
        a = out[fuller]
        if a.location is None and b.location is not None:
            out[fuller] = replace(a, location=b.location)
        del out[i]
    return out


def _dedupe(claims: list[Claim]) -> list[Claim]:
    best: dict[tuple, Claim] = {}
    for c in claims:
        key = (
            c.kind,
            c.predicate,
            tuple(sorted(p.entity_id or p.text for p in c.participants))
            or (c.subject.entity_id or c.subject.text if c.subject else None),
            c.tier,
            c.polarity,
            c.time.iso if c.time else None,
            c.quantity.value if c.quantity else None,
            c.evidence.sentence_idx,
        )
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.evidence.start, c.kind, c.predicate))


__all__ = ["extract_claims", "clause_claims", "replace"]
