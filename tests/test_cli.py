"""The command line, end to end: ``extract.cli.main`` in-process on real files and a real DuckDB file.

``ingested`` runs ``extract ingest`` on the two bundled samples once per module (spaCy models take a few
seconds to load) and keeps what it printed; the other tests query that database with ``claims`` and ``sql``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from extract.cli import CLAIM_COLUMNS, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
EN_SAMPLE = SAMPLES / "en-security-guarantees.html"
JA_SAMPLE = SAMPLES / "ja-coalition-update.html"
JA_SEED = ROOT.parent / "shared" / "seeds" / "ft-derived-ja-security-guarantees.txt"
KINDS_QUERY = "SELECT kind, count(*) AS n FROM claims GROUP BY kind ORDER BY kind"


@dataclass(frozen=True)
class Ingested:
    db: Path
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    db = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["ingest", str(EN_SAMPLE), str(JA_SAMPLE), "--db", str(db)])
    return Ingested(db, code, out.getvalue(), err.getvalue())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` in-process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def display_cells(line: str) -> list[str]:
    """One entry per terminal column: wide (East Asian) characters fill two columns."""
    cells: list[str] = []
    for ch in line:
        cells.append(ch)
        if unicodedata.east_asian_width(ch) in "WF":
            cells.append("")
    return cells


# -- ingest --------------------------------------------------------------------------------------------------


def test_ingest_prints_one_line_per_source_and_a_summary(ingested: Ingested) -> None:
    assert ingested.exit_code == 0
    assert ingested.stderr == ""
    lines = ingested.stdout.splitlines()
    assert len(lines) == 3, ingested.stdout
    en_line, ja_line, summary = lines
    assert re.fullmatch(rf"new\s+en\s+\d+ claims\s+{re.escape(str(EN_SAMPLE))}", en_line), en_line
    assert re.fullmatch(rf"new\s+ja\s+\d+ claims\s+{re.escape(str(JA_SAMPLE))}", ja_line), ja_line
    assert int(en_line.split()[2]) > 0 and int(ja_line.split()[2]) > 0
    assert re.fullmatch(r"run \S+: 2 new, 0 unchanged, 0 failed \(ok\)", summary), summary


def test_ingest_again_reports_unchanged(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ingest", str(EN_SAMPLE), "--db", str(ingested.db), "--quiet")
    assert code == 0
    assert err == ""
    assert re.fullmatch(r"run \S+: 0 new, 1 unchanged, 0 failed \(ok\)\n", out), out  # --quiet: summary only


def test_ingest_of_missing_path_exits_2_and_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-article.html"
    code, out, err = run(capsys, "ingest", str(missing), "--db", str(tmp_path / "db.duckdb"))
    assert code == 2
    assert str(missing) in err
    assert "no such file" in err
    assert "0 new, 0 unchanged, 1 failed (failed)" in out


def test_bad_published_date_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc_info:
        main(["ingest", str(JA_SAMPLE), "--published", "2026-13-45", "--db", str(tmp_path / "db.duckdb")])
    assert exc_info.value.code == 2
    err = capsys.readouterr().err
    assert "--published" in err
    assert "not an ISO date" in err
    assert not (tmp_path / "db.duckdb").exists()  # rejected before anything is opened


def test_ingest_seed_with_published_date_resolves_the_talks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not JA_SEED.exists():
        pytest.skip(f"seed article not found at {JA_SEED}")
    db = str(tmp_path / "seed.duckdb")
    code, out, err = run(capsys, "ingest", str(JA_SEED), "--published", "2026-02-02", "--db", db)
    assert code == 0, err
    assert out.startswith("new        ja ")

    code, out, _ = run(capsys, "claims", "--kind", "event", "--format", "json", "--db", db)
    assert code == 0
    events = json.loads(out)
    assert {(e["time_iso"], e["location_id"]) for e in events} >= {("2026-02-04/2026-02-05", "place:abu-dhabi")}
    assert all(e["published"] == "2026-02-02" for e in events)


# -- claims --------------------------------------------------------------------------------------------------


def test_claims_json_has_three_tiers_per_document(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "claims", "--format", "json", "--kind", "tier", "--db", str(ingested.db))
    assert code == 0, err
    claims = json.loads(out)
    assert isinstance(claims, list)
    assert {c["kind"] for c in claims} == {"tier"}
    for lang in ("en", "ja"):
        tiers = {c["tier"]: c for c in claims if c["lang"] == lang}
        assert sorted(c["tier"] for c in claims if c["lang"] == lang) == [1, 2, 3], lang
        assert (tiers[1]["window_duration"], tiers[1]["subject_id"]) == ("PT24H", "force:UA"), lang
        assert tiers[2]["subject_id"] == "org:coalition-of-the-willing", lang
        assert (tiers[3]["window_duration"], tiers[3]["subject_id"]) == ("PT72H", "force:US"), lang
    assert {c["doc_key"] for c in claims} == {
        "https://example-news.test/world/ukraine-security-guarantees-72-hours",
        "https://example-news.test/ja/coalition-update",
    }


def test_claims_table_for_japanese_is_aligned(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "claims", "--lang", "ja", "--db", str(ingested.db))
    assert code == 0, err
    lines = out.rstrip("\n").split("\n")
    header, dashes, *rows, footer = lines
    assert header.split() == CLAIM_COLUMNS
    assert re.fullmatch(r"-+(  -+)*", dashes)
    assert len(dashes.split()) == len(CLAIM_COLUMNS)
    assert re.fullmatch(r"\((\d+) rows\)", footer)
    assert int(footer.strip("()").split()[0]) == len(rows) > 0
    assert "有志連合" in out

    # every column starts where its dashes start, counting wide characters as two terminal columns
    starts = [m.start() for m in re.finditer(r"-+", dashes)]
    for name, start in zip(CLAIM_COLUMNS, starts, strict=True):
        assert header[start:].startswith(name)
    for row in rows:
        cells = display_cells(row)
        assert len(cells) <= len(dashes), row
        for start in starts[1:]:
            gap = cells[start - 2 : start]
            assert all(c == " " for c in gap), f"column separator at {start} not blank in {row!r}"
        lang_start = starts[CLAIM_COLUMNS.index("lang")]
        assert "".join(cells[lang_start : lang_start + 3]).strip() == "ja", row  # only the Japanese document


def test_claims_filter_by_unknown_doc_is_empty(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "claims", "--doc", "file:/nowhere.html", "--format", "json", "--db", str(ingested.db))
    assert code == 0
    assert json.loads(out) == []


# -- sql -----------------------------------------------------------------------------------------------------


def test_sql_csv_counts_claims_by_kind(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sql", KINDS_QUERY, "--format", "csv", "--db", str(ingested.db))
    assert code == 0, err
    header, *rows = [record for record in csv.reader(io.StringIO(out)) if record]
    assert header == ["kind", "n"]
    assert [kind for kind, _ in rows] == ["event", "pledge", "position", "quantity", "tier"]
    assert dict(rows)["tier"] == "6"  # three tiers in each of the two documents
    assert all(int(n) > 0 for _, n in rows)


def test_sql_csv_has_no_blank_record(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    """CSV output is exactly the header and one record per row: no empty record at the end."""
    code, out, _ = run(capsys, "sql", KINDS_QUERY, "--format", "csv", "--db", str(ingested.db))
    assert code == 0
    records = list(csv.reader(io.StringIO(out)))
    assert [] not in records, f"blank CSV record in {out!r}"
    assert len(records) == 1 + 5


def test_sql_json_parses(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sql", KINDS_QUERY, "--format", "json", "--db", str(ingested.db))
    assert code == 0, err
    records = json.loads(out)
    assert [r["kind"] for r in records] == ["event", "pledge", "position", "quantity", "tier"]
    assert all(isinstance(r["n"], int) for r in records)


def test_sql_syntax_error_exits_2_without_traceback(ingested: Ingested, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sql", "SELEC kind FROM claims", "--db", str(ingested.db))
    assert code == 2
    assert out == ""
    assert "query failed" in err
    assert "Traceback" not in err
    # the database is still usable afterwards
    code, out, _ = run(capsys, "sql", "SELECT count(*) AS n FROM versions", "--format", "csv", "--db", str(ingested.db))
    assert (code, out.split()) == (0, ["n", "2"])


# -- the installed command -----------------------------------------------------------------------------------


def test_console_script_help() -> None:
    script = Path(sys.executable).with_name("extract")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "extract.cli"]
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: extract")
    for subcommand in ("ingest", "claims", "sql"):
        assert subcommand in result.stdout
