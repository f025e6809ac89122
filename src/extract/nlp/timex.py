"""Temporal expressions in Japanese and English news text, anchored to a publication date.

``find_times`` finds calendar times and normalises them to :class:`TimeValue` intervals;
``find_windows`` finds relative windows such as "72時間以内" / "within 72 hours of X" (:class:`Window`).

Detection: Japanese uses ``ja_timex`` on an NFKC-normalised copy of the text (so "２０２６年" and "～"
work); English uses regular expressions, with ``dateparser`` reading the month and day of each date.
Offsets always point into the original text.

Normalisation rules:

* A date without a year takes the year that puts it closest to ``anchor`` (within about six months),
  else ``context_year``; with neither it is skipped. dateparser never chooses a year.
* A bare day ("政府は4日、…", the usual Japanese news dateline) is that day of the anchor's month, or of the
  month before when that would lie more than a week after the anchor; without an anchor it is skipped.
* A range ("2026年2月4日から5日", "February 4-5, 2026", "January 30 to February 2") is one
  TimeValue with granularity "day" spanning both ends, even when the ends are months or years, so
  that ``.iso`` shows both ends. Its text runs from the first date to the last; leading "from" and
  trailing "にかけて" / "まで" are left out.
* "2026年初頭", "2026年前半", "2026年春", "early 2026" have granularity "year" and "2月中旬", "2月末",
  "early January" granularity "month": the whole period, with the qualifier kept in the text.
* A weekday ("日曜日まで", "by Sunday") is the first such day on or after ``anchor`` — but an English
  weekday told in the past tense ("released on Saturday", "said on Thursday") is the last one; it is skipped
  without an anchor, or after 先週/今週/来週/毎週, "last" or "every". "2月4日(水)" is one date.
* The end of a year or month ("by the end of 2025", "Ende 2025", 「今年末」, "к концу года") is its last month,
  from each language file's ``period_end`` patterns; without a year in the text, the anchor's.
* 今日/本日/明日/昨日/一昨日/明後日, 今月/来月/先月, 今年/来年/昨年/去年, today/tomorrow/yesterday and
  this/next/last month/year are resolved against ``anchor`` and skipped without one.
* Times of day and plain durations are not times; durations with a bound are windows.

Windows: the bound is "within" (以内, 最初の…, within, in the first…, a 72-hour window), "for"
(…間, にわたって/にわたり, for …) or "after" (…後, after …, … after X). The anchor event is the
phrase before "から" ("最初の違反から72時間以内") or after "of"/"after" ("within 72 hours of the first
violation"); when present it is part of the window's text.

The Japanese parser is built once, on first use, and is not thread-safe.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache

import dateparser
from ja_timex import TimexParser
from ja_timex.tag import TIMEX

from extract.claims import windows
from extract.claims.quantities import parse_number
from extract.model import TimeValue, Window


def _available() -> tuple[str, ...]:
    from extract import lang as langdata

    return langdata.available()


LANGS = _available()


@dataclass(frozen=True)
class _Partial:
    """A date as written: any field may be missing; ``weekday`` (0 = Monday) stands alone."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    past: bool = False  # a weekday told in the past tense ("released on Saturday") is the last one
    last_week: bool = False  # "last Friday": that day of the previous calendar week when this week's has passed


@dataclass
class _Span:
    """A detected time: one date, or the two ends of a range, at ``text[start:end]``."""

    start: int
    end: int
    parts: list[_Partial]


_Interval = tuple[date, date, str]


# --- public API ---------------------------------------------------------------------------------


def find_times(text: str, lang: str, anchor: date | None = None, context_year: int | None = None) -> list[TimeValue]:
    """Calendar times in ``text``, sorted and non-overlapping; unresolvable ones are left out."""
    _check_lang(lang)
    weeks: list[TimeValue] = []
    if lang == "ja":
        spans = _ja_spans(text, anchor)
    elif lang == "en":
        spans = _en_spans(text, anchor)
    else:
        spans, weeks = _eu_spans(text, lang, anchor)
    edges = _period_ends(text, lang, anchor)
    if edges:  # "Ende 2025" is December 2025, not the year a general pattern reads in it
        taken = [(e.start, e.end) for e in edges]
        spans = sorted(edges + [s for s in spans if not _overlaps(taken, s.start, s.end)], key=lambda s: s.start)
        weeks = [w for w in weeks if not _overlaps(taken, w.char_start, w.char_end)]
    values = [_to_time_value(text, span, anchor, context_year) for span in spans]
    values = [value for value in values if value is not None and not _counted_days(text, value)]
    if weeks:
        values = sorted(values + weeks, key=lambda v: v.char_start)
    values = _deadlines_ahead(text, values, lang, anchor)
    return _ja_day_counts(text, values) if lang == "ja" else values


def _deadlines_ahead(text: str, values: list[TimeValue], lang: str, anchor: date | None) -> list[TimeValue]:
    """ "by November", 「11月までに」 written in March: a deadline with no year is the next such month, not the
    last one the nearest-year rule picks (``deadline`` words of the language, before or after the time)."""
    words = _langdata(lang).words.get("deadline", frozenset())
    if anchor is None or not words:
        return values
    out = []
    for v in values:
        before = text[max(0, v.char_start - 24) : v.char_start].lower().rstrip()
        after = text[v.char_end : v.char_end + 6].lower()
        deadline = any(before.endswith(w) and not before[: -len(w)][-1:].isalpha() for w in words if w.isascii())
        deadline = deadline or any(after.startswith(w) or before.endswith(w) for w in words if not w.isascii())
        yearless = not re.search(r"\d{4}|[0-9０-９]+年", unicodedata.normalize("NFKC", v.text))
        if deadline and yearless and v.end < anchor and v.granularity in ("month", "day"):
            with contextlib.suppress(ValueError):  # 29 February stays where it is
                v = replace(v, start=v.start.replace(year=v.start.year + 1), end=v.end.replace(year=v.end.year + 1))
        out.append(v)
    return out


_JA_FROM_DAYS = re.compile(r"^から(\d+|[一二三四五六七八九十]+)日間")
_JA_UNTIL_DAYS = re.compile(r"^までの(\d+|[一二三四五六七八九十]+)日間")


