"""Tier ladders: a phased plan recognised over the whole document, its steps numbered.

A step starts at an explicit marker ("tier 2", "second phase", 「第2段階」, "premier palier"), at an implicit
one once a plan is under way (an escalation: "should the fighting go on…", "if the breach grows into a
sustained offensive…", 「それでも…やまなければ」; a scenario: "in a separate scenario"; in a plan told in
stages, a sequence word: "First, …", "From 2027, …", "The final stage…", 「まず」「その後」), or — for the first
step — at a response to a violation with a window ("a breach would draw a response within 24 hours"). Marker
words, escalation, scenario and first-step cues are regular expressions in the language file.

A step started in a heading covers its section; one started in the body covers the rest of its paragraph and
the following paragraphs while they go on stating plan actions (commitments with a window or a condition).
Implicit steps count only when the document has at least two steps.

Each step gives one tier claim per actor that acts in it (its commitment clauses' agents; else the step's
first actor), with the action, window and bound, time, quantity and condition gathered over the step, and
one ``participate`` claim per member named for the acting group ("made up of many EU members plus Britain,
Norway…", 「EU加盟国にトルコ、英国…を加えた有志連合」). A phase's own length ("the 42-day first phase") is the
window within which its actions fall. Pledges inside a step become its tier claims.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from extract import lang as langdata
from extract.claims.clauses import Clause, is_actor
from extract.lang import LanguageData
from extract.model import Claim, EntityRef, Evidence, Mention, Sentence, Window
from extract.nlp.analyse import Analysis
from extract.nlp.gazetteer import load_gazetteer
from extract.version import EXTRACTOR_VERSION

_ACTIONS = ("commitment",)


@dataclass
class Step:
    number: int
    explicit: bool
    start: int  # sentence idx where it starts
    in_heading: bool
    sentences: list[int] = field(default_factory=list)


def _number(text: str, data: LanguageData) -> int | None:
    t = unicodedata.normalize("NFKC", text).lower()
    if t in data.ordinals:
        return data.ordinals[t]
    if t.isdigit():
        return int(t)
    if t in data.numbers:
        return int(data.numbers[t])
    return None


def markers(text: str, data: LanguageData) -> list[tuple[int, int, int]]:
    """(tier number, start, end) of each explicit marker in ``text``."""
    out = []
    for rx in data.regex("tier_marker"):
        for m in rx.finditer(text):
            n = _number(m.group("n"), data) if "n" in rx.groupindex else None
            if n and not any(s <= m.start() < e for _, s, e in out):
                out.append((n, m.start(), m.end()))
    return sorted(out, key=lambda x: x[1])


def _has(text: str, data: LanguageData, cue: str) -> bool:
    return any(rx.search(text) for rx in data.regex(cue))


def ladder(sentences: list[Sentence], clauses: list[Clause], data: LanguageData) -> list[Step]:
    """The steps of the document's plan, in order (empty when it states none)."""
    actions: dict[int, list[Clause]] = {}
    for c in clauses:
        if c.family in _ACTIONS:
            actions.setdefault(c.sentence.idx, []).append(c)
    steps: list[Step] = []
    current: Step | None = None
    explicit_first = any(n == 1 for s in sentences for n, _, _ in markers(s.text, data))
    staged = any(_has(s.text, data, "staged") for s in sentences)  # "a multi-stage plan", 「段階的に」
    for s in sentences:
        found = {n for n, _, _ in markers(s.text, data)}
        acts = actions.get(s.idx, [])
        planful = any(c.window or c.condition for c in acts)
        start_number = None
        explicit = False
        if len(found) == 1:
            start_number, explicit = found.pop(), True
        elif current is not None and not found and (_has(s.text, data, "escalation") or _has(s.text, data, "scenario")):
            if any(actions.get(i) for i in current.sentences):  # the step under way has acted: this is the next
                start_number = current.number + 1
        elif current is None and not found and planful and not explicit_first and _has(s.text, data, "first_step"):
            start_number = 1 if any(c.window for c in acts) else None
        elif staged and not found and not steps and not s.is_heading and _has(s.text, data, "sequence_first"):
            start_number = 1  # "First, …", 「まず…」 in a plan told in stages
        elif staged and not found and steps and not s.is_heading and _has(s.text, data, "sequence_next"):
            start_number = steps[-1].number + 1  # "From 2027, …", "The final stage…", 「その後」
        if start_number is not None and (current is None or start_number != current.number):
            current = Step(start_number, explicit, s.idx, s.is_heading)
            steps.append(current)
        elif current is not None and not _continues(current, s, sentences, acts, planful):
            current = None
        if current is not None:
            current.sentences.append(s.idx)
    if sum(1 for st in steps if st.explicit) < 1 and len(steps) < 2:
        return []
    if len({st.number for st in steps}) < 2 and not any(st.explicit for st in steps):
        return []
    return steps


