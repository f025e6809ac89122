"""Quantities as claims state them: counts, percentages and money, with scope, change and rate.

"34 countries", 「157人ずつ」 (each), "314 in total" / 「合わせて314人」 (total), "$300 billion a year" (USD 3e11 per
year), "from 2% to 5% of GDP" (5 percent, previous 2), "cut from 145 percent to 30 percent", "around a fifth"
(20 percent, approximate), 「約2500人」. Units, counters, scale words, currencies, fractions and the cue words
come from the language's data file (``[quantities]`` and ``[cues]``); the number syntax (digit groups,
decimal commas, kanji numerals) is common to all languages.

Numbers that are years, dates, times of day, durations ("72 hours" is a window) or ordinals are not
quantities.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import cache

from extract.lang import LanguageData
from extract.model import Quantity

_KANJI = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
# 1,234,567 / 1.234.567 / 1 234 / 3.5 / 3,5 / 三十 / 二千五百
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z.,])(?:\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+|(?:[ \u00a0\u202f]\d{3})+)(?![\d])(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?|[〇一二三四五六七八九十百千]+)(?![\d])"
)
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")
# Scripts written without spaces between words (kana, kanji, fullwidth forms): their cue words and counters
# match inside a run of text; the words of other scripts (Latin, Cyrillic) match only as whole words.
_SPACELESS = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _is_word_at(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` a whole word there? An end written in a spaceless script, or not a letter or
    digit ("ca.", "%"), needs no boundary; otherwise the neighbouring character must not be a letter or digit
    ("по" is no word inside "полонених")."""

    def bounded(ch: str, neighbour: str) -> bool:
        return not neighbour.isalnum() or not ch.isalnum() or bool(_SPACELESS.match(ch))

    if start >= end:
        return False
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return bounded(text[start], before) and bounded(text[end - 1], after)


def _starts_with_word(text: str, w: str) -> bool:
    return text.startswith(w) and _is_word_at(text, 0, len(w))


def _ends_with_word(text: str, w: str) -> bool:
    return text.endswith(w) and _is_word_at(text, len(text) - len(w), len(text))


@cache
def _number_pattern(code: str) -> re.Pattern[str]:
    """Digits and kanji numerals, and the language's number words ("thirty countries", "drei Länder")."""
    from extract import lang as langdata

    data = langdata.load(code)
    vague = data.words.get("vague_numbers", frozenset())  # "a", "several", 「数」: no figure of their own
    words = sorted((w for w in data.numbers if w not in vague), key=len, reverse=True)
    if not words:
        return _NUMBER
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(rf"{_NUMBER.pattern}|(?<![^\W\d_])(?:{alt})(?![^\W\d_])", re.IGNORECASE)


def parse_number(text: str, words: dict[str, float] | None = None) -> float | None:
    """ "1,234" → 1234, "1.234" → 1234 (a digit group), "3,5" → 3.5, "三十" → 30, "thirty" → 30."""
    if words and text.lower() in words:
        return words[text.lower()]
    if text[0] in _KANJI or text[0] in _KANJI_UNITS:
        return _kanji(text)
    t = text.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:([,. ])\d{3})+(?:[.,]\d+)?", t):
        sep = re.search(r"[,. ]", t).group()
        whole, _, frac = t.partition({",": ".", ".": ",", " ": ","}[sep]) if sep != " " else (t, "", "")
        digits = whole.replace(sep, "")
        return float(f"{digits}.{frac}" if frac else digits)
    return float(t.replace(",", "."))


def _kanji(text: str) -> float | None:
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI:
            current = _KANJI[ch]
        elif ch in _KANJI_UNITS:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current)


def find_quantities(text: str, data: LanguageData) -> list[tuple[Quantity, int, int]]:
    """(quantity, start, end) in sentence order; ``start``/``end`` cover the number and its unit."""
    norm = unicodedata.normalize("NFKC", text) if len(unicodedata.normalize("NFKC", text)) == len(text) else text
    found: list[tuple[Quantity, int, int]] = []
    for m in _number_pattern(data.code).finditer(norm):
        if found and m.start() < found[-1][2]:
            continue  # the second number of a range already read
        q = _quantity(norm, m, data)
        if q is not None:
            found.append(q)
    found += _fractions(norm, data, found)
    found = _without_conversions(norm, sorted(found, key=lambda x: x[1]), data)
    found = [(replace(q, text=text[s:e]), s, e) for q, s, e in _changes(norm, found, data)]  # original spelling
    return sorted(found, key=lambda x: x[1])


