"""Claim extraction: sentence frames (trigger + subject + modifiers) → typed claims.

Stages, per sentence: find predicate triggers (``lexicon``), resolve stance objects first (a commitment
inside a stance's object is not a pledge of its own), attach subjects (dependency parse, list labels,
topic markers), polarity, modality, condition, time (anchored to the publication date) and window.
Then document-level stages: tier frames that combine a "第N段階"/"tier N" marker with its section, and
de-duplication. Everything here is language-independent; ``rules_ja``/``rules_en`` hold the language parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Span

from extract import EXTRACTOR_VERSION, keys, rules_en, rules_ja
from extract.gazetteer import Gazetteer, load_gazetteer
from extract.lexicon import COMMITMENTS, Trigger, find_triggers
from extract.model import Claim, EntityRef, Evidence, Mention, Quantity, Sentence, TimeValue, Window
from extract.nlp import Analysis
from extract.timex import find_times, find_windows

ACTOR_TYPES = {"country", "force", "org", "person", "region"}
RULES = {"ja": rules_ja, "en": rules_en}
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年|\b((?:19|20)\d\d)\b")


@dataclass
class Frame:
    """One sentence prepared for the rules: text, mentions with sentence-relative offsets, parse."""

    sentence: Sentence
    lang: str
    mentions: list[tuple[int, int, Mention]]
    span: Span | None
    times: list[TimeValue]
    windows: list[Window]
    triggers: list[Trigger]
    quantities: list[tuple[Quantity, int, int, str | None]]
    tier_markers: list[tuple[int, int, int]]  # (tier number, start, end)
    previous_subjects: list[Mention] = field(default_factory=list)  # for Japanese zero anaphora

    @property
    def text(self) -> str:
        return self.sentence.text

    def evidence(self, start: int | None = None, end: int | None = None) -> Evidence:
        s = self.sentence
        return Evidence(s.idx, s.text, s.start + (start or 0), s.start + (end if end is not None else len(s.text)))


def extract_claims(analysis: Analysis, published: date | None = None) -> list[Claim]:
    """All claims of a document, in text order."""
    gaz = load_gazetteer()
    frames = list(_frames(analysis, published))
    claims: list[Claim] = []
    previous: list[Mention] = []
    paragraph = -1
    for frame in frames:
        if frame.sentence.is_heading:
            continue
        if frame.sentence.paragraph != paragraph:
            previous, paragraph = [], frame.sentence.paragraph
        frame.previous_subjects = previous
        found = _sentence_claims(frame, gaz)
        claims += found
        previous = _subject_mentions(frame, found) or previous
    tiers = _tier_of_sentences(frames)
    claims = _tag_tiers(claims, tiers)
    claims += _tier_claims(frames, tiers, gaz)
    return _dedupe(claims)


# --- preparation ---------------------------------------------------------------------------------


def _frames(analysis: Analysis, published: date | None):
    context_year = published.year if published else None
    by_sentence: dict[int, list[Mention]] = {}
    for m in analysis.mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for s in analysis.sentences:
        times = find_times(s.text, analysis.lang, anchor=published, context_year=context_year)
        context_year = _last_year(s.text) or context_year
        mentions = [(m.start - s.start, m.end - s.start, m) for m in by_sentence.get(s.idx, [])]
        yield Frame(
            s,
            analysis.lang,
            mentions,
            analysis.span_of(s),
            times,
            find_windows(s.text, analysis.lang),
            find_triggers(s.text, analysis.lang),
            RULES[analysis.lang].quantities(s.text),
            RULES[analysis.lang].tier_markers(s.text),
        )


def _last_year(text: str) -> int | None:
    years = [int(m.group(1) or m.group(2)) for m in _YEAR.finditer(text)]
    return years[-1] if years else None


# --- sentence claims -------------------------------------------------------------------------------


def _subject_mentions(frame: Frame, claims: list[Claim]) -> list[Mention]:
    ids = [c.subject.entity_id for c in claims if c.subject and c.kind in ("pledge", "position")]
    return [m for _, _, m in _unique_mentions(frame.mentions) if m.entity_id in ids]


def _sentence_claims(frame: Frame, gaz: Gazetteer) -> list[Claim]:
    rules = RULES[frame.lang]
    claims: list[Claim] = []
    consumed: list[tuple[int, int]] = []  # object regions of stances: their triggers are not claims
    for trig in frame.triggers:
        if trig.kind == "position" and not any(a <= trig.start < b for a, b in consumed):
            claims += _stance(frame, trig, gaz, rules, consumed)
    for trig in frame.triggers:
        if any(a <= trig.start < b for a, b in consumed) or rules.in_short_quote(frame.text, trig.start):
            continue
        if trig.kind == "pledge":
            claims += _commitment(frame, trig, gaz, rules)
        elif trig.kind == "event":
            claims += _event(frame, trig, gaz, rules)
    claims += _quantities(frame, gaz, rules)
    return claims


def _stance(frame: Frame, trig: Trigger, gaz: Gazetteer, rules, consumed) -> list[Claim]:
    subjects = _subjects(frame, trig, gaz)
    if not subjects:
        return []
    obj_start, obj_end = _object_region(frame, trig, subjects)
    consumed.append((obj_start, obj_end))
    negative = rules.negated(frame.text, trig)
    inner = [
        t
        for t in frame.triggers
        if obj_start <= t.start < obj_end
        and t.predicate in COMMITMENTS
        and (frame.lang == "ja" or frame.text[trig.end : t.start].strip() == "to")
    ]
    if trig.predicate == "accept" and not negative and inner:
        # "agreed to halt attacks": agreeing to an action is a commitment to it.
        return [
            replace(c, modality="agreed")
            for c in _commitment(frame, inner[0], gaz, rules, subjects=subjects, require_modality=False)
        ]
    refused = [t for t in frame.triggers if obj_start <= t.start < obj_end and t.predicate == "deploy_forces"]
    if refused and (trig.predicate == "reject" or negative) and _own_forces_in(frame, obj_start, obj_end, subjects):
        # "Trump ruled out sending US troops": refusing to deploy one's own forces is a refusal to deploy.
        return [
            replace(c, kind="position", polarity="negative", modality="asserted", object=None)
            for c in _commitment(frame, refused[0], gaz, rules, subjects=subjects, require_modality=False)
        ]
    obj = _object_ref(frame, obj_start, obj_end, gaz)
    return [
        _claim(
            frame,
            "position",
            trig,
            subject,
            object=obj,
            polarity="negative" if negative else "positive",
            modality=rules.modality(frame.text, trig) or "asserted",
            confidence=0.75,
        )
        for subject in subjects
    ]


def _own_forces_in(frame: Frame, start: int, end: int, subjects: list[Mention]) -> bool:
    """Does the region name forces of the subject's own country (米軍兵士 for Trump)?"""
    own = {keys.actor(m.entity_id) for m in subjects if m.entity_id}
    gaz = load_gazetteer()
    for s, _, m in frame.mentions:
        entity = gaz.get(m.entity_id)
        if start <= s < end and entity is not None and entity.type == "force" and entity.parent in own:
            return True
    return False