def _period_ends(text: str, lang: str, anchor: date | None) -> list[_Span]:
    """ "by the end of 2025", "bis Ende 2025", "к концу года", 「今月末」: the last month of a year (the
    publication's, or the next with a ``next`` group), or with a ``month`` group the publication's month. The
    language's ``period_end`` patterns say where; a ``year`` group names the year."""
    out: list[_Span] = []
    for rx in _langdata(lang).regex("period_end"):
        for m in rx.finditer(text):
            groups = m.groupdict()
            if groups.get("year"):
                part = _Partial(int(groups["year"]), 12)
            elif anchor is None:
                continue
            elif groups.get("month"):
                part = _Partial(anchor.year, anchor.month)
            else:
                part = _Partial(anchor.year + (1 if groups.get("next") else 0), 12)
            if not _overlaps([(x.start, x.end) for x in out], *m.span()):
                out.append(_Span(m.start(), m.end(), [part]))
    return out


def _ja_day_counts(text: str, values: list[TimeValue]) -> list[TimeValue]:
    """ "4日から2日間" is 4–5; "5日までの2日間" is 4–5 (the count includes both ends)."""
    out = []
    normalised = unicodedata.normalize("NFKC", text)
    for v in values:
        rest = normalised[v.char_end :] if len(normalised) == len(text) else text[v.char_end :]
        after, until = _JA_FROM_DAYS.match(rest), _JA_UNTIL_DAYS.match(rest)
        if v.granularity == "day" and not v.is_range and (after or until):
            m = after or until
            days = int(m.group(1)) if m.group(1).isdigit() else int(parse_number(m.group(1)) or 0)
            if after:
                v = replace(
                    v,
                    end=v.start + timedelta(days=days - 1),
                    text=text[v.char_start : v.char_end + m.end()],
                    char_end=v.char_end + m.end(),
                )
            else:
                v = replace(
                    v,
                    start=v.end - timedelta(days=days - 1),
                    text=text[v.char_start : v.char_end + m.end()],
                    char_end=v.char_end + m.end(),
                )
        out.append(v)
    return out


_BARE_DAY = re.compile(r"^\d{1,2}日$")
_DAY_COUNT = re.compile(r"^(?:以内|以上|間|後|前|目|連続|ぶり|分|程度|余り|近く)")


def _counted_days(text: str, value: TimeValue) -> bool:
    """ "30日以内", "5日連続", "3日間": a number of days, not a day of the month."""
    bare = _BARE_DAY.match(unicodedata.normalize("NFKC", value.text))
    return bool(bare) and bool(_DAY_COUNT.match(text[value.char_end :]))


def find_windows(text: str, lang: str) -> list[Window]:
    """Relative time windows ("72時間以内", "within 72 hours of X"), sorted and non-overlapping (``windows``)."""
    _check_lang(lang)
    return windows.find_windows(text, lang)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")


# --- resolution (both languages) --------------------------------------------------------------


def _to_time_value(text: str, span: _Span, anchor: date | None, context_year: int | None) -> TimeValue | None:
    if len(span.parts) == 1:
        resolved = _resolve(span.parts[0], anchor, context_year)
    else:
        resolved = _resolve_range(span.parts[0], span.parts[1], anchor, context_year)
    if resolved is None:
        return None
    start, end, granularity = resolved
    return TimeValue(start, end, granularity, text[span.start : span.end], span.start, span.end)


def _resolve(partial: _Partial, anchor: date | None, context_year: int | None) -> _Interval | None:
    """The interval a partial date denotes, or None when it cannot be placed."""
    if partial.weekday is not None:
        if partial.last_week and anchor is not None:
            day = _weekday_on_or_before(partial.weekday, anchor - timedelta(days=1))[0]
            if day.isocalendar()[:2] == anchor.isocalendar()[:2]:
                day -= timedelta(days=7)  # said on Sunday 1 Feb, "last Friday" is 23 Jan; Friday 30 Jan is "Friday"
            return day, day, "day"
        if partial.past:
            return _weekday_on_or_before(partial.weekday, anchor)
        return _weekday_on_or_after(partial.weekday, anchor)
    if partial.year is not None:
        year = partial.year
    elif partial.month is not None:
        year = _infer_year(partial.month, partial.day, anchor, context_year)
    elif partial.day is not None and anchor is not None:
        return _bare_day(partial.day, anchor)
    else:
        return None  # a bare day ("30日") with nothing to place it by
    if year is None:
        return None
    try:
        if partial.month is None:
            return date(year, 1, 1), date(year, 12, 31), "year"
        if partial.day is None:
            last_day = monthrange(year, partial.month)[1]
            return date(year, partial.month, 1), date(year, partial.month, last_day), "month"
        day = date(year, partial.month, partial.day)
    except ValueError:
        return None
    return day, day, "day"


def _resolve_range(first: _Partial, last: _Partial, anchor: date | None, context_year: int | None) -> _Interval | None:
    """One day-granularity interval from the start of ``first`` to the end of ``last``."""
    head = _resolve(_share_year(first, last), anchor, context_year)
    if head is None:
        return None
    if last.weekday is not None:  # "last Friday and Saturday": the second day follows the first
        tail = _weekday_on_or_after(last.weekday, head[0])
    else:
        tail = _resolve(_complete_end(last, head[0]), head[0], None)
    if tail is None or tail[1] < head[0]:
        return None
    months = first.day is None and last.day is None and first.month is not None and last.month is not None
    return head[0], tail[1], "month" if months else "day"


def _share_year(first: _Partial, last: _Partial) -> _Partial:
    """Give the start the year written only at the end ("December 30 to January 2, 2026")."""
    if first.year is not None or first.month is None or last.year is None:
        return first
    if last.month is not None and first.month > last.month:
        return _Partial(last.year - 1, first.month, first.day)
    return _Partial(last.year, first.month, first.day)