_BRACKET = re.compile(r"^\s*[(（]\s*[^\W\d_]{0,12}\.?\s*$")


def _without_conversions(text: str, found: list[tuple[Quantity, int, int]], data: LanguageData):
    """ "A$368 billion ($245 billion)", 「1億ドル（約145億円）」: an amount restated in another currency right
    after it is no amount of its own."""
    money = set(data.currencies.values())
    out: list[tuple[Quantity, int, int]] = []
    for q, s, e in found:
        prev = out[-1] if out else None
        if prev is not None and q.unit in money and prev[0].unit in money and q.unit != prev[0].unit:
            gap = text[prev[2] : s]
            if _BRACKET.match(gap) or any(rx.match(gap) for rx in data.regex("conversion")):
                continue
        out.append((q, s, e))
    return out


_RANGE = re.compile(r"\s*(?:〜|~|～|-|–|—|to|bis|à|a|до|і|y)\s*(\d+(?:[.,]\d+)?)(?![\d.,])")


def _quantity(text: str, m: re.Match[str], data: LanguageData) -> tuple[Quantity, int, int] | None:
    raw = m.group()
    value = parse_number(raw, data.numbers)
    if value is None:
        return None
    start, end = m.span()
    if raw.lower() in data.scales and _vague_before(text[max(0, start - 24) : start], data):
        return None  # "several thousand troops", "einige tausend Soldaten": no figure of their own
    upper = None
    r = _RANGE.match(text, end)
    if r and raw[0].isdigit():  # "50〜250人", "50 to 250 troops": a range
        high = parse_number(r.group(1).strip())
        if high is not None and high > value:
            upper, end = high, r.end()
    rest = text[end:]
    # scale ("billion", "bn", "億", "Mrd.")
    scale_word, scale = _longest_prefix(rest, data.scales)
    if scale_word:
        value *= scale
        end += len(scale_word)
        rest = text[end:]
        of, _ = _longest_prefix(rest, dict.fromkeys(data.words.get("scale_of", ()), ""))
        after_of = rest[len(of) :] if of else ""
        if of and (_longest_prefix(after_of, data.currencies)[0] or _counted(after_of, data)[0]):
            end += len(of)  # "300 milliards de dollars", "tres docenas de países"
            rest = text[end:]
    before = text[max(0, start - 24) : start]
    unit = None
    currency_before = _suffix_match(before, data.currencies)
    currency_after, code_after = _longest_prefix(rest, data.currencies)
    percent_after = _word_prefix(rest, data.words.get("percent", frozenset()))
    if currency_before:
        unit = data.currencies[currency_before]
        start -= len(currency_before) + (
            len(before) - len(before.rstrip()) if not before.endswith(currency_before) else 0
        )
        start = max(0, start)
    elif currency_after:
        unit = code_after
        end += len(currency_after)
    elif percent_after:
        unit = "percent"
        end += len(percent_after)
        gdp = _word_prefix(text[end:], data.words.get("gdp", frozenset()))
        if gdp:
            unit = "percent of GDP"
            end += len(gdp)
    else:
        noun, unit_name, skip = _counted(text[end:], data)
        scale_unit = _unit_of(scale_word.strip().lower(), data) if noun is None and scale_word else None
        if scale_unit:  # "10 bcm": a scale that is its own unit
            noun, unit_name, skip = scale_word, scale_unit, 0
        if noun is None:
            return None
        if _YEARLIKE.match(raw) and not skip:
            return None
        if unit_name == "item" and text[end : end + 1] in ("-", "‐", "‑"):
            return None  # "the 11-point plan", "a 20-Punkte-Plan": what the plan is like, not a count
        unit = unit_name
        end += skip
    if _is_time_number(text, m, data):
        return None
    approx = _approximate(before, text[end : end + 6], data)
    scope = _scope(text, start, end, data)
    per = _rate(text[end : end + 16], data)
    q = Quantity(
        value, unit, text[start:end], upper=upper, approximate=approx or upper is not None, scope=scope, per=per
    )
    return q, start, end