def _continues(step: Step, s: Sentence, sentences: list[Sentence], acts: list[Clause], planful: bool) -> bool:
    first = sentences[step.start]
    if step.in_heading:
        return not s.is_heading  # a heading's step covers its section
    last = sentences[step.sentences[-1]] if step.sentences else first
    if s.paragraph == last.paragraph:
        return True
    return planful and not s.is_heading


def apply(analysis: Analysis, clauses: list[Clause], claims: list[Claim]) -> list[Claim]:
    """Tier claims for the document's plan; pledges inside a step become tier claims."""
    data = langdata.load(analysis.lang)
    steps = ladder(analysis.sentences, clauses, data)
    if not steps:
        return claims
    step_of = {i: st for st in steps for i in st.sentences}
    out = [c for c in claims if not (c.kind == "pledge" and c.evidence.sentence_idx in step_of)]
    by_number: dict[int, list[Step]] = {}
    for st in steps:
        by_number.setdefault(st.number, []).append(st)
    for number, group in sorted(by_number.items()):
        out += _tier_claims(number, group, analysis, clauses, claims, data)
    return out


def _tier_claims(number, group, analysis, clauses, claims, data) -> list[Claim]:
    idxs = [i for st in group for i in st.sentences]
    sentences = [analysis.sentences[i] for i in idxs]
    in_step = [c for c in clauses if c.sentence.idx in idxs and not c.heading and not c.describes]
    # "A third stage would see talks on a settlement": a step that commits nobody to act is its event
    # ("talks on disarmament": what talks are about is no act of the step)
    topics = [c for c in in_step if c.nominal and c.under is not None and clauses[c.under].family == "event"]
    acts = [c for c in in_step if c.family in _ACTIONS and c not in topics]
    acts = acts or [c for c in in_step if c.family == "event" and not langdata.predicates()[c.predicate].third_party]
    named = [c for c in clauses if c.sentence.idx in idxs and c.family in _ACTIONS and c.heading]
    pledges = [c for c in claims if c.kind == "pledge" and c.evidence.sentence_idx in idxs]
    phase_window = _phase_window(sentences, data)
    marker_window = _phase_window(sentences, data, adjacent=False)
    condition = next((c.condition for c in acts if c.condition), None) or _first_condition(sentences, data)
    gaz = load_gazetteer()
    by_actor: dict[str, dict] = {}
    order: list[str] = []

    def add(
        m: Mention | EntityRef | None,
        clause: Clause | None,
        claim: Claim | None,
        predicate: str,
        together: tuple[Mention | EntityRef, ...] = (),
    ) -> None:
        key = "" if m is None else _side(m.entity_id) or m.text  # US forces and Washington act as one side
        if together:
            key = "+".join(sorted(_side(x.entity_id) or x.text for x in together))
        if key not in by_actor:
            by_actor[key] = {
                "ref": None if m is None else EntityRef(m.text, m.entity_id),
                "participants": tuple(EntityRef(x.text, x.entity_id) for x in together),
                "clauses": [],
                "predicate": predicate,
                "claims": [],
            }
            order.append(key)
        if clause is not None:
            by_actor[key]["clauses"].append(clause)
        if claim is not None:
            by_actor[key]["claims"].append(claim)

    venues = {c.location.entity_id for c in acts if c.location is not None}
    parties = _parties(clauses, min(idxs))
    step_actor = _step_actor(sentences, analysis, gaz, data, venues)
    entity = gaz.get(step_actor.entity_id) if step_actor is not None else None
    # "Europe and the US would respond … A response within 24 hours: a warning and action by the Ukrainian
    # army": agents carried over from before the step yield to an actor the step names itself (not a city)
    own = entity is not None and entity.type != "place"
    here = {m.entity_id for m in analysis.mentions if m.sentence in idxs}
    inherited = [
        c for c in acts if own and c.agents and not any(m.sentence in idxs or m.entity_id in here for m in c.agents)
    ]
    for c in acts:
        agents = _specific(list(c.agents))
        if c in inherited:
            continue
        if c.joint and len(agents) > 1:  # 「双方が戦闘を停止」, "both sides halt": one act of the parties together
            add(agents[0], c, None, c.predicate, tuple(agents))
            continue
        for m in agents:
            add(m, c, None, c.predicate)
    carried = {m.entity_id for c in inherited for m in c.agents} - here
    for p in pledges:
        if p.subject is not None and p.predicate not in ("meeting",) and p.subject.entity_id not in carried:
            add(p.subject, None, p, p.predicate, p.participants if len(p.participants) > 1 else ())
    orphan = [c for c in acts if not c.agents or c in inherited]
    if not by_actor and step_actor is not None:
        add(step_actor, None, None, acts[0].predicate if acts else "respond")
    elif not by_actor and acts and parties:  # "The second stage foresees the withdrawal of fighters": the plan's
        add(parties[0], acts[0], None, acts[0].predicate, parties)  # parties, who agreed on it together
        orphan = [c for c in orphan if c is not acts[0]]
    elif not by_actor and acts:  # "within 24 hours a formal warning would go out": its actor unstated
        add(None, acts[0], None, acts[0].predicate)
        orphan = [c for c in orphan if c is not acts[0]]
    elif not by_actor:
        return []
    if orphan and order:
        main = order[0]
        by_actor[main]["clauses"] += orphan
    members = _members(sentences, analysis, gaz, data, set(order))
    out = []
    for key in order:
        info = by_actor[key]
        cl = info["clauses"]
        window = next((c.window for c in cl if c.window), None) or next(
            (p.window for p in info["claims"] if p.window), None
        )
        time = next((c.time for c in cl if c.time), None) or next((p.time for p in info["claims"] if p.time), None)
        bound = next((c.time_bound for c in cl if c.time_bound), None)
        if window is None and phase_window is not None:
            window = replace(phase_window, bound="within")
        window = window or marker_window
        if window is None and bound and time is not None:
            window = Window(None, bound, None, time.text, time.char_start, time.char_end)
        quantity = next((c.quantity for c in cl if c.quantity), None)
        first = cl[0] if cl else None
        evidence = _evidence(first, info["claims"], sentences)
        action = named[0].predicate if named and key == order[0] else (first.predicate if first else info["predicate"])
        out.append(
            Claim(
                kind="tier",
                predicate=action,
                evidence=evidence,
                subject=info["ref"],
                participants=info["participants"],
                polarity="positive",
                modality="planned",
                condition=next((c.condition for c in cl if c.condition), condition),
                time=time,
                window=window,
                tier=number,
                quantity=quantity,
                confidence=0.85 if window else 0.7,
                extractor=EXTRACTOR_VERSION,
                analysis=first.analysis if first else "full",
            )
        )
    for m, sentence in members:
        out.append(
            Claim(
                kind="tier",
                predicate="participate",
                evidence=Evidence(sentence.idx, sentence.text, m.start, m.end),
                subject=EntityRef(m.text, m.entity_id),
                modality="planned",
                condition=condition,
                tier=number,
                confidence=0.7,
                extractor=EXTRACTOR_VERSION,
            )
        )
    return out