def _complete_end(last: _Partial, start: date) -> _Partial:
    """Fill the end's missing year (and month) so that it falls on or after ``start``."""
    if last.year is not None or last.weekday is not None:
        return last
    if last.month is None:  # "4日から5日": the same month, or the next one
        year, month = start.year, start.month
        if last.day is not None and last.day < start.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return _Partial(year, month, last.day)
    before_start = (last.month, last.day or 31) < (start.month, start.day)
    return _Partial(start.year + 1 if before_start else start.year, last.month, last.day)


def _infer_year(month: int, day: int | None, anchor: date | None, context_year: int | None) -> int | None:
    """The year putting month/day closest to ``anchor``, else ``context_year``."""
    if anchor is None:
        return context_year
    candidates = (anchor.year - 1, anchor.year, anchor.year + 1)
    return min(candidates, key=lambda year: abs((date(year, month, min(day or 15, 28)) - anchor).days))


def _bare_day(day: int, anchor: date) -> _Interval | None:
    """ "4日" in an article of 2026-02-06 is 2026-02-04; "28日" in one of 2026-02-03 is 2026-01-28."""
    year, month = anchor.year, anchor.month
    if day > anchor.day + 7:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    if day > monthrange(year, month)[1]:
        return None
    found = date(year, month, day)
    return found, found, "day"


def _weekday_on_or_after(weekday: int, anchor: date | None) -> _Interval | None:
    if anchor is None:
        return None
    day = anchor + timedelta(days=(weekday - anchor.weekday()) % 7)
    return day, day, "day"


def _weekday_on_or_before(weekday: int, anchor: date | None) -> _Interval | None:
    if anchor is None:
        return None
    day = anchor - timedelta(days=(anchor.weekday() - weekday) % 7)
    return day, day, "day"


def _named_month(month: int, which: str, anchor: date) -> _Partial:
    """ "last November" is the latest November before the anchor's month, "next March" the first after it,
    "this June" the anchor year's."""
    if which == "last":
        return _Partial(anchor.year if month < anchor.month else anchor.year - 1, month)
    if which == "next":
        return _Partial(anchor.year if month > anchor.month else anchor.year + 1, month)
    return _Partial(anchor.year, month)


def _relative_partial(unit: str, offset: int, anchor: date) -> _Partial:
    """A relative word ("明日", "last year") as a complete date, month or year, given ``anchor``."""
    if unit == "day":
        day = anchor + timedelta(days=offset)
        return _Partial(day.year, day.month, day.day)
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 + offset
        return _Partial(index // 12, index % 12 + 1)
    return _Partial(anchor.year + offset)


# --- Japanese ------------------------------------------------------------------------------------

_JA_WEEKDAYS = "月火水木金土日"
_JA_RELATIVE = {
    "今日": ("day", 0),
    "本日": ("day", 0),
    "明日": ("day", 1),
    "昨日": ("day", -1),
    "一昨日": ("day", -2),
    "明後日": ("day", 2),
    "今月": ("month", 0),
    "来月": ("month", 1),
    "先月": ("month", -1),
    "今年": ("year", 0),
    "来年": ("year", 1),
    "昨年": ("year", -1),
    "去年": ("year", -1),
}
_JA_RELATIVE_WEEK = re.compile(r"(?:先|今|来|毎)週の?\Z")
_JA_CONNECTOR = re.compile(r"\s*(?:から|~|〜|-|–|—|―|ー|に続いて、?|に続き、?|と)\s*")


@cache
def _ja_parser() -> TimexParser:
    return TimexParser()


def _original_span(origin: list[int], start: int, end: int) -> tuple[int, int]:
    return origin[start], origin[end - 1] + 1


def _ja_spans(text: str, anchor: date | None) -> list[_Span]:
    normalised, origin = windows.nfkc_with_origin(text)
    spans: list[_Span] = []
    for timex in sorted(_ja_parser().parse(normalised), key=lambda timex: timex.raw_span):
        partial = _ja_partial(timex, normalised, anchor)
        start, end = timex.raw_span
        if partial is None or (spans and start < spans[-1].end):
            continue
        if not (spans and _ja_extend(spans[-1], start, end, partial, normalised[spans[-1].end : start])):
            spans.append(_Span(start, end, [partial]))
    return [_Span(*_original_span(origin, span.start, span.end), span.parts) for span in spans]


def _ja_partial(timex: TIMEX, normalised: str, anchor: date | None) -> _Partial | None:
    """The date a ja-timex tag writes, or None for times of day, durations and centuries."""
    start, end = timex.raw_span
    if timex.type == "DURATION":
        relative = _JA_RELATIVE.get(normalised[start:end])
        return _relative_partial(*relative, anchor) if relative and anchor else None
    if timex.type != "DATE":
        return None
    if "weekday" in timex.parsed:
        if _JA_RELATIVE_WEEK.search(normalised, 0, start):
            return None
        return _Partial(weekday=_JA_WEEKDAYS.index(timex.parsed["weekday"]))
    year, month, day = (_ja_field(timex, key) for key in ("calendar_year", "calendar_month", "calendar_day"))
    if year is None and month is None and day is None:
        return None
    return _Partial(year, month, day)


def _ja_field(timex: TIMEX, key: str) -> int | None:
    value = timex.parsed.get(key)
    return int(value) if value and value.isdigit() else None


def _ja_extend(span: _Span, start: int, end: int, partial: _Partial, gap: str) -> bool:
    """Grow ``span`` by the next piece when they form one expression; False when it stands alone."""
    tail = span.parts[-1]
    if not gap and partial.weekday is not None and tail.day is not None:
        pass  # "2月4日(水)": the weekday only confirms the date
    elif not gap and (joined := _join(tail, partial)) is not None:
        span.parts[-1] = joined
    elif len(span.parts) == 1 and _JA_CONNECTOR.fullmatch(gap):
        span.parts.append(partial)
    else:
        return False
    span.end = end
    return True


def _join(head: _Partial, rest: _Partial) -> _Partial | None:
    """Join adjacent pieces of one date: "今年"+"2月", or "2026年2月"+"4" in "2026年2月4~5日"."""
    if rest.year is not None or head.day is not None:
        return None
    if head.month is None and head.year is not None and rest.month is not None:
        return _Partial(head.year, rest.month, rest.day)
    if head.month is not None and rest.month is None and rest.day is not None:
        return _Partial(head.year, head.month, rest.day)
    return None


# --- English -------------------------------------------------------------------------------------

_FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
_FULL_MONTHS += ["November", "December"]
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
_MONTH = rf"(?:{_FULL_MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = rf"(?:{'|'.join(_WEEKDAY_NAMES)})\b"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"
_YEAR = r"(?:19|20)\d{2}\b"
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?:to|through|until|till)\s+)"
_SAME_MONTH_SEP = rf"(?:{_RANGE_SEP}|\s+(?:and|&)\s+)"
_QUALIFIER = r"(?:(?i:early|late|mid)[-\s]+)"


