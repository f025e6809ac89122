"""Output formats for the CLI: text tables that fit the terminal, CSV, JSON and JSON Lines (Parquet: files only).

Rows come from a query's Arrow result (``Store.run``), so every DuckDB type renders the same way whatever the
connection: intervals as ISO 8601 durations (``P3DT2H``), times and timestamps in ISO form, BLOBs as DuckDB
writes them (``\\x01ab``), structs, lists and maps as JSON, and columns of DuckDB's ``JSON`` type as the JSON
they hold (not a string of it). Text bound for a terminal (tables, CSV) has its control characters escaped
(``\\x1b``), so a stored string cannot move the cursor, recolour or rewrite the analyst's screen.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("table", "csv", "json", "jsonl")
FILE_FORMATS = (*FORMATS, "parquet")  # Parquet is binary: only ever written to a file
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
GAP = 2  # blanks between table columns

# C0/C1 controls and DEL, and the bidirectional overrides and isolates that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # CSV: keep \t and \n


@dataclass(frozen=True)
class Rows:
    """A result to print: column names, DuckDB type names (``JSON`` columns hold JSON) and Python values."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]

    @classmethod
    def from_arrow(cls, table: pa.Table, types: Sequence[str] | None = None) -> Rows:
        columns = list(table.column_names)
        values = [table.column(i).to_pylist() for i in range(table.num_columns)]
        return cls(columns, list(types or [""] * len(columns)), list(zip(*values, strict=True)))