def _parties(clauses: list[Clause], before: int) -> tuple[Mention, ...]:
    """The actors that last agreed together before a step ("Sudan's army and the RSF agreed to a three-stage
    plan"): who carries out a step that names nobody."""
    agreed = [
        c.agents
        for c in clauses
        if c.sentence.idx <= before and len(c.agents) > 1 and langdata.predicates()[c.predicate].collective
    ]
    return agreed[-1] if agreed else ()


def _first_condition(sentences: list[Sentence], data: LanguageData) -> str | None:
    """The step's own condition where no action states one ("敵対行為が継続する場合、計画は第2段階に移行します")."""
    for s in sentences:
        for rx in data.regex("condition"):
            m = rx.search(s.text)
            if m:
                return (m.group("x") if "x" in rx.groupindex else m.group()).strip(" ,、，")
    return None


def _side(entity_id: str | None) -> str | None:
    entity = load_gazetteer().get(entity_id)
    if entity is not None and entity.type in ("force", "person") and entity.parent:
        return entity.parent
    return entity_id


def _specific(agents: list[Mention]) -> list[Mention]:
    """Regions ("the West") act only when no country, force or organisation is named with them."""
    gaz = load_gazetteer()
    specific = [a for a in agents if (gaz.get(a.entity_id) is None or gaz.get(a.entity_id).type != "region")]
    return specific or agents