def _commitment(frame, trig, gaz, rules, subjects=None, require_modality=True) -> list[Claim]:
    subjects = subjects if subjects is not None else _subjects(frame, trig, gaz)
    if not subjects:
        return []
    modality = rules.modality(frame.text, trig)
    if modality is None and require_modality:
        return []  # a past report ("sent a delegation") is not a commitment
    if rules.hypothetical(frame.text, trig):
        return []  # "without US support" states no commitment
    negative = rules.negated(frame.text, trig)
    kind = "position" if negative else "pledge"
    obj = _commitment_object(frame, trig, subjects, gaz)
    window = _nearest(frame.windows, trig)
    quantity = _nearest_quantity(frame, trig)
    return [
        _claim(
            frame,
            kind,
            trig,
            subject,
            object=obj,
            polarity="negative" if negative else "positive",
            modality=modality or "asserted",
            condition=rules.condition(frame.text, trig),
            window=window,
            quantity=quantity,
            confidence=0.7 if window or quantity else 0.6,
        )
        for subject in subjects
    ]


def _event(frame: Frame, trig: Trigger, gaz: Gazetteer, rules) -> list[Claim]:
    location = _location(frame, gaz, rules)
    time = _nearest(frame.times, trig)
    if time is None and location is None:
        return []
    if trig.predicate == "sign" and location is None and time.granularity != "day":
        return []  # "signing date still to be fixed" is not a signing
    participants = tuple(
        _ref(m)
        for _, _, m in _unique_mentions(frame.mentions)
        if _is_actor(m, gaz) and (location is None or m.entity_id != location.entity_id)
    )
    return [
        _claim(
            frame,
            "event",
            trig,
            None,
            object=EntityRef(trig.text, None),
            time=time,
            location=location,
            participants=participants,
            confidence=0.8 if time and location else 0.6,
        )
    ]


