"""Evaluation of :mod:`extract.nlp.timex` against TempEval-3 (English) and hand-written Japanese cases.

Datasets (``dataset`` in each :class:`Score`):

* ``tempeval3`` (en): the TempEval-3 platinum TimeML files. Tags are stripped from ``<TEXT>`` to get the
  text and the gold spans; the document creation time (``<DCT>``) is the anchor. DATE timexes are scored
  against :func:`~extract.nlp.timex.find_times`, DURATION timexes against :func:`~extract.nlp.timex.find_windows`.
  TIME and SET timexes are not scored (times of day and recurrences are out of scope for ``timex``), and a
  prediction overlapping one of them is ignored rather than counted as a false positive.
* ``ja-cases`` (ja): ``corpus/gold/timex-ja.jsonl``, hand-annotated news sentences, one JSON object a line:
  ``{"id", "text", "anchor", "times": [{"text", "iso"}], "windows": [{"text", "duration", "anchor"}]}``.
  Gold texts are located in the sentence to get their spans.

Kinds, for ``DATE`` (times) and ``DURATION`` (windows):

* ``<TYPE>-extent``: relaxed match, a prediction overlapping a gold span (aligned one to one).
* ``<TYPE>-extent-strict``: exactly the same span (for ``ja-cases``: the same text at the same place).
* ``<TYPE>-value``: relaxed match and the same normalised value. For ``tempeval3`` a range also matches
  when the gold value equals its start (TimeML annotates the two ends of a range separately), and a gold
  DURATION value (``P3D``, ``PT72H``) is compared with ``Window.duration``.
* ``ALL``: the micro average of the two ``-value`` kinds (found and normalised correctly).

Precision and recall of a ``-value`` kind count every prediction and every gold item, so a matched
span with a wrong value is both a false positive and a false negative (the TempEval-3 convention).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET

from extract.evaluation.scoring import PRF, Score
from extract.model import TimeValue, Window
from extract.nlp.timex import find_times, find_windows

TEMPEVAL_DIR = Path("data") / "tempeval3-platinum"
JA_GOLD_FILE = "timex-ja.jsonl"
SCORED_TYPES = ("DATE", "DURATION")
IGNORED_TYPES = ("TIME", "SET")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Mention:
    """A gold or predicted temporal expression: ``text[start:end]`` with its normalised value."""

    start: int
    end: int
    value: str
    text: str = ""


@dataclass(frozen=True)
class TimeMLDocument:
    """A TimeML file reduced to what the evaluation needs."""

    name: str
    text: str
    dct: date | None
    timexes: dict[str, list[Mention]]  # TIMEX3 type ("DATE", "DURATION", ...) -> mentions in order


@dataclass(frozen=True)
class JaCase:
    """One hand-annotated Japanese sentence."""

    id: str
    text: str
    anchor: date
    times: list[Mention]
    windows: list[Mention]
    window_anchors: list[str | None]


# --- public API ---------------------------------------------------------------------------------


def evaluate_timex(shared: Path, gold_dir: Path) -> list[Score]:
    """Scores on TempEval-3 (``shared/data/tempeval3-platinum``) and the Japanese cases in ``gold_dir``."""
    return evaluate_tempeval3(shared / TEMPEVAL_DIR) + evaluate_ja_cases(gold_dir / JA_GOLD_FILE)


def evaluate_tempeval3(directory: Path) -> list[Score]:
    """Scores of ``find_times`` / ``find_windows`` on every ``*.tml`` file in ``directory``."""
    paths = sorted(directory.glob("*.tml"))
    if not paths:
        raise FileNotFoundError(f"no TimeML files in {directory}")
    counts = _empty_counts()
    for path in paths:
        document = read_timeml(path.read_text(encoding="utf-8"), path.stem)
        _count_tempeval_document(document, counts)
    return _scores("en", "tempeval3", counts, len(paths))


def evaluate_ja_cases(path: Path) -> list[Score]:
    """Scores of ``find_times`` / ``find_windows`` on the hand-annotated Japanese sentences in ``path``."""
    cases = load_ja_cases(path)
    counts = _empty_counts()
    for case in cases:
        times, windows = predict_ja(case)
        _count("DATE", case.times, times, counts, _same_value)
        _count("DURATION", case.windows, windows, counts, _same_value)
    return _scores("ja", "ja-cases", counts, len(cases))


# --- TimeML ------------------------------------------------------------------------------------


def read_timeml(xml: str, name: str = "") -> TimeMLDocument:
    """The plain text of ``<TEXT>``, its TIMEX3 spans (character offsets into that text) and the DCT."""
    root = SafeET.fromstring(xml)
    body = root.find("TEXT")
    if body is None:
        raise ValueError(f"{name or 'TimeML'}: no <TEXT> element")
    parts: list[str] = []
    timexes: dict[str, list[Mention]] = {}
    _flatten(body, parts, timexes)
    return TimeMLDocument(name, "".join(parts), _dct(root), timexes)


def _flatten(element: Element, parts: list[str], timexes: dict[str, list[Mention]]) -> None:
    """Append the text inside ``element`` to ``parts``, recording each TIMEX3 with its offsets."""
    if element.text:
        parts.append(element.text)
    for child in element:
        start = sum(map(len, parts))
        _flatten(child, parts, timexes)
        if child.tag == "TIMEX3":
            end = sum(map(len, parts))
            mention = Mention(start, end, child.get("value", ""), "".join(parts)[start:end])
            timexes.setdefault(child.get("type", ""), []).append(mention)
        if child.tail:
            parts.append(child.tail)


def _dct(root: Element) -> date | None:
    """The document creation time: the date of the TIMEX3 inside ``<DCT>``."""
    timex = root.find("DCT/TIMEX3")
    value = timex.get("value", "") if timex is not None else ""
    match = _ISO_DATE.match(value)
    return date.fromisoformat(match.group()) if match else None


def _count_tempeval_document(document: TimeMLDocument, counts: dict[str, PRF]) -> None:
    ignored = [mention for kind in IGNORED_TYPES for mention in document.timexes.get(kind, [])]
    times = [_time_mention(value) for value in find_times(document.text, "en", anchor=document.dct)]
    windows = [_window_mention(window) for window in find_windows(document.text, "en")]
    _count("DATE", document.timexes.get("DATE", []), _drop_overlapping(times, ignored), counts, _same_or_start)
    _count("DURATION", document.timexes.get("DURATION", []), _drop_overlapping(windows, ignored), counts, _same_value)


def _drop_overlapping(predicted: list[Mention], ignored: list[Mention]) -> list[Mention]:
    return [mention for mention in predicted if not any(_overlap(mention, other) for other in ignored)]


# --- Japanese cases ------------------------------------------------------------------------------


def load_ja_cases(path: Path) -> list[JaCase]:
    """Read the JSON-lines gold; each gold text must occur in its sentence."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cases.append(_ja_case(json.loads(line)))
    return cases


