"""Diff output: terminal table, JSON, Markdown, and a self-contained HTML report with highlighted evidence."""

from __future__ import annotations

import html
import json

from extract import EXTRACTOR_VERSION, keys
from extract.diff import ClaimSide, Diff
from extract.render import table

DIFF_FORMATS = ("table", "json", "markdown", "html")


def render_diff(d: Diff, fmt: str) -> str:
    if fmt == "table":
        return as_table(d)
    if fmt == "json":
        return json.dumps(d.to_json(), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return as_markdown(d)
    if fmt == "html":
        return as_html(d)
    raise ValueError(f"unknown diff format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")


def _summary(d: Diff) -> str:
    return (
        f"{d.count('changed')} changed, {d.count('added')} added, {d.count('removed')} removed, {d.unchanged} unchanged"
    )


def _reading(side: ClaimSide | None) -> str:
    return keys.describe(side.value) if side else ""


def as_table(d: Diff) -> str:
    header = f"A: {d.a_label}\nB: {d.b_label}\n{_summary(d)}\n"
    rows = [
        [
            c.change,
            c.label,
            _reading(c.old),
            _reading(c.new),
            c.old.evidence if c.old else "",
            c.new.evidence if c.new else "",
        ]
        for c in d.changes
    ]
    return header + table(["change", "claim", "A says", "B says", "A evidence", "B evidence"], rows)


def _md_evidence(side: ClaimSide | None) -> str:
    if side is None:
        return ""
    start, end = side.highlight
    text = side.evidence
    marked = f"{text[:start]}**{text[start:end]}**{text[end:]}" if end > start else text
    return marked.replace("|", "\\|").replace("\n", " ")


def as_markdown(d: Diff) -> str:
    lines = [
        f"# Claim changes: {d.a_label} → {d.b_label}",
        "",
        f"**{_summary(d)}**",
        "",
        "| change | claim | A says | B says | A evidence | B evidence |",
        "|---|---|---|---|---|---|",
    ]
    for c in d.changes:
        cells = [c.change, c.label, _reading(c.old), _reading(c.new), _md_evidence(c.old), _md_evidence(c.new)]
        lines.append(
            "| " + " | ".join(cell.replace("|", "\\|") if i < 4 else cell for i, cell in enumerate(cells)) + " |"
        )
    return "\n".join(lines) + "\n"


def _html_evidence(side: ClaimSide | None) -> str:
    if side is None:
        return '<span class="none">—</span>'
    start, end = side.highlight
    text = side.evidence
    meta = f'<div class="src">{html.escape(side.doc_key)} v{side.version_no} · {html.escape(side.lang)}</div>'
    body = html.escape(text[:start]) + f"<mark>{html.escape(text[start:end])}</mark>" + html.escape(text[end:])
    return f'<div class="ev" lang="{html.escape(side.lang)}">{body}</div>{meta}'


_STYLE = """
body{font-family:system-ui,"Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.3rem} .targets{color:#555} table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border-bottom:1px solid #ddd;padding:.45rem;vertical-align:top;text-align:left;font-size:.9rem}
th{background:#f4f4f6} mark{background:#ffe066;padding:0 .1em} .src{color:#777;font-size:.75rem}
tr.changed td:first-child{color:#b26b00} tr.added td:first-child{color:#1a7f37}
tr.removed td:first-child{color:#c62828} .none{color:#aaa} .filters button{margin-right:.4rem}
.filters button.on{font-weight:bold} tr.hidden{display:none}
"""

_SCRIPT = """
const rows=[...document.querySelectorAll('tbody tr')];
for (const kind of ['changed','added','removed']) {
  document.getElementById('count-'+kind).textContent=rows.filter(r=>r.classList.contains(kind)).length;
}
document.getElementById('count-shown').textContent=rows.length;
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


def as_html(d: Diff) -> str:
    rows = "\n".join(
        f'<tr class="{c.change}" data-key="{html.escape(c.key)}"><td>{c.change}</td>'
        f"<td>{html.escape(c.label)}</td><td>{html.escape(_reading(c.old))}</td>"
        f"<td>{html.escape(_reading(c.new))}</td><td>{_html_evidence(c.old)}</td><td>{_html_evidence(c.new)}</td></tr>"
        for c in d.changes
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Claim changes: {html.escape(d.a_label)} → {html.escape(d.b_label)}</title>
<style>{_STYLE}</style></head>
<body>
<h1>Claim changes</h1>
<p class="targets">A: {html.escape(d.a_label)}<br>B: {html.escape(d.b_label)}</p>
<p class="summary" data-changed="{d.count("changed")}" data-added="{d.count("added")}"
 data-removed="{d.count("removed")}" data-unchanged="{d.unchanged}">
<span id="count-changed"></span> changed · <span id="count-added"></span> added ·
<span id="count-removed"></span> removed · {d.unchanged} unchanged · showing <span id="count-shown"></span></p>
<div class="filters"><button data-show="all" class="on">all</button><button data-show="changed">changed</button>
<button data-show="added">added</button><button data-show="removed">removed</button></div>
<table><thead><tr><th>change</th><th>claim</th><th>A says</th><th>B says</th><th>A evidence</th>
<th>B evidence</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<p class="src">{html.escape(EXTRACTOR_VERSION)}</p>
<script>{_SCRIPT}</script>
</body></html>
"""