def _quantities(frame: Frame, gaz: Gazetteer, rules) -> list[Claim]:
    claims = []
    for q, start, end, noun in frame.quantities:
        if rules.in_short_quote(frame.text, start):
            continue
        pseudo = Trigger("count", start, end, q.text)
        subjects = _subjects(frame, pseudo, gaz, exclude=(start, end)) or _counted_group(frame, q, start, gaz)
        if not subjects:
            continue
        claims += [  # "Russia and Ukraine each released 157 prisoners": the count holds for each
            _claim(
                frame,
                "quantity",
                pseudo,
                subject,
                object=EntityRef(noun, None) if noun else None,
                quantity=q,
                confidence=0.6,
            )
            for subject in subjects
        ]
    return claims


def _counted_group(frame: Frame, q: Quantity, start: int, gaz: Gazetteer) -> list[Mention]:
    """A number of countries with no subject of its own counts the organisation named before it
    ("有志連合に加わる国は現在34カ国")."""
    if q.unit != "country":
        return []
    orgs = [m for s, _, m in frame.mentions if s < start and m.entity_id and gaz.entities[m.entity_id].type == "org"]
    return orgs[:1]


# --- subjects, objects, places --------------------------------------------------------------------


UNLINKED_ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}


def _is_actor(m: Mention, gaz: Gazetteer) -> bool:
    """Linked actors (countries, forces, organisations, people, regions), and NER names the gazetteer does
    not know (a company, a union, a senator) — their claims are keyed by their surface text."""
    entity = gaz.get(m.entity_id)
    if entity is not None:
        return entity.type in ACTOR_TYPES
    return m.entity_id is None and m.label in UNLINKED_ACTOR_LABELS


def _unique_mentions(mentions):
    seen: set[str] = set()
    for item in mentions:
        key = item[2].entity_id or item[2].text
        if key not in seen:
            seen.add(key)
            yield item


def _subjects(frame: Frame, trig: Trigger, gaz: Gazetteer, exclude=None) -> list[Mention]:
    """Actors doing ``trig``: list labels, then the parse, then topic markers, then an adjacent agent."""
    rules = RULES[frame.lang]
    cond = rules.condition(frame.text, trig)
    cond_span = _find(frame.text, cond)
    actors = [
        (s, e, m)
        for s, e, m in frame.mentions
        if _is_actor(m, gaz)
        and not (cond_span and cond_span[0] <= s < cond_span[1])
        and not (exclude and exclude[0] <= s < exclude[1])
    ]
    if not actors:
        return []
    found = _subjects_ja(frame, trig, actors) if frame.lang == "ja" else _subjects_en(frame, trig, actors)
    return [m for _, _, m in _unique_mentions(found)]


