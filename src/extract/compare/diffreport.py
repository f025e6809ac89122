"""Diff output: terminal table, JSON, Markdown, and a self-contained HTML report with highlighted evidence.

Every format says what changed inside a changed value (``Change.fields``: "window PT72H → PT48H", "bound
within → after", or for a refined claim "quantity — → 47"); the HTML report marks those fields in both
readings and lists them in their own column.
Per-source diffs (two dates) name the source of each change.
"""

from __future__ import annotations

import html
import json

from extract.claims import keys
from extract.compare.diff import Change, ClaimSide, Diff
from extract.compare.render import table
from extract.version import EXTRACTOR_VERSION

DIFF_FORMATS = ("table", "json", "markdown", "html")


def render_diff(d: Diff, fmt: str, width: int | None = None) -> str:
    """``d`` as ``fmt``; a table fits ``width`` terminal columns (None: one line per change)."""
    if fmt == "table":
        return as_table(d, width)
    if fmt == "json":
        return json.dumps(d.to_json(), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return as_markdown(d)
    if fmt == "html":
        return as_html(d)
    raise ValueError(f"unknown diff format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")


def _summary(d: Diff) -> str:
    refined = f", {d.count('refined')} refined" if d.count("refined") else ""
    return (
        f"{d.count('changed')} changed, {d.count('added')} added, {d.count('removed')} removed{refined}, "
        f"{d.unchanged} unchanged"
    )


def _reading(side: ClaimSide | None) -> str:
    return keys.describe(side.value) if side else ""


def what_changed(change: Change) -> str:
    """ "window PT72H → PT48H; bound within → after" for a changed claim, "" otherwise."""
    return "; ".join(f"{field} {old} → {new}" for field, (old, new) in change.fields.items())


def _columns(d: Diff) -> list[str]:
    head = ["change", "source"] if d.per_source else ["change"]
    return [*head, "claim", "what changed", "A says", "B says", "A evidence", "B evidence"]


def as_table(d: Diff, width: int | None = None) -> str:
    header = f"A: {d.a_label}\nB: {d.b_label}\n{_summary(d)}" + (" (per source)" if d.per_source else "") + "\n"
    rows = [
        [
            c.change,
            *([c.source or ""] if d.per_source else []),
            c.label,
            what_changed(c),
            _reading(c.old),
            _reading(c.new),
            c.old.evidence if c.old else "",
            c.new.evidence if c.new else "",
        ]
        for c in d.changes
    ]
    evidence = ("A evidence", "B evidence") if width else ()  # under each change when the table must fit
    return header + table(_columns(d), rows, width, details=evidence)


def _md_evidence(side: ClaimSide | None) -> str:
    if side is None:
        return ""
    start, end = side.highlight
    text = side.evidence
    marked = f"{text[:start]}**{text[start:end]}**{text[end:]}" if end > start else text
    return marked.replace("|", "\\|").replace("\n", " ")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(d: Diff) -> str:
    columns = _columns(d)
    lines = [
        f"# Claim changes: {d.a_label} → {d.b_label}",
        "",
        f"**{_summary(d)}**" + (" (per source)" if d.per_source else ""),
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for c in d.changes:
        changed = "; ".join(f"{f} {_md(o)} → **{_md(n)}**" for f, (o, n) in c.fields.items())
        cells = [
            c.change,
            *([_md(c.source or "")] if d.per_source else []),
            _md(c.label),
            changed,
            _md(_reading(c.old)),
            _md(_reading(c.new)),
            _md_evidence(c.old),
            _md_evidence(c.new),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _html_evidence(side: ClaimSide | None) -> str:
    if side is None:
        return '<span class="none">—</span>'
    start, end = side.highlight
    text = side.evidence
    meta = (
        f'<div class="src">{html.escape(side.source or side.doc_key)} · {html.escape(side.doc_key)} '
        f"v{side.version_no} · {html.escape(side.lang)}</div>"
    )
    body = html.escape(text[:start]) + f"<mark>{html.escape(text[start:end])}</mark>" + html.escape(text[end:])
    return f'<div class="ev" lang="{html.escape(side.lang)}">{body}</div>{meta}'


def _html_reading(side: ClaimSide | None, changed: set[str]) -> str:
    """A value's fields, those that changed marked (``class="field changed"``)."""
    if side is None:
        return '<span class="none">—</span>'
    parts = []
    for field, value in side.value.items():
        cls = "field changed" if field in changed else "field"
        parts.append(
            f'<span class="{cls}" data-field="{html.escape(field)}"><span class="name">{html.escape(field)}</span> '
            f"{html.escape(value)}</span>"
        )
    return " ".join(parts)


def _html_changed(change: Change) -> str:
    return "<br>".join(
        f'<span class="delta" data-field="{html.escape(f)}">{html.escape(f)}: <del>{html.escape(o)}</del> → '
        f"<ins>{html.escape(n)}</ins></span>"
        for f, (o, n) in change.fields.items()
    )


_STYLE = """
body{font-family:system-ui,"Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.3rem} .targets{color:#555} table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border-bottom:1px solid #ddd;padding:.45rem;vertical-align:top;text-align:left;font-size:.9rem}
th{background:#f4f4f6} mark{background:#ffe066;padding:0 .1em} .src{color:#777;font-size:.75rem}
tr.changed td:first-child{color:#b26b00} tr.added td:first-child{color:#1a7f37}
tr.removed td:first-child{color:#c62828} tr.refined td:first-child{color:#5c6bc0} .none{color:#aaa}
.filters button{margin-right:.4rem}
.filters button.on{font-weight:bold} tr.hidden{display:none}
.field{display:inline-block;margin:0 .3em .2em 0;padding:0 .25em;border-radius:3px;background:#f1f1f4}
.field .name{color:#888;font-size:.75rem} .field.changed{background:#ffd8a8;outline:1px solid #e8590c}
.delta del{color:#c62828} .delta ins{color:#1a7f37;text-decoration:none;font-weight:600}
"""

_SCRIPT = """
const rows=[...document.querySelectorAll('tbody tr')];
for (const kind of ['changed','added','removed','refined']) {
  document.getElementById('count-'+kind).textContent=rows.filter(r=>r.classList.contains(kind)).length;
}
document.getElementById('count-shown').textContent=rows.length;
document.getElementById('count-fields').textContent=document.querySelectorAll('.delta').length;
for (const b of document.querySelectorAll('.filters button')) {
  b.addEventListener('click',()=>{
    document.querySelectorAll('.filters button').forEach(x=>x.classList.toggle('on',x===b));
    let shown=0;
    for (const r of rows) {const hide=b.dataset.show!=='all'&&!r.classList.contains(b.dataset.show);
      r.classList.toggle('hidden',hide); if(!hide) shown++;}
    document.getElementById('count-shown').textContent=shown;
  });
}
document.body.dataset.ready='yes';
"""


def _html_row(d: Diff, c: Change) -> str:
    changed = set(c.fields)
    source = f"<td>{html.escape(c.source or '')}</td>" if d.per_source else ""
    return (
        f'<tr class="{c.change}" data-key="{html.escape(c.key)}"><td>{c.change}</td>{source}'
        f"<td>{html.escape(c.label)}</td><td>{_html_changed(c)}</td>"
        f"<td>{_html_reading(c.old, changed)}</td><td>{_html_reading(c.new, changed)}</td>"
        f"<td>{_html_evidence(c.old)}</td><td>{_html_evidence(c.new)}</td></tr>"
    )


def as_html(d: Diff) -> str:
    rows = "\n".join(_html_row(d, c) for c in d.changes)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in _columns(d))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Claim changes: {html.escape(d.a_label)} → {html.escape(d.b_label)}</title>
<style>{_STYLE}</style></head>
<body>
<h1>Claim changes{" per source" if d.per_source else ""}</h1>
<p class="targets">A: {html.escape(d.a_label)}<br>B: {html.escape(d.b_label)}</p>
<p class="summary" data-changed="{d.count("changed")}" data-added="{d.count("added")}"
 data-removed="{d.count("removed")}" data-unchanged="{d.unchanged}">
<span id="count-changed"></span> changed (<span id="count-fields"></span> fields) ·
<span id="count-added"></span> added · <span id="count-removed"></span> removed ·
<span id="count-refined"></span> refined · {d.unchanged} unchanged ·
showing <span id="count-shown"></span></p>
<div class="filters"><button data-show="all" class="on">all</button><button data-show="changed">changed</button>
<button data-show="added">added</button><button data-show="removed">removed</button>
<button data-show="refined">refined</button></div>
<table><thead><tr>{head}</tr></thead>
<tbody>
{rows}
</tbody></table>
<p class="src">{html.escape(EXTRACTOR_VERSION)} · claim keys v{keys.KEY_VERSION}</p>
<script>{_SCRIPT}</script>
</body></html>
"""
