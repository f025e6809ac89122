"""Language-independent predicates and their triggers in Japanese and English.

A predicate id is what makes a Japanese and an English claim comparable: "介入" and "intervene" are both
``intervene``. ``COMMITMENTS`` are actions an actor can pledge (a negated one is a position: "will not send
troops"); ``STANCES`` are positions by nature; ``EVENTS`` are dated happenings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMITMENTS = {"intervene", "respond", "deploy_forces", "support", "participate", "consult", "halt_attacks"}
STANCES = {"reject", "accept", "demand"}
EVENTS = {"meeting", "sign"}


@dataclass(frozen=True)
class Trigger:
    predicate: str
    start: int  # offsets in the sentence text
    end: int
    text: str

    @property
    def kind(self) -> str:
        if self.predicate in STANCES:
            return "position"
        if self.predicate in EVENTS:
            return "event"
        return "pledge"


# Order matters only for overlaps: earlier patterns win over later ones that overlap them.
_JA: list[tuple[str, str]] = [
    ("halt_attacks", r"攻撃(?:を|の)?停止"),
    ("consult", r"協議を開始"),
    ("reject", r"拒否|一蹴|拒絶|否定|反対(?!姿勢)|退け"),
    ("accept", r"認め|受け入れ|容認|同意|歓迎"),
    ("demand", r"要求|求め"),
    ("sign", r"署名"),
    (
        "meeting",
        r"(?:第\d+回の?)?(?:\d+者)?(?:和平)?(?:交渉|協議|会合|会談|首脳会議|サミット)(?:の第\d+ラウンド)?"
        r"(?=[^。]*(?:開催|行われ|開か|に臨|を行う|を実施))",
    ),
    ("meeting", r"(?:開催され|行われ|開かれ)た[^。、]{0,10}?(?:交渉|協議|会合|会談|首脳会議|サミット)"),
    ("meeting", r"[^\s、。「」]{0,12}?・?(?:サミット|首脳会議)"),  # summits are events by nature
    ("intervene", r"介入"),
    ("deploy_forces", r"派遣|展開|駐留"),
    ("respond", r"対応(?!計画|策|方針|体制|を\d|を[一二三四五]つ)"),
    ("support", r"支援|後ろ盾|バックストップ"),
    ("participate", r"参加(?!国|形態)"),
]

_EN: list[tuple[str, str]] = [
    ("halt_attacks", r"\b(?:halt|stop|pause|suspend)(?:s|ed|ing)?\b[^.]{0,30}?\b(?:strikes|attacks)\b"),
    ("consult", r"\bbegin consultations\b|\bconsultations\b|\bconsult(?:s|ed|ing)?\b"),
    ("reject", r"\b(?:reject|dismiss|oppose|refuse|rebuff)(?:s|d|ed|es|ing)?\b|\brul(?:e|es|ed|ing) out\b"),
    ("accept", r"\b(?:accept(?:s|ed|ing)?|allow(?:s|ed|ing)?|agree[sd]?|agreeing|welcom(?:e|es|ed|ing))\b"),
    (
        "demand",
        r"\bdemand(?:s|ed|ing)?\b|\binsist(?:s|ed)? (?:that|on)\b|\burg(?:e|es|ed)\b|\bcall(?:s|ed)? on\b|"
        r"\bwant(?:s|ed)?\b(?= [\w. ]{1,40}? to\b)",
    ),
    ("sign", r"\bsign(?:s|ed|ing)?\b"),
    (
        "meeting",
        r"\b(?:(?:first|second|third|fourth|fifth|next|final) )?(?:round(?: of (?:[\w-]+ ){0,3}?talks)?|"
        r"(?:peace )?talks|meeting|summit|negotiations)\b(?=[^.]*\b(?:held|hold|take place|took place|convene))",
    ),
    ("meeting", r"\b(?:[A-Z][\w-]+ )?summit\b"),  # summits are events by nature
    ("intervene", r"\bintervene(?:s|d)?\b|\bintervention\b"),
    (
        "deploy_forces",
        r"\boffer(?:s|ed|ing)?\b(?=[^.]{0,40}\b(?:troops|unit|soldiers|forces|battalion|brigade)\b)",
    ),
    (
        "deploy_forces",
        r"\b(?:deploy(?:s|ed|ing|ment)?|send(?:s|ing)?|sent|dispatch(?:es|ed)?|station(?:s|ed)?)\b",
    ),
    ("respond", r"\brespond(?:s|ed|ing)?\b|\bresponse\b"),
    ("support", r"\bsupport(?:s|ed|ing)?\b|\bbackstop\b|\bback(?:s|ed)\b(?= (?:the|a|Ukraine))"),
    (
        "participate",
        r"\btake part\b|\btakes part\b|\btaking part\b|\bparticipat(?:e|es|ed|ing)\b|\bjoin(?:s|ed)?\b",
    ),
]

_COMPILED = {
    "ja": [(p, re.compile(rx)) for p, rx in _JA],
    "en": [(p, re.compile(rx, re.IGNORECASE)) for p, rx in _EN],
}


def find_triggers(text: str, lang: str) -> list[Trigger]:
    """Non-overlapping predicate triggers in ``text``, in text order."""
    found: list[Trigger] = []
    for predicate, rx in _COMPILED[lang]:
        for m in rx.finditer(text):
            if any(m.start() < t.end and t.start < m.end() for t in found):
                continue
            found.append(Trigger(predicate, m.start(), m.end(), m.group()))
    return sorted(found, key=lambda t: t.start)