def _subjects_ja(frame: Frame, trig: Trigger, actors):
    """List label (エストニア:…), adjacent agent (米軍介入), parse, topic (ロシアは…), previous sentence."""
    label = rules_ja.list_subject_span(frame.text)
    if label:
        in_label = [a for a in actors if label[0] <= a[0] < label[1]]
        if in_label:
            return in_label
    adjacent = [a for a in actors if rules_ja.adjacent_agent(frame.text, a[1], trig.start)]
    if adjacent:
        return adjacent[-1:]
    themes = [a for a in actors if a[1] <= trig.start and rules_ja.theme_marked(frame.text, a[1])]
    if themes:
        return _with_coordinated(frame, themes[-1], actors)
    parsed = _dependency_subjects(frame, trig, actors, {"nsubj", "nsubj:pass", "csubj"})
    if parsed:
        return parsed
    before = [a for a in actors if a[1] <= trig.start and rules_ja.topic_marked(frame.text, a[1])]
    if before:
        return _with_coordinated(frame, before[-1], actors)
    if rules_ja.has_theme_before(frame.text, trig.start):
        return []
    return [(0, 0, m) for m in frame.previous_subjects]


def _with_coordinated(frame: Frame, head, actors):
    """The head mention plus the actors coordinated before it: "クロアチアとチェコは" → both."""
    group = [head]
    for a in reversed([a for a in actors if a[1] <= head[0]]):
        if not rules_ja.coordinated_before(frame.text, a[1], group[0][0]):
            break
        group.insert(0, a)
    return group


def _subjects_en(frame: Frame, trig: Trigger, actors):
    parsed = _dependency_subjects(frame, trig, actors, {"nsubj", "nsubjpass", "agent"})
    if parsed:
        return parsed
    adjacent = [a for a in actors if 0 <= trig.start - a[1] <= 1]
    return adjacent


_CLAUSE_DEPS = {"advcl", "acl", "relcl", "acl:relcl", "ccomp", "conj", "parataxis", "csubj"}


def _dependency_subjects(frame: Frame, trig: Trigger, actors, subject_deps: set[str]):
    """Walk up from the trigger's token to the verb with a subject, within the clause; map it to actors.
    A passive's agent ("employed by Opel") outranks its grammatical subject; a participle or coordinated
    verb without a subject of its own ("helping free …", "ruled out … but has mentioned …") takes its
    head's."""
    token = _token_at(frame, trig.start)
    for _ in range(6):
        if token is None:
            return []
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        subj = next((c for c in token.children if c.dep_ in subject_deps), None)
        if subj is not None and subj.pos_ == "PRON" and token.head is not token:
            token = token.head  # "they will not send" → whoever said it
            continue
        for phrase in (agent, subj):
            if phrase is not None:
                found = _actors_in_phrase(phrase, frame, actors)
                if found or phrase is subj:
                    return found
        if token.head is token or (token.dep_ in _CLAUSE_DEPS and not _inherits_subject(token)):
            return []
        token = token.head
    return []


def _overlapping(actors, tokens, base: int):
    spans = [(t.idx - base, t.idx - base + len(t.text)) for t in tokens]
    return [a for a in actors if any(s <= a[0] < e or a[0] <= s < a[1] for s, e in spans)]


def _actors_in_phrase(phrase, frame: Frame, actors):
    """Actors named by a subject phrase: its head and coordinated heads first ("Russian President Vladimir
    Putin" → Putin, "The US car manufacturer General Motors" → General Motors), else any actor inside,
    linked ones before unlinked ones ("forces of the Coalition of the Willing")."""
    base = frame.span.start_char
    if frame.lang == "en":
        heads = [phrase] + [
            t for t in phrase.subtree if t.dep_ == "conj" and t.head.i in {phrase.i, *[c.i for c in phrase.conjuncts]}
        ]
        found = _overlapping(actors, heads, base)
        if found:
            return found
    found = _overlapping(actors, _core_subtree(phrase, frame.lang), base)
    linked = [a for a in found if a[2].entity_id]
    return linked or found


