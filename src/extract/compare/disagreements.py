"""Where sources disagree: keys whose current values differ between sources, with every reading.

Reads the store's ``disagreements`` view (``store.py``, migration 6): for each claim key whose sources now say
different things — each source's latest statement of the key, compared field by field as in
``keys.value_diff`` — one row per reading, with the sources and languages that state it and how many
*independent* sources those are: copies of one wire story (near-identical texts on several sites, see
``syndication``) count once, and the output names them. For example::

    pledge: Russia + Ukraine exchange — quantity, scope differ
      157 person, each, total 314   2 sources, 2 independent (ja)
      314 person, total, total 314  3 sources, 1 independent (en) — one wire story: Outlet C, Outlet D, Outlet E
      157 person                    1 source (en)

``extract disagreements [--kind K] [--since DATE] [--format table|json|markdown|html]`` prints them.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extract.claims import keys
from extract.compare.diff import describe_key
from extract.compare.render import table
from extract.store.db import Store
from extract.version import EXTRACTOR_VERSION

FORMATS = ("table", "json", "markdown", "html")


@dataclass(frozen=True)
class Reading:
    value: dict[str, str]
    sources: list[str]
    langs: list[str]
    n_sources: int
    n_independent: int
    syndicated: list[list[str]]  # groups of sources carrying one wire text
    evidence: list[dict[str, Any]]  # {source, lang, doc_key, version_no, evidence}
    latest: date | None

    @property
    def reading(self) -> str:
        return keys.describe(self.value)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "reading": self.reading,
            "sources": self.sources,
            "langs": self.langs,
            "n_sources": self.n_sources,
            "n_independent": self.n_independent,
            "syndicated": self.syndicated,
            "evidence": self.evidence,
            "latest": self.latest.isoformat() if self.latest else None,
        }


@dataclass(frozen=True)
class Disagreement:
    key: str
    family: str
    fields: list[str]  # the value fields the readings conflict on
    readings: list[Reading] = field(default_factory=list)

    @property
    def label(self) -> str:
        return describe_key(self.key)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "claim": self.label,
            "family": self.family,
            "fields": self.fields,
            "readings": [r.to_json() for r in self.readings],
        }


def disagreements(store: Store, kind: str | None = None, since: date | None = None) -> list[Disagreement]:
    """Every key whose current values differ between sources (``kind``: one claim family; ``since``: only
    keys with a reading stated on or after that date)."""
    conditions, params = [], []
    if kind:
        conditions.append("family = ?")
        params.append(kind)
    if since:
        conditions.append("claim_key IN (SELECT claim_key FROM disagreements WHERE latest >= ?::DATE)")
        params.append(since)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    columns, rows = store.query(
        f"SELECT * FROM disagreements {where} ORDER BY claim_key, n_independent DESC, n_sources DESC, reading", params
    )
    by_key: dict[str, Disagreement] = {}
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        item = by_key.setdefault(row["claim_key"], Disagreement(row["claim_key"], row["family"], list(row["fields"])))
        evidence = sorted((dict(e) for e in row["evidence"]), key=lambda e: (e["source"], e["doc_key"]))
        item.readings.append(
            Reading(
                json.loads(row["reading"]),
                list(row["sources"]),
                list(row["langs"]),
                row["n_sources"],
                row["n_independent"],
                sorted(sorted(group) for group in row["syndicated"] or []),
                evidence,
                row["latest"],
            )
        )
    return list(by_key.values())


RECORD_FIELDS = (
    "claim_key",
    "claim",
    "family",
    "fields",
    "reading",
    "value",
    "sources",
    "langs",
    "n_sources",
    "n_independent",
    "evidence",
    "latest",
)


def records(items: list[Disagreement]) -> list[dict[str, Any]]:
    """One flat record per reading, for CSV, JSON Lines and Parquet (the value as JSON, lists as lists)."""
    return [
        {
            "claim_key": d.key,
            "claim": d.label,
            "family": d.family,
            "fields": d.fields,
            "reading": r.reading,
            "value": json.dumps(r.value, ensure_ascii=False),
            "sources": r.sources,
            "langs": r.langs,
            "n_sources": r.n_sources,
            "n_independent": r.n_independent,
            "evidence": r.evidence[0]["evidence"] if r.evidence else None,
            "latest": r.latest,
        }
        for d in items
        for r in d.readings
    ]


# --- output -------------------------------------------------------------------------------------------


def _support(r: Reading) -> str:
    text = f"{r.n_sources} source{'s' if r.n_sources != 1 else ''}"
    if r.n_independent != r.n_sources:
        text += f", {r.n_independent} independent"
    return text


def _syndication(r: Reading) -> str:
    return "; ".join("one wire story: " + ", ".join(group) for group in r.syndicated)


def render(items: list[Disagreement], fmt: str, width: int | None = None) -> str:
    """``items`` as ``fmt``; a table fits ``width`` terminal columns (None: one line per reading)."""
    if fmt == "json":
        return json.dumps([d.to_json() for d in items], ensure_ascii=False, indent=2, default=str)
    if fmt == "table":
        return as_table(items, width)
    if fmt == "markdown":
        return as_markdown(items)
    if fmt == "html":
        return as_html(items)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _summary(items: list[Disagreement]) -> str:
    readings = sum(len(d.readings) for d in items)
    return f"{len(items)} disagreement{'s' if len(items) != 1 else ''}, {readings} readings"


def as_table(items: list[Disagreement], width: int | None = None) -> str:
    rows = []
    for d in items:
        for i, r in enumerate(d.readings):
            first = r.evidence[0] if r.evidence else {}
            rows.append(
                [
                    d.label if i == 0 else "",
                    ", ".join(d.fields) if i == 0 else "",
                    r.reading,
                    _support(r),
                    ", ".join(r.langs),
                    ", ".join(r.sources),
                    _syndication(r),
                    first.get("evidence", ""),
                ]
            )
    columns = ["claim", "differs in", "reading", "sources", "langs", "stated by", "syndicated", "evidence"]
    details = ("evidence",) if width else ()  # under each reading when the table must fit
    return f"{_summary(items)}\n" + table(columns, rows, width, details=details)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(items: list[Disagreement]) -> str:
    lines = ["# Where sources disagree", "", f"**{_summary(items)}**", ""]
    for d in items:
        lines += [f"## {_md(d.label)}", "", f"`{_md(d.key)}` — differs in **{', '.join(d.fields)}**", ""]
        lines += ["| reading | sources | langs | stated by | evidence |", "|---|---|---|---|---|"]
        for r in d.readings:
            stated = ", ".join(r.sources) + (f" ({_syndication(r)})" if r.syndicated else "")
            evidence = "<br>".join(f"{_md(e['source'])}: {_md(e['evidence'])}" for e in r.evidence)
            lines.append(f"| {_md(r.reading)} | {_support(r)} | {', '.join(r.langs)} | {_md(stated)} | {evidence} |")
        lines.append("")
    return "\n".join(lines)


_STYLE = """
body{font-family:system-ui,"Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.3rem} h2{font-size:1.05rem;margin-top:1.6rem} table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.45rem;vertical-align:top;text-align:left;font-size:.9rem}
th{background:#f4f4f6} .key{color:#777;font-size:.8rem} .wire{color:#8a5a00;font-size:.8rem}
.field{display:inline-block;margin:0 .3em .2em 0;padding:0 .25em;border-radius:3px;background:#f1f1f4}
.field .name{color:#888;font-size:.75rem} .field.conflict{background:#ffd8a8;outline:1px solid #e8590c}
.ev{margin-bottom:.3rem} .src{color:#777;font-size:.75rem}
"""


def as_html(items: list[Disagreement]) -> str:
    sections = []
    for d in items:
        rows = []
        for r in d.readings:
            fields = " ".join(
                f'<span class="field{" conflict" if f in d.fields else ""}" data-field="{html.escape(f)}">'
                f'<span class="name">{html.escape(f)}</span> {html.escape(v)}</span>'
                for f, v in r.value.items()
            )
            wire = "".join(f'<div class="wire">{html.escape(text)}</div>' for text in [_syndication(r)] if text)
            evidence = "".join(
                f'<div class="ev" lang="{html.escape(e["lang"] or "")}">{html.escape(e["evidence"] or "")}'
                f'<div class="src">{html.escape(e["source"])} · {html.escape(e["doc_key"])} '
                f"v{e['version_no']}</div></div>"
                for e in r.evidence
            )
            rows.append(
                f'<tr data-independent="{r.n_independent}"><td>{fields}</td><td>{_support(r)}{wire}</td>'
                f"<td>{html.escape(', '.join(r.langs))}</td><td>{evidence}</td></tr>"
            )
        sections.append(
            f'<section data-key="{html.escape(d.key)}"><h2>{html.escape(d.label)}</h2>'
            f'<p class="key">{html.escape(d.key)} — differs in {html.escape(", ".join(d.fields))}</p>'
            "<table><thead><tr><th>reading</th><th>sources</th><th>langs</th><th>evidence</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Where sources disagree</title><style>{_STYLE}</style></head>
<body><h1>Where sources disagree</h1><p>{html.escape(_summary(items))}</p>
{"".join(sections)}
<p class="src">{html.escape(EXTRACTOR_VERSION)} · claim keys v{keys.KEY_VERSION}</p>
</body></html>
"""
