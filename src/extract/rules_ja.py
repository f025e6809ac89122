"""Japanese clause rules: subjects, negation, modality, conditions, tier markers, quantities.

All offsets are relative to the sentence text. Mentions passed in are ``(start, end, Mention)`` with
sentence-relative offsets.
"""

from __future__ import annotations

import re
import unicodedata

from extract.lexicon import Trigger
from extract.model import Quantity

_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
TIER = re.compile(r"第\s*([0-9０-９一二三四五六七八九十]+)\s*(?:段階|層|フェーズ|ステージ)")
# Negation in the predicate's own verb group: 派遣しない, 認めない, 受け入れない, 派遣はしない, 同意しません.
_NEGATION = re.compile(r"^(?:を|は|も)?(?:し|さ|させ|せ|され|られ)?(?:ることは|はし)?(?:ない|ず|ません|なかった|ぬ)")
_LIST_SUBJECT = re.compile(r"^([^:：。]{1,40})[:：]")
_CONDITION = re.compile(
    r"([^、。「」]{2,60}?(?:場合|際|ならば|なら|限り|なければ|れば|されると|すると))"
    r"(?:には|に備え|は|に)?(?:[、,]|(?=[^\u3041-\u309f、,]))"
)
_MODALITY = [
    ("offered", re.compile(r"申し出|提案|オファー")),
    ("possible", re.compile(r"可能性|かもしれ|得る|うる")),
    ("intended", re.compile(r"意向|方針|意思|考え")),
    ("planned", re.compile(r"予定|計画|見通し|見込み|方向|柱")),
    ("demanded", re.compile(r"要求|求め")),
]
# Tense and aspect of the predicate's own verb group (not of a later reporting verb: 派遣すると発表した).
_STATE = re.compile(r"^(?:を|が|に)?(?:し|され|させ)?てい(?!ない|ません)")
_PAST = re.compile(r"^(?:を|が|に)?(?:し|され|させ)?(?:まし)?た(?!場合|ら|め)")
_COUNTERS = {
    "カ国": "country",
    "か国": "country",
    "ヶ国": "country",
    "ケ国": "country",
    "カ国・地域": "country",
    "人": "person",
    "名": "person",
    "回": "occurrence",
    "件": "case",
    "機": "aircraft",
    "隻": "ship",
    "両": "vehicle",
    "%": "percent",
    "％": "percent",
}
_QUANTITY = re.compile(
    r"(?<![\d,.])(\d[\d,]*(?:\.\d+)?)(?:\s*[〜~～\-－–]\s*(\d[\d,]*(?:\.\d+)?))?\s*"
    r"(カ国・地域|カ国|か国|ヶ国|ケ国|人|名|回|件|機|隻|両|%|％)(?:以上|超|近く|規模|程度)?"
    r"(?:の([^\s、。()（）「」をがはにでと]{1,12}?)(?=[をがはにのでと、。()（）]|$))?"
)
_APPROX = re.compile(r"約|およそ|程度|近く|規模|超")


def tier_markers(text: str) -> list[tuple[int, int, int]]:
    """(tier number, start, end) for each "第N段階" in the text."""
    out = []
    for m in TIER.finditer(text):
        digits = unicodedata.normalize("NFKC", m.group(1))
        value = int(digits) if digits.isdigit() else _NUM.get(digits)
        if value:
            out.append((value, m.start(), m.end()))
    return out


def hypothetical(text: str, trigger: Trigger) -> bool:
    """ "米国の支援なしでは": the action is named as absent, not committed to."""
    return text[trigger.end : trigger.end + 2] in ("なし", "抜き")


def negated(text: str, trigger: Trigger) -> bool:
    return bool(_NEGATION.match(text[trigger.end :]))


def modality(text: str, trigger: Trigger) -> str | None:
    """How the action is put: planned/possible/offered/intended/demanded, or None for a past report."""
    clause = _clause_after(text, trigger.end)
    for name, rx in _MODALITY:
        if rx.search(clause):
            return name
    if _PAST.match(text[trigger.end :]):
        return None
    if _STATE.match(clause):
        return "asserted"  # 参加しています: a current state, not a commitment for the future
    return "planned"  # Japanese non-past (介入する, 対応にあたる, 展開されます) states what will happen