def _after_word(*words: str) -> str:
    """Zero-width: preceded by one of ``words`` (any case) and a space."""
    return "|".join(rf"(?<=\b(?i:{word})\s)" for word in words)


_BEFORE_YEAR = _after_word("in", "since", "until", "by", "during", "from", "through", "throughout", "before", "after")
_BEFORE_MONTH = rf"{_BEFORE_YEAR}|{_after_word('of', 'till')}"


def _md(n: int) -> str:
    return rf"(?P<m{n}>{_MONTH})\s+(?P<d{n}>{_DAY})(?:,?\s+(?P<y{n}>{_YEAR}))?"


def _dm(n: int) -> str:
    return rf"(?<![\d.,])(?P<d{n}>{_DAY})\s+(?:of\s+)?(?P<m{n}>{_MONTH})(?:,?\s+(?P<y{n}>{_YEAR}))?"


# Most specific first: a later pattern never takes text an earlier one matched.
_EN_DATES = [
    re.compile(
        rf"(?:(?<=\b(?i:from)\s)|(?<=\b(?i:between)\s))(?P<m1>{_FULL_MONTH})(?:\s+(?P<y1>{_YEAR}))?"
        rf"\s+(?:until|to|through|till|and)\s+(?P<m2>{_FULL_MONTH})\s+(?P<y2>{_YEAR})"
    ),
    re.compile(rf"{_md(1)}{_RANGE_SEP}{_md(2)}"),
    re.compile(rf"(?<=between\s){_md(1)}\s+and\s+{_md(2)}"),
    re.compile(rf"{_dm(1)}{_RANGE_SEP}{_dm(2)}"),
    re.compile(rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}){_SAME_MONTH_SEP}(?P<d2>{_DAY})(?:,?\s+(?P<y2>{_YEAR}))?"),
    re.compile(
        rf"(?<![\d.,])(?P<d1>{_DAY}){_SAME_MONTH_SEP}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH})"
        rf"(?:,?\s+(?P<y2>{_YEAR}))?"
    ),
    re.compile(rf"(?:{_WEEKDAY},?\s+)?{_md(1)}"),
    re.compile(rf"(?:{_WEEKDAY},?\s+)?{_dm(1)}"),
    re.compile(rf"{_QUALIFIER}?(?P<m1>{_FULL_MONTH})\s+(?P<y1>{_YEAR})"),
    re.compile(rf"(?P<m1>{_FULL_MONTH})\s+(?:and|to|through|-|–)\s+(?P<m2>{_FULL_MONTH})(?:,?\s+(?P<y2>{_YEAR}))?"),
    re.compile(rf"(?:{_QUALIFIER}|{_BEFORE_MONTH})(?P<m1>{_FULL_MONTH})"),
    re.compile(rf"(?:{_QUALIFIER}|{_BEFORE_YEAR})(?P<y1>{_YEAR})(?![-–]?\d)"),
]
# "the second half of 2024", "the first nine months of 2025", "the third quarter of 2026": month ranges
_EN_PART_OF_YEAR = re.compile(
    r"\b(?i:(?P<half>first|second)\s+half|(?P<quarter>first|second|third|fourth)\s+quarter|"
    r"(?P<edge>first|last)\s+(?P<count>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})\s+months)"
    rf"\s+of\s+(?P<year>{_YEAR})"
)
_EN_ORDINAL_PARTS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_EN_SMALL_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
    )
}
_EN_WEEKDAY = re.compile(
    rf"(?<!\b(?i:every)\s)(?P<last>\b(?i:last)\s+)?(?P<weekday>{_WEEKDAY})"
    rf"(?:\s+(?:and|&|or)\s+(?P<weekday2>{_WEEKDAY}))?"
)
_EN_RELATIVE = re.compile(
    r"\b(?i:(?P<day>today|tomorrow|yesterday)|(?P<which>this|next|last)\s+(?P<unit>month|year))\b"
    rf"|\b(?P<which_month>(?i:this|next|last))\s+(?P<month>{_FULL_MONTH})"
)
# "in July last year", "March next year": the month of the year before or after the anchor's
_EN_MONTH_OF_YEAR = re.compile(rf"\b(?P<month>{_FULL_MONTH})\s+(?P<which>(?i:this|next|last))\s+(?i:year)\b")
_EN_DAY_OFFSETS = {"today": 0, "tomorrow": 1, "yesterday": -1}
_EN_WHICH_OFFSETS = {"this": 0, "next": 1, "last": -1}
_LEAP_YEAR_BASE = datetime(2000, 1, 1)  # lets dateparser read "February 29"; its year is never used


def _en_spans(text: str, anchor: date | None) -> list[_Span]:
    builders: list[tuple[re.Pattern[str], Callable[[re.Match[str]], list[_Partial] | None]]] = [
        (_EN_MONTH_OF_YEAR, lambda match: _en_month_of_year(match, anchor)),
        *((pattern, _en_dates) for pattern in _EN_DATES),
        (_EN_PART_OF_YEAR, _en_part_of_year),
        (_EN_WEEKDAY, lambda match: _en_weekdays(text, match)),
        (_EN_RELATIVE, lambda match: _en_relative(match, anchor)),
    ]
    spans: list[_Span] = []
    for pattern, build in builders:
        for match in pattern.finditer(text):
            if _overlaps([(span.start, span.end) for span in spans], *match.span()):
                continue
            parts = build(match)
            if parts:
                spans.append(_Span(match.start(), match.end(), parts))
    return _drop_appositions(text, sorted(spans, key=lambda span: span.start))