def _inherits_subject(token) -> bool:
    """English participle clauses and coordinated verbs share the subject of the verb they hang from."""
    return token.pos_ in ("VERB", "AUX") and (token.tag_ in ("VBG", "VBN") or token.dep_ == "conj")


def _core_subtree(token, lang: str):
    """The subject phrase: coordinated names, without relative clauses or appositions
    ("forces of X, led by Y" → forces of X; "西側諸国によるウクライナへの部隊展開" → 部隊展開)."""
    out = [token]
    for child in token.children:
        if lang == "ja" and not (rules_ja.coordinated(child) or rules_ja.force_owner(token, child)):
            continue
        if child.dep_ in {"acl", "relcl", "appos", "acl:relcl", "punct"}:
            continue
        out += _core_subtree(child, lang)
    return out


def _commitment_object(frame: Frame, trig: Trigger, subjects: list[Mention], gaz: Gazetteer) -> EntityRef | None:
    """What or where a commitment is about: a topic, place or actor mention in the predicate's phrase
    ("停戦監視に参加" → ceasefire monitoring; "ウクライナ領内に軍隊を展開" → Ukraine)."""
    if frame.lang == "ja":
        subj_ends = [e for _, e, m in frame.mentions if m in subjects and e <= trig.start]
        clause = frame.text.rfind("、", 0, trig.start) + 1
        start, end = max(subj_ends + [clause, trig.start - 30]), trig.start
    else:
        end = frame.text.find(",", trig.end)
        start, end = trig.end, (len(frame.text) if end < 0 else end)
    candidates = [
        m
        for s, e, m in frame.mentions
        if start <= s < end
        and m.entity_id
        and m.entity_id not in {x.entity_id for x in subjects}
        and gaz.entities[m.entity_id].type != "person"
        and not (frame.lang == "ja" and rules_ja.topic_marked(frame.text, e))
    ]
    topics = [m for m in candidates if gaz.entities[m.entity_id].type == "topic"]
    chosen = (topics or candidates or [None])[0]
    return _ref(chosen) if chosen else None


def _object_region(frame: Frame, trig: Trigger, subjects: list[Mention]) -> tuple[int, int]:
    """What a stance is about: the phrase before the trigger (ja) or after it (en)."""
    text = frame.text
    subj_ends = [e for s, e, m in frame.mentions if m in subjects and e <= trig.start]
    if frame.lang == "ja":
        start = max(subj_ends) if subj_ends else 0
        m = re.search(r"(?:は|が)、?", text[start : start + 3])
        start += m.end() if m else 0
        comma = text.rfind("、", start, trig.start)
        start = comma + 1 if comma >= 0 and trig.start - comma > 3 else start
        return start, trig.start
    head = _relative_clause_head(frame, trig)
    if head is not None:
        return head
    boundary = re.search(
        r",| but | while | whereas | and (?:has|have|had|is|are|was|were|will|would) ", text[trig.end :]
    )
    return trig.end, trig.end + boundary.start() if boundary else len(text)


def _relative_clause_head(frame: Frame, trig: Trigger) -> tuple[int, int] | None:
    """'the "security guarantees" Kyiv has demanded': a stance verb in a relative clause is about its head."""
    token = _token_at(frame, trig.start)
    if token is None or token.dep_ != "relcl":
        return None
    base = frame.span.start_char
    head = token.head
    return head.left_edge.idx - base, head.idx - base + len(head.text)


def _token_at(frame: Frame, pos: int):
    if frame.span is None:
        return None
    base = frame.span.start_char
    return next((t for t in frame.span if t.idx - base <= pos < t.idx - base + len(t.text)), None)


