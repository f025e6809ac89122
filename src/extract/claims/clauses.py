"""The clause layer: for each predicate in a sentence, who does it, to what, when, under which condition,
how certainly, and who says so — the same record for every language.

A :class:`Clause` is built from a sentence's tokens by one of two adapters, chosen by the language's data
file (``lang/<code>.toml``): the dependency adapter (spaCy pipelines with a parser: English, Japanese,
French) reads agents, objects, negation and modality off the parse, with the dependency labels of each role
taken from the file's ``[parse]`` table; the shallow adapter (``spacy.blank`` + lemmas: German, Spanish,
Italian, Russian, Ukrainian) reads them off word order and cue words within the clause. Triggers, cues,
conditions, attributions, times, windows and quantities are found the same way for both.

The claim rules (``claims``) read only clauses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache

from spacy.matcher import Matcher
from spacy.tokens import Span, Token

from extract import lang as langdata
from extract.claims.quantities import find_quantities
from extract.lang import LanguageData
from extract.model import Mention, Quantity, Sentence, TimeValue, Window
from extract.nlp.analyse import Analysis
from extract.nlp.gazetteer import Gazetteer, load_gazetteer
from extract.nlp.timex import find_times, find_windows

ACTOR_TYPES = {"country", "force", "org", "person", "region", "group"}
_NO_ENTITY = type("NoEntity", (), {"type": None})()
UNLINKED_ACTOR_LABELS = {"PERSON", "ORG", "GPE"}  # nationalities act only as demonyms of actor nouns
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_LIST_LABEL = re.compile(r"^([^:：。.!?]{1,40})[:：]\s*\S")  # "Estonia: …" (not "10:42")


@dataclass(frozen=True)
class Located:
    """Something found in a sentence, with sentence-relative character offsets."""

    start: int
    end: int


@dataclass(frozen=True)
class ActorRef(Located):
    mention: Mention


@dataclass(frozen=True)
class Clause:
    """One predicate of one sentence with everything the claim rules need."""

    sentence: Sentence
    predicate: str
    family: str  # commitment | stance | event (lang/predicates.toml)
    trigger: Located
    trigger_text: str
    agents: tuple[Mention, ...] = ()
    joint: bool = False  # the agents act together (one claim), not each (one claim per agent)
    objects: tuple[Mention, ...] = ()  # linked mentions in the object phrase
    object_text: str | None = None
    negated: bool = False
    modality: str = "asserted"  # asserted | planned | possible | offered | intended | demanded | agreed | unclear
    past: bool = False
    attribution: tuple[Mention, ...] = ()  # who says it ("according to the FT", 「関係者の話として」)
    condition: str | None = None
    time: TimeValue | None = None
    time_bound: str | None = None  # "within" for a deadline ("by 2035"), "for" for "until February 1"
    window: Window | None = None
    quantity: Quantity | None = None
    location: Mention | None = None
    span: Located | None = None  # the clause's extent in the sentence
    governor: int | None = None  # index (in the document's clause list) of the stance governing this clause
    under: int | None = None  # index of the clause whose complement this one is ("announced that it will…")
    about: int | None = None  # index of the stance whose object this act of another actor is
    conditional: bool = False  # inside an if-clause: it qualifies another claim and states none itself
    describes: bool = False  # a participle or relative clause on a noun ("the agreed line", "the plan agreed")
    nominal: bool = False  # the trigger is a noun ("the talks", 「協議」)
    heading: bool = False  # in a heading: names a tier step's action, states no claim of its own
    purpose: bool = False  # says what something else is for: no claim of its own
    analysis: str = "full"

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass
class SentenceFrame:
    """A sentence prepared once: tokens, actor mentions, times, windows, quantities, cue spans."""

    sentence: Sentence
    lang: str
    span: Span | None
    actors: list[ActorRef]
    places: list[ActorRef]
    mentions: list[ActorRef]
    times: list[TimeValue]
    windows: list[Window]
    quantities: list[tuple[Quantity, int, int]]
    conditions: list[tuple[int, int]]
    attributions: list[tuple[int, int]]
    lead: int = 0  # where the sentence starts after its dateline (offset in the sentence)

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass
class DocumentState:
    """What later sentences refer back to: the last agents, and recent groups of actors."""

    previous_agents: list[Mention] = field(default_factory=list)
    previous_joint: bool = False  # the last agents acted together ("Sudan's army and the RSF agreed …")
    groups: list[tuple[Mention, ...]] = field(default_factory=list)
    paragraph: int = -1
    last_org: Mention | None = None  # the organisation "member states" / 「加盟国」 belong to
    last_country: Mention | None = None  # the country "the government" / "the army" is of
    meeting_groups: list[tuple[Mention, ...]] = field(default_factory=list)  # who met (or will meet) together
    party_groups: list[tuple[Mention, ...]] = field(default_factory=list)  # groups that are parties, not mediators
    last_person: Mention | None = None  # the person "he" / 「同氏」 refers back to
    acts: dict[str, tuple[int, tuple[Mention, ...]]] = field(default_factory=dict)  # act → (paragraph, who did it)


# --- entry point ----------------------------------------------------------------------------------


def build_clauses(analysis: Analysis, published: date | None = None) -> list[Clause]:
    """Every clause of a document in text order (headings give none)."""
    data = langdata.load(analysis.lang)
    gaz = load_gazetteer()
    adapter: Adapter = DependencyAdapter(data, gaz) if data.analysis == "full" else ShallowAdapter(data, gaz)
    state = DocumentState()
    clauses: list[Clause] = []
    for frame in frames(analysis, data, gaz, published):
        if frame.sentence.paragraph != state.paragraph:
            state.paragraph = frame.sentence.paragraph
        coordinated = _coordinated_groups(frame)
        state.groups += coordinated  # 「米国、ロシア、ウクライナの3者による交渉」 names its group
        state.party_groups += coordinated
        found = [_complete_group(c, frame, data, gaz) for c in adapter.clauses(frame, state)]
        # "Saudi and U.S. mediators said": who mediates is no party of the deal
        between = {id(m) for c in found if langdata.predicates()[c.predicate].third_party for m in c.agents}
        state.party_groups = [g for g in state.party_groups if not any(id(m) in between for m in g)]
        if frame.sentence.is_heading:  # headlines restate the body: their clauses name tier steps, no claims
            found = [replace(c, heading=True) for c in found]
        orgs = [r.mention for r in frame.actors if (gaz.get(r.mention.entity_id) or _NO_ENTITY).type == "org"]
        state.last_org = orgs[-1] if orgs else state.last_org
        people = [r.mention for r in frame.actors if _is_person(r.mention, gaz)]
        state.last_person = people[-1] if people else state.last_person
        base = len(clauses)
        clauses += [
            replace(
                c,
                governor=None if c.governor is None else base + c.governor,
                under=None if c.under is None else base + c.under,
                about=None if c.about is None else base + c.about,
            )
            for c in found
        ]
        for c in found:
            if c.agents and c.family == "event" and not c.negated:
                state.acts[c.predicate] = (-1 if c.heading else frame.sentence.paragraph, c.agents)
        agents = [m for c in found for m in c.agents if (c.family != "event" or c.joint) and not c.heading]
        if agents:
            state.previous_agents = agents
            state.previous_joint = any(c.joint and len(c.agents) > 1 for c in found if not c.heading)
        countries = [m for m in agents if (gaz.get(m.entity_id) or _NO_ENTITY).type == "country"]
        state.last_country = countries[0] if countries else state.last_country
        for c in found:
            if len(c.agents) > 1:
                state.groups.append(c.agents)
                if langdata.predicates()[c.predicate].symmetric:
                    state.meeting_groups.append(c.agents)
                if not langdata.predicates()[c.predicate].third_party:
                    state.party_groups.append(c.agents)
    return _deal_parties(_meeting_participants(_definite_periods(clauses, data)), data)


def _definite_periods(clauses: list[Clause], data: LanguageData) -> list[Clause]:
    """ "Over the two days, the delegations held wide-ranging exchanges", 「この2日間の協議では」: a definite
    period is the last dated range of that length before it (its dates, not a window of the claim)."""
    out = list(clauses)
    ranges: list[TimeValue] = []
    for i, c in enumerate(clauses):
        w = c.window
        if c.time is None and w is not None and w.duration and w.bound == "for":
            before = c.sentence.text[max(0, w.char_start - 12) : w.char_start].lower()
            words = re.findall(r"[^\W\d_]+", before + w.text.lower())
            days = _days(w.duration)
            if any(data.has("definite", x) for x in words[-3:]):
                match = [t for t in ranges if days is not None and (t.end - t.start).days + 1 == days]
                if match:
                    out[i] = replace(c, time=match[-1], window=None)
        if c.time is not None and c.time.start != c.time.end and not c.time.open_start:
            ranges.append(c.time)
    return out


def _days(duration: str) -> int | None:
    m = re.fullmatch(r"P(\d+)D", duration)
    return int(m.group(1)) if m else None


def _complete_group(c: Clause, frame: SentenceFrame, data: LanguageData, gaz: Gazetteer) -> Clause:
    """Talks of a stated size ("trilateral talks", 「米国が加わった3カ国の協議で、ウクライナとロシアは…」) are
    among that many actors: the clause's own agents, then the sentence's other actors in text order, when
    the sentence names exactly enough of them."""
    if not langdata.predicates()[c.predicate].symmetric:
        return c
    size = None
    if c.quantity is not None and c.quantity.unit == "country" and c.quantity.value == int(c.quantity.value):
        size = int(c.quantity.value)
    size = (
        size
        or data.groups.get(c.trigger_text)
        or next((n for w, n in data.groups.items() if w in c.trigger_text and n > 2), None)
    )
    have = {m.entity_id or m.text for m in c.agents}
    if not size or len(have) >= size or not c.agents:
        return c
    others = _unique(r.mention for r in frame.actors if r.mention.entity_id and r.mention.entity_id not in have)
    if len(have) + len(others) != size:
        return c
    return replace(c, agents=(*c.agents, *others), joint=True)


def _deal_parties(clauses: list[Clause], data: LanguageData) -> list[Clause]:
    """ "The deal was announced on Wednesday", 「合意は10日に発表された」: an act on a deal that names nobody is
    the act of the parties that last agreed or signed together."""
    preds = langdata.predicates()
    out = list(clauses)
    for i, c in enumerate(clauses):
        if c.agents or c.family != "event" or c.predicate not in ("announce", "sign", "approve", "publish"):
            continue
        words = re.findall(r"\w+", (c.object_text or "").lower())
        if not any(data.has("plan_nouns", w) for w in words[:4]):
            continue
        parties = [
            p.agents
            for p in clauses[:i]
            if len(p.agents) > 1
            and (preds[p.predicate].collective or preds[p.predicate].symmetric or p.predicate == "sign")
        ]
        if parties:
            out[i] = replace(c, agents=parties[-1], joint=True)
    return out


def _meeting_participants(clauses: list[Clause]) -> list[Clause]:
    """ "The talks were held over two days" names nobody: a meeting without actors is the document's meeting
    of the nearest named participants (before it, else after it)."""
    preds = langdata.predicates()
    named = [
        (i, c.agents)
        for i, c in enumerate(clauses)
        if preds[c.predicate].symmetric and not preds[c.predicate].third_party and len(c.agents) > 1
    ]
    if not named:  # "The US and Niger have agreed…; it followed talks held in Niamey": the agreeing parties
        named = [(i, c.agents) for i, c in enumerate(clauses) if c.joint and len(c.agents) > 1]
    if not named:
        return clauses
    out = list(clauses)
    for i, c in enumerate(clauses):
        if c.agents or not preds[c.predicate].symmetric or c.family != "event":
            continue
        same = [(j, a) for j, a in named if clauses[j].predicate == c.predicate]  # talks of talks, not of a swap
        pool = same or named
        before = [a for j, a in pool if j < i]
        after = [a for j, a in pool if j > i and clauses[j].sentence.paragraph == c.sentence.paragraph]
        if before or after:
            out[i] = replace(c, agents=before[-1] if before else after[0], joint=True)
    return out


def frames(analysis: Analysis, data: LanguageData, gaz: Gazetteer, published: date | None) -> Iterator[SentenceFrame]:
    by_sentence: dict[int, list[Mention]] = {}
    for m in analysis.mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    context_year = published.year if published else None
    acronyms: dict[str, str] = {}  # "ELN" → "National Liberation Army (ELN)", for the rest of the document
    named: dict[str, Mention] = {}  # "coalition" → the last organisation named with that word in its name
    organisations: list[Mention] = []  # organisations named so far, for "the group", 「同組織」
    days: list[TimeValue] = []  # the days named so far, for 「同日」, "the same day"
    for s in analysis.sentences:
        span = analysis.span_of(s)
        # "HAVANA, June 9 (Reuters) -", 【ワシントン＝共同】: where and when the report was filed, naming no actor
        lead = max((end for start, end in _spans(data.regex("dateline"), s.text) if start == 0), default=0)
        refs = [ActorRef(m.start - s.start, m.end - s.start, m) for m in by_sentence.get(s.idx, [])]
        refs = [r for r in refs if r.start >= lead]
        refs = _acronyms(s, refs, acronyms)
        refs = _bracketed_names(span, s, refs, acronyms, data)
        refs = _state_institutions(span, s, refs, data, gaz)
        refs = _definite_references(span, s, refs, data, gaz, named)
        refs += _demonyms(span, s, data, refs)
        refs += _home_institutions(span, s, data, refs)
        refs = _coordinated_names(s, sorted(refs, key=lambda r: r.start), data)
        refs = _organisation_references(span, s, refs, data, gaz, organisations)
        ranks = data.words.get("ordinal_prefix", ())
        quantities = [
            q
            for q in find_quantities(s.text, data)
            if q[1] >= lead and not any(s.text[: q[1]].endswith(p) for p in ranks)
        ]
        parts = data.words.get("place_parts", frozenset())  # 「サウジアラビア西部ジッダで」 names a place, not an actor
        actors = [
            _as_actor(r, gaz)
            for r in refs
            if (is_actor(r.mention, gaz) or _metonym(r.mention, gaz))
            and not any(s.text.startswith(p, r.end) for p in parts)
            and not _portfolio(s.text, r, data)
        ]
        places = [r for r in refs if _is_place(r.mention, gaz)]
        baselines = _spans(data.regex("baseline"), s.text)
        times = [
            t
            for t in find_times(s.text, analysis.lang, anchor=published, context_year=context_year)
            if t.char_start >= lead and not any(a <= t.char_start < b for a, b in baselines)
        ]
        times = _same_day(s.text, times, data, days)
        days += [t for t in times if t.granularity == "day" and t.start == t.end]
        # a number inside a date ("d'ici 2035, les pays …") counts nothing
        quantities = [q for q in quantities if not any(t.char_start <= q[1] < t.char_end for t in times)]
        years = [int(y) for y in _YEAR.findall(s.text)]
        context_year = years[-1] if years else context_year
        yield SentenceFrame(
            s,
            analysis.lang,
            span,
            sorted(actors, key=lambda r: r.start),
            places,
            refs,
            times,
            # 「21日の記者会見」 is a date, 「42日の停戦」 a length: a window written exactly as a date is that date
            [
                w
                for w in find_windows(s.text, analysis.lang)
                if not any((t.char_start, t.char_end) == (w.char_start, w.char_end) for t in times)
            ],
            quantities,  # 「第2回」 is a rank, not a count
            _spans(data.regex("condition"), s.text),
            _spans(data.regex("attribution"), s.text),
            lead,
        )


_ACRONYM = re.compile(r"^\s*[(（]([A-Z][A-Za-z0-9&-]{1,9})[)）]")


def _acronyms(s: Sentence, refs: list[ActorRef], known: dict[str, str]) -> list[ActorRef]:
    """An unlinked name followed by its acronym ("the National Liberation Army (ELN)") is one actor under the
    name with the acronym, and so is every later bare "ELN" of the document."""
    out = []
    covered = []
    spelled = _spelled_out(s, refs)
    for r in spelled:  # 「即応支援部隊（ＲＳＦ）」: every later bare ＲＳＦ is the same actor
        quoted = re.search(r"[（(]([^（）()]+)[）)]$", r.mention.text)
        if quoted:
            known[quoted.group(1)] = r.mention.text
    refs = refs + spelled
    for r in refs:
        m = _ACRONYM.match(s.text[r.end :])
        if r.mention.entity_id is None and r.mention.label in ("ORG", "PERSON", "NORP", "GPE") and m:
            name = f"{r.mention.text} ({m.group(1)})"
            known[m.group(1)] = name
            out.append(ActorRef(r.start, r.end + m.end(), replace(r.mention, text=name, label="ORG")))
            covered.append((r.end, r.end + m.end()))
        elif r.mention.entity_id is None and r.mention.text in known:
            out.append(ActorRef(r.start, r.end, replace(r.mention, text=known[r.mention.text], label="ORG")))
        else:
            out.append(r)
    for abbr, name in known.items():  # bare acronyms the NER missed
        for m in re.finditer(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", s.text):
            if any(a <= m.start() < b for a, b in covered) or any(x.start <= m.start() < x.end for x in out):
                continue
            mention = Mention(s.idx, s.start + m.start(), s.start + m.end(), name, "ORG", None, "acronym")
            out.append(ActorRef(m.start(), m.end(), mention))
    return sorted(out, key=lambda r: r.start)


_CAPS = r"[A-ZÀ-ÞА-ЯЁІЇЄҐ]"
_ACRONYM_WORD = rf"{_CAPS}[A-Z0-9À-ÞА-ЯЁІЇЄҐ+]{{1,6}}(?:-[^\W\d_]+)?"  # "RSF", "M23", "ФАР", "RSF-Miliz"


def _portfolio(text: str, r: ActorRef, data: LanguageData) -> bool:
    """ "the UN envoy for Yemen", 「イエメン担当特使」, "спецпосланник ООН по Йемену": the state an office is about."""
    return any(rx.search(text[: r.start]) for rx in data.regex("portfolio_before")) or any(
        rx.match(text[r.end :]) for rx in data.regex("portfolio_after")
    )


@cache
def _coordinated_name_patterns(code: str) -> tuple[tuple[str, ...], re.Pattern[str], re.Pattern[str], str]:
    """(the coordinator words, a name after an actor's coordinator, a name before one, the articles'
    alternation) for a language."""
    data = langdata.load(code)
    joins = tuple(w for w in data.words.get("coordinators", ()) if w.strip(","))
    particles = data.words.get("name_particles", frozenset())
    word = rf"{_CAPS}[^\W\d_]+(?:-[^\W\d_]+)*"
    # "Fronte di Liberazione dell'Azawad": an elided particle runs into the next word
    alt = "|".join(
        re.escape(p) + ("\\s*" if p[-1] in "'’" else "\\s+") for p in sorted(particles, key=len, reverse=True)
    )
    run = rf"{word}(?:\s+(?:{alt})?{word})*" if particles else "(?!)"
    name = rf"(?:{_ACRONYM_WORD}|{run})"
    join = "|".join(re.escape(w) for w in sorted(joins, key=len, reverse=True))
    articles = "|".join(re.escape(a) for a in data.words.get("articles", ())) or "(?!)"
    # after a demonym its noun comes first: "die sudanesische Armee und die RSF"
    after = re.compile(rf"(?:\s+[^\W\d_]+)?\s+(?:{join})\s+(?:(?:{articles})\s+)?({name})(?![\w-])")
    before = re.compile(rf"(?<![\w-])({name})\s+(?:{join})\s+(?:(?:{articles})\s+)?$")
    return joins, after, before, articles


def _coordinated_names(s: Sentence, refs: list[ActorRef], data: LanguageData) -> list[ActorRef]:
    """A name no NER or gazetteer found that a coordinator joins to an actor is an actor too, under its own
    words ("die sudanesische Armee und die RSF", "el Ejército y las Fuerzas de Apoyo Rápido"): an acronym in
    every language; a run of capitalised words (with the language's ``name_particles`` inside) where only names
    are capitalised."""
    joins, after, before, articles = _coordinated_name_patterns(data.code)
    if not refs or not joins:
        return refs
    out = list(refs)
    for r in refs:
        if r.mention.entity_id is None and r.mention.label not in UNLINKED_ACTOR_LABELS:
            continue
        m = after.match(s.text, r.end)
        found = (
            [(m.start(1), m.end(1))] if m and (r.mention.source == "demonym" or m.group().split()[0] in joins) else []
        )
        m = before.search(s.text[: r.start])
        if m:  # a capital opening the sentence says nothing, unless it is an article's ("Las Fuerzas de …")
            opening = re.match(rf"(?:{articles})\s+", m.group(1), re.I) if m.start(1) == 0 else None
            if m.start(1) > 0 or opening:
                found.append((m.start(1) + (opening.end() if opening else 0), m.end(1)))
        for a, b in found:
            text = s.text[a:b]
            if any(x.start < b and a < x.end for x in out) or text.lower() in data.words.get("articles", ()):
                continue
            mention = Mention(s.idx, s.start + a, s.start + b, text, "ORG", None, "coordinated")
            out.append(ActorRef(a, b, mention))
    return sorted(out, key=lambda x: x.start)


_QUOTED_ACRONYM = re.compile(r"[「『]([^「」『』（）()]{2,20})[（(]([A-ZＡ-Ｚ][A-ZＡ-Ｚa-zａ-ｚ&＆-]{1,9})[）)][」』]")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _spelled_out(s: Sentence, refs: list[ActorRef]) -> list[ActorRef]:
    """Names no NER found that a bracketed acronym spells out ("die Rapid Support Forces (RSF)", "las Fuerzas de
    Apoyo Rápido (FAR)"): the capitalised words before the bracket whose initials are the acronym."""
    out = []
    for m in _QUOTED_ACRONYM.finditer(s.text):  # 「即応支援部隊（ＲＳＦ）」: a quoted name with its acronym
        if not any(r.start <= m.start(1) < r.end for r in refs):
            start, end = m.start(1), m.end(2) + 1
            mention = Mention(s.idx, s.start + start, s.start + end, s.text[start:end], "ORG", None, "acronym")
            out.append(ActorRef(start, end, mention))
    for m in re.finditer(r"\(([A-Z][A-Za-z&-]{1,9})\)", s.text):
        abbr = m.group(1).replace("-", "").replace("&", "")
        if any(r.start < m.start() <= r.end + 1 for r in refs):
            continue  # a name the NER or the gazetteer found is spelled out already
        words = list(_NAME_WORD.finditer(s.text[: m.start()]))
        capitals = []
        for w in reversed(words[-2 * len(abbr) :]):
            if w.group()[0].isupper():
                capitals.insert(0, w)
            elif capitals and len(w.group()) > 3:
                break  # only short function words ("of", "de", "der") sit inside a name
            if len(capitals) == len(abbr):
                break
        if len(capitals) >= 2 and "".join(w.group()[0] for w in capitals).upper() == abbr.upper():
            start, end = capitals[0].start(), capitals[-1].end()
            mention = Mention(s.idx, s.start + start, s.start + end, s.text[start:end], "ORG", None, "acronym")
            out.append(ActorRef(start, end, mention))
    return out


def _state_institutions(
    span: Span | None, s: Sentence, refs: list[ActorRef], data: LanguageData, gaz: Gazetteer
) -> list[ActorRef]:
    """「サウジアラビア外務省」, 「スーダン国軍」: an institution written right after its state's name (no space,
    no particle) is that state acting, not a second actor beside it."""

    starts = {t.idx - span.start_char: t for t in span} if span is not None else {}
    out: list[ActorRef] = []
    for r in refs:
        if r.mention.entity_id is None:  # 「ギリシャ議会」 read as one unlinked name is Greece acting
            r = ActorRef(r.start, r.end, _state_of_institution(r.mention, data, gaz))
        prev = out[-1] if out else None
        if (
            prev is not None
            and r.mention.entity_id is None
            and data.names_institution(r.mention.text)
            and prev.end == r.start
            and (gaz.get(prev.mention.entity_id) or _NO_ENTITY).type == "country"
        ):
            out[-1] = ActorRef(prev.start, r.end, prev.mention)
            continue
        country = (gaz.get(r.mention.entity_id) or _NO_ENTITY).type == "country"
        if country and not any(x.start <= r.end < x.end for x in refs):
            r = ActorRef(r.start, r.end + _institution_after(starts, r.end, data), r.mention)
        out.append(r)
    return out


def _institution_after(starts: dict[int, Token], at: int, data: LanguageData) -> int:
    """Length of the institution word written right after a state's name ending at ``at`` (「スーダン国軍」,
    「ニジェール国防省」 parsed as 国防 + 省: up to three tokens with nothing between them); 0 if none is."""
    found, text, end = 0, "", at
    for _ in range(3):
        t = starts.get(end)
        if t is None:
            break
        text, end = text + t.text, end + len(t.text)
        if data.names_institution(_key(t) if len(text) == len(t.text) else text):
            found = end - at
    return found


def _state_of_institution(m: Mention, data: LanguageData, gaz: Gazetteer) -> Mention:
    """An unlinked organisation name made of a state's name and an institution word (「ギリシャ議会」, "Ghana
    Parliament") is that state acting."""
    found = gaz.find(m.text, data.code)
    if not found or found[0].start != 0 or (gaz.get(found[0].entity_id) or _NO_ENTITY).type != "country":
        return m
    rest = m.text[found[0].end :].strip()
    return replace(m, entity_id=found[0].entity_id) if rest and data.names_institution(rest) else m


def _bracketed_names(
    span: Span | None, s: Sentence, refs: list[ActorRef], known: dict[str, str], data: LanguageData
) -> list[ActorRef]:
    """A name the NER missed, followed by its acronym: 「即応支援部隊（RSF）」, "the Popular Front (PF)" — the
    compound before the bracket, when it ends in an actor noun or a name, is one actor (and so is every later
    bare acronym)."""
    if span is None:
        return refs
    base = span.start_char
    out = list(refs)
    for m in re.finditer(r"[(（]([A-Z][A-Za-z0-9&-]{1,9})[)）]", s.text):
        if any(r.start <= m.start() <= r.end + 1 for r in refs):
            continue  # a known or tagged name: _acronyms reads it
        before = [t for t in span if t.idx - base + len(t.text) <= m.start() and not t.is_space]
        if not before:
            continue
        head = before[-1]
        if not (head.pos_ == "PROPN" or data.has("actor_nouns", _key(head)) or data.has("group_nouns", _key(head))):
            continue
        first = head
        while (
            first.i > span.start
            and span.doc[first.i - 1].dep_ in ("compound", "flat", "flat:name", "amod")
            and (span.doc[first.i - 1].head.i in range(first.i, head.i + 1))
        ):
            first = span.doc[first.i - 1]
        start, end = first.idx - base, head.idx - base + len(head.text)
        if any(r.start < end and start < r.end for r in out) or end - start < 2:
            continue
        name = s.text[start : m.end()]  # as written: "the Popular Front (PF)", 「即応支援部隊（RSF）」
        known[m.group(1)] = name
        out.append(ActorRef(start, end, Mention(s.idx, s.start + start, s.start + end, name, "ORG", None, "acronym")))
    return sorted(out, key=lambda r: r.start)


def _definite_references(
    span: Span | None, s: Sentence, refs: list[ActorRef], data: LanguageData, gaz: Gazetteer, named: dict[str, Mention]
) -> list[ActorRef]:
    """ "the coalition", "the 35-country alliance": a definite noun that is a word of the name of an
    organisation named earlier refers to it ("the Coalition of the Willing … the coalition")."""
    out = list(refs)
    if span is not None and data.words.get("articles"):
        base = span.start_char
        for t in span:
            start = t.idx - base
            if t.lower_ not in named or t.text[:1].isupper() or any(r.start <= start < r.end for r in refs):
                continue
            if "Plur" in t.morph.get("Number") or data.has("group_nouns", _key(t)):
                continue  # "the two nations" is no "United Nations"
            before = [x.lower_ for x in span[max(0, t.i - span.start - 4) : t.i - span.start]]
            if not any(data.has("articles", w) for w in before):
                continue
            m = named[t.lower_]
            mention = Mention(
                s.idx, s.start + start, s.start + start + len(t.text), t.text, m.label, m.entity_id, "coref"
            )
            out.append(ActorRef(start, start + len(t.text), mention))
    for i, r in enumerate(out):
        entity = gaz.get(r.mention.entity_id)
        if entity is not None and entity.type == "org" and entity.name_en.islower() and entity.name_en in named:
            m = named[entity.name_en]  # "the coalition" after "the Coalition of the Willing" is that one
            out[i] = ActorRef(r.start, r.end, replace(r.mention, entity_id=m.entity_id, label=m.label, source="coref"))
    for r in refs:
        entity = gaz.get(r.mention.entity_id)
        if entity is not None and entity.type == "org" and " " in r.mention.text and not entity.name_en.islower():
            for word in re.findall(r"[^\W\d_]{4,}", r.mention.text.lower()):
                named[word] = r.mention
    return sorted(out, key=lambda r: r.start)


def _organisation_references(
    span: Span | None, s: Sentence, refs: list[ActorRef], data: LanguageData, gaz: Gazetteer, named: list[Mention]
) -> list[ActorRef]:
    """ "Hamas said the group would free 20 hostages", 「同組織は」: a definite ``organisation_nouns`` word (after an
    article, or after the language's ``organisation_marks`` such as 同) is the last organisation named before it;
    "the group of seven" is none."""
    nouns = data.words.get("organisation_nouns", frozenset())
    out = list(refs)
    if span is not None and nouns:
        base = span.start_char
        marks = data.words.get("articles", frozenset()) | data.words.get("organisation_marks", frozenset())
        for t in span:
            start = t.idx - base
            if t.lower_ not in nouns or any(r.start <= start < r.end for r in out):
                continue
            here = [r.mention for r in out if r.end <= start and _is_organisation(r.mention, gaz)]
            earlier = here or named
            if not earlier:
                continue
            before = span[t.i - span.start - 1].lower_ if t.i > span.start else ""
            after = span[t.i - span.start + 1].lower_ if t.i + 1 < span.end else ""
            if before not in marks or after in data.words.get("scale_of", frozenset()):
                continue
            m = earlier[-1]
            mention = Mention(
                s.idx, s.start + start, s.start + start + len(t.text), t.text, m.label, m.entity_id, "coref"
            )
            out.append(ActorRef(start, start + len(t.text), mention))
    named += [r.mention for r in sorted(out, key=lambda r: r.start) if _is_organisation(r.mention, gaz)]
    return sorted(out, key=lambda r: r.start)


def _is_organisation(m: Mention, gaz: Gazetteer) -> bool:
    """A non-state actor or body: a linked organisation, or a name labelled as one that no gazetteer knows."""
    entity = gaz.get(m.entity_id)
    return entity.type == "org" if entity is not None else m.entity_id is None and m.label == "ORG"


def _same_day(text: str, times: list[TimeValue], data: LanguageData, days: list[TimeValue]) -> list[TimeValue]:
    """「岸田首相は同日、…と会談」, "later the same day": the last day the document named (``same_day`` patterns)."""
    if not days:
        return times
    out = list(times)
    for a, b in _spans(data.regex("same_day"), text):
        if not any(t.char_start < b and a < t.char_end for t in out):
            out.append(replace(days[-1], text=text[a:b], char_start=a, char_end=b, open_start=False))
    return sorted(out, key=lambda t: t.char_start)


def _spans(patterns, text: str) -> list[tuple[int, int]]:
    out = []
    for rx in patterns:
        for m in rx.finditer(text):
            g = m.lastindex and m.re.groupindex.get("x")
            out.append(m.span("x") if g else m.span())
    return sorted(set(out))


def _demonyms(span: Span | None, s: Sentence, data: LanguageData, refs: list[ActorRef]) -> list[ActorRef]:
    """Demonyms that modify an actor noun ("Russian negotiators", "ukrainische Truppen") name the country;
    a demonym on anything else ("a Russian breach") names nobody. The noun may come before the demonym
    ("les délégations américaine, ukrainienne et russe", "las tropas rusas", "le forze ucraine")."""
    table = demonym_table(data.code)
    if span is None or not table:
        return []
    base = span.start_char
    joins = data.words.get("coordinators", frozenset())

    def other(x: Token) -> bool:  # a word between a demonym and its noun: no punctuation, demonym or "and"
        return not x.is_punct and _key(x) not in table and x.pos_ != "CCONJ" and x.lower_ not in joins

    def actor_noun(x: Token) -> bool:
        return data.has("actor_nouns", _key(x)) or data.has("group_nouns", _key(x)) or data.has("actor_nouns", x.lower_)

    out = []
    for i, t in enumerate(span):
        code = table.get(_key(t)) or table.get(t.lower_)
        if code is None or any(r.start <= t.idx - base < r.end and r.mention.entity_id for r in refs):
            continue
        nxt = [x for x in span[i + 1 : i + 8] if other(x)]
        nouns = [x for x in nxt if x.pos_ in ("NOUN", "PROPN")][:2] or nxt[:1]
        prev = [x for x in span[max(0, i - 8) : i] if other(x)][-1:]
        people = t.pos_ in ("NOUN", "PROPN") and t.tag_ in ("NNS", "NNPS")  # "the Russians"
        if not people and not any(actor_noun(n) for n in nouns + prev):
            continue
        start = t.idx - base
        m = Mention(s.idx, s.start + start, s.start + start + len(t.text), t.text, "GPE", code, "demonym")
        out.append(ActorRef(start, start + len(t.text), m))
    return out


def _home_institutions(span: Span | None, s: Sentence, data: LanguageData, refs: list[ActorRef]) -> list[ActorRef]:
    """「政府は」, 「防衛省によりますと」: an institution named bare, with no state before it, is the home state's
    of this press (``language.home``); 「韓国政府」, 「米国の外務省」 and 「同政府」 are not."""
    if span is None or data.home is None:
        return []
    base = span.start_char
    out = []
    for i, t in enumerate(span):
        start = t.idx - base
        if not data.has("home_nouns", _key(t)) or any(r.start <= start < r.end for r in refs):
            continue
        if any(r.end == start for r in refs) or (i > 0 and span[i - 1].pos_ in ("PROPN", "NOUN", "DET", "PRON")):
            continue  # 「米政府」, 「ウクライナ政府」, 「同政府」
        if any(c.dep_ in ("nmod", "compound", "det") for c in t.children):
            continue  # 「韓国の外務省」
        m = Mention(s.idx, s.start + start, s.start + start + len(t.text), t.text, "ORG", data.home, "home")
        out.append(ActorRef(start, start + len(t.text), m))
    return out


def demonym_table(code: str) -> dict[str, str]:
    return langdata.load(code).demonyms


def _key(t: Token) -> str:
    return (t.lemma_ or t.text).lower()


def _metonym(m: Mention, gaz: Gazetteer) -> str | None:
    entity = gaz.get(m.entity_id)
    return entity.metonym if entity is not None else None


def _as_actor(r: ActorRef, gaz: Gazetteer) -> ActorRef:
    """A capital acting is its state: "Baghdad agreed" is Iraq (the mention keeps its text)."""
    metonym = _metonym(r.mention, gaz)
    if metonym is None:
        return r
    return ActorRef(r.start, r.end, replace(r.mention, entity_id=metonym))


def _is_person(m: Mention, gaz: Gazetteer) -> bool:
    entity = gaz.get(m.entity_id)
    return entity.type == "person" if entity is not None else m.label == "PERSON"


def is_actor(m: Mention, gaz: Gazetteer) -> bool:
    """Linked actors, and NER names the gazetteer does not know (a company, a union, a senator): their claims
    are keyed by their surface text."""
    entity = gaz.get(m.entity_id)
    if entity is not None:
        return entity.type in ACTOR_TYPES
    return m.entity_id is None and m.label in UNLINKED_ACTOR_LABELS and len(m.text) > 1


def _is_place(m: Mention, gaz: Gazetteer) -> bool:
    entity = gaz.get(m.entity_id)
    if entity is not None:
        return entity.type in ("place", "country")
    return m.label in ("GPE", "LOC", "FAC")


def _coordinated_groups(frame: SentenceFrame) -> list[tuple[Mention, ...]]:
    """Lists of actors written together ("the U.S.-Ukraine-Russia meeting", "米ロ・ウクライナ"), for later
    references such as "the three countries" / 「3カ国」."""
    out = []
    run: list[ActorRef] = []
    words = langdata.load(frame.lang).words.get("coordinators", frozenset()) | {"-", "–", "/", "・", "、", ","}
    for r in frame.actors:
        if run and frame.text[run[-1].end : r.start].strip().lower() in words | {""}:
            run.append(r)
            continue
        if len(run) > 1:
            out.append(tuple(x.mention for x in run))
        run = [r]
    if len(run) > 1:
        out.append(tuple(x.mention for x in run))
    return out


# --- triggers -------------------------------------------------------------------------------------


@cache
def _matcher(code: str):
    """A spaCy Matcher over LEMMA and LOWER for every trigger pattern of a language."""
    import spacy

    data = langdata.load(code)
    nlp = spacy.blank("xx")
    matcher = Matcher(nlp.vocab)
    for i, trig in enumerate(data.triggers):
        for attr in ("LEMMA", "LOWER"):
            patterns = [_token_pattern(p, attr) for p in trig.patterns]
            matcher.add(f"{i}:{attr}", patterns)
    return matcher


def _token_pattern(pattern: str, attr: str) -> list[dict]:
    out: list[dict] = []
    for piece in pattern.split():
        if piece == "...":
            out.append({"OP": "{0,6}"})
        elif piece.endswith("*") and len(piece) > 1:
            out.append({attr: {"REGEX": "^" + re.escape(piece[:-1].lower())}})
        else:
            out.append({attr: piece.lower()} if attr == "LOWER" else {attr: {"IN": [piece, piece.lower()]}})
    return out


@dataclass(frozen=True)
class TriggerMatch:
    trigger: langdata.Trigger
    start: int  # token index in the sentence span
    end: int


def find_triggers(span: Span, data: LanguageData, places: frozenset[int] = frozenset()) -> list[TriggerMatch]:
    """Non-overlapping trigger matches, longest first; a trigger needing an object word wins over one that
    does not when its object is there ("send troops" is deploy_forces, "send letters" is send). ``places``:
    tokens of place names, the object a ``"<place>"`` requirement asks for ("withdraw from Mali")."""
    matcher = _matcher(data.code)
    doc = span
    found = []
    for match_id, start, end in matcher(span):
        index = int(matcher.vocab.strings[match_id].split(":")[0])
        trig = data.triggers[index]
        if not _requirements_met(doc, start, end, trig, data, places):
            continue
        ends = {doc[start].lower_, doc[end - 1].lower_} & data.words.get("homographs", frozenset())
        if ends and ends - {piece.lower() for p in trig.patterns for piece in p.split()}:
            continue  # "verso Mosca" is towards Moscow, not 'versare' (pay); "bajo el acuerdo" is under it
        found.append(TriggerMatch(trig, start, end))
    found.sort(
        key=lambda m: (
            m.start - m.end,
            -(bool(m.trigger.needs_object) or bool(m.trigger.needs_context)),
            m.start,
            data.triggers.index(m.trigger),
        )
    )
    chosen: list[TriggerMatch] = []
    for m in found:
        if any(m.start < c.end and c.start < m.end for c in chosen):
            continue
        chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _requirements_met(
    doc, start: int, end: int, trig: langdata.Trigger, data: LanguageData, places: frozenset[int] = frozenset()
) -> bool:
    if trig.pos and data.analysis == "full" and _phrase_head(doc[start:end]).pos_ not in trig.pos:
        return False
    if trig.excluded_after:
        near = list(doc[end : end + 2])
        # "wants to" is an aim, "urged Caracas to" a demand: the look-ahead ends at its first noun ("meet the demands")
        near = near[: next((i + 1 for i, t in enumerate(near) if t.pos_ in ("PROPN", "NOUN", "PRON")), len(near))]
        following = {_key(t) for t in near} | {t.lower_ for t in near}
        if following & {w.lower() for w in trig.excluded_after}:
            return False
    if trig.needs_object:
        words = {w.lower() for w in trig.needs_object}
        if data.analysis == "full" and doc.doc.has_annotation("DEP"):
            head = _phrase_head(doc[start:end])
            heads = [head, head.head] if head.dep_ in ("xcomp", "acl") else [head]
            near = [t for h in heads for t in h.subtree]
            roles = data.parse.get("subject", ())
            subject = {t.i for h in heads for c in h.children if c.dep_ in roles for t in c.subtree}
            objects = [t for t in near if t.i not in subject]
        else:
            # a verb-final clause puts its object well before the verb ("seine Truppen binnen zwei Wochen aus der
            # Stadt zurückziehen")
            near = list(doc[max(0, start - 10) : end + 6])
            # without a parse the subject is not known: a country before the verb may be it ("Canada will
            # withdraw the bill"), people by nationality or a count rarely are ("30 Russen freigelassen")
            objects = [t for t in near if t.i >= end or t.i not in places]
        if not _typed_object(words, objects, places, data) and not any(
            _key(t) in words or t.lower_ in words or _prefix_in(t, words) for t in near
        ):
            return False
    if trig.needs_context:
        words = {w.lower() for w in trig.needs_context}
        if not any(_key(t) in words or t.lower_ in words or _prefix_in(t, words) for t in doc):
            return False
    return True


def _typed_object(words: set[str], near: list[Token], places: frozenset[int], data: LanguageData) -> bool:
    """Requirements by kind rather than by word, outside the subject: ``<place>`` a place name ("withdraw from
    Mali", not "Canada will withdraw the bill"), ``<demonym>`` people named by nationality ("released 26
    Ukrainians"), ``<number>`` a bare count ("freed 33")."""
    if "<place>" in words and any(t.i in places for t in near):
        return True
    if "<demonym>" in words:
        table = demonym_table(data.code)
        # a tagged demonym must be a noun ("the Russian side" names no people); shallow text has no tags
        if any(t.pos_ in ("NOUN", "PROPN", "") and (table.get(_key(t)) or table.get(t.lower_)) for t in near):
            return True
    return "<number>" in words and any(t.like_num and t.pos_ in ("NUM", "NOUN", "PRON", "") for t in near)


def _prefix_in(t: Token, words: set[str]) -> bool:
    """ "troop*" matches "troops"; a word of a script without spaces matches inside a compound (「米軍兵士」)."""
    return any(
        (w.endswith("*") and t.lower_.startswith(w[:-1])) or (not w.isascii() and len(w) > 1 and w in t.text)
        for w in words
    )


def _phrase_head(span: Span) -> Token:
    """The token of a multi-token span whose head lies outside it."""
    for t in span:
        if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i:
            return t
    return span[0]


# --- adapters -------------------------------------------------------------------------------------


class Adapter:
    """Builds clauses for one sentence; the two adapters differ only in how they read its structure."""

    analysis = "full"

    def __init__(self, data: LanguageData, gaz: Gazetteer) -> None:
        self.data = data
        self.gaz = gaz
        self._predicates: dict[int, str] = {}  # of the sentence being read: trigger head token → predicate
        self._trigger_starts: list[int] = []  # … and where its triggers start

    def clauses(self, frame: SentenceFrame, state: DocumentState) -> list[Clause]:
        if frame.span is None or any(rx.search(frame.text) for rx in self.data.regex("boilerplate")):
            return []
        span = frame.span
        base = span.start_char
        places = frozenset(t.i for t in span for p in frame.places if p.start <= t.idx - base < p.end)
        matches = find_triggers(span, self.data, places)
        self._predicates = {_phrase_head(span[m.start : m.end]).i: m.trigger.predicate for m in matches}
        self._trigger_starts = [span[m.start].idx - span.start_char for m in matches]
        out: list[Clause] = []
        governed_only: set[int] = set()
        for m in matches:
            pred = langdata.predicates()[m.trigger.predicate]
            tokens = span[m.start : m.end]
            start = tokens[0].idx - span.start_char
            end = tokens[-1].idx + len(tokens[-1].text) - span.start_char
            if any(
                r.start <= start and end <= r.end and (r.mention.entity_id or r.mention.label in ("ORG", "FAC"))
                for r in frame.mentions
            ):
                continue  # a word inside a name: "willing" in "coalition of the willing", 「国防会議」
            if any(a < start and end < b for a, b in _spans(self.data.regex("short_quote"), frame.text)):
                continue  # a quoted label names an idea: 「72時間以内の米軍介入」 is not a claim
            if self.hypothetical(span, m.start, m.end):
                continue  # "without US support", 「米国の支援なしでは」: the act is absent
            if pred.breakable and self.breached(span, m.start, m.end):
                continue  # "violations of the ceasefire", 「停戦違反」: the breach is told, nobody pledges the truce
            clause = Clause(
                frame.sentence,
                pred.id,
                pred.family,
                Located(start, end),
                frame.text[start:end],
                analysis=self.analysis,
            )
            clause = self.fill(clause, frame, tokens, state)
            label = self.list_label(frame)
            if label:  # "エストニア：…", "France: ready to send…": the item's label names who acts
                clause = replace(clause, agents=tuple(label))
            if pred.symmetric:
                # "les délégations américaine, ukrainienne et russe" (parsed apart): the list the agents are in
                ids = {a.entity_id for a in clause.agents}
                if len(ids) > 1 and None not in ids:  # a part of the list found: the parse broke it
                    at = {a.start for a in clause.agents}  # the agents' own mentions are in it, not namesakes
                    linked = [_unique(a for a in g if a.entity_id) for g in _coordinated_groups(frame)]
                    wider = [g for g in linked if ids < {a.entity_id for a in g} and at <= {a.start for a in g}]
                    if wider:
                        clause = replace(clause, agents=tuple(max(wider, key=len)), joint=True)
                # "the next trilateral meetings", 「次の3者協議」, "rencontres trilatérales": the last group of three
                near = span[max(0, m.start - 3) : m.end + (0 if self.data.head_final else 2)]
                last = near[-1]
                window = frame.text[near[0].idx - span.start_char : last.idx + len(last.text) - span.start_char]
                window = window.lower()
                found = [w for w in self.data.groups if _has_word(window, w)]
                size = self.data.groups[max(found, key=len)] if found else None
                if size and len(clause.agents) != size:
                    group = last_group(state, size, meetings=True) or last_group(state, size)
                    clause = replace(clause, agents=tuple(group) or clause.agents)
            clause = replace(
                clause,
                agents=tuple(_unique(clause.agents)),
                conditional=any(a <= start < b for a, b in frame.conditions),
            )
            if _gap_negated(tokens, m.trigger, self.data):
                clause = replace(clause, negated=not clause.negated)  # "show no genuine interest"
            if m.trigger.needs_governor:
                governed_only.add(len(out))
            out.append(clause)
        for t in self.generic_heads(span, matches, frame) if self.analysis == "full" else []:
            start = t.idx - span.start_char
            clause = Clause(
                frame.sentence,
                f"act:{_key(t)}",
                "commitment",
                Located(start, start + len(t.text)),
                t.text,
                analysis=self.analysis,
            )
            clause = self.fill(clause, frame, span[t.i - span.start : t.i - span.start + 1], state)
            clause = replace(
                clause,
                agents=tuple(_unique(clause.agents)),
                conditional=any(a <= start < b for a, b in frame.conditions),
            )
            if clause.agents and (clause.modality != "asserted" or clause.time is not None):
                out.append(clause)
        quoted = self.quoted_statements(span, frame, out)
        reported = self.reported_statements(span, frame, out) if self.analysis == "full" else []
        for t in quoted + [t for t in reported if t not in quoted]:
            start = t.idx - span.start_char
            clause = Clause(
                frame.sentence, "assess", "stance", Located(start, start + len(t.text)), t.text, analysis=self.analysis
            )
            clause = self.fill(clause, frame, span[t.i - span.start : t.i - span.start + 1], state)
            if t not in quoted:  # a ministry's or a country's reported words are its news, not an assessment
                clause = replace(clause, agents=tuple(self.speaking_people(t, frame)))
            if clause.agents and not clause.negated and not clause.conditional:
                out.append(replace(clause, agents=tuple(_unique(clause.agents))))
        out = self.link_complements(out, frame)
        out = _without(out, {i for i in governed_only if out[i].governor is None})
        quoted = _spans(self.data.regex("short_quote"), frame.text)
        for q, start, end in frame.quantities:
            if any(a <= start < b for a, b in quoted):
                continue  # 「100%準備完了」 is a figure of speech
            if any(frame.text[:start].endswith(p) for p in self.data.words.get("ordinal_prefix", ())):
                continue  # 「第2回」 is a rank, not a count
            clause = Clause(frame.sentence, "count", "count", Located(start, end), q.text, analysis=self.analysis)
            clause = self.fill_count(clause, frame, state)
            orgs = [
                r
                for r in frame.actors
                if r.end <= start and (self.gaz.get(r.mention.entity_id) or _NO_ENTITY).type == "org"
            ]
            if q.unit == "country" and orgs:  # 「有志連合に加わる国は34カ国」: a count of the organisation's members
                clause = replace(clause, agents=(orgs[-1].mention,))
            out.append(replace(clause, quantity=q))
        return out

    # to be specialised
    def fill(self, clause: Clause, frame: SentenceFrame, tokens: Span, state: DocumentState) -> Clause:
        raise NotImplementedError

    def fill_count(self, clause: Clause, frame: SentenceFrame, state: DocumentState) -> Clause:
        raise NotImplementedError

    def link_complements(self, clauses: list[Clause], frame: SentenceFrame) -> list[Clause]:
        return clauses

    # shared helpers
    def in_cue_span(self, frame: SentenceFrame, pos: int, spans: Iterable[tuple[int, int]]) -> bool:
        return any(a <= pos < b for a, b in spans)

    def candidate_actors_all(self, frame: SentenceFrame) -> list[ActorRef]:
        return [r for r in frame.actors if not self.in_cue_span(frame, r.start, frame.attributions + frame.conditions)]

    def candidate_actors(self, frame: SentenceFrame, clause: Clause) -> list[ActorRef]:
        """Actors that may do the clause's action: not inside an attribution or a condition of another
        clause ("if Russia refrains…", "according to the FT")."""
        out = []
        for r in frame.actors:
            if self.in_cue_span(frame, r.start, frame.attributions):
                continue
            cond = [c for c in frame.conditions if not (c[0] <= clause.trigger.start < c[1])]
            if self.in_cue_span(frame, r.start, cond):
                continue
            out.append(r)
        return out

    def modifiers(
        self,
        clause: Clause,
        frame: SentenceFrame,
        lo: int,
        hi: int,
        local_only: bool = False,
        nested=(),
        lead=(),
        others=(),
    ) -> Clause:
        """Time, window, quantity, location and condition: inside the clause's extent first, else the nearest
        in the sentence (``local_only``: only inside, for a planned action reported on a date: "announced on
        Friday that the coalition will end its mission"). Times of clauses nested in it (``nested``: 「２０１６年
        から断絶している関係を正常化」) are theirs; a time set off at the head of the sentence (``lead``:
        「サウジとイランは１０日、…合意したと発表した」) is the main clauses', wherever the parser hung it; those of a
        coordinated clause with its own subject (``others``) are never this one's."""
        pos = clause.trigger.start
        # nothing of a nested clause is this one's; in a head-final language a clause on a noun is also how the
        # parser hangs an adverbial (「最初の違反を起点に72時間がたった時点で」), so only coordinated ones are apart
        apart = list(others) if self.data.head_final else list(nested)

        def own(x_start: int) -> bool:
            if x_start in lead:
                return True
            return lo <= x_start < hi and not any(a <= x_start < b for a, b in nested)

        def pick(items, start_of, local=False, before=False):
            inside = [x for x in items if own(start_of(x))]
            outside = [  # not in a nested clause: "…, and Kosovo will set up … within 30 days" is Kosovo's
                x
                for x in items
                if (not before or start_of(x) <= pos) and not any(a <= start_of(x) < b for a, b in apart)
            ]
            pool = inside or ([] if local else outside)
            if not pool:
                return None
            return min(pool, key=lambda x: abs(start_of(x) - pos) + (0 if start_of(x) <= pos else 3))

        # in a head-final language what follows the predicate modifies later ones (「掲載し、8月1日から課す関税」)
        time = pick(frame.times, lambda t: t.char_start, local_only, before=self.data.head_final)
        if time is None and local_only:  # "…will complete their withdrawal no later than September 15, they said"
            deadlines = [t for t in frame.times if self.time_bound(frame, t, clause)[1] is not None]
            time = pick(deadlines, lambda t: t.char_start)
        window = pick(frame.windows, lambda w: w.char_start, before=self.data.head_final)
        bound = None
        if time is not None:
            time, bound = self.time_bound(frame, time, clause)
        quantity = pick([q for q in frame.quantities if own(q[1])], lambda q: q[1])  # none lies in a lead date
        places = [p for p in frame.places if not any(a.start == p.start for a in clause_agents_refs(frame, clause))]
        venues = [p for p in places if self.locative(frame, p) or self.names_venue(frame, p, clause)]
        cities = [p for p in venues if (self.gaz.get(p.mention.entity_id) or _NO_ENTITY).type == "place"]
        location = pick(cities or [p for p in venues if p.mention.entity_id] or venues, lambda p: p.start)
        conditions = [c for c in frame.conditions if not (c[0] <= pos < c[1])]
        condition = None
        if conditions:
            c = min(conditions, key=lambda c: abs(c[0] - pos))
            condition = frame.text[c[0] : c[1]].strip(" ,、，")
        return replace(
            clause,
            time=time,
            window=window,
            quantity=quantity[0] if quantity else None,
            location=location.mention if location else None,
            condition=condition,
            span=Located(lo, hi),
            time_bound=bound,
        )

    def time_bound(self, frame: SentenceFrame, time: TimeValue, clause: Clause) -> tuple[TimeValue, str | None]:
        """ "by 2035", 「2035年までに」: a deadline (within); "until 1 February", 「2月1日まで」: for, with the start
        left open ("../2026-02-01") unless it says "until at least"; an ending act ("end the mission in
        September 2025") makes its date a deadline."""
        words = self.data.words
        if langdata.predicates()[clause.predicate].target_date:
            return time, None  # "extend the deadline to 1 August": the new date itself
        if time.is_range:
            return time, None  # 「６日から１０日まで」 is a range, its まで no "until"
        if self.data.head_final:
            after = frame.text[time.char_end : time.char_end + 6]
            if any(after.startswith(w) for w in words.get("deadline", ())):
                return time, "within"
            if any(after.startswith(w) for w in words.get("until", ())):
                return _open(time), "for"
        else:
            before = " " + " ".join(re.findall(r"[\w'’]+", frame.text[: time.char_start].lower())[-4:])
            first = re.match(r"[\w'’]*", time.text.lower())[0]  # "bis Ende 2025": the cue runs into the time
            if any(b.endswith(" " + w) for b in (before, f"{before} {first}") for w in words.get("deadline", ())):
                return time, "within"
            least = any(before.endswith(" " + w) for w in words.get("at_least", ()))
            stripped = before
            for w in words.get("at_least", ()):
                if stripped.endswith(" " + w):
                    stripped = stripped[: -len(w) - 1]
            if any(stripped.endswith(" " + w) for w in words.get("until", ())):
                return (time if least else _open(time)), "for"
            if least and any(f" {u} " in before for u in words.get("until", ())):
                return time, "for"
        if langdata.predicates()[clause.predicate].completes:
            return time, "within"
        return time, None

    def locative(self, frame: SentenceFrame, place: ActorRef) -> bool:
        """Is the place the venue: "in Abu Dhabi", "at the Élysée", 「アブダビで」?"""
        words = self.data.words.get("locative", frozenset())
        if self.data.head_final:
            return any(frame.text[place.end :].startswith(w) for w in words)
        return self.word_before(frame, place.start, 5) in words

    def word_before(self, frame: SentenceFrame, at: int, window: int) -> str | None:
        """The last word before ``at``, past the articles among the ``window`` words before it: the preposition
        a name hangs from ("in the Élysée", "aus der EU")."""
        before = re.findall(r"[\w'’]+", frame.text[:at].lower())[-window:]
        while before and before[-1] in self.data.words.get("articles", frozenset()):
            before.pop()
        return before[-1] if before else None

    def names_venue(self, frame: SentenceFrame, place: ActorRef, clause: Clause) -> bool:
        """A city named right before an event noun is its venue: "the London summit", 「ロンドン・サミット」."""
        if clause.family != "event" or (self.gaz.get(place.mention.entity_id) or _NO_ENTITY).type != "place":
            return False
        gap = frame.text[place.end : clause.trigger.start] if place.end <= clause.trigger.start else None
        return gap in ("", " ", "・", "-")

    def hypothetical(self, span: Span, start: int, end: int) -> bool:
        words = self.data.words.get("hypothetical", frozenset())
        near = span[end : end + 2] if self.data.head_final else span[max(0, start - 3) : start]
        return any(_key(t) in words or t.lower_ in words for t in near)

    def breached(self, span: Span, start: int, end: int) -> bool:
        """The trigger is what a breach word just before it breaks ("Verstöße gegen eine Waffenruhe", "порушення
        перемир'я"), or one yet to be ("un eventuale cessate il fuoco", "any future truce"), with only articles
        and the like between ("на порушення режиму тиші відповідь" responds)."""
        words = self.data.words.get("breach", frozenset()) | self.data.words.get("prospective", frozenset())
        links = self.data.words.get("breach_links", frozenset())
        demonyms = demonym_table(self.data.code)
        near = range(end, min(len(span), end + 3)) if self.data.head_final else range(start - 1, max(-1, start - 6), -1)
        for i in near:
            t = span[i]
            if _key(t) in words or t.lower_ in words or _prefix_in(t, words):
                return True
            if t.lower_.strip("'’") not in links and not (demonyms.get(_key(t)) or demonyms.get(t.lower_)):
                return False  # "violaciones rusas de un futuro alto el fuego": a demonym may stand between
        return False

    def quotations(self, span: Span, frame: SentenceFrame, found: list[Clause], judged: bool) -> list[tuple[int, int]]:
        """The sentence's quotations that say something and state none of the acts found in them; with
        ``judged``, a judgement found inside one is part of what it says ("«весьма конструктивными»")."""
        return [
            (a, b)
            for a, b in _spans(self.data.regex("quotation"), frame.text)
            if not any(a <= c.trigger.start < b and not (judged and c.family == "stance") for c in found)
            and self.statement(span, a, b)
        ]

    def statement(self, span: Span, a: int, b: int) -> bool:
        """Quoted words that say something: two words or more; in a head-final language ending in a predicate
        (「歴史的な日だ」, not the label 「個人的な要請」)."""
        words = [t for t in span if a < t.idx - span.start_char < b - 1 and not t.is_punct]
        if self.data.head_final:
            return bool(words) and words[-1].pos_ in ("VERB", "AUX", "ADJ")
        return len(words) >= 2

    def list_label(self, frame: SentenceFrame) -> list[Mention]:
        """The actors of a list item's label ("Estonia: offered…", 「クロアチア・チェコ:…」)."""
        m = _LIST_LABEL.match(frame.text)
        if not m:
            return []
        return _unique([r.mention for r in frame.actors if r.end <= m.end(1)])

    def tokens_in(self, frame: SentenceFrame, lo: int, hi: int) -> list[Token]:
        base = frame.span.start_char
        return [t for t in frame.span if lo <= t.idx - base < hi]

    def words(self, frame: SentenceFrame, lo: int, hi: int) -> set[str]:
        """Lemmas and lower-cased forms of the tokens in [lo, hi)."""
        toks = self.tokens_in(frame, lo, hi)
        return {_key(t) for t in toks} | {t.lower_ for t in toks}


def _has_word(text: str, w: str) -> bool:
    if not w.isascii():
        return w in text
    return re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text) is not None


def _group_size(words: Iterable[str], data: LanguageData) -> int | None:
    """ "the three countries" → 3, "both sides" / 「両国」 → 2, "trilateral" / 「3者」 → 3."""
    size = None
    for w in words:
        if w in data.groups:
            return data.groups[w]
        if w in data.numbers and w not in ("a", "an"):
            size = int(data.numbers[w])
        elif w.isdigit() and int(w) < 20:
            size = int(w)
    return size


def last_group(
    state: DocumentState, size: int | None, meetings: bool = False, parties: bool = False, gaz: Gazetteer | None = None
) -> list[Mention]:
    """The latest group of ``size`` distinct actors named together in the document (``meetings``: that met;
    ``parties``: of states or groups rather than of the people who signed for them)."""
    if not size:
        return []
    pool = state.meeting_groups if meetings else state.party_groups if parties else state.groups
    sized = [g for g in pool if len({m.entity_id or m.text for m in g}) == size]
    if parties and gaz is not None:
        sized = [g for g in sized if not any(_is_person(m, gaz) for m in g)] or sized
    return _unique(sized[-1]) if sized else []


def _gap_negated(tokens: Span, trigger: langdata.Trigger, data: LanguageData) -> bool:
    """A negation inside the gap of a "show ... interest" trigger."""
    words = {w.lower() for p in trigger.patterns for w in p.split()}
    neg = data.words.get("negation", frozenset())
    return any((_key(t) in neg or t.lower_ in neg) and _key(t) not in words for t in tokens[1:-1])


def _open(time: TimeValue) -> TimeValue:
    """ "until February 1": the end is stated, the start is not (a range keeps both ends)."""
    return time if time.is_range else replace(time, open_start=True)


def clause_agents_refs(frame: SentenceFrame, clause: Clause) -> list[ActorRef]:
    ids = {id(m) for m in clause.agents}
    return [r for r in frame.actors if id(r.mention) in ids]


# --- the dependency adapter ---------------------------------------------------------------------


class DependencyAdapter(Adapter):
    analysis = "full"

    def roles(self, role: str) -> tuple[str, ...]:
        return self.data.parse.get(role, ())

    def fill(self, clause: Clause, frame: SentenceFrame, tokens: Span, state: DocumentState) -> Clause:
        head = _phrase_head(tokens)
        root = self.clause_root(head)
        lo, hi = _extent(root, frame.span)
        modality = self.modality(head, tokens, frame)
        reported = self.reporter_token(root) is not None
        nominal = head.pos_ in ("NOUN", "PROPN")
        local = (reported and modality != "asserted") or (nominal and clause.family == "event")
        nested = [  # a clause on a noun of this one has its own times, except on the trigger noun itself
            _extent(t, frame.span)
            for t in root.subtree
            if t.dep_ in self.roles("relative") + self.roles("modifier") + ("relcl", "acl")
            and t.i != head.i
            and t.i != root.i
            and not any(a.i == t.i for a in head.ancestors)
            # "talks, which began in May", 「開催された初の協議」
            and not (nominal and head.i in (t.head.i, t.head.head.i))
        ]
        others = [  # "Serbia will not object …, and Kosovo will set up … within 30 days": the other subject's
            _extent(t, frame.span)
            for t in root.children
            if t.dep_ in self.roles("coordination")
            and t.pos_ in ("VERB", "AUX")
            and t.i != head.i
            and not any(a.i == t.i for a in head.ancestors)
            and any(c.dep_ in self.roles("subject") for c in t.children)
        ]
        main = root.dep_ not in self.roles("relative") + self.roles("modifier") + ("relcl", "acl")
        # the main predicate, or an act it reports as done (「合意したと発表」), not a pledged future act
        told = head.dep_ == "ROOT" or (head.head.dep_ == "ROOT" and nominal) or self.is_past(head)
        told = told or (
            nominal and langdata.predicates()[clause.predicate].symmetric
        )  # "Le 5 février, lors de leur réunion"
        lead = self.lead_times(frame) if main and told else ()
        clause = self.modifiers(
            clause, frame, lo, hi, local_only=local, nested=nested + others, lead=lead, others=others
        )
        if clause.window is not None and clause.window.bound == "after" and self.elapsed(clause.window, frame):
            clause = replace(clause, window=None)
        candidates = self.candidate_actors(frame, clause)
        agents = self.agents(head, frame, candidates, state)
        pred = langdata.predicates()[clause.predicate]
        if pred.symmetric:
            agents = _unique([*agents, *self.comitative(head, frame, candidates)])
        companions = self.companions(head, frame, candidates) if agents else []
        agents = _unique([*agents, *companions])  # "Finland applied together with Sweden": both applied
        joint = bool(companions) or self.is_joint(clause, head, frame, agents)
        objects, object_text = self.object_of(head, frame, agents)
        return replace(
            clause,
            agents=tuple(agents),
            joint=joint,
            objects=tuple(objects),
            object_text=object_text,
            negated=self.negated(head, tokens),
            modality=modality,
            past=self.is_past(self.telling_verb(head, root, clause) or head),
            attribution=tuple(self.attribution(head, frame)),
            describes=self.describes(head),
            nominal=nominal,
            purpose=self.for_purpose(head),
        )

    def telling_verb(self, head: Token, root: Token, clause: Clause) -> Token | None:
        """The verb that tells a predicate noun as done: any verb of an event noun ("had carried out 73
        strikes"), an aspectual verb of an act ("completed its withdrawal", 「撤収を完了した」)."""
        if head.pos_ not in ("NOUN", "PROPN") or root.i == head.i or root.pos_ not in ("VERB", "AUX"):
            return None
        light = self.data.has("light_verbs", _key(root)) and head.head.i == root.i  # "carried out a swap"
        return root if clause.family == "event" or light or self.data.has("aspectual", _key(root)) else None

    def lead_times(self, frame: SentenceFrame) -> tuple[int, ...]:
        """Starts of times that open the sentence before any verb and are set off by a comma ("On Friday, …",
        「…は１０日、」): they date the sentence's main predicate."""
        out = []
        base = frame.span.start_char
        for t in frame.times:
            before = [x for x in frame.span if x.idx - base < t.char_start]
            # "les 23 et 24 janvier à Abou Dhabi, il …": a venue may come with the date before the comma
            comma = next((x for x in frame.span if x.idx - base >= t.char_end and x.text in (",", "、", "，")), None)
            between = [x for x in frame.span if comma is not None and t.char_end <= x.idx - base < comma.idx - base]
            placed = len(between) <= 4 and not any(x.pos_ in ("VERB", "AUX") for x in between)
            if comma is not None and placed and not any(x.pos_ in ("VERB", "AUX") for x in before):
                out.append(t.char_start)
        return tuple(out)

    def elapsed(self, window: Window, frame: SentenceFrame) -> bool:
        """ "nearly two years after war broke out": time since a past event, not a window of the claim; "after 12
        hours of talks" (``duration_of``): how long something lasted."""
        anchor = window.char_end - len(window.anchor or "")
        if window.anchor and any(
            rx.search(frame.text[window.char_start : anchor]) for rx in self.data.regex("duration_of")
        ):
            return True
        for t in frame.span:
            start = t.idx - frame.span.start_char
            if start < anchor:
                continue
            if t.is_punct or start > window.char_end + 60:
                return False
            if t.pos_ in ("VERB", "AUX") and "Past" in t.morph.get("Tense") and "Fin" in t.morph.get("VerbForm"):
                return True
        return False

    def for_purpose(self, head: Token) -> bool:
        """ "…to monitor the peace deal" as what something is for (「監視・履行するための展開」): no claim."""
        return head.head.i != head.i and self.data.has("purpose", _key(head.head))

    def describes(self, head: Token) -> bool:
        """A participle or relative clause on a content noun describes it: "the line agreed", 「合意した線」,
        「後押ししてくれた各国」 (not 「交換することで合意」: こと is a formal noun)."""
        if head.dep_ not in self.roles("modifier") + self.roles("relative") + ("acl", "relcl", "amod"):
            return False
        noun = head.head
        return noun.pos_ in ("NOUN", "PROPN") and not self.data.has("formal_nouns", _key(noun))

    def comitative(self, head: Token, frame: SentenceFrame, actors: list[ActorRef]) -> list[Mention]:
        """ "met with Witkoff", "talks with U.S. officials", 「ゼレンスキー大統領と会談」: joint actors."""
        base = frame.span.start_char
        words = self.data.words.get("comitative", frozenset())
        out = []
        for t in [head, *([head.head] if head.dep_ in self.roles("object") else [])]:
            for c in t.children:
                if _key(c) in words and c.dep_ in self.roles("oblique") + ("prep",):
                    for o in c.children:
                        out += self.phrase_actors(o, frame, actors)
                elif any(_key(x) in words and x.dep_ in self.roles("case") for x in c.children):
                    out += [a.mention for a in _overlapping(actors, [c, *self.conjuncts(c)], base)]
        return out

    def companions(self, head: Token, frame: SentenceFrame, actors: list[ActorRef]) -> list[Mention]:
        """Named actors that act together with the agents: a ``joint_companions`` word tied to a comitative
        ("applied together with Sweden", "Britain, along with France, will send", 「スウェーデンとともに申請」);
        "along its border with Syria" names no partner."""
        words = self.data.words.get("joint_companions", frozenset())
        if not words:
            return []
        comitative = self.data.words.get("comitative", frozenset())
        verbs = [head, *([head.head] if head.dep_ in self.roles("object") else [])]  # 「制裁を科した」: its verb
        roles = self.roles("subject") + self.roles("object")  # "imposed sanctions together with the US"
        scope = {t.i for v in verbs for t in [v, *(c for c in v.children if c.dep_ in roles)]}
        out: list[Mention] = []
        for x in frame.span:
            if _key(x) not in words and x.lower_ not in words:
                continue
            if _key(x.head) in comitative and x.head.head.i in scope:
                partners = [x.head]  # "together" modifying the verb's "with"
            elif x.head.i in scope:  # "along with" on the subject, 「スウェーデンとともに」 on the verb
                partners = [
                    c
                    for c in x.children
                    if _key(c) in comitative
                    or any(_key(k) in comitative for k in c.children if k.dep_ in self.roles("case"))
                ]
            else:
                continue
            phrase = [t for p in partners for t in p.subtree if t.i != x.i]
            out += [a.mention for a in _overlapping(actors, phrase, frame.span.start_char) if a.mention.entity_id]
        return out

    def fill_count(self, clause: Clause, frame: SentenceFrame, state: DocumentState) -> Clause:
        """A number's agent: the actor it counts ("the 35-country coalition"), else the subject of the verb
        it depends on ("the US has 2,500 troops", "the coalition, which grew to more than 30 countries")."""
        span = frame.span
        base = span.start_char
        toks = [t for t in span if clause.trigger.start <= t.idx - base < clause.trigger.end]
        if not toks:
            return clause
        t = toks[-1]
        for _ in range(2):
            if t.dep_ in ("nummod", "compound", "amod", "quantmod", "npadvmod", "nmod") and t.head.i != t.i:
                t = t.head
        actors = self.candidate_actors(frame, clause)
        own = _overlapping(actors, [t], base)  # "the 35-country coalition": the number counts the coalition
        if not own and self.data.has("actor_nouns", _key(t)):  # "the roughly 1,000 US personnel": the US's
            mods = [c for c in t.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
            own = [a for a in _overlapping(actors, mods, base) if a.mention.entity_id]
        if own and own[0].start > clause.trigger.end - 1:
            return replace(self.modifiers(clause, frame, *_extent(t, span)), agents=(own[0].mention,))
        verb = t
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX") and not own:
            return clause
        lo, hi = _extent(verb, span)
        agents = own and [own[0].mention] or self.agents(verb, frame, actors, state)
        return replace(self.modifiers(clause, frame, lo, hi), agents=tuple(agents))

    def reporter_token(self, root: Token) -> Token | None:
        """The reporting verb whose complement the clause is ("said that …", 「…と述べた」)."""
        t = root
        for _ in range(3):
            if t.head.i == t.i:
                return None
            if self.data.has("reporting", _key(t.head)) and t.dep_ in self.roles("complement") + ("advcl", "parataxis"):
                return t.head
            t = t.head
        return None

    # structure
    def clause_root(self, head: Token) -> Token:
        """The verb (or predicate noun) whose subtree is the clause: climb out of compounds and modifiers; a
        noun that is its verb's subject or object is told by that verb ("the talks will begin on 4 February")."""
        t = head
        for _ in range(4):
            if t.dep_ in self.roles("modifier") + ("compound", "amod", "nmod", "fixed") and t.head.i != t.i:
                t = t.head
                continue
            break
        roles = self.roles("subject") + self.roles("passive_subject") + self.roles("object")
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ in roles and t.head.pos_ in ("VERB", "AUX"):
            return t.head
        if t.pos_ in ("NOUN", "PROPN") and self.data.has("light_verbs", _key(t.head)):
            return t.head  # 「アブダビで第2回の協議に臨む」: the verb holding the talks tells when and where
        return t

    def agents(self, head: Token, frame: SentenceFrame, actors: list[ActorRef], state: DocumentState) -> list[Mention]:
        """Walk up from the predicate to the first subject (or passive agent) within the clause chain."""
        t = head
        came_from = None  # the complement we climbed out of
        for _ in range(8):
            by = [c for c in t.children if c.dep_ in self.roles("agent")]
            if by:
                inner = [x for x in by[0].children if x.dep_ in self.roles("object")] or [by[0]]
                found = self.phrase_actors(inner[0], frame, actors)
                if found:
                    return found
            lead = frame.span.start_char + frame.lead
            subjects = [c for c in t.children if c.dep_ in self.roles("subject")]
            in_dateline = [c for c in subjects if c.idx < lead]  # "NAIROBI, March 3 (Reuters) - Sudan's army …"
            subjects = [c for c in subjects if c.idx >= lead] or [
                a for c in in_dateline for a in c.children if a.dep_ == "appos" and a.idx >= lead
            ]  # parsers hang the real subject on the dateline's city
            own = [c for c in subjects if not self.data.has("topic_marks", self.case_text(c))]
            if 0 < len(own) < len(subjects):  # 「防衛省は…中国軍が…発射し…と発表」: the topic is the teller's
                subjects = [own[-1], *[c for c in subjects if c is not own[-1]]]
            subjects += self.themes(t)
            if not subjects and self.data.head_final:
                subjects = self.chained_subjects(t)  # 「ロシア政府が要請を受け入れ、…合意した」: one subject
            relative = subjects and ("Rel" in subjects[0].morph.get("PronType") or subjects[0].tag_ in ("WDT", "WP"))
            if relative and t.dep_ in self.roles("relative"):
                return self.phrase_actors(t.head, frame, actors)  # "the coalition, which grew to …"
            split = [c for c in subjects if c.dep_ in self.roles("subject")]
            joined = len(split) > 1 and any(
                x.pos_ == "CCONJ" for x in frame.span.doc[split[0].i : split[1].left_edge.i]
            )  # "Shares in the companies Toyota, Nissan …" is one subject misread as two: no "and" between them
            if joined and not self.data.head_final:  # one subject the parser split at "and"
                heads = [x for c in split for x in (c, *self.conjuncts(c))]
                return self.heads_actors(heads, frame, actors) or self.subject_actors(
                    subjects[0], t, frame, actors, state
                )
            if subjects:
                found = self.subject_actors(subjects[0], t, frame, actors, state)
                if not found and any(self.data.has("passive", _key(x)) for x in self.verb_group(t)):
                    return self.told_before(head, state)  # 「ミサイル1発が発射されました」
                return found
            holds_event = self.holds_event(t)
            if t.pos_ in ("VERB", "AUX") and (t.i == head.i or head.pos_ not in ("VERB", "AUX")) and not holds_event:
                theme = self.text_theme(t, frame, actors)
                if theme:  # 「モスクワは…キーウに対し…要求」: the last theme before the predicate
                    return theme
            passive = [c for c in t.children if c.dep_ in self.roles("passive_subject")]
            if passive and came_from is not None and self.data.has("raising", _key(t)):
                return self.subject_actors(passive[0], t, frame, actors, state)  # "are expected to gather"
            if passive:
                return (
                    self.holder(t, passive[0], frame, actors)
                    or self.moved_forces(t, passive[0], frame, actors)
                    or self.told_before(head, state)
                )
            if came_from is not None and self.data.has("object_control", _key(t)):
                objs = [c for c in t.children if c.dep_ in self.roles("object")]
                if objs:  # "asked Putin to refrain": Putin refrains
                    found = self.phrase_actors(objs[0], frame, actors)
                    if found:
                        return found
            if t.pos_ in ("NOUN", "PROPN"):
                found = self.noun_agents(t, frame, actors)
                if found:
                    return found
                if (
                    t.dep_ in self.roles("object")
                    and t.head.pos_ in ("VERB", "AUX")
                    and t.i == head.i
                    and t.head.i not in self._predicates  # a stance on it ("rejects the deployment") is not its agent
                ):
                    t = t.head  # "has mentioned possible air support": the one who mentions it supports
                    continue
            label = t.dep_
            if t.head.i == t.i:
                break
            if label in self.roles("relative"):
                found = self.phrase_actors(t.head, frame, actors)
                return found
            if self.data.head_final and holds_event:
                return self.phrase_actors(t.head, frame, actors)
            if (
                t.pos_ in ("NOUN", "PROPN")
                and label in self.roles("oblique")
                and not self.data.has("light_verbs", _key(t.head))
                and self.data.has("deadline", self.case_text(t))
            ):
                break  # 「会議までに回答」: who answers by the meeting is not who meets
            if label in self.roles("complement") + self.roles("coordination") + self.roles("clause"):
                came_from = t if label in self.roles("complement") else None
                t = t.head
                continue
            break
        objects = [c for c in head.children if c.dep_ in self.roles("object")]
        # 「アメリカとイギリスの原潜を巡回配備」: told with no subject, who moves forces is whose forces they are
        moved = self.moved_forces(head, objects[0], frame, actors) if objects else []
        return moved or self.zero_anaphora(head, frame, state)

    def told_before(self, head: Token, state: DocumentState) -> list[Mention]:
        """A headline names who acted and the body tells the act in the passive ("North Korea fires missile" …
        "the missile was launched from …"): an act told without its actor is the last telling's, in a heading
        or the paragraphs just before."""
        predicate = self._predicates.get(head.i)
        if predicate is None or predicate not in state.acts:
            return []
        paragraph, agents = state.acts[predicate]
        return list(agents) if paragraph < 0 or paragraph >= state.paragraph - 1 else []

    def holds_event(self, t: Token) -> bool:
        """A clause on an event noun that holds it (「来月開かれる会議」, "COP30, held in November"): the
        sentence's theme or subject is not who meets (「欧州委は、11月に開かれるCOP30までに…」), while in
        「トランプ氏は8月1日から課す関税を…」 the theme does impose the tariff."""
        if t.dep_ not in self.roles("modifier") + self.roles("relative") or t.head.pos_ not in ("NOUN", "PROPN"):
            return False
        on = self._predicates.get(t.head.i)
        return self.data.has("light_verbs", _key(t)) or (on is not None and langdata.predicates()[on].symmetric)

    def text_theme(self, head: Token, frame: SentenceFrame, actors: list[ActorRef]) -> list[Mention]:
        """The last actor before the predicate marked as the sentence's theme (``theme_marker`` cues), with the
        actors coordinated with it (「クロアチアとチェコは」)."""
        pos = head.idx - frame.span.start_char
        marked = [
            a
            for a in actors
            if a.end <= pos and any(rx.match(frame.text[a.end :]) for rx in self.data.regex("theme_marker"))
        ]
        if not marked:
            return []
        last = marked[-1]
        group = [last]
        joins = self.data.words.get("coordinators", frozenset())
        for a in reversed([a for a in actors if a.end <= last.start]):
            gap = frame.text[a.end : group[0].start]
            described = any(  # 「スーダン国軍と準軍事組織のRSFは」: the second named with what it is
                gap.startswith(j) and re.fullmatch(r"[^、。，,\s]{1,12}の", gap[len(j) :]) for j in joins
            )
            if gap not in joins and not described:
                break
            group.insert(0, a)
        return self.people_first(_unique([a.mention for a in group]))

    def themes(self, t: Token) -> list[Token]:
        """Children marked only by a theme particle (「モスクワは」 is obl for GiNZA, yet the one who demands)."""
        theme = self.data.words.get("theme", frozenset())
        out = []
        for c in t.children:
            marks = {_key(x) for x in c.children if x.dep_ in self.roles("case")}
            if marks and marks <= theme and c.dep_ not in self.roles("subject"):
                out.append(c)
        return out

    def zero_anaphora(self, head: Token, frame: SentenceFrame, state: DocumentState) -> list[Mention]:
        """Japanese drops known subjects: the sentence's theme (「ロシアは、…を一蹴」) acts in its clauses, and the
        previous sentence's agents carry over to a sentence with no subject at all."""
        if not self.data.head_final or head.pos_ not in ("VERB", "AUX"):
            return []
        if self.holds_event(head):
            return []
        themes = [
            t
            for t in frame.span
            if t.dep_ in self.roles("subject")
            and t.i < head.i
            and any(_key(c) in self.data.words.get("theme", frozenset()) for c in t.children)
        ]
        if themes:
            found = self.phrase_actors(themes[-1], frame, self.candidate_actors_all(frame))
            if found:
                return found
        root = head
        while root.dep_ in self.roles("coordination") + self.roles("complement") + ("advcl",) and root.head.i != root.i:
            root = root.head
        if root.dep_ != "ROOT" or any(c.dep_ in self.roles("subject") for c in root.sent):
            return []
        return list(state.previous_agents)

    def holder(self, verb: Token, patient: Token, frame, actors) -> list[Mention]:
        """ "the hostages held by Hamas will be freed", 「ハマスが拘束している人質は…解放される」: for predicates whose
        holder acts (release), the agent of the clause describing the patient."""
        clause = self._clause_of(verb)
        if clause is None or not langdata.predicates()[clause].holder_acts:
            return []
        for c in patient.children:
            if c.dep_ in self.roles("modifier") + self.roles("relative") + ("acl", "relcl"):
                by = [x for x in c.children if x.dep_ in self.roles("agent") + self.roles("subject")]
                for b in by:
                    inner = [x for x in b.children if x.dep_ in self.roles("object")] or [b]
                    found = self.phrase_actors(inner[0], frame, actors)
                    if found:
                        return found
        return []

    def moved_forces(self, verb: Token, patient: Token, frame, actors) -> list[Mention]:
        """ "British troops will be sent", "Australian personnel will be deployed": for predicates that move an
        actor's own forces (``moves_own``), the state named in the passive subject moves them."""
        clause = self._clause_of(verb)
        if clause is None or not langdata.predicates()[clause].moves_own:
            return []
        found = _overlapping(actors, list(patient.subtree), frame.span.start_char)
        return _unique(a.mention for a in found if a.mention.entity_id)

    def _clause_of(self, verb: Token) -> str | None:
        return self._predicates.get(verb.i)

    def subject_actors(self, subj: Token, verb: Token, frame, actors, state) -> list[Mention]:
        """Actors of a subject phrase; a pronoun is the reporting verb's speaker ("Spain said it would not…"),
        a group ("the three countries") the last group of that size, "he" / 「同氏」 the last person named, a
        personal pronoun the last agents."""
        if self.data.has("person_pronouns", subj.lower_) or self.data.has("person_pronouns", subj.text):
            return self.person_before(subj, frame, state)
        if _key(subj) in self.data.words.get("pronouns", ()) or subj.pos_ == "PRON":
            group = self.group_reference(subj, frame, state)
            if group:
                return group
            speaker = self.reporter(verb, frame, actors) or self.reporter(verb, frame, actors, any_verb=True)
            if speaker:
                return speaker
            personal = _key(subj) in self.data.words.get("pronouns", ()) or subj.lower_ in self.data.words.get(
                "pronouns", ()
            )
            at = subj.idx - frame.span.start_char
            sources = [  # "Selon M. Witkoff, …, qu'il juge « productives »": the person the sentence cites
                r.mention
                for r in frame.actors
                if r.end <= at
                and _is_person(r.mention, self.gaz)
                and self.in_cue_span(frame, r.start, frame.attributions)
            ]
            if personal and sources and "Plur" not in subj.morph.get("Number"):
                return sources[-1:]
            return list(state.previous_agents) if personal else []
        group = self.group_reference(subj, frame, state)
        if group:
            return group
        found = self.phrase_actors(subj, frame, actors)
        owner = [c for c in subj.children if c.dep_ in ("poss", "nmod:poss") and c.pos_ == "PRON"]
        if (
            not found
            and owner
            and (self.data.has("group_nouns", _key(subj)) or self.data.has("actor_nouns", _key(subj)))
        ):
            return self.reporter(verb, frame, actors) or list(state.previous_agents)  # "its forces", "their troops"
        owned = any(c.dep_ in ("poss", "nmod:poss", "compound", "nmod") for c in subj.children if c.pos_ != "ADJ")
        if not found and not owned and self.data.has("state_nouns", _key(subj)) and state.last_country is not None:
            return [state.last_country]  # "the government", "the national army": of the country in the story
        if not found and self.data.has("member_nouns", _key(subj)) and state.last_org is not None:
            return [state.last_org]  # "each member state", 「各加盟国」: of the organisation in the story
        if not found and self.data.head_final and self.data.has("pronouns", _key(subj)):
            return list(state.previous_agents)
        return found

    def person_before(self, subj: Token, frame: SentenceFrame, state: DocumentState) -> list[Mention]:
        """The person a personal pronoun stands for: the last one named before it, in this sentence or earlier."""
        at = subj.idx - frame.span.start_char
        here = [r.mention for r in frame.actors if r.end <= at and _is_person(r.mention, self.gaz)]
        person = here[-1] if here else state.last_person
        return [person] if person is not None else []

    def group_reference(self, subj: Token, frame: SentenceFrame, state: DocumentState) -> list[Mention]:
        """ "the three countries", "both sides", 「両国」, 「3カ国」: the last group of that many actors."""
        if not self.data.has("group_nouns", _key(subj)) and _key(subj) not in self.data.words.get("pronouns", ()):
            return []
        if any(a.start <= subj.idx - frame.span.start_char < a.end for a in frame.actors):
            return []
        words = [_key(t) for t in subj.subtree] + [subj.text, subj.lower_]
        parties = self.data.has("party_nouns", _key(subj)) or self.data.has("party_nouns", subj.text)
        return last_group(state, _group_size(words, self.data), parties=parties, gaz=self.gaz)

    def reporter(self, verb: Token, frame, actors, any_verb: bool = False) -> list[Mention]:
        """The speaker of the reporting verb above ``verb`` ("Spain said it would not send troops"); with
        ``any_verb``, the subject of any verb whose complement it is ("the Houthis denied that they had agreed")."""
        t = verb
        for _ in range(3):
            if t.head.i == t.i:
                return []
            if t.dep_ in self.roles("complement") and (any_verb or self.data.has("reporting", _key(t.head))):
                subj = [c for c in t.head.children if c.dep_ in self.roles("subject")]
                return self.phrase_actors(subj[0], frame, actors) if subj else []
            t = t.head
        return []

    def phrase_actors(self, phrase: Token, frame: SentenceFrame, actors: list[ActorRef]) -> list[Mention]:
        """Actors a noun phrase names, head by coordinated head ("Colombia's government and the ELN"): the
        head's own mention; for a group noun ("negotiators from Kyiv, Moscow and Washington", "forces of the
        coalition", "Russia's Defense Ministry") the actors it is made of."""
        return self.heads_actors([phrase, *self.conjuncts(phrase)], frame, actors)

    def heads_actors(self, heads: list[Token], frame: SentenceFrame, actors: list[ActorRef]) -> list[Mention]:
        """Actors of coordinated heads; a name coordinated with an actor is one too, whatever its NER label
        ("Venezuela's government and the opposition Unitary Platform", the platform read as a building)."""
        out: list[Mention] = []
        unknown = []
        for h in heads:
            found = self.head_actors(h, frame, actors)
            out += found
            if not found and h.pos_ == "PROPN":
                unknown.append(h)
        if out and unknown:
            named = _overlapping(frame.mentions, unknown, frame.span.start_char)
            out += [r.mention for r in named if r.mention.entity_id is None and r.mention.label != "DATE"]
        return self.people_first(_unique(out))

    def head_actors(self, h: Token, frame: SentenceFrame, actors: list[ActorRef]) -> list[Mention]:
        base = frame.span.start_char
        own = _overlapping(actors, [h], base)
        group = self.data.has("group_nouns", _key(h)) or self.data.has("actor_nouns", _key(h))
        if own and all(a.mention.entity_id is None and a.mention.source != "acronym" for a in own):
            people = all(a.mention.label == "PERSON" for a in own)  # (a name given with its acronym is its own)
            linked = (
                self.linked_modifier([h], frame, actors) if group else (self.spoken_for([h], frame) if people else [])
            )
            if linked:
                return linked  # "Russia's Defense Ministry" is Russia; "Dmitriev, Putin's envoy" speaks for Russia
        if own:
            named = _overlapping(actors, [c for c in h.children if c.dep_ == "compound"], base)
            people = [a.mention for a in named if _is_person(a.mention, self.gaz)]
            if any(_is_person(a.mention, self.gaz) for a in own):
                people = []  # "Prince Abdulaziz bin Salman" tagged as two names is one person
            return self.people_first(people + [a.mention for a in own])  # 「バイデン米大統領」: 米大統領 is one word
        if not group:
            return []
        inner = [t for t in h.subtree if not self.in_clause(t, h)]
        found = _overlapping(actors, inner, base)
        linked = [a for a in found if a.mention.entity_id] or found
        direct = _overlapping(actors, [t for m in self.modifier_tokens(h) for t in m], base)
        if not {id(a) for a in linked} <= {id(a) for a in direct}:
            linked = self.specific(linked)  # "Western-backed forces with the US military": the US
        return [a.mention for a in linked]

    def people_first(self, mentions: list[Mention]) -> list[Mention]:
        """ "トランプ米大統領", "U.S. President Donald Trump": the person, not also the country he speaks for."""
        people = {
            self.gaz.get(m.entity_id).parent
            for m in mentions
            if (self.gaz.get(m.entity_id) or _NO_ENTITY).type == "person"
        }
        return [m for m in mentions if m.entity_id not in people]

    def modifier_tokens(self, head: Token) -> list[list[Token]]:
        """The head's own modifiers and their coordinated words ("Ukrainian, European and American")."""
        out = []
        for c in head.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod:poss", "nummod"):
                out.append([c, *self.conjuncts(c)])
        return out

    def specific(self, refs: list[ActorRef]) -> list[ActorRef]:
        """Regions ("the West") only when no country, force or organisation is named beside them."""
        kept = [r for r in refs if (self.gaz.get(r.mention.entity_id) or _NO_ENTITY).type != "region"]
        return kept or refs

    def linked_modifier(self, heads: list[Token], frame: SentenceFrame, actors: list[ActorRef]) -> list[Mention]:
        base = frame.span.start_char
        mods = [c for h in heads for c in h.children if c.dep_ in ("poss", "compound", "amod", "nmod", "nmod:poss")]
        found = _overlapping(actors, [t for m in mods for t in m.subtree], base)
        return _unique([a.mention for a in found if a.mention.entity_id])

    def spoken_for(self, heads: list[Token], frame: SentenceFrame) -> list[Mention]:
        """An unlinked person described by an apposition ("Dmitriev, Putin's envoy") or a title ("ELN commander
        Antonio Garcia", "Houthi military spokesman Yahya Saree") that names a linked actor: the actor they speak
        for."""
        base = frame.span.start_char
        described = [c for h in heads for c in h.children if c.dep_ == "appos"]
        titles = [c for h in heads for c in h.children if c.dep_ == "compound" and c.pos_ == "NOUN"]
        described += [c for t in titles for c in t.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
        found = _overlapping(frame.actors, [t for a in described for t in a.subtree], base)
        out = []
        for a in found:
            entity = self.gaz.get(a.mention.entity_id)
            if entity is None:
                continue
            eid = entity.parent if entity.type == "person" and entity.parent else entity.id
            out.append(replace(a.mention, entity_id=eid))
        return _unique(out[:1])

    def in_clause(self, t: Token, top: Token) -> bool:
        """Is ``t`` inside a relative or participle clause under ``top`` — other than one of inclusion ("a force
        that includes the US military", 「米軍を含む部隊」), which names members?"""
        while t.i != top.i and t.head.i != t.i:
            if t.dep_ in self.roles("relative") + self.roles("modifier") + ("relcl", "acl") and t.pos_ in (
                "VERB",
                "AUX",
            ):
                return not self.data.has("inclusion", _key(t))
            t = t.head
        return False

    def in_relative(self, t: Token, top: Token) -> bool:
        while t.i != top.i and t.head.i != t.i:
            if t.dep_ in self.roles("relative") + ("appos",):
                return True
            t = t.head
        return False

    def conjuncts(self, t: Token) -> list[Token]:
        out = [c for c in t.children if c.dep_ in self.roles("coordination")]
        # "Starmer, Macron and Zelensky" parsed as an apposition: a name in apposition to a name that goes on
        # with "and …" is a list
        out += [
            c
            for c in t.children
            if c.dep_ == "appos"
            and t.pos_ == c.pos_ == "PROPN"
            and any(x.dep_ in self.roles("coordination") for x in c.children)
        ]
        coordinators = self.data.words.get("coordinators", frozenset())

        def marks(c: Token) -> set[str]:
            return {x.text for x in c.children if x.dep_ in self.roles("case") + ("cc", "punct")}

        for c in t.children:
            if c.dep_ in ("nmod", "dep", "compound") and self.data.head_final:
                if marks(c) & coordinators and not marks(c) & {"の", "へ", "に"}:
                    out.append(c)
                elif "の" in marks(c):  # 「スーダン国軍と準軍事組織のRSF」, 「日本と米国の首脳」: A and (B's) C
                    listed = [
                        g for g in c.children if g.dep_ in ("nmod", "compound") and marks(g) & coordinators - {"の"}
                    ]
                    out += [*listed, c] if listed else []
        more = []
        for c in out:
            more += self.conjuncts(c)
        return out + more

    def noun_agents(self, noun: Token, frame, actors) -> list[Mention]:
        """The agent of a predicate noun: "US support", "Russia's withdrawal", "action by the Ukrainian army",
        「米軍の介入」, 「米国による支援」."""
        base = frame.span.start_char
        cands = []
        table = demonym_table(self.data.code)
        mods = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod")]
        if any(table.get(_key(c)) or table.get(c.lower_) for c in mods):
            # "a Spanish contribution", "les délégations américaine, ukrainienne et russe": every demonym of the
            # phrase (parsers attach the coordinated ones anywhere inside it)
            out = []
            for t in sorted(noun.subtree, key=lambda x: x.i):
                eid = table.get(_key(t)) or table.get(t.lower_)
                if eid and t.i != noun.i and not self.in_clause(t, noun) and eid not in {m.entity_id for m in out}:
                    start = t.idx - base
                    mention = Mention(
                        frame.sentence.idx,
                        frame.sentence.start + start,
                        frame.sentence.start + start + len(t.text),
                        t.text,
                        "GPE",
                        eid,
                        "demonym",
                    )
                    out.append(mention)
            return out
        # a genitive before a compound: in 「ペロシ議長の台湾訪問」 Taiwan is where the visit goes
        for c in sorted(noun.children, key=lambda c: c.dep_ == "compound"):
            if c.dep_ in ("poss", "nmod:poss") and c.pos_ == "PRON":
                # "France completed its withdrawal from Niger": the owner is the subject of the verb, never
                # a later "from"/"of" phrase
                verb = noun.head if noun.dep_ in self.roles("object") else noun
                subj = [x for x in verb.children if x.dep_ in self.roles("subject")]
                return self.phrase_actors(subj[0], frame, actors) if subj and subj[0].pos_ != "PRON" else []
            if c.dep_ in ("poss", "nmod:poss"):
                cands.append(c)
            elif c.dep_ in ("nmod", "obl") and self.data.has("agent_preps", self.case_text(c)):
                cands.append(c)  # 「3者による交渉」
            elif c.dep_ in ("compound", "nmod", "amod") and not self.data.has("topic_case", self.case_text(c)):
                # 「ウクライナに関するサミット」 is about Ukraine, not by it
                direct = [a for a in _overlapping(actors, [c, *self.conjuncts(c)], base) if a.mention.entity_id]
                if direct:  # 「米軍の介入」, "US support" — but not 「多国籍軍のバックストップ」
                    return _unique([a.mention for a in direct])
                if c.dep_ != "compound" and self.data.has("actor_nouns", _key(c)):
                    # 「米下院議長の訪問」: the speaker's — a named actor, not 「多国籍軍のバックストップ」
                    found = [m for m in self.phrase_actors(c, frame, actors) if m.entity_id]
                    if found:
                        return found
            elif c.dep_ in self.roles("oblique") + ("obl", "nmod") and self.data.has("agent_preps", _key(c)):
                cands += [x for x in c.children if x.dep_ in self.roles("object") + ("nmod",)]
        for c in cands:
            found = _overlapping(actors, [c, *self.conjuncts(c)], base)
            if found:
                return _unique([a.mention for a in found])
            found = self.phrase_actors(c, frame, actors)
            if found:
                return found
        for c in noun.children:  # "the talks Russia and Ukraine are holding", 「米ロとウクライナが行っている協議」
            if c.dep_ in self.roles("modifier") + self.roles("relative") and self.data.has("light_verbs", _key(c)):
                subj = [x for x in c.children if x.dep_ in self.roles("subject")]
                if subj:
                    return self.phrase_actors(subj[0], frame, actors)
        for c in noun.subtree:  # 「米軍を含む西側主導の…対応」, "a force that includes the US military"
            if c.dep_ in self.roles("modifier") + self.roles("relative") and self.data.has("inclusion", _key(c)):
                objs = [x for x in c.children if x.dep_ in self.roles("object")]
                found = _overlapping(actors, [t for o in objs for t in o.subtree], base)
                if found:
                    return self.specific_mentions(found)
        return []

    def case_text(self, t: Token) -> str:
        """The case marker of a noun with its fixed parts: 「に」+「よる」 → 「による」."""
        out = ""
        for c in t.children:
            if c.dep_ in self.roles("case"):
                out += c.text + "".join(x.text for x in c.children if x.dep_ == "fixed")
        return out

    def specific_mentions(self, refs: list[ActorRef]) -> list[Mention]:
        return _unique([a.mention for a in self.specific(refs)])

    def object_of(self, head: Token, frame: SentenceFrame, agents: list[Mention]) -> tuple[list[Mention], str | None]:
        """What the predicate is about: its object, else its nearest oblique; topics named in it first, then the
        actors of an act it names (「NATO加盟国の部隊が展開することを認めない」 is about NATO)."""
        objs = [c for c in head.children if c.dep_ in self.roles("object") + self.roles("passive_subject")]
        if not objs and head.dep_ in self.roles("relative") + ("relcl",) and head.head.pos_ in ("NOUN", "PROPN"):
            objs = [head.head]  # "the security guarantees Kyiv has demanded"
        if not objs and langdata.predicates()[self._predicates.get(head.i, "count")].family == "stance":
            objs = [c for c in head.children if c.dep_ in self.roles("complement") + ("advcl",) and c.pos_ == "VERB"]
        if not objs:
            objs = [c for c in head.children if c.dep_ in self.roles("oblique") and c.i != head.i]
        if not objs:
            return [], None
        o = max(objs, key=lambda c: c.i) if self.data.head_final else min(objs, key=lambda c: c.i)
        base = frame.span.start_char
        sub = sorted(o.subtree, key=lambda t: t.i)
        if not self.data.head_final:  # "accept troops from NATO countries": the phrases after the object too
            sub += [t for c in head.children if c.i > o.i and c.dep_ in self.roles("oblique") for t in c.subtree]
            sub.sort(key=lambda t: t.i)
        start, end = sub[0].idx - base, sub[-1].idx + len(sub[-1].text) - base
        agent_ids = {m.entity_id for m in agents}
        inside = [r.mention for r in frame.mentions if start <= r.start < end and r.mention.entity_id]
        inside = [m for m in inside if m.entity_id not in agent_ids]
        topics = [m for m in inside if (self.gaz.get(m.entity_id) or _NO_ENTITY).type == "topic"]
        text = frame.text[start:end][:120]
        return (topics[-1:] + inside) if topics else inside, text

    def is_joint(self, clause: Clause, head: Token, frame: SentenceFrame, agents: list[Mention]) -> bool:
        pred = langdata.predicates()[clause.predicate]
        words = {_key(t) for t in head.subtree} | {t.lower_ for t in head.subtree}
        words |= {_key(t) for t in head.head.subtree} if head.dep_ in self.roles("complement") else set()
        if words & self.data.words.get("each", frozenset()):
            # "exchanged 157 prisoners each": one exchange done, its count per side; "will each free 157": each's
            return pred.symmetric and (self.is_past(head) or (head.pos_ == "NOUN" and self.is_past(head.head)))
        if words & self.data.words.get("total", frozenset()) or words & self.data.words.get("joint", frozenset()):
            return True
        t, subjects = head, []
        for _ in range(3):  # "both sides committed to defending …": the subject of the verb it complements
            subjects = [c for c in t.children if c.dep_ in self.roles("subject")]
            if subjects or t.dep_ not in self.roles("complement") + ("pcomp", "prep") or t.head.i == t.i:
                break
            t = t.head
        named = [_key(x) for c in subjects for x in c.subtree] + [x.text for c in subjects for x in c.subtree]
        if any(self.data.has("party_nouns", w) for w in named) and _group_size(named, self.data):
            return True  # "both sides will…", 「双方は…」: the parties named as one act as one
        return pred.symmetric or clause.family == "event"

    def negated(self, head: Token, tokens: Span) -> bool:
        neg = self.data.words.get("negation", frozenset())
        t = head
        for _ in range(3):
            kids = [c for c in t.children if c.dep_ not in self.roles("subject") + self.roles("object")]
            for c in kids + [t]:
                if c is not t and any(x.pos_ == "VERB" for x in c.children):
                    continue  # "would respond, without giving details": the negation is of the giving
                if c is not t and c.pos_ == "ADP" and any(x.pos_ in ("NOUN", "PROPN") for x in c.children):
                    continue  # "will withdraw without delay": how the act is done, not that it is not
                if c is not t and c.pos_ == "VERB":
                    continue  # "failed to reach a deal" negates; "take it by force if the talks fail" does not
                if ((_key(c) in neg or c.lower_ in neg) and c.i not in range(tokens.start, tokens.end)) or (
                    c.dep_ in ("det",) and c.lower_ in neg
                ):
                    # "would not hesitate to strike", 「攻撃も辞さない」: a negated reluctance asserts the act
                    return t is head or not self.data.has("litotes", _key(t))
            if t.dep_ in self.roles("control") and not self.data.has("reporting", _key(t.head)):
                t = t.head  # "does not plan to send": the negation of the controlling verb
                continue
            if self.data.head_final and t.dep_ in ("acl",) and t.head.pos_ == "NOUN":
                t = t.head
                continue
            break
        return False

    def modality(self, head: Token, tokens: Span, frame: SentenceFrame, explicit: bool = False) -> str:
        """planned / possible / … from auxiliaries and governing words on the way up the clause chain
        (``explicit``: only from a cue word, not from the tense alone)."""
        t = head
        seen: list[Token] = []
        for _ in range(4):
            seen += [c for c in t.children if c.dep_ not in self.roles("subject") + self.roles("object")] + [t]
            if t.head.i == t.i:
                break
            climb = self.roles("complement") + self.roles("modifier") + ("acl", "xcomp", "advcl")
            if t.pos_ in ("NOUN", "PROPN"):
                puts = any(_key(t.head) in words or t.head.lower_ in words for words in self.data.modality.values())
                holds = self.data.has("light_verbs", _key(t.head)) or self.data.has("inclusion", _key(t.head))
                if puts or holds or self.data.head_final:
                    # 「部隊派遣を申し出た」, "will hold talks": the verb puts the act — but "will be watching
                    # the talks" plans no talks (a head-final verb after its object is the act's own auxiliary)
                    climb += self.roles("object")
                if puts:
                    climb += ("nmod", "compound")  # 「航空支援の可能性」: the possibility of air support
            if t.pos_ == "ADP" or (t.dep_ in self.roles("complement") and t.head.pos_ == "ADP"):
                climb += self.roles("oblique")  # "committed to restoring services": through "to"
            if t.dep_ in climb:
                if self.data.has("reporting", _key(t.head)):
                    break
                t = t.head
                continue
            break
        frames = {f"{_key(x.head)} {_key(x)}" for x in seen if x.dep_ in ("aux", "mark") and x.head.i != x.i}
        frames |= {f"{_key(x)} {_key(c)}" for x in seen for c in x.children if c.dep_ in ("aux", "mark")}
        for x in seen:  # "the fighters are to disarm": be + to + verb
            if x.dep_ in self.roles("control") and any(_key(c) in ("to",) for c in x.children):
                frames.add(f"{_key(x.head)} to")
        for name in ("unclear", "demanded", "offered", "possible", "intended", "agreed", "planned"):
            if frames & self.data.modality.get(name, frozenset()):
                return name
        if not self.data.head_final:
            seen = [x for x in seen if x.pos_ not in ("NOUN", "PROPN")]  # "a plan to end the war" plans nothing
        keys = [_key(x) for x in seen] + [x.lower_ for x in seen]
        for name in ("unclear", "demanded", "offered", "possible", "intended", "agreed", "planned"):
            if set(keys) & self.data.modality.get(name, frozenset()):
                return name
        if set(keys) & self.data.words.get("future", frozenset()):
            return "planned"
        if any("Fut" in x.morph.get("Tense") and x.pos_ in ("VERB", "AUX") for x in seen):
            return "planned"  # "se retirera", "interviendra": a future form, whatever the verb
        if explicit:
            return "asserted"
        if self.data.head_final and head.pos_ == "VERB" and not self.is_past(head) and not self.is_state(head):
            return "planned"  # Japanese non-past states what will happen (介入する, 展開されます)
        return "asserted"

    def generic_heads(self, span: Span, matches: list[TriggerMatch], frame: SentenceFrame) -> list[Token]:
        """Verbs no trigger names that still state a commitment or a dated act ("the fighters are to disarm",
        「武装解除する方針」, "the army took control of the airport on Friday"): their claims are act:<lemma>."""
        taken = {i for m in matches for i in range(span.start + m.start, span.start + m.end)}
        stop = self.data.words.get("generic_stop", frozenset()) | self.data.words.get("reporting", frozenset())
        stop |= self.data.words.get("litotes", frozenset())
        out = []
        for t in span:
            if t.pos_ != "VERB" or t.i in taken or _key(t) in stop or t.lower_ in stop:
                continue
            if any(r.start <= t.idx - span.start_char < r.end for r in frame.mentions):
                continue
            if self.in_cue_span(frame, t.idx - span.start_char, frame.attributions):
                continue  # "according to the readout" names a source, not an act
            if self.data.has("light_verbs", _key(t)) and any(c.i in taken for c in t.children):
                continue  # "carried out a prisoner swap", 「制裁を科した」: the noun names the act
            one = span[t.i - span.start : t.i - span.start + 1]
            main = t.dep_ == "ROOT" or (t.dep_ in self.roles("coordination") and t.head.dep_ == "ROOT")
            put = self.modality(t, one, frame, explicit=not (self.data.head_final and main)) != "asserted"
            dated = self.is_past(t) and any(c.dep_ in self.roles("oblique") + ("npadvmod",) for c in t.children)
            if put or dated:
                out.append(t)
        return out

    def quoted_statements(self, span: Span, frame: SentenceFrame, found: list[Clause]) -> list[Token]:
        """ "Biden called the deal 'a feat of diplomacy'", 「『歴史的な日だ』と述べた」: a speaker's own words that
        state no act are the speaker's assessment (``quoting`` verbs, ``quotation`` marks)."""
        quotes = self.quotations(span, frame, found, judged=False)
        out = []
        for t in span:
            if t.pos_ != "VERB" or not self.data.has("quoting", _key(t)) or not quotes:
                continue
            lo, hi = _extent(t, span)
            inside = [(a, b) for a, b in quotes if lo <= a and b <= hi]
            if inside and not any(c.trigger.start == t.idx - span.start_char for c in found):
                out.append(t)
                quotes = [q for q in quotes if q not in inside]
        return out

    def speaking_people(self, verb: Token, frame: SentenceFrame) -> list[Mention]:
        """The people named in the subject of a reporting verb ("The UN envoy for Libya, Hanna Tetteh, said")."""
        subjects = [c for c in verb.children if c.dep_ in self.roles("subject")]
        if not subjects:
            return []
        lo, hi = _extent(subjects[0], frame.span)
        return _unique(r.mention for r in frame.actors if lo <= r.start < hi and _is_person(r.mention, self.gaz))

    def reported_statements(self, span: Span, frame: SentenceFrame, found: list[Clause]) -> list[Token]:
        """ "Obasanjo said the moment was not the end but its beginning", 「…と述べた」 without quotation marks: a
        speaker's reported words that state no act of their own are the speaker's assessment."""
        out = []
        marks = self.data.words.get("quotative", frozenset())
        for t in span:
            if t.pos_ != "VERB" or not self.data.has("quoting", _key(t)):
                continue
            if any(c.trigger.start == t.idx - span.start_char for c in found):
                continue
            roles = self.roles("complement") + (("advcl",) if self.data.head_final else ())
            comps = [
                c for c in t.children if c.dep_ in roles and (not marks or any(x.lower_ in marks for x in c.children))
            ]
            if not comps:
                continue
            lo, hi = _extent(comps[0], span)
            words = [x for x in self.tokens_in(frame, lo, hi) if not x.is_punct]
            if len(words) >= 4 and not any(lo <= c.trigger.start < hi for c in found):
                out.append(t)
        return out

    def is_state(self, head: Token) -> bool:
        """ "参加しています": a present state, not a future act."""
        kids = {_key(c) for c in self.verb_group(head)}
        return bool(kids & self.data.words.get("state", frozenset()))

    def verb_group(self, head: Token) -> list[Token]:
        """The auxiliaries, endings and fixed words that follow or hang on the predicate (「表明して い ます」)."""
        out = []
        for t in head.doc[head.i + 1 : head.i + 8]:
            if t.pos_ in ("AUX", "SCONJ", "PART") or t.dep_ in ("fixed", "aux", "mark", "aux:pass"):
                out.append(t)
            else:
                break
        return out + [c for c in head.children if c.dep_ in ("aux", "auxpass", "aux:pass", "neg")]

    def continuative(self, t: Token) -> bool:
        """A continuative form (「受け入れ、」, 「加盟し、」) runs on into the verb it hangs from."""
        last = (self.verb_group(t) or [t])[-1]
        forms = self.data.words.get("continuative", frozenset())
        return any(f in x for x in last.morph.get("Inflection") for f in forms) or _key(last) in forms

    def chained_subjects(self, verb: Token) -> list[Token]:
        """The own (not topic-marked) subject of a continuative clause before ``verb``: the clauses of one chain
        share it."""
        for c in reversed([c for c in verb.children if c.dep_ == "advcl" and c.i < verb.i]):
            own = [x for x in c.children if x.dep_ in self.roles("subject")]
            own = [x for x in own if not self.data.has("topic_marks", self.case_text(x))]
            if own and self.continuative(c):
                return own[-1:]
        return []

    def is_past(self, head: Token) -> bool:
        """Told as done: past tense, or a perfect/resultative form (「引き渡しており」)."""
        past = self.data.words.get("past", frozenset())
        kids = {_key(c) for c in (self.verb_group(head) if self.data.head_final else head.children)}
        perfect = self.data.words.get("perfect", frozenset())
        if kids & perfect and (kids & self.data.words.get("perfect_marks", frozenset()) or not self.data.head_final):
            return True
        group = self.verb_group(head) if self.data.head_final else []
        for t in [head, *group, *[c for c in head.children if c.dep_ in ("aux", "auxpass", "aux:pass")]]:
            if "Past" in t.morph.get("Tense") and t.tag_ not in ("VBN",) or _key(t) in past:
                return True
            if t.tag_ == "VBN" and any(c.lower_ in ("has", "have", "had") for c in head.children):
                return True
        # 「加盟し、…となりました」: a continuative form takes the tense of what follows
        chained = head.dep_ in ("advcl", *self.roles("coordination")) and head.head.i != head.i
        return bool(self.data.head_final and chained and self.continuative(head) and self.is_past(head.head))

    def attribution(self, head: Token, frame: SentenceFrame) -> list[Mention]:
        """The source: actors in "according to …" spans, or the subject of a reporting verb above."""
        out = [r.mention for r in frame.actors if self.in_cue_span(frame, r.start, frame.attributions)]
        t = head
        for _ in range(4):
            if t.head.i == t.i:
                break
            if self.data.has("reporting", _key(t.head)) and t.dep_ in self.roles("complement") + ("advcl", "parataxis"):
                subj = [c for c in t.head.children if c.dep_ in self.roles("subject")]
                if subj:
                    out += self.phrase_actors(subj[0], frame, frame.actors)
                break
            t = t.head
        return _unique(out)

    def link_complements(self, clauses: list[Clause], frame: SentenceFrame) -> list[Clause]:
        """A commitment inside the complement of a stance ("agreed to halt", "ruled out sending") is governed
        by it, and takes the stance's agents when it has none of its own."""
        span = frame.span
        tok = {i: self._head_token(span, c) for i, c in enumerate(clauses)}
        by_token = {tok[j].i: j for j, g in enumerate(clauses) if g.family != "count"}
        out = list(clauses)
        heads = {tok[j].i: j for j in range(len(clauses))}
        for i in range(len(clauses)):
            t = tok[i]
            for _ in range(4):  # the nearest clause this one is a complement of
                if t.head.i == t.i or t.dep_ not in self.roles("governed") + ("ccomp", "advcl") or self.conceded(t):
                    break
                t = t.head
                if t.i in heads and heads[t.i] != i:
                    out[i] = replace(out[i], under=heads[t.i])
                    break
        for i, c in enumerate(clauses):
            c = out[i]
            if c.family not in ("commitment", "event") or tok[i].pos_ not in ("VERB", "AUX", "NOUN"):
                continue
            gov = self.governor_of(tok[i], by_token, i, clauses)
            if gov is None:
                continue
            g = clauses[gov]
            if not self.same_side(c, g, nominal=tok[i].pos_ not in ("VERB", "AUX")):
                out[i] = replace(c, about=gov)  # "Putin will not accept NATO troops deploying": his position
                continue
            agents = c.agents or g.agents
            collective = langdata.predicates()[g.predicate].collective
            joint = (c.joint or g.joint or collective) and len(agents) > 1 and not _each(c, frame, self)
            out[i] = replace(c, governor=gov, agents=agents, joint=joint)
        return out

    def same_side(self, c: Clause, g: Clause, nominal: bool) -> bool:
        """Is the governed act the stance-taker's own (its own forces count: 「米軍兵士の派遣は否定」 for Trump)?
        An act of nobody named is the stance-taker's when written as a verb ("refused to withdraw"), not as a
        noun ("rejects the deployment of peacekeepers")."""
        if not c.agents:  # "agreed to a truce": what parties agree on together is theirs
            return not nominal or langdata.predicates()[g.predicate].collective
        if not g.agents:
            return not nominal  # 「西側諸国による部隊展開も受け入れない」: about the West's deployment
        return bool({self.side(m) for m in c.agents} & {self.side(m) for m in g.agents})

    def side(self, m: Mention) -> str:
        entity = self.gaz.get(m.entity_id)
        if entity is not None and entity.type in ("person", "force", "org") and entity.parent:
            return entity.parent  # the Pentagon's and the US forces' acts are the US's
        return m.entity_id or m.text

    def governor_of(self, t: Token, by_token: dict[int, int], own: int, clauses: list[Clause]) -> int | None:
        """The consuming stance above a verbal complement ("agreed to halt", "ruled out sending", 「交換することで
        合意」), or a participle on a noun ("a pause agreed by Putin")."""
        preds = langdata.predicates()
        for c in t.children:  # "a week-long pause …, agreed by President Putin"
            j = by_token.get(c.i)
            if j is not None and j != own and c.dep_ in self.roles("modifier") + ("acl", "relcl"):
                return j if preds[clauses[j].predicate].consumes_complement else None
        nominal = t.pos_ not in ("VERB", "AUX")
        if nominal and clauses[own].family != "commitment":
            return None  # "ready for talks" is a stance about talks, not an offer to hold them
        if self.conceded(t):
            return None
        # "agreed a truce", "accepted the withdrawal": a noun is governed as the stance's object too
        governed = self.roles("governed") + (self.roles("object") if nominal else ())
        for _ in range(4):
            if t.head.i == t.i or t.dep_ not in governed:
                return None
            t = t.head
            j = by_token.get(t.i)
            if j is not None and j != own:
                return j if preds[clauses[j].predicate].consumes_complement else None
            if t.pos_ in ("NOUN", "PROPN") and not self.data.has("formal_nouns", _key(t)):
                return None  # a clause on a content noun (「議論している保証を一蹴」) is not the stance's complement
        return None

    def conceded(self, t: Token) -> bool:
        """「協議したが、合意には至らなかった」, "although they met": what a clause concedes is no complement."""
        return any(c.dep_ == "mark" and self.data.has("concessive_marks", _key(c)) for c in t.children)

    def _head_token(self, span: Span, c: Clause) -> Token:
        base = span.start_char
        toks = [t for t in span if c.trigger.start <= t.idx - base < c.trigger.end]
        return _phrase_head(span[toks[0].i - span.start : toks[-1].i - span.start + 1]) if toks else span[0]


def _without(clauses: list[Clause], dropped: set[int]) -> list[Clause]:
    """The clauses of a sentence less some, their links to one another renumbered."""
    if not dropped:
        return clauses
    new = {}
    for i in range(len(clauses)):
        if i not in dropped:
            new[i] = len(new)

    def link(j: int | None) -> int | None:
        return None if j is None else new.get(j)

    return [
        replace(c, governor=link(c.governor), under=link(c.under), about=link(c.about))
        for i, c in enumerate(clauses)
        if i not in dropped
    ]


def _each(c: Clause, frame: SentenceFrame, adapter: Adapter) -> bool:
    words = set(re.findall(r"\w+", frame.text.lower()))
    each = adapter.data.words.get("each", frozenset())
    return bool(words & each) or any(w in frame.text for w in each if not w.isascii())


def _extent(root: Token, span: Span) -> tuple[int, int]:
    sub = list(root.subtree)
    base = span.start_char
    return sub[0].idx - base, sub[-1].idx + len(sub[-1].text) - base


def _overlapping(actors: list[ActorRef], tokens: Iterable[Token], base: int) -> list[ActorRef]:
    spans = [(t.idx - base, t.idx - base + len(t.text)) for t in tokens]
    return [a for a in actors if any(s <= a.start < e or a.start <= s < a.end for s, e in spans)]


def _unique(mentions: Iterable[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        key = m.entity_id or m.text
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


# --- the shallow adapter --------------------------------------------------------------------------


class ShallowAdapter(Adapter):
    """No parser: the clause is the stretch between clause boundaries around the trigger; its agent is the
    nearest actor before the trigger (after it when nothing precedes), cues are looked up inside it.

    Boundaries are punctuation and the language's ``clause_joins`` ("und", "mais", "но"), except a comma or a
    join inside a list of actors ("der Ukraine, Russlands und der USA"). A place after a locative preposition
    ("in der Ukraine", "на Украине") is where, not who; a complement clause ("dass …", "что …") that names no
    actor of its own is its reporter's ("Der Kreml erklärte, dass er …")."""

    analysis = "shallow"
    _PUNCT = '[,;:–—()"«»„“”]'
    _LIST_MARKS = {","}

    def __init__(self, data: LanguageData, gaz: Gazetteer) -> None:
        super().__init__(data, gaz)
        joins = sorted(data.words.get("clause_joins", frozenset()), key=len, reverse=True)
        alt = "|".join(re.escape(w) for w in joins)
        self._boundary = re.compile(self._PUNCT + (rf"|(?<!\w)(?:{alt})(?!\w)" if alt else ""), re.IGNORECASE)
        self._list_marks = self._LIST_MARKS | set(joins)
        along = sorted(data.words.get("comitative", frozenset()), key=len, reverse=True)
        self._comitative = (
            re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in along)})(?:\s+[\w'’-]+){{0,3}}\s*$", re.I)
            if along
            else None
        )

    def fill(self, clause: Clause, frame: SentenceFrame, tokens: Span, state: DocumentState) -> Clause:
        lo, hi = self.segment(frame, clause.trigger.start, clause.trigger.end)
        clause = self.modifiers(clause, frame, lo, hi)
        candidates = self.agent_candidates(frame, clause, lo, hi)
        before = [a for a in candidates if a.end <= clause.trigger.start]
        after = [a for a in candidates if a.start >= clause.trigger.end]
        pred = langdata.predicates()[clause.predicate]
        # "Die Ukraine hat sich mit ihren Partnern verständigt": who comes along is no agent of its own, but
        # a joint one of a symmetric act ("traf sich mit Witkoff")
        along = [a for a in before if self.accompanying(frame, a, lo)]
        before = [a for a in before if a not in along] or before
        # "Die US-Regierung will Einfuhren aus der EU mit Zöllen belegen": the EU is no doer
        before = [a for a in before if not self.oblique(frame, a)] or before
        if not before:  # "La Turchia, che sostiene il governo di Tripoli, ha accolto …": past the relative clause
            before = self.before_relative(frame, clause, lo)
        reporter = [] if before else self.reporter(frame, clause, lo)
        group = reporter or (self.run(before[::-1], frame)[::-1] if before else self.run(after, frame))
        if pred.symmetric and group:
            along = [] if before == along else along
            along += [a for a in after if self.accompanying(frame, a, clause.trigger.end)]
            group = [*group, *[a for a in along if a not in group]]
        agents = _unique([a.mention for a in group])
        if not before and state.last_country is not None and self.bare_state(frame, lo, clause.trigger.start):
            agents = [state.last_country]  # "Die Armee zog ab", "la junta denunció": the story's state
        parties = [] if agents else self.named_parties(frame, lo, clause.trigger.start, state)
        agents = agents or parties  # "Beide Seiten verständigten sich", "ambas partes acordaron" (not "por su parte")
        if not agents and pred.symmetric:  # "die Gespräche, die die USA zwischen Russland und der Ukraine vermitteln"
            agents = [a.mention for a in self.between(frame)]
        counted = clause.quantity is not None and clause.quantity.unit == "country"  # "36 países participaron"
        inherited = not agents and not before and not frame.actors and not counted
        if inherited:  # a sentence naming an actor elsewhere is no continuation of the last one's agents
            agents = list(state.previous_agents)
        words = self.words(frame, lo, hi)
        trigger = self.tokens_in(frame, clause.trigger.start, clause.trigger.end)
        told = self.told_past(trigger)
        if words & self.data.words.get("each", frozenset()):
            joint = pred.symmetric and told  # "tauschten jeweils 157 Gefangene aus": one exchange, a count per side
        else:
            joint = (
                bool(words & self.data.words.get("total", frozenset()))
                or pred.symmetric
                or clause.family == "event"
                or bool(parties)  # the parties named as one act as one
                or (inherited and state.previous_joint)  # "… einigten sich. Die Kämpfe sollen ruhen."
            )
        return replace(
            clause,
            agents=tuple(agents),
            joint=joint,
            negated=bool(words & self.data.words.get("negation", frozenset())),
            # a trigger told as done ("підтримала пропозицію") takes its modality only from the words before it
            modality=self.modality(words, trigger, self.words(frame, lo, clause.trigger.start) if told else None),
            past=bool(words & self.data.words.get("past", frozenset())) or told,
            attribution=tuple(r.mention for r in frame.actors if self.in_cue_span(frame, r.start, frame.attributions)),
        )

    def fill_count(self, clause: Clause, frame: SentenceFrame, state: DocumentState) -> Clause:
        lo, hi = self.segment(frame, clause.trigger.start, clause.trigger.end)
        clause = self.modifiers(clause, frame, lo, hi)
        before = [a for a in self.agent_candidates(frame, clause, lo, hi) if a.end <= clause.trigger.start]
        return (
            replace(clause, agents=tuple(a.mention for a in self.run(before[::-1], frame)[::-1])) if before else clause
        )

    def agent_candidates(self, frame: SentenceFrame, clause: Clause, lo: int, hi: int) -> list[ActorRef]:
        """Actors of the clause that may act: a place after a locative preposition is the venue, unless it
        opens the clause with nothing else to act ("В Кремле заявили", "In Kyjiw hieß es")."""
        inside = [a for a in self.candidate_actors(frame, clause) if lo <= a.start < hi]
        actors = [a for a in inside if not (_is_place(a.mention, self.gaz) and self.locative(frame, a))]
        if actors or not inside:
            return actors
        first = inside[0]
        opening = re.findall(r"[\w'’]+", frame.text[lo : first.start])
        return [first] if len(opening) <= 2 and first.end <= clause.trigger.start else []

    def bare_state(self, frame: SentenceFrame, lo: int, hi: int) -> bool:
        """A state noun with no state named ("die Regierung", "la junta", "власти") before the trigger."""
        toks = self.tokens_in(frame, lo, hi)
        return any(self.data.has("state_nouns", _key(t)) or self.data.has("state_nouns", t.lower_) for t in toks)

    def before_relative(self, frame: SentenceFrame, clause: Clause, lo: int) -> list[ActorRef]:
        """The actors right before a relative clause (``relative_pronouns``) set off by commas that ends where the
        clause's stretch begins: the subject the relative clause interrupts."""
        bounds = [(a, b) for a, b in self.boundaries(frame) if b <= lo]
        if len(bounds) < 2 or bounds[-1][1] != lo or frame.text[bounds[-2][0] : bounds[-2][1]].strip() != ",":
            return []
        opening = re.match(r"\s*([\w'’]+)", frame.text[bounds[-2][1] :])
        if not opening:
            return []
        words = {opening.group(1).lower()}
        words |= {_key(t) for t in self.tokens_in(frame, bounds[-2][1], bounds[-2][1] + len(opening.group(0)))}
        if not words & self.data.words.get("relative_pronouns", frozenset()):
            return []
        start = bounds[-3][1] if len(bounds) > 2 else 0
        return [a for a in self.agent_candidates(frame, clause, start, bounds[-2][0]) if a.end <= bounds[-2][0]]

    def oblique(self, frame: SentenceFrame, actor: ActorRef) -> bool:
        """The actor is the noun of a preposition that never names the doer ("aus der EU", "contro la Russia")."""
        return self.word_before(frame, actor.start, 3) in self.data.words.get("oblique_prepositions", frozenset())

    def accompanying(self, frame: SentenceFrame, actor: ActorRef, lo: int) -> bool:
        """The actor follows a comitative ("mit ihren westlichen Partnern", "junto a sus aliados", "с Россией")
        within three words, with no punctuation between."""
        if self._comitative is None:
            return False
        return bool(self._comitative.search(frame.text[lo : actor.start]))

    def boundaries(self, frame: SentenceFrame) -> list[tuple[int, int]]:
        """Clause boundaries of the sentence, without the commas and joins of a list of actors."""
        text = frame.text
        ends = {self.noun_end(frame, a) for a in frame.actors}
        starts = {a.start for a in frame.actors}
        articles = self.data.words.get("articles", frozenset())
        out = []
        for m in self._boundary.finditer(text):
            if any(a.start < m.start() < a.end for a in frame.actors):
                continue  # "Rapid Support Forces (RSF)": the bracket is part of the name
            if m.group().strip().lower() in self._list_marks:
                left = len(text[: m.start()].rstrip())
                right = re.match(r"\s*(?:([\w]+['’]|[\w'’]+\s+))?", text[m.end() :])
                skip = right.end()
                if right.group(1) and right.group(1).strip().lower() not in articles:
                    skip = len(right.group()) - len(right.group().lstrip())
                if left in ends and m.end() + skip in starts:
                    continue
            out.append(m.span())
        return out

    def noun_end(self, frame: SentenceFrame, a: ActorRef) -> int:
        """Where an actor's phrase ends: past the actor noun right after a demonym ("die sudanesische Armee| und
        die RSF"), else at the actor."""
        m = re.match(r"\s+([^\W\d_]+)", frame.text[a.end :]) if a.mention.source == "demonym" else None
        return a.end + m.end() if m and self.data.has("actor_nouns", m.group(1).lower()) else a.end

    def segment(self, frame: SentenceFrame, start: int, end: int) -> tuple[int, int]:
        lo, hi = 0, len(frame.text)
        for a, b in self.boundaries(frame):
            if b <= start:
                lo = b
            elif a >= end:
                hi = a
                break
        return lo, hi

    def reporter(self, frame: SentenceFrame, clause: Clause, lo: int) -> list[ActorRef]:
        """ "Der Kreml erklärte, dass er …", "Песков сказал, что …": a complement clause with no actor before
        its trigger is done by the nearest actor before its complementizer, when a reporting verb or another
        trigger stands between them."""
        opening = re.match(r"\s*([\w'’]+)", frame.text[lo:])
        if not opening or opening.group(1).lower() not in self.data.words.get("complementizers", frozenset()):
            return []
        before = self.agent_candidates(frame, clause, 0, lo)
        if not before:
            return []
        words = self.words(frame, before[-1].end, lo)
        said = words & self.data.words.get("reporting", frozenset()) or any(
            before[-1].end <= p < lo for p in self._trigger_starts
        )
        return self.run(before[::-1], frame)[::-1] if said else []

    def named_parties(self, frame: SentenceFrame, lo: int, hi: int, state: DocumentState) -> list[Mention]:
        """A group size right before a party noun ("beide Seiten", "обе стороны", "les deux parties"): the last
        group of that many states or organisations named together."""
        toks = self.tokens_in(frame, lo, hi)
        for a, b in zip(toks, [*toks[1:], None], strict=False):
            size = _group_size([_key(a), a.lower_], self.data)
            if (
                size
                and b is not None
                and (self.data.has("party_nouns", _key(b)) or self.data.has("party_nouns", b.lower_))
            ):
                return last_group(state, size, parties=True, gaz=self.gaz)
        return []

    def between(self, frame: SentenceFrame) -> list[ActorRef]:
        """The actors after the sentence's "between" word ("zwischen Russland und der Ukraine", "между Россией и
        Украиной"): who meets, where the talks themselves name nobody."""
        for m in re.finditer(r"[\w'’]+", frame.text):
            if self.data.has("between", m.group().lower()):
                after = [a for a in frame.actors if a.start >= m.end()]
                gap = frame.text[m.end() : after[0].start] if after else ""
                pair = self.run(after, frame) if after and not re.search(r"[\w'’]+\s+[\w'’]+", gap) else []
                if len(pair) > 1:  # "entre la Russie et l'Ukraine", not "entre autres la Russie"
                    return pair
        return []

    def run(self, ordered: list[ActorRef], frame: SentenceFrame) -> list[ActorRef]:
        """The nearest actor and those coordinated with it ("Frankreich, Großbritannien und Kanada", "der
        Ukraine, Russlands und der USA")."""
        if not ordered:
            return []
        out = [ordered[0]]
        joins = self.data.words.get("coordinators", frozenset())
        articles = self.data.words.get("articles", frozenset())
        for a in ordered[1:]:
            lo, hi = sorted((out[-1], a), key=lambda r: r.start)
            gap = frame.text[self.noun_end(frame, lo) : hi.start].strip().lower()
            words = gap.split()
            if words and words[-1] in articles:  # "und der USA", "e l'Ucraina"
                gap = " ".join(words[:-1])
            if gap in joins or gap.lstrip(", ") in joins:
                out.append(a)
            else:
                break
        return out

    def modality(self, words: set[str], trigger: list[Token] = (), before: set[str] | None = None) -> str:
        """``before``: the words before a trigger told as done, the only ones whose cues put it ("підтримала
        пропозицію" supported a proposal, it offered nothing)."""
        for name in ("unclear", "demanded", "offered", "possible", "intended", "agreed", "planned"):
            if (words if before is None else before) & self.data.modality.get(name, frozenset()):
                return name
        if words & self.data.words.get("future", frozenset()):
            return "planned"
        if any(rx.fullmatch(w) for rx in self.data.regex("future_forms") for w in words):
            return "planned"  # "intervendría", "risponderanno", "надаватимуть": a future or conditional form
        if any("Fut" in t.morph.get("Tense") for t in trigger):
            return "planned"  # "освободит": a perfective future (pymorphy3)
        return "asserted"

    def quoted_statements(self, span: Span, frame: SentenceFrame, found: list[Clause]) -> list[Token]:
        """ "Selenski asegura que los acuerdos están «listos al 100 %»": a quoting verb of the language with a
        quotation of two words or more in its sentence that states no act is its speaker's assessment."""
        quotes = self.quotations(span, frame, found, judged=True)
        starts = {c.trigger.start for c in found}
        for t in span if quotes else ():
            start = t.idx - span.start_char
            quoting = self.data.has("quoting", _key(t)) or self.data.has("quoting", t.lower_)
            if quoting and start not in starts and not any(a <= start < b for a, b in quotes):
                return [t]  # one assessment per sentence: the shallow path cannot tell two quotes' speakers
        return []

    def told_past(self, trigger: list[Token]) -> bool:
        """The trigger word itself is a past form: "liberó", "firmò" (``past_forms``), "освободила" (pymorphy3)."""
        if any("Past" in t.morph.get("Tense") for t in trigger):
            return True
        return any(rx.fullmatch(t.text) for rx in self.data.regex("past_forms") for t in trigger)
