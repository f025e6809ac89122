"""English clause rules: negation, modality, conditions, tier markers, quantities.

Subjects come from the dependency parse (see ``claims._subjects_en``); this module is text-level.
All offsets are relative to the sentence text.
"""

from __future__ import annotations

import re

from extract.lexicon import Trigger
from extract.model import Quantity

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "1": 1, "2": 2, "3": 3, "4": 4, "5": 5,
}  # fmt: skip
TIER = re.compile(
    r"\b(?:(?:tier|stage|phase|level)\s+(one|two|three|four|five|[1-5])\b(?!-)"
    r"|(first|second|third|fourth|fifth)\s+(?:tier|stage|phase)\b)",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|n't|never|no longer)\b", re.IGNORECASE)
_CONDITION = re.compile(
    r"\b((?:if|in the event (?:of|that)|in case of|should|(?<=reserved )for)\b[^,.;]{3,120}?)(?=,|\.|;| then\b|$)",
    re.IGNORECASE,
)
_MODALITY = [
    ("offered", re.compile(r"\boffer(?:s|ed|ing)?\b", re.IGNORECASE)),
    ("possible", re.compile(r"\b(?:could|may|might|possibl[ey]|potentially)\b", re.IGNORECASE)),
    ("intended", re.compile(r"\b(?:intend(?:s|ed)?|plan(?:s|ned)? to|aim(?:s|ed)? to)\b", re.IGNORECASE)),
    ("demanded", re.compile(r"\b(?:demand(?:s|ed)?|insist(?:s|ed)?)\b", re.IGNORECASE)),
    ("planned", re.compile(
        r"\b(?:will|would|shall|pledg(?:e|es|ed)|commit(?:s|ted)?|promis(?:e|es|ed)|going to|to be)\b|'ll\b",
        re.IGNORECASE,
    )),
]  # fmt: skip
_UNITS = {
    "countries": "country",
    "nations": "country",
    "states": "country",
    "troops": "person",
    "soldiers": "person",
    "people": "person",
    "detainees": "person",
    "prisoners": "person",
    "personnel": "person",
    "times": "occurrence",
    "exchanges": "occurrence",
    "prisoner exchanges": "occurrence",
    "mediations": "occurrence",
    "rounds": "occurrence",
    "jobs": "job",
    "jets": "aircraft",
    "planes": "aircraft",
    "aircraft": "aircraft",
    "percent": "percent",
    "%": "percent",
}
_QUANTITY = re.compile(
    r"(?<![\w,.])(?:(about|around|some|nearly|almost|roughly|over|more than|up to)\s+)?"
    r"(\d[\d,]*(?:\.\d+)?)(?:\s*(?:to|-|–|and)\s*(\d[\d,]*(?:\.\d+)?))?\s*"
    r"(?:\s+of\s+(?:[\w'’-]+\s+){0,5}?)?"
    r"(%|percent\b|(?:[a-z-]+\s+){0,2}?(?:prisoner exchanges|countries|nations|states|troops|soldiers|"
    r"people|detainees|prisoners|personnel|times|exchanges|mediations|rounds|jobs|jets|planes|aircraft)\b)",
    re.IGNORECASE,
)
_PAST = re.compile(r"\b(?:sent|deployed|dispatched|supported|intervened|responded|took part|joined)\b")


def tier_markers(text: str) -> list[tuple[int, int, int]]:
    out = []
    for m in TIER.finditer(text):
        word = (m.group(1) or m.group(2)).lower()
        out.append((_WORDS[word], m.start(), m.end()))
    return out


def hypothetical(text: str, trigger: Trigger) -> bool:
    """ "without US support", "What a US intervention … would involve": named, not committed to."""
    before = text[max(0, trigger.start - 30) : trigger.start].lower()
    return bool(re.search(r"\bwithout\b[^,.;]*$|^\s*what\b[^,.;]*$", before))


def negated(text: str, trigger: Trigger) -> bool:
    """ "will not send", "won't deploy", "never accepted": a negator shortly before the trigger."""
    before = text[max(0, trigger.start - 25) : trigger.start]
    return bool(_NEGATION.search(before))


def modality(text: str, trigger: Trigger) -> str | None:
    before = text[max(0, trigger.start - 60) : trigger.start]
    around = before + text[trigger.start : trigger.end]
    for name, rx in _MODALITY:
        if rx.search(around):
            return name
    if _PAST.search(trigger.text):
        return None
    return "asserted"


def condition(text: str, trigger: Trigger) -> str | None:
    """The if/in-the-event-of clause of the trigger's sentence (before or after it)."""
    best = None
    for m in _CONDITION.finditer(text):
        if best is None or abs(m.start() - trigger.start) < abs(best.start() - trigger.start):
            best = m
    return best.group(1).strip() if best else None


def quantities(text: str) -> list[tuple[Quantity, int, int, str | None]]:
    """(quantity, start, end, counted noun) for "34 countries", "50 to 250 troops"."""
    out = []
    for m in _QUANTITY.finditer(text):
        low = float(m.group(2).replace(",", ""))
        high = float(m.group(3).replace(",", "")) if m.group(3) else None
        noun = m.group(4).lower().strip()
        unit = _UNITS.get(noun) or _UNITS.get(noun.split()[-1], "item")
        approx = bool(m.group(1)) or high is not None
        out.append((Quantity(low, unit, m.group(0), high, approx), m.start(), m.end(), noun))
    return out


_QUOTE = re.compile(r"[\"“][^\"”]{1,25}[\"”]")


def in_short_quote(text: str, pos: int) -> bool:
    """Inside a short quoted label such as "72-hour intervention"."""
    return any(m.start() < pos < m.end() for m in _QUOTE.finditer(text))


def location_marked(text: str, start: int) -> bool:
    """ "in Abu Dhabi", "at a meeting in Paris": a place introduced by in/at."""
    return bool(
        re.search(
            r"\b(?:in|at)\s+(?:the\s+)?(?:[A-Z][a-z]+\s+)?(?:capital,?\s+)?$",
            text[max(0, start - 40) : start],
        )
    )