def _object_ref(frame: Frame, start: int, end: int, gaz: Gazetteer) -> EntityRef | None:
    raw = frame.text[start:end]
    phrase = re.sub(r"(?:を|は|に|にも|も)?(?:「[^」]*」として)?$", "", raw.strip()).strip(' 、,."“”')
    inside = [m for s, _, m in frame.mentions if start <= s < end and m.entity_id]
    topics = [m for m in inside if gaz.entities[m.entity_id].type == "topic"]
    chosen = topics[-1] if topics else (inside[0] if inside else None)
    if not phrase:
        return None
    return EntityRef(phrase, chosen.entity_id if chosen else None)


def _location(frame: Frame, gaz: Gazetteer, rules) -> EntityRef | None:
    """The venue: a known place (city) first, else a place-like NER span introduced as a venue."""
    ranked = []
    for s, e, m in frame.mentions:
        entity = gaz.get(m.entity_id)
        is_place = entity is not None and entity.type == "place"
        if not is_place and m.label not in {"GPE", "LOC", "FAC"}:
            continue
        marked = rules.location_marked(frame.text, e) if frame.lang == "ja" else rules.location_marked(frame.text, s)
        if is_place or marked:
            ranked.append((not is_place, not marked, s, m))
    return _ref(min(ranked, key=lambda r: r[:3])[3]) if ranked else None


# --- modifiers ------------------------------------------------------------------------------------


def _nearest(items, trig: Trigger):
    """The time/window closest to the trigger, preferring ones before it."""
    if not items:
        return None
    return min(items, key=lambda x: abs(x.char_start - trig.start) + (0 if x.char_start <= trig.start else 5))


def _nearest_quantity(frame: Frame, trig: Trigger) -> Quantity | None:
    found = frame.quantities
    if not found:
        return None
    q, start, _, _ = min(found, key=lambda x: abs(x[1] - trig.start))
    return q if abs(start - trig.start) <= 40 else None


def _find(text: str, part: str | None) -> tuple[int, int] | None:
    if not part:
        return None
    i = text.find(part)
    return (i, i + len(part)) if i >= 0 else None


def _ref(m: Mention) -> EntityRef:
    return EntityRef(m.text, m.entity_id)


def _claim(frame: Frame, kind: str, trig: Trigger, subject: Mention | None, **fields) -> Claim:
    time = fields.pop("time", None) or _nearest(frame.times, trig)
    confidence = fields.pop("confidence", 0.5)
    if subject is not None and subject.entity_id:
        confidence += 0.1
    return Claim(
        kind=kind,
        predicate=trig.predicate,
        evidence=frame.evidence(trig.start, trig.end),
        subject=_ref(subject) if subject else None,
        time=time,
        confidence=round(min(confidence, 0.95), 2),
        extractor=EXTRACTOR_VERSION,
        **fields,
    )


# --- tiers ----------------------------------------------------------------------------------------


def _sections(frames: list[Frame]) -> dict[int, int]:
    """sentence idx → index of the heading sentence whose section it is in (-1 before any heading)."""
    current, out = -1, {}
    for f in frames:
        if f.sentence.is_heading:
            current = f.sentence.idx
        out[f.sentence.idx] = current
    return out


def _tier_of_sentences(frames: list[Frame]) -> dict[int, int]:
    """sentence idx → tier number: sentences naming one tier, the section under a tier heading, and the
    rest of a paragraph after a sentence naming a tier ("…moves to a second tier. At that stage, …")."""
    sections = _sections(frames)
    heading_tier: dict[int, int] = {}
    out: dict[int, int] = {}
    running: tuple[int, int] | None = None  # (paragraph, tier) carried within a paragraph
    for f in frames:
        tiers = {m[0] for m in f.tier_markers}
        if f.sentence.is_heading and tiers:
            heading_tier[f.sentence.idx] = min(tiers)
        if len(tiers) == 1:
            out[f.sentence.idx] = tiers.pop()
            running = (f.sentence.paragraph, out[f.sentence.idx])
        elif not tiers and running and running[0] == f.sentence.paragraph:
            out[f.sentence.idx] = running[1]
        elif sections[f.sentence.idx] in heading_tier:
            out[f.sentence.idx] = heading_tier[sections[f.sentence.idx]]
    return out