def _vague_before(before: str, data: LanguageData) -> bool:
    """Does a vague number word ("several", "einige", "ein paar") end ``before``? Not "a" / "ein" (one),
    nor a word that is also an approximation cue ("unos mil": about a thousand)."""
    tail = before.lower().rstrip()
    approx = data.words.get("approximate", frozenset())
    return any(
        _ends_with_word(tail, w) and data.numbers.get(w) != 1 and w not in approx
        for w in data.words.get("vague_numbers", ())
    )


def _longest_prefix(rest: str, table: dict) -> tuple[str | None, float | str | None]:
    stripped = rest.lstrip(" \u00a0")
    gap = len(rest) - len(stripped)
    best = None
    for word in table:
        if _starts_with_word(stripped.lower(), word.lower()) and (best is None or len(word) > len(best)):
            best = word
    if best is None:
        return None, None
    return rest[: gap + len(best)], table[best]


def _suffix_match(before: str, table: dict[str, str]) -> str | None:
    stripped = before.rstrip(" \u00a0")
    best = None
    for word in table:
        if not stripped.lower().endswith(word.lower()):
            continue
        bounded = not word[0].isalpha() or len(stripped) <= len(word) or not stripped[-len(word) - 1].isalpha()
        symbol_or_code = not word[0].isalpha() or word.isupper()  # "$", "US$", "EUR" — not "dollars" before
        if bounded and symbol_or_code and (best is None or len(word) > len(best)):
            best = word
    return best


def _word_prefix(rest: str, words: frozenset[str]) -> str | None:
    stripped = rest.lstrip(" \u00a0")
    gap = len(rest) - len(stripped)
    for w in sorted(words, key=len, reverse=True):
        if _starts_with_word(stripped.lower(), w):
            return rest[: gap + len(w)]
    return None


def _counted(rest: str, data: LanguageData) -> tuple[str | None, str | None, int]:
    """The counted noun after a number, up to three words on ("157 Ukrainian POWs", "34カ国")."""
    for counter, unit in _counters(data):
        if rest.startswith(counter):
            return counter, unit, len(counter)
    words = list(re.finditer(r"[\w'’]+(?:-[\w'’]+)*", rest[:60]))
    if words and (words[0].start() > 2 or rest[: words[0].start()].strip(" -\u00a0")):
        return None, None, 0  # "2035, les pays": punctuation ends the number's phrase
    best = None
    i = 0
    while i < min(len(words), 3):
        w = words[i]
        if i and w.start() - words[i - 1].end() > 1:
            break  # "34 countries, not counting…": the noun phrase ends at punctuation
        phrase, unit, n = _phrase_unit(rest, words, i, data)
        if unit:  # "cubic metres", "mètres cubes", "posti di lavoro": a unit of several words
            best = (phrase, unit, words[i + n - 1].end())
            i += n
            continue
        token = w.group().lower()
        if token in data.words.get("anchor_stop", ()) or token in data.scales:
            break
        unit = _unit_of(token, data)
        if unit:
            best = (token, unit, w.end())  # the head is the last noun: "17 prisoner exchanges" counts exchanges
        elif best:
            break
        i += 1
    return best or (None, None, 0)


def _phrase_unit(rest: str, words: list[re.Match[str]], i: int, data: LanguageData) -> tuple[str, str | None, int]:
    """The longest unit of several words (as the data file spells it, one space apart) starting at word ``i``."""
    for n in (3, 2):
        span = words[i : i + n]
        if len(span) < n or any(rest[a.end() : b.start()] != " " for a, b in zip(span, span[1:], strict=False)):
            continue
        phrase = " ".join(m.group().lower() for m in span)
        unit = _unit_of(phrase, data, phrases=True)
        if unit:
            return phrase, unit, n
    return "", None, 0


def _counters(data: LanguageData) -> list[tuple[str, str]]:
    """Counters written right after the number (Japanese 人, カ国): unit words of a spaceless script."""
    out = [(w, unit) for unit, words in data.quantity_units.items() for w in words if _SPACELESS.match(w)]
    return sorted(out, key=lambda x: -len(x[0]))


def _unit_of(token: str, data: LanguageData, phrases: bool = False) -> str | None:
    """The unit ``token`` names; with ``phrases``, only by the data's units of several words."""
    for unit, words in data.quantity_units.items():
        for w in words:
            if phrases and " " not in w:
                continue
            if token == w or (w.endswith("*") and token.startswith(w[:-1])):
                return unit
    return None