def escape(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with terminal control characters written as escapes (ESC as ``\\x1b``, U+202E as ``\\u202e``)."""
    pattern = _CONTROL_KEEP_LINES if keep_lines else _CONTROL
    return pattern.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def iso_duration(months: int, days: int, nanoseconds: int) -> str:
    """ISO 8601 duration of a DuckDB INTERVAL (months, days and nanoseconds are kept apart, as DuckDB does)."""
    sign = "-" if months < 0 or days < 0 or nanoseconds < 0 else ""
    months, days, nanoseconds = abs(months), abs(days), abs(nanoseconds)
    years, months = divmod(months, 12)
    seconds, nanos = divmod(nanoseconds, 10**9)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    date_part = "".join(f"{n}{unit}" for n, unit in ((years, "Y"), (months, "M"), (days, "D")) if n)
    secs = f"{seconds}.{nanos:09d}".rstrip("0") if nanos else str(seconds)
    time_part = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M")) if n) + (
        f"{secs}S" if seconds or nanos else ""
    )
    if not date_part and not time_part:
        return "PT0S"
    return f"{sign}P{date_part}" + (f"T{time_part}" if time_part else "")


def _blob(value: bytes) -> str:
    """A BLOB as DuckDB prints it: printable ASCII as is, every other byte as ``\\xHH``."""
    return "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else f"\\x{b:02X}" for b in value)


def plain(value: Any, type_name: str = "") -> Any:
    """A JSON-ready form of one value of a query result."""
    if value is None or isinstance(value, (bool, int, str)) and type_name != "JSON":
        return value
    if isinstance(value, str):  # a JSON column: its document, not a string of it
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # JSON has no inf or nan
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(0, value.days, (value.seconds * 10**6 + value.microseconds) * 1000)
    if hasattr(value, "months") and hasattr(value, "nanoseconds"):  # pyarrow's MonthDayNano
        return iso_duration(value.months, value.days, value.nanoseconds)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _blob(bytes(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, tuple) and len(v) == 2 for v in value):  # a MAP: (key, value) pairs
            return {str(plain(k)): plain(v) for k, v in value}
        return [plain(v) for v in value]
    return str(value)  # UUIDs and anything else DuckDB has: its text form


def text(value: Any, type_name: str = "") -> str:
    """One value as text for a table or CSV cell (not yet escaped)."""
    if value is None:
        return ""
    if isinstance(value, str) and type_name != "JSON":
        return value
    if isinstance(value, bool):
        return "true" if value else "false"  # as DuckDB and JSON write them
    converted = plain(value, type_name)
    if isinstance(converted, (dict, list)):
        return json.dumps(converted, ensure_ascii=False)
    return str(converted)


# -- tables ----------------------------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_BREAK_AFTER = re.compile(r"[\s/|,;_]|[-:](?=[^\W\d])")  # a line may end after a blank, "/", "|", "-word", ":word"


def _pieces(text: str) -> list[str]:
    """``text`` cut where a line may break; wide (CJK) characters break anywhere."""
    pieces, start = [], 0
    for i, ch in enumerate(text):
        if _BREAK_AFTER.match(text, i) or display_width(ch) == 2:
            pieces.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _fold(piece: str, width: int) -> list[str]:
    """A piece wider than ``width`` cut by terminal columns."""
    out, line, used = [], "", 0
    for ch in piece:
        w = display_width(ch)
        if used + w > width and line:
            out.append(line)
            line, used = "", 0
        line, used = line + ch, used + w
    return [*out, line]


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines no wider than ``width`` terminal columns, broken at blanks, "/", "|", "," or between
    wide characters where it can be; a date or ``PT72H`` is never split unless it alone is wider."""
    lines, line, used = [], "", 0
    for piece in _pieces(text):
        w = display_width(piece.rstrip())
        if used + w > width and line:
            lines.append(line.rstrip())
            line, used = "", 0
            piece = piece.lstrip()
            w = display_width(piece.rstrip())
        if w > width:
            *full, piece = _fold(piece, width)
            lines += full
            w = display_width(piece)
        line, used = line + piece, used + display_width(piece)
    return [*lines, line.rstrip()] if line or not lines else lines


def _widest_piece(text: str) -> int:
    return max((display_width(p.rstrip()) for p in _pieces(text)), default=0)


@dataclass(frozen=True)
class Layout:
    """Column widths of a table, and the columns left out because even their narrowest form does not fit."""

    shown: list[int]  # indexes of the columns printed, in order
    widths: list[int]  # terminal columns of each shown column
    hidden: list[str]


def layout(
    columns: Sequence[str], cells: Sequence[Sequence[str]], width: int | None, hide: Sequence[str] = ()
) -> Layout:
    """Widths so that the table fits ``width`` terminal columns (None: every cell on one line).

    A column never gets narrower than its widest unbreakable piece (so dates and windows stay whole, up to
    a third of the width); when even that does not fit, columns are hidden in the order ``hide`` names them,
    then from the right (the first column always shows). What is left goes to the columns that wrap, by how
    much they need.
    """
    n = len(columns)
    natural = _natural(columns, cells)
    if width is None or sum(natural) + GAP * (n - 1) <= width:
        return Layout(list(range(n)), natural, [])
    cap = max(8, width // 3)
    least = [
        min(natural[i], max([_widest_piece(columns[i])] + [min(_widest_piece(r[i]), cap) for r in cells]))
        for i in range(n)
    ]
    order = [columns.index(c) for c in hide if c in columns] + list(range(n - 1, 0, -1))
    shown = list(range(n))
    for i in order:
        if sum(least[j] for j in shown) + GAP * (len(shown) - 1) <= width:
            break
        if i in shown:
            shown.remove(i)
    widths = {i: least[i] for i in shown}
    spare = width - sum(widths.values()) - GAP * (len(shown) - 1)
    # Whole columns first, those that need least first (a column that fits needs no wrapping); what is left
    # goes to the others by how much each lacks.
    for i in sorted(shown, key=lambda i: natural[i] - widths[i]):
        if 0 < natural[i] - widths[i] <= spare:
            spare -= natural[i] - widths[i]
            widths[i] = natural[i]
    wanting = [i for i in shown if widths[i] < natural[i]]
    need, share = sum(natural[i] - widths[i] for i in wanting), spare
    for i in wanting:
        extra = share * (natural[i] - widths[i]) // need  # floor: the shares never add up to more than spare
        widths[i] += extra
        spare -= extra
    for i in wanting:  # what the rounding left
        extra = min(natural[i] - widths[i], spare)
        widths[i] += extra
        spare -= extra
    hidden = [columns[i] for i in range(n) if i not in shown]
    return Layout(shown, [widths[i] for i in shown], hidden)


DETAIL_INDENT = 4


def _natural(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with every cell on one line."""
    return [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    width: int | None = None,
    *,
    types: Sequence[str] | None = None,
    hide: Sequence[str] = (),
    details: Sequence[str] = (),
) -> str:
    """An aligned text table: a header, a rule, the rows and a count. With ``width`` it fits that many
    terminal columns (cells wrap onto more lines; columns that cannot fit, hidden in ``hide`` order, are
    named under the table); without, every row is one line. ``details`` columns (long text such as the
    evidence sentence) are printed under their row, indented, across the whole width."""
    types = types or [""] * len(columns)
    cells = [[escape(_one_line(text(v, t))) for v, t in zip(row, types, strict=True)] for row in rows]
    if not width or sum(_natural(columns, cells)) + GAP * (len(columns) - 1) <= width:
        details = ()  # every row fits on one line: the long text is a column like the others
    inline = [i for i, c in enumerate(columns) if c not in details]
    below = [i for i, c in enumerate(columns) if c in details]
    plan = layout([columns[i] for i in inline], [[r[i] for i in inline] for r in cells], width, hide)
    shown = [inline[i] for i in plan.shown]
    out = _block([columns[i] for i in shown], plan.widths)
    out.append((" " * GAP).join("-" * w for w in plan.widths))
    for row in cells:
        out += _block([row[i] for i in shown], plan.widths)
        for i in below:
            if row[i]:
                named = f"{columns[i]}: {row[i]}" if len(below) > 1 else row[i]  # which is which, when several
                lines = wrap(named, width - DETAIL_INDENT) if width else [named]
                out += [" " * DETAIL_INDENT + line for line in lines]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''}"
    if below and rows:
        footer += f"; under each row: {', '.join(columns[i] for i in below)}"
    if plan.hidden:
        footer += f"; not shown: {', '.join(plan.hidden)} (--wide, or a wider terminal)"
    out += wrap(footer + ")", width) if width else [footer + ")"]
    return "\n".join(out)


def _one_line(cell: str) -> str:
    """Line breaks and tabs of a cell as blanks: a table row's lines are the table's, not the text's."""
    return cell.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


def _block(values: Sequence[str], widths: Sequence[int]) -> list[str]:
    """One table row, as many lines as its tallest wrapped cell."""
    wrapped = [wrap(v, w) for v, w in zip(values, widths, strict=True)]
    height = max((len(w) for w in wrapped), default=1)
    lines = []
    for k in range(height):
        parts = [(w[k] if k < len(w) else "") for w in wrapped]
        lines.append(
            (" " * GAP).join(p + " " * (w - display_width(p)) for p, w in zip(parts, widths, strict=True)).rstrip()
        )
    return lines


def parquet_ready(table: pa.Table) -> pa.Table:
    """``table`` with its INTERVAL columns as ISO 8601 text (``PT72H``): pyarrow cannot write Arrow's
    month-day-nano intervals to Parquet, and a duration would lose the months DuckDB keeps apart."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_interval(field.type):
            text = pa.array([plain(v) for v in table.column(i).to_pylist()], pa.string())
            table = table.set_column(i, pa.field(field.name, pa.string(), field.nullable), text)
    return table


# -- CSV and JSON ----------------------------------------------------------------------------------------------


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[str] | None = None) -> str:
    types = types or [""] * len(columns)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[escape(text(v, t), keep_lines=True) for v, t in zip(row, types, strict=True)] for row in rows])
    return out.getvalue()


def _records(columns: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[str] | None) -> list[dict]:
    types = types or [""] * len(columns)
    return [{c: plain(v, t) for c, v, t in zip(columns, row, types, strict=True)} for row in rows]


def to_json(columns: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[str] | None = None) -> str:
    return json.dumps(_records(columns, rows, types), ensure_ascii=False, indent=2)


def to_jsonl(columns: Sequence[str], rows: Sequence[Sequence[Any]], types: Sequence[str] | None = None) -> str:
    """One JSON object per line, each line ending with a newline."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records(columns, rows, types))


def render(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str,
    *,
    types: Sequence[str] | None = None,
    width: int | None = None,
    hide: Sequence[str] = (),
    details: Sequence[str] = (),
) -> str:
    if fmt == "table":
        return table(columns, rows, width, types=types, hide=hide, details=details)
    if fmt == "csv":
        return to_csv(columns, rows, types)
    if fmt == "json":
        return to_json(columns, rows, types)
    if fmt == "jsonl":
        return to_jsonl(columns, rows, types)
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render_rows(
    result: Rows, fmt: str, *, width: int | None = None, hide: Sequence[str] = (), details: Sequence[str] = ()
) -> str:
    return render(result.columns, result.rows, fmt, types=result.types, width=width, hide=hide, details=details)