def _ja_case(record: dict) -> JaCase:
    text = record["text"]
    times = _locate(text, [(item["text"], item["iso"]) for item in record["times"]], record["id"])
    windows = _locate(text, [(item["text"], item["duration"]) for item in record["windows"]], record["id"])
    anchors = [item.get("anchor") for item in record["windows"]]
    return JaCase(record["id"], text, date.fromisoformat(record["anchor"]), times, windows, anchors)


def _locate(text: str, items: list[tuple[str, str]], case_id: str) -> list[Mention]:
    """Mentions for (surface, value) pairs, each found in ``text`` after the previous one."""
    mentions = []
    position = 0
    for surface, value in items:
        start = text.find(surface, position)
        if start < 0:
            raise ValueError(f"{case_id}: gold text {surface!r} not found in the sentence")
        mentions.append(Mention(start, start + len(surface), value, surface))
        position = start + len(surface)
    return mentions


def predict_ja(case: JaCase) -> tuple[list[Mention], list[Mention]]:
    """Predicted times and windows for one case."""
    times = [_time_mention(value) for value in find_times(case.text, "ja", anchor=case.anchor)]
    windows = [_window_mention(window) for window in find_windows(case.text, "ja")]
    return times, windows


def ja_disagreements(path: Path) -> list[str]:
    """One line per gold/prediction disagreement on the Japanese cases (missed, spurious, extent, value,
    window anchor), for reports."""
    lines = []
    for case in load_ja_cases(path):
        times, windows = predict_ja(case)
        lines += [f"{case.id} time {line}" for line in _diff(case.times, times)]
        lines += [f"{case.id} window {line}" for line in _diff(case.windows, windows)]
        lines += [f"{case.id} window {line}" for line in _anchor_diff(case)]
    return lines