def _drop_appositions(text: str, spans: list[_Span]) -> list[_Span]:
    """ "last Friday and Saturday, Jan. 23-24": the weekdays only name the date written next to them."""
    out = []
    for i, span in enumerate(spans):
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        weekday_only = all(p.weekday is not None for p in span.parts)
        if weekday_only and nxt is not None and re.fullmatch(r"\s*,\s*", text[span.end : nxt.start]):
            continue
        out.append(span)
    return out


_EN_PAST = re.compile(
    r"\b(?:\w+ed|said|told|met|held|took|made|sent|gave|began|spoke|came|went|saw|won|fell|rose|left)\b",
    re.IGNORECASE,
)
_EN_FUTURE = re.compile(r"\b(?:will|would|shall|is to|are to|next|until|by|from)\b|'ll\b", re.IGNORECASE)


def _en_weekdays(text: str, match: re.Match[str]) -> list[_Partial]:
    """News convention: "said on Thursday" is the last Thursday, "will meet on Thursday" the next one; "last
    Friday" is the last one; "on Wednesday and Thursday" is a range of two days."""
    before = text[max(0, match.start() - 80) : match.start()]
    before = re.split(r"[.;!?,]", before)[-1]  # the clause the weekday belongs to
    after = re.split(r"[.;!?,]", text[match.end() : match.end() + 60])[0]
    verb_before = bool(_EN_PAST.search(before) or _EN_FUTURE.search(before))
    opens = re.fullmatch(r"\s*(?:(?i:on|last|this|next)\s*)?", before) is not None
    if opens and not (_EN_PAST.search(after) or _EN_FUTURE.search(after)):
        # "On Thursday, at their meeting in Geneva, the ministers agreed …": the verb comes after the commas
        after = re.split(r"[.;!?]", text[match.end() : match.end() + 200])[0]
    tense = before if verb_before else after
    past = bool(match["last"]) or (bool(_EN_PAST.search(tense)) and not _EN_FUTURE.search(tense))
    last = bool(match["last"])
    parts = [_Partial(weekday=_WEEKDAY_NAMES.index(match["weekday"]), past=past, last_week=last)]
    if match["weekday2"]:
        parts.append(_Partial(weekday=_WEEKDAY_NAMES.index(match["weekday2"]), past=past, last_week=last))
    return parts


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < taken_end and taken_start < end for taken_start, taken_end in taken)


def _en_dates(match: re.Match[str]) -> list[_Partial] | None:
    """The one or two dates of a match with groups m1/d1/y1 and, for ranges, m2/d2/y2."""
    groups = match.groupdict()
    first = _en_partial(groups.get("m1") or groups.get("m2"), groups.get("d1"), groups.get("y1"))
    if groups.get("d2") is None and groups.get("m2") is None:
        return [first] if first else None
    last = _en_partial(groups.get("m2") or groups.get("m1"), groups.get("d2"), groups.get("y2"))
    return [first, last] if first and last else None


def _en_partial(month: str | None, day: str | None, year: str | None) -> _Partial | None:
    """A partial date from its written parts; dateparser reads the month name and the day."""
    if month is None:
        return _Partial(int(year)) if year else None
    parts = ["day", "month"] if day else ["month"]
    settings = {"RELATIVE_BASE": _LEAP_YEAR_BASE, "REQUIRE_PARTS": parts}
    parsed = dateparser.parse(f"{month} {day or ''}".strip(), languages=["en"], settings=settings)
    if parsed is None:
        return None
    return _Partial(int(year) if year else None, parsed.month, parsed.day if day else None)


def _en_part_of_year(match: re.Match[str]) -> list[_Partial]:
    year = int(match["year"])
    if match["half"]:
        first = 1 if match["half"].lower() == "first" else 7
        return [_Partial(year, first), _Partial(year, first + 5)]
    if match["quarter"]:
        first = 3 * _EN_ORDINAL_PARTS[match["quarter"].lower()] - 2
        return [_Partial(year, first), _Partial(year, first + 2)]
    count = match["count"].lower()
    n = min(12, int(count) if count.isdigit() else _EN_SMALL_NUMBERS[count])
    if match["edge"].lower() == "first":
        return [_Partial(year, 1), _Partial(year, n)]
    return [_Partial(year, 13 - n), _Partial(year, 12)]


def _en_month_of_year(match: re.Match[str], anchor: date | None) -> list[_Partial] | None:
    if anchor is None:
        return None
    year = anchor.year + _EN_WHICH_OFFSETS[match["which"].lower()]
    return [_Partial(year, _FULL_MONTHS.index(match["month"]) + 1)]


def _en_relative(match: re.Match[str], anchor: date | None) -> list[_Partial] | None:
    if anchor is None:
        return None
    if match["day"]:
        return [_relative_partial("day", _EN_DAY_OFFSETS[match["day"].lower()], anchor)]
    if match["month"]:
        return [_named_month(_FULL_MONTHS.index(match["month"]) + 1, match["which_month"].lower(), anchor)]
    return [_relative_partial(match["unit"].lower(), _EN_WHICH_OFFSETS[match["which"].lower()], anchor)]


# --- other languages (French, German, Spanish, Italian, Russian, Ukrainian) ----------------------------
#
# Day-month order with the language's month and weekday names: babel's CLDR names (format and stand-alone,
# wide and abbreviated: "février"/"févr.", "февраля"/"февраль") and dateparser's own names of the language,
# plus the locative forms news use for months and the accusative of weekdays (below). Relative words
# ("heute", "hier", "вчера", "la semaine prochaine", "цього тижня") come from dateparser's language data.

