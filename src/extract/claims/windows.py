"""Relative time windows in any supported language: a duration with its bound and anchor event.

"within 72 hours of the first violation" → PT72H within, anchor "the first violation"; 「最初の違反を起点に72時間が
たった時点で」 → PT72H after, anchor 「最初の違反」; "binnen 24 Stunden" → PT24H within; "через 72 години" → PT72H
after; "a 90-day pause" → P90D for; 「24時間の対応枠」 → PT24H within.

A duration is a number (digits, kanji or a number word of the language) and a time unit from the language
file's ``[time.units]``. Its bound comes from the cue regular expressions of ``[time.window]``, tried in this
order: ``within_before``, ``after_before``, ``for_before`` (cues ending just before the duration), then
``within_after``, ``after_after``, ``for_after`` (cues starting just after it), then a hyphenated compound
("72-hour", a period: for). A duration with no bound cue ("24時間体制", "it lasted 72 hours") is not a window.
The anchor event follows ``anchor_after`` ("of", "after", "nach", "після") or precedes ``anchor_before``
(「から」, 「を起点に」).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from extract import lang as langdata
from extract.lang import LanguageData
from extract.model import Window

_KANJI_DIGITS = "〇一二三四五六七八九"
_KANJI_NUMBER = r"[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_WORD_END = r"(?![^\W\d_])"  # an ASCII word ends here: "72 h" but not "72 hostages"
_ISO_LETTER = {"hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y"}
_BREAK = re.compile(r"[\s、。，．,.「」『』（）()【】・:;!?！？]|(?:(?<![ぁ-ん])|(?<=[にで]))は")


_SMALLER = {"year": ("month", 12), "month": ("day", 30), "week": ("day", 7), "day": ("hour", 24)}


def iso_duration(amount: float, unit: str) -> str:
    """ "P6M" for half a year, "PT12H" for half a day: a fraction in the next smaller unit when it is whole."""
    if not float(amount).is_integer() and unit in _SMALLER:
        smaller, factor = _SMALLER[unit]
        if float(amount * factor).is_integer():
            return iso_duration(amount * factor, smaller)
    number = str(int(amount)) if float(amount).is_integer() else str(amount)
    return f"PT{number}H" if unit == "hour" else f"P{number}{_ISO_LETTER[unit]}"


@cache
def _patterns(code: str) -> tuple[re.Pattern[str], dict[str, tuple[re.Pattern[str], ...]]]:
    data = langdata.load(code)
    words = sorted(data.numbers, key=len, reverse=True)
    word_alt = "|".join(rf"{re.escape(w)}{_WORD_END}" if w.isascii() else re.escape(w) for w in words)
    num = rf"\d+(?:[.,]\d+)?|{_KANJI_NUMBER}" + (f"|(?<![^\\W\\d_]){word_alt}" if word_alt else "")
    units = sorted(((w, u) for u, ws in data.units.items() for w in ws), key=lambda x: -len(x[0]))
    unit_alt = "|".join(
        rf"(?P<u_{u}_{i}>{re.escape(w)}{_WORD_END if w.isascii() else ''})" for i, (w, u) in enumerate(units)
    )
    duration = re.compile(
        rf"(?<![\d.,月〜~～-])(?P<num>{num})(?P<sep>[ \u00a0]?-[ \u00a0]?|[ \u00a0]*)(?:{unit_alt})", re.IGNORECASE
    )
    cues = {}
    for name, rxs in data.window_cues.items():
        if name == "anchor_before":
            cues[name] = rxs
        elif name.endswith("_before"):
            cues[name] = tuple(re.compile(rf"(?:{rx.pattern})\s*$", re.IGNORECASE) for rx in rxs)
        else:
            cues[name] = tuple(re.compile(rf"^\s*(?:{rx.pattern})", re.IGNORECASE) for rx in rxs)
    return duration, cues


def nfkc_with_origin(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise character by character; ``origin[i]`` is the index in ``text`` of char ``i``."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normalised = unicodedata.normalize("NFKC", char)
        chars.append(normalised)
        origin.extend([index] * len(normalised))
    return "".join(chars), origin


def _amount(number: str, data: LanguageData) -> float | None:
    low = number.lower()
    if low in data.numbers:
        return data.numbers[low]
    if number[0].isdigit():
        return float(number.replace(",", "."))
    if "十" not in number:
        return float(_KANJI_DIGITS.index(number)) if number in _KANJI_DIGITS else None
    tens, _, ones = number.partition("十")
    return float((_KANJI_DIGITS.index(tens) if tens else 1) * 10 + (_KANJI_DIGITS.index(ones) if ones else 0))


def find_windows(text: str, code: str) -> list[Window]:
    """Windows in ``text``, sorted and non-overlapping."""
    data = langdata.load(code)
    duration_rx, cues = _patterns(code)
    norm, origin = nfkc_with_origin(text)
    out: list[Window] = []
    previous_end = 0
    for m in duration_rx.finditer(norm):
        amount = _amount(m["num"], data)
        unit = next(name.split("_")[1] for name, value in m.groupdict().items() if name.startswith("u_") and value)
        if unit == "decade" and amount is not None:
            amount, unit = amount * 10, "year"  # "over the next three decades" is 30 years
        if amount is None or amount <= 0 or amount >= 1000 or (unit == "year" and amount > 100):
            continue
        start, end = m.span()
        before, after = norm[max(previous_end, start - 40) : start], norm[end : end + 40]
        bound, start, end = _bound(cues, before, after, start, end, m["sep"].strip() == "-")
        if bound is None:
            continue
        anchor, start, end = _anchor(data, cues, norm, previous_end, start, end)
        window = Window(iso_duration(amount, unit), bound, None, "", 0, 0)
        a, b = origin[start], origin[end - 1] + 1
        anchor_text = None
        if anchor is not None:
            anchor_text = text[origin[anchor[0]] : origin[anchor[1] - 1] + 1]
        out.append(Window(window.duration, bound, anchor_text, text[a:b], a, b))
        previous_end = end
    return out


def _bound(cues, before: str, after: str, start: int, end: int, hyphen: bool) -> tuple[str | None, int, int]:
    for name, bound in (("within_before", "within"), ("after_before", "after"), ("for_before", "for")):
        for rx in cues.get(name, ()):
            m = rx.search(before)
            if m:
                return bound, start - (len(before) - m.start()), end
    for name, bound in (("within_after", "within"), ("after_after", "after"), ("for_after", "for")):
        for rx in cues.get(name, ()):
            m = rx.match(after)
            if m:
                keep = name != "after_after" or not _is_anchor_word(cues, after)
                return bound, start, end + (m.end() if keep else 0)
    if hyphen:
        return "for", start, end
    return None, start, end


def _is_anchor_word(cues, after: str) -> bool:
    return any(rx.match(after) for rx in cues.get("anchor_after", ()))


def _anchor(data: LanguageData, cues, norm: str, floor: int, start: int, end: int):
    """(anchor span or None, window start, window end)."""
    if data.head_final:
        head = norm[floor:start]
        for rx in cues.get("anchor_before", ()):
            m = re.search(rf"(?:{rx.pattern})[、,]?\s*$", head)
            if m:
                event_end = floor + m.start()
                breaks = list(_BREAK.finditer(norm, floor, event_end))
                event_start = breaks[-1].end() if breaks else floor
                if event_start < event_end:
                    return (event_start, event_end), event_start, end
        return None, start, end
    rest = norm[end : end + 80]
    for rx in cues.get("anchor_after", ()):
        m = rx.match(rest)
        if not m:
            continue
        phrase = re.match(r"[\w'’-]+(?:\s+[\w'’-]+){0,5}", rest[m.end() :])
        if not phrase:
            continue
        words = phrase.group().split()
        kept = []
        for w in words:
            if w.lower() in data.words.get("anchor_stop", frozenset()):
                break
            kept.append(w)
        if kept:
            a = end + m.end()
            b = a + len(" ".join(kept))
            return (a, b), start, b
    return None, start, end