def _diff(gold: list[Mention], predicted: list[Mention]) -> Iterator[str]:
    pairs = align(gold, predicted)
    for g, p in pairs:
        if (g.start, g.end) != (p.start, p.end):
            yield f"extent: gold {g.text!r}, predicted {p.text!r}"
        if not _same_value(g.value, p.value):
            yield f"value: {g.text!r} gold {g.value}, predicted {p.value}"
    matched_gold = {id(g) for g, _ in pairs}
    matched_predicted = {id(p) for _, p in pairs}
    yield from (f"missed: {g.text!r} ({g.value})" for g in gold if id(g) not in matched_gold)
    yield from (f"spurious: {p.text!r} ({p.value})" for p in predicted if id(p) not in matched_predicted)


def _anchor_diff(case: JaCase) -> Iterator[str]:
    predicted = find_windows(case.text, "ja")
    by_start = {(window.char_start, window.char_end): window for window in predicted}
    for mention, anchor in zip(case.windows, case.window_anchors, strict=True):
        window = by_start.get((mention.start, mention.end))
        if window is not None and window.anchor != anchor:
            yield f"anchor: {mention.text!r} gold {anchor!r}, predicted {window.anchor!r}"


# --- matching and counting ---------------------------------------------------------------------------


def _time_mention(value: TimeValue) -> Mention:
    return Mention(value.char_start, value.char_end, value.iso, value.text)


def _window_mention(window: Window) -> Mention:
    return Mention(window.char_start, window.char_end, window.duration, window.text)


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def align(gold: list[Mention], predicted: list[Mention]) -> list[tuple[Mention, Mention]]:
    """One-to-one pairs of overlapping mentions: each gold item, in order, takes the unused prediction
    that overlaps it most."""
    pairs = []
    used: set[int] = set()
    for g in gold:
        candidates = [(i, p) for i, p in enumerate(predicted) if i not in used and _overlap(g, p)]
        if candidates:
            index, best = max(candidates, key=lambda item: min(g.end, item[1].end) - max(g.start, item[1].start))
            used.add(index)
            pairs.append((g, best))
    return pairs


def _same_value(gold: str, predicted: str) -> bool:
    return gold == predicted


def _same_or_start(gold: str, predicted: str) -> bool:
    """TimeML convention: a range ``start/end`` matches a gold value equal to it or to its start."""
    return gold == predicted or gold == predicted.split("/")[0]


def _empty_counts() -> dict[str, PRF]:
    return {f"{kind}-{measure}": PRF() for kind in SCORED_TYPES for measure in ("extent", "extent-strict", "value")}


def _count(
    kind: str,
    gold: list[Mention],
    predicted: list[Mention],
    counts: dict[str, PRF],
    same: Callable[[str, str], bool],
) -> None:
    """Add one document's relaxed, strict and value counts for ``kind`` to ``counts``."""
    pairs = align(gold, predicted)
    counts[f"{kind}-extent"] += _prf(len(pairs), len(gold), len(predicted))
    counts[f"{kind}-extent-strict"].add(((m.start, m.end) for m in gold), ((m.start, m.end) for m in predicted))
    correct = sum(same(g.value, p.value) for g, p in pairs)
    counts[f"{kind}-value"] += _prf(correct, len(gold), len(predicted))


def _prf(tp: int, n_gold: int, n_predicted: int) -> PRF:
    return PRF(tp=tp, fp=n_predicted - tp, fn=n_gold - tp)


def _scores(lang: str, dataset: str, counts: dict[str, PRF], n_docs: int) -> list[Score]:
    """One Score per kind, then ``ALL``: the micro average of the ``-value`` kinds."""
    scores = [Score("timex", lang, dataset, kind, counts[kind], n_docs) for kind in sorted(counts)]
    total = PRF()
    for kind in SCORED_TYPES:
        total += counts[f"{kind}-value"]
    return [*scores, Score("timex", lang, dataset, "ALL", total, n_docs)]