def _clause_after(text: str, pos: int) -> str:
    """The rest of the clause after a predicate, up to the sentence end."""
    end = text.find("。", pos)
    return text[pos : end if end >= 0 else len(text)]


def condition(text: str, trigger: Trigger) -> str | None:
    """The nearest "…場合、" clause before the trigger."""
    found = None
    for m in _CONDITION.finditer(text[: trigger.start]):
        found = m.group(1).strip()
    return found


def list_subject_span(text: str) -> tuple[int, int] | None:
    """ "エストニア:…" or "クロアチア・チェコ:…": a list item's label names the actors."""
    m = _LIST_SUBJECT.match(text)
    return (m.start(1), m.end(1)) if m else None


_TITLE = r"(?:氏|首相|大統領|政権|政府|当局者?|側|自身)?"
_TOPIC = re.compile(_TITLE + r"(?:は|が|も)(?!ら)")
_THEME = re.compile(_TITLE + r"は")
_GENITIVE_AGENT = re.compile(r"^(?:の|による|が)?$")
_QUOTE = re.compile(r"「[^」]{1,20}」")


def topic_marked(text: str, end: int) -> bool:
    """Is the mention ending at ``end`` the topic or subject (は/が/も, optionally after a title: 首相は)?"""
    return bool(_TOPIC.match(text[end : end + 8]))


def coordinated_before(text: str, end: int, start: int) -> bool:
    """Is a mention ending at ``end`` coordinated with one starting at ``start`` (クロアチアとチェコ)?"""
    return text[end:start] in ("と", "・", "、", "及び", "および", "や")


def theme_marked(text: str, end: int) -> bool:
    """Is the mention ending at ``end`` the sentence theme (は), which outranks embedded が-subjects?"""
    return bool(_THEME.match(text[end : end + 8]))


def has_theme_before(text: str, pos: int) -> bool:
    """Does the clause before ``pos`` have a は-theme of its own (then no subject carries over)?"""
    return "は" in re.sub(r"「[^」]*」", "", text[:pos])


def adjacent_agent(text: str, end: int, trigger_start: int) -> bool:
    """ "米軍介入", "米国の支援", "米軍が介入": the mention directly governs the predicate noun."""
    return 0 <= trigger_start - end <= 3 and bool(_GENITIVE_AGENT.match(text[end:trigger_start]))


def in_short_quote(text: str, pos: int) -> bool:
    """Inside a short 「…」 label such as 「72時間以内の米軍介入」 (quoted labels are not claims)."""
    return any(m.start() < pos < m.end() for m in _QUOTE.finditer(text))


_FORCE_NOUNS = {"部隊", "軍隊", "兵士", "軍", "兵力", "要員"}


def force_owner(head, child) -> bool:
    """ "有志連合の部隊が展開": the owner of a generic force noun is the acting subject."""
    return head.text in _FORCE_NOUNS and any(c.dep_ == "case" and c.text == "の" for c in child.children)


def coordinated(token) -> bool:
    """A dependent that is coordinated with its head ("フランスと英国", "英国、ノルウェー")."""
    if token.dep_ in {"compound", "conj", "flat"}:
        return True
    markers = {c.text for c in token.children if c.dep_ in {"case", "punct", "cc"}}
    return token.dep_ in {"nmod", "dep"} and bool(markers & {"と", "、", "・", "や"}) and not markers & {"の", "へ"}


def quantities(text: str) -> list[tuple[Quantity, int, int, str | None]]:
    """(quantity, start, end, counted noun) for "34カ国", "50〜250人", "4,641人の被拘禁者"."""
    out = []
    for m in _QUANTITY.finditer(text):
        low = float(m.group(1).replace(",", ""))
        high = float(m.group(2).replace(",", "")) if m.group(2) else None
        before = text[max(0, m.start() - 3) : m.start()]
        approx = bool(_APPROX.search(before + m.group(0))) or high is not None
        unit = _COUNTERS[m.group(3)]
        q = Quantity(value=low, unit=unit, text=m.group(0), upper=high, approximate=approx)
        out.append((q, m.start(), m.end(), m.group(4)))
    return out


def location_marked(text: str, end: int) -> bool:
    """Place phrase used as the venue: "アブダビで", "パリで開催された"."""
    return text[end : end + 1] == "で" or text[end : end + 3] in ("での", "において")