def _evidence(first: Clause | None, claims: list[Claim], sentences: list[Sentence]) -> Evidence:
    if first is not None:
        s = first.sentence
        return Evidence(s.idx, s.text, s.start + first.trigger.start, s.start + first.trigger.end)
    if claims:
        return claims[0].evidence
    s = sentences[0]
    return Evidence(s.idx, s.text, s.start, s.end)


def _phase_window(sentences: list[Sentence], data: LanguageData, adjacent: bool = True) -> Window | None:
    """ "the 42-day first phase", 「6週間の第1段階」: the phase's own length, next to its marker; not
    ``adjacent``: any window of the sentence that opens the step ("The second stage, which would begin within 30
    days, foresees…"), for a step none of whose acts has one."""
    from extract.claims.windows import find_windows

    for s in sentences:
        for _, start, end in markers(s.text, data):
            for w in find_windows(s.text, data.code):
                if not adjacent or abs(w.char_end - start) <= 3 or abs(end - w.char_start) <= 3:
                    return w
    return None


def _step_actor(sentences, analysis, gaz, data, venues: set[str]) -> EntityRef | None:
    """The first actor named in a step (not a source, not in a condition, not where its acts are aimed or
    take place: "a warning would go out to Moscow")."""
    for s in sentences:
        for m in analysis.mentions:
            if m.sentence != s.idx or not is_actor(m, gaz) or not m.entity_id or m.entity_id in venues:
                continue
            rel = m.start - s.start
            if any(
                rx.search(s.text[max(0, rel - 40) : rel]) and _inside(rx, s.text, rel)
                for rx in data.regex("attribution") + data.regex("condition")
            ):
                continue
            return EntityRef(m.text, m.entity_id)
    return None


def _inside(rx: re.Pattern[str], text: str, pos: int) -> bool:
    return any(m.start() <= pos < m.end() for m in rx.finditer(text))


def _members(sentences, analysis, gaz, data, acting: set[str]) -> list[tuple[Mention, Sentence]]:
    """Members named for the acting group in a sentence with a membership cue ("made up of many EU members
    plus Britain, Norway…", 「EU加盟国の大半に加え、英国、ノルウェー…が参加」): its countries and organisations,
    not those of a condition or a source."""
    out = []
    seen = set(acting)
    for s in sentences:
        for rx in data.regex("membership"):
            m = rx.search(s.text)
            if not m:
                continue
            cues = [x for cue in ("condition", "attribution") for r in data.regex(cue) for x in r.finditer(s.text)]
            for mention in analysis.mentions:
                if mention.sentence != s.idx or not mention.entity_id:
                    continue
                entity = gaz.get(mention.entity_id)
                if entity is None or entity.type not in ("country", "org"):
                    continue
                rel = mention.start - s.start
                if any(x.start() <= rel < x.end() for x in cues) or mention.entity_id in seen:
                    continue
                if not data.head_final and rel < m.start():
                    continue  # English lists members after the cue; Japanese on both sides of 「に加え」
                if entity.type == "org" and "coalition" in entity.id:
                    continue
                seen.add(mention.entity_id)
                out.append((mention, s))
            break
    return out