# Forms that neither CLDR nor dateparser lists: Russian/Ukrainian months after в/у ("в феврале 2026 года"),
# weekdays after в/у ("в среду", "у п'ятницю"), and relative weeks as news write them.
_EXTRA_MONTHS = {
    "ru": ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре",
           "ноябре", "декабре"],
    "uk": ["січні", "лютому", "березні", "квітні", "травні", "червні", "липні", "серпні", "вересні", "жовтні",
           "листопаді", "грудні"],
}  # fmt: skip
_EXTRA_WEEKDAYS = {
    "ru": ["понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"],
    "uk": ["понеділок", "вівторок", "середу", "четвер", "п'ятницю", "суботу", "неділю"],
    "it": ["lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica"],
}  # fmt: skip
_EXTRA_WEEKS = {
    "de": {0: ["diese woche", "dieser woche", "in dieser woche", "noch in dieser woche", "diesen woche"],
           1: ["kommende woche", "kommenden woche", "nächste woche", "nächsten woche", "in der kommenden woche"],
           -1: ["vergangene woche", "vergangenen woche", "letzte woche", "letzten woche", "vorige woche"]},
    "fr": {0: ["cette semaine"], 1: ["la semaine prochaine"], -1: ["la semaine dernière", "la semaine passée"]},
    "es": {0: ["esta semana"], 1: ["la próxima semana", "la semana que viene", "la semana próxima"],
           -1: ["la semana pasada"]},
    "it": {0: ["questa settimana", "in settimana"], 1: ["la prossima settimana", "la settimana prossima"],
           -1: ["la settimana scorsa", "la scorsa settimana"]},
    "ru": {0: ["на этой неделе", "на текущей неделе"], 1: ["на следующей неделе", "на будущей неделе"],
           -1: ["на прошлой неделе", "на минувшей неделе"]},
    "uk": {0: ["цього тижня", "на цьому тижні", "на цьому тижні"], 1: ["наступного тижня", "на наступному тижні"],
           -1: ["минулого тижня", "на минулому тижні"]},
}  # fmt: skip
_DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9])"
_DAY_MARK = r"(?:\.|er|ᵉʳ|º|°|-?го|-?е|-?го)?"
_EU_YEAR = r"(?P<y{n}>(?:19|20)\d{{2}})(?!\d)(?:\s*(?:года|году|г\.|року|р\.))?"
_FROM = r"(?:(?:vom|von|ab|seit|du|depuis|del|desde|dal|dalla|dall'|с|со|з|із|від)\s+)?"
_DAY_SEP = (
    r"(?:\s*[-–—/]\s*|\s+(?:und|bis(?:\s+zum)?|et|au|y|al|a|e|ed|fino\s+al|и|по|до|і|й|та)\s+(?:(?:le|el|il)\s+)?)"
)
_DATE_SEP = (
    r"(?:\s*[-–—]\s*|\s+(?:bis(?:\s+(?:zum|einschließlich))?|au|jusqu'au|y|al|hasta\s+el|e|fino\s+al(?:la\s+fine\s+del)?"
    r"|fino\s+al|и|по|до|і|та)\s+(?:(?:le|el|il)\s+)?)"
)
_QUALIFIERS = (
    r"(?:(?:anfang|mitte|ende|début|mi-|fin|principios\s+de|mediados\s+de|finales\s+de|fines\s+de|inizio|metà"
    r"|fine|в\s+начале|в\s+середине|в\s+конце|на\s+початку|в\s+середині|у\s+середині|наприкінці|в\s+кінці)\s+)"
)
_MONTH_PREPOSITIONS = r"(?:im|in|en|a|ad|nel\s+mese\s+di|nel|в|во|у)"
_BETWEEN = r"(?:zwischen|entre|tra|fra|между|між)"
_MONTH_SEP = r"\s+(?:und|bis|et|puis|au|y|a|e|ed|и|і|й|та|до|по)\s+(?:puis\s+)?"
_YEAR_PREPOSITIONS = (
    r"(?:im\s+jahr|in|bis|seit|ab|vor|nach|en|d'ici(?:\s+à)?|depuis|avant|après|dès|hasta|desde|antes\s+de|para"
    r"|a\s+partir\s+de|à\s+partir\s+de|nel|entro(?:\s+il)?|fino\s+al|dal|dopo\s+il|prima\s+del|к|до|в|во|с|после|по|у|з|від|після)"
)


@cache
def _eu_names(lang: str) -> tuple[dict[str, int], dict[str, int]]:
    """(month name → 1..12, weekday name → 0..6), lower case, for ``lang``."""
    from importlib import import_module

    from babel import Locale

    locale = Locale.parse(lang)
    info = import_module(f"dateparser.data.date_translation_data.{lang}").info
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    keys = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december")  # fmt: skip
    for i, key in enumerate(keys, start=1):
        names = list(info.get(key, []))
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.append(locale.months[context][width][i])
        for name in names:
            name = name.lower().rstrip(".")
            if len(name) >= 3 and not name.isdigit():
                months.setdefault(name, i)
    for i, name in enumerate(_EXTRA_MONTHS.get(lang, []), start=1):
        months[name] = i
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for i, key in enumerate(days):
        names = [n for n in info.get(key, []) if len(n) >= 5]
        names += [locale.days[c]["wide"][i] for c in ("format", "stand-alone")]
        for name in names:
            weekdays.setdefault(name.lower().replace("’", "'"), i)
    for i, name in enumerate(_EXTRA_WEEKDAYS.get(lang, [])):
        weekdays[name] = i
    return months, weekdays


@cache
def _eu_wide_months(lang: str) -> frozenset[str]:
    """Month names written out in full (no abbreviation dot after them)."""
    from babel import Locale

    locale = Locale.parse(lang)
    names = {locale.months[c]["wide"][i].lower() for c in ("format", "stand-alone") for i in range(1, 13)}
    return frozenset(names | set(_EXTRA_MONTHS.get(lang, [])))


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