def _tag_tiers(claims: list[Claim], tiers: dict[int, int]) -> list[Claim]:
    return [
        replace(c, tier=tiers[c.evidence.sentence_idx])
        if c.kind == "pledge" and c.evidence.sentence_idx in tiers
        else c
        for c in claims
    ]


def _tier_claims(frames: list[Frame], tiers: dict[int, int], gaz: Gazetteer) -> list[Claim]:
    """One claim per tier: actor, action, window and condition gathered from its marker and section."""
    by_tier: dict[int, list[Frame]] = {}
    for f in frames:
        if f.sentence.idx in tiers:
            by_tier.setdefault(tiers[f.sentence.idx], []).append(f)
    claims = []
    for number, members in sorted(by_tier.items()):
        claim = _tier_claim(number, members, gaz)
        if claim is not None:
            claims.append(claim)
    return claims


def _tier_claim(number: int, members: list[Frame], gaz: Gazetteer) -> Claim | None:
    rules = RULES[members[0].lang]
    marker_frames = [f for f in members if f.tier_markers]
    anchor_frame = marker_frames[0]
    subject = trigger = window = condition = None
    for f in marker_frames + [f for f in members if f not in marker_frames]:
        after = max((end for _, _, end in f.tier_markers), default=0)
        commitments = [t for t in f.triggers if t.predicate in COMMITMENTS]
        if subject is None:
            actors = [m for s, _, m in f.mentions if s >= after and _is_actor(m, gaz) and m.entity_id]
            if commitments and f.span is not None:
                found = _subjects(f, commitments[0], gaz)
                actors = found or actors
            if actors:
                subject, anchor_frame = actors[0], f
        trigger = trigger or (commitments[0] if commitments else None)
        window = _better_window(window, f.windows)
        if condition is None:
            condition = rules.condition(f.text, commitments[0] if commitments else Trigger("", len(f.text), 0, ""))
    if subject is None and trigger is None:
        return None
    marker = anchor_frame.tier_markers
    start, end = (marker[0][1], len(anchor_frame.text)) if marker else (0, len(anchor_frame.text))
    return Claim(
        kind="tier",
        predicate=trigger.predicate if trigger else "respond",
        evidence=anchor_frame.evidence(start, end),
        subject=_ref(subject) if subject else None,
        modality="planned",
        condition=condition,
        window=window,
        tier=number,
        confidence=0.85 if subject and window else 0.7,
        extractor=EXTRACTOR_VERSION,
    )


def _better_window(current: Window | None, candidates: list[Window]) -> Window | None:
    """Keep the first window found; fill in its anchor from a later mention of the same duration."""
    if not candidates:
        return current
    if current is None:
        return candidates[0]
    if current.anchor is None:
        anchored = [w for w in candidates if w.duration == current.duration and w.anchor]
        if anchored:
            return replace(current, anchor=anchored[0].anchor)
    return current


# --- clean-up -------------------------------------------------------------------------------------


def _dedupe(claims: list[Claim]) -> list[Claim]:
    best: dict[tuple, Claim] = {}
    for c in claims:
        if c.kind == "event":  # one event per sentence, predicate, date and venue
            key = (c.kind, c.predicate, c.time, c.location, c.evidence.sentence_idx)
        else:
            key = (
                c.kind,
                c.predicate,
                c.subject.entity_id or c.subject.text if c.subject else None,
                c.object.entity_id or c.object.text if c.object else None,
                c.tier,
                c.polarity,
                c.evidence.sentence_idx,
            )
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.evidence.start, c.kind, c.predicate))