def _is_time_number(text: str, m: re.Match[str], data: LanguageData) -> bool:
    after = text[m.end() : m.end() + 12].lower().lstrip()
    for words in data.units.values():
        for w in words:
            if after.startswith(w) and not after[len(w) : len(w) + 1].isalpha():
                return True
    return False


def _approximate(before: str, after: str, data: LanguageData) -> bool:
    words = data.words.get("approximate", frozenset()) | data.words.get("more_than", frozenset())
    tail = before.lower().rstrip()
    after = after.lower()
    return any(_ends_with_word(tail, w) for w in words) or any(
        _starts_with_word(after, w) for w in words if _SPACELESS.match(w)
    )


def _scope(text: str, start: int, end: int, data: LanguageData) -> str | None:
    window = text[max(0, start - 14) : end + 12].lower()
    if any(_has_word(window, w) for w in data.words.get("each", ())):
        return "each"
    if any(_has_word(window, w) for w in data.words.get("total", ())):
        return "total"
    return None


def _has_word(text: str, w: str) -> bool:
    return any(_is_word_at(text, m.start(), m.end()) for m in re.finditer(re.escape(w), text))


def _rate(after: str, data: LanguageData) -> str | None:
    low = after.lower().lstrip(" ,")
    for w in data.words.get("rate", ()):
        if _starts_with_word(low, w):
            return "year"
    return None


def _fractions(text: str, data: LanguageData, found) -> list[tuple[Quantity, int, int]]:
    """ "around a fifth", "a third of": a fraction of a whole, as a percentage."""
    out = []
    low = text.lower()
    for phrase, percent in data.fractions.items():
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", low):
            if any(s <= m.start() < e for _, s, e in found) or _ordinal_use(low, m, data):
                continue
            before = text[max(0, m.start() - 24) : m.start()]
            out.append(
                (
                    Quantity(
                        percent,
                        "percent",
                        text[m.start() : m.end()],
                        approximate=_approximate(before, "", data),
                    ),
                    m.start(),
                    m.end(),
                )
            )
    return out


def _ordinal_use(low: str, m: re.Match[str], data: LanguageData) -> bool:
    """ "a third stage" ranks a noun and "the second half of 2024" is a period: no fraction of a whole."""
    after = re.match(r"\s+([^\W\d_]+)", low[m.end() :])
    ranks = m.group().split()[-1] in data.ordinals and after is not None
    before = re.search(r"([^\W\d_]+)\s+$", low[: m.start()])
    return (ranks and after.group(1) not in data.words.get("scale_of", ())) or (
        before is not None and before.group(1) in data.ordinals
    )


def _changes(text: str, found: list[tuple[Quantity, int, int]], data: LanguageData):
    """ "from 2% to 5%", "von 30 auf 15 Prozent", 「2%から5%に」: keep the new value with the old one."""
    out = list(found)
    ordered = sorted(found, key=lambda x: x[1])
    drop = set()
    from_words = data.words.get("change_from", frozenset())
    to_words = data.words.get("change_to", frozenset())
    for (a, s1, e1), (b, s2, e2) in zip(ordered, ordered[1:], strict=False):
        gap = text[e1:s2].strip().lower()
        before = re.findall(r"\w+", text[max(0, s1 - 12) : s1].lower())
        # head-final: 「2%から5%に」; otherwise "from 2% to 5%"
        head_final_change = gap in from_words
        change = (
            head_final_change if data.head_final else (gap in to_words and bool(before) and before[-1] in from_words)
        )
        if change and (a.unit == b.unit or b.unit.startswith("percent")):
            i = out.index((b, s2, e2))
            out[i] = (Quantity(b.value, b.unit, text[s1:e2], b.upper, b.approximate, b.scope, a.value, b.per), s1, e2)
            drop.add((s1, e1))
        words = re.findall(r"\w+", gap)
        by = bool(before) and before[-1] in data.words.get("change_by", frozenset())
        if by and words and words[0] in to_words and len(words) <= 4 and not data.head_final:
            drop.add((s1, e1))  # "cut by 98%, to no more than 300 kg": the level reached is the figure
    return [q for q in out if (q[1], q[2]) not in drop]