@cache
def _eu_patterns(lang: str) -> tuple[list[re.Pattern[str]], re.Pattern[str], re.Pattern[str]]:
    months, weekdays = _eu_names(lang)
    wide = _eu_wide_months(lang)
    full = _alternation(n for n in months if n in wide)
    abbreviated = _alternation(n for n in months if n not in wide)
    full_month = rf"(?:{full})(?![^\W\d_])"
    month = rf"(?:{full_month}|(?:{abbreviated})\.?(?![^\W\d_]))"
    weekday = rf"(?:{_alternation(weekdays)})(?![^\W\d_])"
    day = r"(?<![\d.,])(?:l'|dell'|all'|dall'|nell')?"

    def dm(n: int) -> str:
        return (
            rf"{day}(?P<d{n}>{_DAY_NUMBER}){_DAY_MARK}\s*(?:(?:de|di)\s+)?(?P<m{n}>{month})"
            rf"(?:,?\s+(?:(?:de|del)\s+)?{_EU_YEAR.format(n=n)})?"
        )

    flags = re.IGNORECASE
    dates = [
        # "30 janvier au 2 février 2026", "dalla mezzanotte dell'8 maggio fino alla fine del 10 maggio"
        re.compile(rf"{_FROM}(?P<t>{dm(1)}(?:\s+\w+){{0,2}}?{_DATE_SEP}(?:\w+\s+){{0,3}}?{dm(2)})", flags),
        # "4. und 5. Februar 2026", "del 4 al 5 de febrero", "4–5 февраля", "les 23 et 24 janvier"
        re.compile(
            rf"{_FROM}(?P<t>{day}(?P<d1>{_DAY_NUMBER}){_DAY_MARK}{_DAY_SEP}(?P<d2>{_DAY_NUMBER}){_DAY_MARK}\s*"
            rf"(?:(?:de|di)\s+)?(?P<m2>{month})(?:,?\s+(?:(?:de|del)\s+)?{_EU_YEAR.format(n=2)})?)",
            flags,
        ),
        # "jeudi 5 février", "am Donnerstag, 5. Februar 2026", "5 февраля 2026 года"
        re.compile(rf"(?P<t>(?:(?P<wd>{weekday}),?\s+(?:(?:le|el|il|den)\s+)?)?{dm(1)})", flags),
        # "05.02.2026"
        re.compile(r"(?P<t>(?<![\d.])(?P<d1>[0-3]?\d)\.(?P<mn1>[01]?\d)\.(?P<y1>(?:19|20)\d\d)(?!\d))"),
        # "im Dezember und Januar", "en décembre 2025 puis en janvier 2026", "tra dicembre e gennaio",
        # "в грудні та січні": the two months and what lies between
        re.compile(
            rf"(?<![^\W\d_])(?:{_MONTH_PREPOSITIONS}|{_BETWEEN})\s+(?P<t>(?P<m1>{full_month})(?:\s+{_EU_YEAR.format(n=1)})?"
            rf"{_MONTH_SEP}(?:{_MONTH_PREPOSITIONS}\s+)?(?P<m2>{full_month})(?:\s+{_EU_YEAR.format(n=2)})?)"
            rf"(?!\s*(?:de\s+)?\d)",
            flags,
        ),
        # "im Februar 2026", "en février 2026", "в феврале 2026 года", "Ende Januar 2026"
        re.compile(rf"(?P<t>{_QUALIFIERS}?(?P<m1>{full_month})\s+(?:(?:de|del|di)\s+)?{_EU_YEAR.format(n=1)})", flags),
        # "im September", "en septembre", "a settembre", "в сентябре": a month of the report's year
        re.compile(rf"(?<![^\W\d_]){_MONTH_PREPOSITIONS}\s+(?P<t>(?P<m1>{full_month}))(?!\s*(?:de\s+)?\d)", flags),
        # "bis 2035", "d'ici 2035", "entro il 2035", "к 2035 году"
        re.compile(
            rf"(?<![^\W\d_]){_YEAR_PREPOSITIONS}\s+(?:(?:dem|el|il|le|l')\s*)?(?P<t>{_EU_YEAR.format(n=1)})(?![-–]?\d)",
            flags,
        ),
    ]
    weekday_rx = re.compile(
        rf"(?<![^\W\d_])(?P<t>(?P<wd>{weekday})(?:\s+(?:und|et|y|e|и|і|та|oder|ou|o)\s+(?P<wd2>{weekday}))?)",
        flags,
    )
    relative = _eu_relative_words(lang)
    relative_rx = re.compile(rf"(?<![^\W\d_])(?P<t>{_alternation(relative)})(?![^\W\d_])", flags)
    return dates, weekday_rx, relative_rx


_ABBREVIATED = {"эт", "мес", "нед", "пр", "след", "сл", "г", "мин", "міс", "наст", "р", "sem", "ant", "próx", "sett"}


@cache
def _eu_relative_words(lang: str) -> dict[str, tuple[str, int]]:
    """Relative word → (unit, offset): dateparser's words for today/yesterday/tomorrow, this/next/last week,
    month and year, and the weeks of ``_EXTRA_WEEKS``."""
    from importlib import import_module

    info = import_module(f"dateparser.data.date_translation_data.{lang}").info
    out: dict[str, tuple[str, int]] = {}
    for key, words in info.get("relative-type", {}).items():
        m = re.fullmatch(r"(in )?(\d) (day|week|month|year)( ago)?", key)
        if not m:
            continue
        offset = int(m[2]) * (1 if m[1] else -1)
        if abs(offset) > 2 or (m[3] != "day" and abs(offset) > 1):
            continue
        for word in words:
            word = word.lower()
            if len(word) >= 4 and not set(word.split()) & _ABBREVIATED:
                out.setdefault(word, (m[3], offset))
    for offset, words in _EXTRA_WEEKS.get(lang, {}).items():
        for word in words:
            out[word] = ("week", offset)
    return out


def _eu_spans(text: str, lang: str, anchor: date | None) -> tuple[list[_Span], list[TimeValue]]:
    """Spans of calendar dates, and relative weeks as TimeValues (they have no _Partial form)."""
    dates, weekday_rx, relative_rx = _eu_patterns(lang)
    months, weekdays = _eu_names(lang)
    spans: list[_Span] = []
    weeks: list[TimeValue] = []

    def taken(start: int, end: int) -> bool:
        return _overlaps([(s.start, s.end) for s in spans] + [(w.char_start, w.char_end) for w in weeks], start, end)

    for rx in dates:
        for m in rx.finditer(text):
            start, end = m.span("t")
            if taken(start, end):
                continue
            parts = _eu_parts(m, months)
            if parts:
                spans.append(_Span(start, end, parts))
    for m in relative_rx.finditer(text):
        start, end = m.span("t")
        if anchor is None or taken(start, end) or _eu_not_relative(text, start, end):
            continue
        unit, offset = _eu_relative_words(lang)[m["t"].lower()]
        if unit == "week":
            day = anchor + timedelta(weeks=offset)
            monday = day - timedelta(days=day.weekday())
            weeks.append(TimeValue(monday, monday + timedelta(days=6), "week", text[start:end], start, end))
        else:
            spans.append(_Span(start, end, [_relative_partial(unit, offset, anchor)]))
    data = _langdata(lang)
    if anchor is not None:
        spans = _relative_months(text, spans, data, anchor)
    for m in weekday_rx.finditer(text):
        start, end = m.span("t")
        if taken(start, end):
            continue
        past = _eu_past(text, start, end, data)
        parts = [_Partial(weekday=weekdays[m["wd"].lower().replace("’", "'")], past=past)]
        if m["wd2"]:
            parts.append(_Partial(weekday=weekdays[m["wd2"].lower().replace("’", "'")], past=past))
        spans.append(_Span(start, end, parts))
    return sorted(spans, key=lambda s: s.start), weeks


def _relative_months(text: str, spans: list[_Span], data, anchor: date) -> list[_Span]:
    """ "en juillet dernier", "im vergangenen Juli" (the last July), "в июле прошлого года", "a luglio dell'anno
    scorso" (July of last year), and their "next" forms: a bare month with the language's ``last_words`` /
    ``next_words`` (and ``year_words``) around it."""
    words = {w: data.words.get(f"{w}_words", frozenset()) for w in ("last", "next", "year")}
    if not words["last"] or not words["year"]:
        return spans
    alt = {k: "|".join(re.escape(w) for w in sorted(v, key=len, reverse=True)) for k, v in words.items() if v}
    out = list(spans)
    for span in spans:
        if len(span.parts) != 1 or span.parts[0].year or span.parts[0].day or not span.parts[0].month:
            continue
        month = span.parts[0].month
        after, before = text[span.end : span.end + 40].lower(), text[max(0, span.start - 30) : span.start].lower()
        for which, offset in (("last", -1), ("next", 1)):
            if which not in alt:
                continue
            year = re.match(
                rf"\s+(?:(?:de|del|dell|des|of)\s*['’]?\s*)?(?:(?:l|el|lo|il)['’ ]\s*)?"
                rf"(?:(?:{alt[which]})\s+(?:{alt['year']})|(?:{alt['year']})\s+(?:{alt[which]}))\b",
                after,
            )
            if year:  # "July of last year"
                end = span.end + year.end()
                out = [x for x in out if x is span or not (span.end <= x.start < end)]
                out[out.index(span)] = _Span(span.start, end, [_Partial(anchor.year + offset, month)])
                break
            if re.match(rf"\s+(?:{alt[which]})\b", after) or re.search(rf"\b(?:{alt[which]})\s+$", before):
                out[out.index(span)] = _Span(span.start, span.end, [_named_month(month, which, anchor)])
                break
    return out


def _eu_not_relative(text: str, start: int, end: int) -> bool:
    """ "am Morgen" / "por la mañana" is a time of day, not tomorrow; "Mittwochmorgen" is one word."""
    before = text[max(0, start - 8) : start].lower()
    return bool(re.search(r"(?:\bam|\bla|\bdi|\bthe|\bjeden|\bheute)\s+$", before))


def _langdata(lang: str):
    from extract import lang as langdata

    return langdata.load(lang)


def _eu_past(text: str, start: int, end: int, data) -> bool:
    """Is a bare weekday the last one? With a future cue word of the language in its clause ("wird am Donnerstag",
    "se reunirán el jueves", "в четверг пройдет") or after an until/deadline cue ("hasta las 18:00 del
    domingo") it is the next one; otherwise the last one — news report
    what happened ("am Donnerstag zu Ende gegangen", "mercredi, Moscou a rejeté"), and a weekday that is the
    publication day is that day either way."""
    stop = r"[;!?]|(?<![A-ZÀ-ÞА-ЯЁІЇЄҐ])\.(?=\s+[A-ZÀ-ÞА-ЯЁІЇЄҐ])"  # a full stop before a capital, not "EE. UU."
    before = re.split(stop, text[max(0, start - 100) : start])[-1]
    after = re.split(stop + r"|:\s", text[end : end + 100])[0]  # "am Sonntag eine Einigung: künftig gilt …"
    words = {w.lower() for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", before + " " + after)}
    if words & data.words.get("future", frozenset()):
        return False

    def told(cue: str) -> bool:
        return any(rx.fullmatch(w) for rx in data.regex(cue) for w in words)

    if told("future_forms") and not told("past_forms"):
        return False  # "observarán un alto el fuego a partir del lunes"; not "anunció el lunes que liberará"
    # A deadline is ahead: "hasta las 18:00 del domingo", "bis Sonntag", "до воскресенья".
    near = {w.lower() for w in re.findall(r"[^\W\d_]+", re.split(r"[,:](?=\s)", before)[-1])}
    return not near & (data.words.get("until", frozenset()) | data.words.get("deadline", frozenset()))


def _eu_parts(m: re.Match[str], months: dict[str, int]) -> list[_Partial] | None:
    g = m.groupdict()

    def one(n: int, month_group: str | None = None) -> _Partial | None:
        day = g.get(f"d{n}")
        mon = g.get(month_group or f"m{n}")
        year = g.get(f"y{n}")
        if g.get(f"mn{n}"):
            month = int(g[f"mn{n}"])
        elif mon:
            month = months.get(mon.lower().rstrip("."))
        else:
            return _Partial(int(year)) if year else None
        if not month or not 1 <= month <= 12:
            return None
        return _Partial(int(year) if year else None, month, int(day) if day else None)

    if g.get("d2") is not None and g.get("m1") is None and g.get("m2") is not None:  # "4.–5. Februar"
        last = one(2)
        if last is None:
            return None
        first = _Partial(last.year, last.month, int(g["d1"]))
        return [first, last]
    first = one(1)
    if first is None:
        return None
    if g.get("m2") is not None:
        last = one(2)
        return [first, last] if last else None
    return [first]
