"""The command line, end to end: ``extract.cli.main`` in-process on real files and a real DuckDB file.

``ingested`` runs ``extract ingest`` on the two bundled samples once per module (spaCy models take a few
seconds to load) and keeps what it printed; the other tests query that database with ``claims`` and ``sql``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extract.cli import CLAIM_COLUMNS, main
from extract.store.db import MIGRATIONS

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
    code, out, err = run(capsys, "claims", "--lang", "ja", "--wide", "--db", str(ingested.db))
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


# -- read-only commands (issue 9) ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def snapshot(ingested: Ingested, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the ingested store, as the nightly job publishes it for analysts, alone in its folder."""
    db = tmp_path_factory.mktemp("snapshot") / "extract-snapshot.duckdb"
    shutil.copyfile(ingested.db, db)
    return db


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the machine's own files that analysts' SQL must not read, with targets it must not write."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    pq.write_table(pa.table({"a": [1, 2]}), folder / "data.parquet")
    with duckdb.connect(str(folder / "other.duckdb")) as con:
        con.execute("CREATE TABLE secrets AS SELECT 'hunter2' AS password")
    return folder


def store_state(db: Path) -> tuple:
    """Everything that must not change: the file's bytes, its folder's listing, every table and view, row counts."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    listing = sorted(p.name for p in db.parent.iterdir())
    with duckdb.connect(str(db), read_only=True) as con:
        objects = con.execute(
            "SELECT 'table', table_name FROM duckdb_tables() UNION ALL "
            "SELECT 'view', view_name FROM duckdb_views() WHERE NOT internal ORDER BY ALL"
        ).fetchall()
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for kind, name in objects}
    return digest, listing, objects, counts


def extract_command() -> list[str]:
    script = Path(sys.executable).with_name("extract")
    return [str(script)] if script.exists() else [sys.executable, "-m", "extract.cli"]


REFUSED = {
    "drop table": "DROP TABLE claims CASCADE",
    "delete": "DELETE FROM documents",
    "update": "UPDATE claims SET kind = 'pledge'",
    "insert": "INSERT INTO entities VALUES ('country:XX', 'country', 'X', 'X', NULL)",
    "create table": "CREATE TABLE stolen AS SELECT * FROM versions",
    "create view": "CREATE VIEW mine AS SELECT 1",
    "alter table": "ALTER TABLE claims ADD COLUMN note VARCHAR",
    "write after read": "SELECT count(*) FROM claims; DROP TABLE versions",
    "read_csv /etc/passwd": "SELECT * FROM read_csv('/etc/passwd', sep=':')",
    "read_text": "SELECT * FROM read_text('/etc/hostname')",
    "file as table": "SELECT * FROM '{outside}/data.csv'",
    "read_parquet": "SELECT * FROM read_parquet('{outside}/data.parquet')",
    "glob": "SELECT * FROM glob('{outside}/*')",
    "copy to": "COPY claims TO '{outside}/stolen.csv'",
    "copy query to": "COPY (SELECT * FROM versions) TO '{outside}/stolen.parquet' (FORMAT parquet)",
    "export database": "EXPORT DATABASE '{outside}/export'",
    "attach file": "ATTACH '{outside}/other.duckdb' AS other",
    "attach memory": "ATTACH ':memory:' AS scratch",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "remote file": "SELECT * FROM read_parquet('https://example.com/x.parquet')",
    "set external access": "SET enable_external_access = true",
    "unlock configuration": "SET lock_configuration = false",
    "profiling output": "PRAGMA profiling_output = '{outside}/profile.json'",
    "temp folder": "COPY claims TO '{db}.tmp/stolen.csv'",  # DuckDB allows its own temp folder unless disabled
    "temp folder listing": "SELECT * FROM glob('{db}.tmp/*')",
}


@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_sql_refuses_what_is_not_a_read(
    statement: str, snapshot: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    temp = Path(f"{snapshot}.tmp")
    temp.mkdir(exist_ok=True)  # as a spilling writer would have left it
    before, outside_before = store_state(snapshot), sorted(p.name for p in outside.iterdir())
    code, out, err = run(capsys, "sql", statement.format(outside=outside, db=snapshot), "--db", str(snapshot))
    assert code == 2
    assert out == ""
    assert err.startswith("extract: query refused") and err.endswith("\n") and err.count("\n") == 1, err
    assert "hunter2" not in err and "root:" not in err
    assert store_state(snapshot) == before
    assert sorted(p.name for p in outside.iterdir()) == outside_before  # nothing written there either
    assert list(temp.iterdir()) == []
    temp.rmdir()


def test_reads_still_work_on_the_read_only_store(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = store_state(snapshot)
    code, out, err = run(capsys, "sql", KINDS_QUERY, "--format", "json", "--db", str(snapshot))
    assert code == 0, err
    assert [r["kind"] for r in json.loads(out)] == ["event", "pledge", "position", "quantity", "tier"]
    query = "SELECT count(*) AS n FROM corpus_as_of(current_date) JOIN pledges USING (subject_id)"
    assert run(capsys, "sql", query, "--db", str(snapshot))[0] == 0
    code, out, err = run(capsys, "claims", "--kind", "tier", "--format", "json", "--db", str(snapshot))
    assert (code, len(json.loads(out))) == (0, 6), err
    keys = [r["doc_key"] for r in json.loads(out)]
    code, out, err = run(capsys, "diff", keys[0], keys[-1], "--format", "json", "--db", str(snapshot))
    assert code == 0, err
    assert json.loads(out)
    assert store_state(snapshot) == before


def test_only_ingest_opens_the_store_for_writing() -> None:
    from extract.cli import COMMANDS

    assert {name for name, command in COMMANDS.items() if command.writes} == {"ingest"}


def test_two_analysts_read_the_snapshot_at_once(snapshot: Path) -> None:
    # A third reader holds the file open the whole time, so the two commands overlap with it (and each other)
    # whatever their timing: with read-write opens the second process would fail with "Could not set lock".
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from extract.store.db import Store\n"
            f"store = Store.open_readonly({str(snapshot)!r}); print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "open\n"
        query = "SELECT count(*) AS n FROM range(50000000), (SELECT count(*) FROM claims)"
        analysts = [
            subprocess.Popen(
                [*extract_command(), "sql", query, "--format", "csv", "--db", str(snapshot)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [(a.communicate(timeout=300), a.returncode) for a in analysts]
        for (out, err), code in results:
            assert (code, err) == (0, "")
            assert out.split() == ["n", "50000000"]
        with pytest.raises(duckdb.IOException, match="Could not set lock"):
            duckdb.connect(str(snapshot))  # the holder's lock was real: a writer cannot get in
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert holder.returncode == 0


@pytest.mark.parametrize("command", [["sql", "SELECT 1"], ["claims"], ["diff", "2026-01-01", "2026-02-01"]])
def test_a_mistyped_db_is_an_error_naming_it(command: list[str], tmp_path: Path, capsys) -> None:
    typo = tmp_path / "data" / "extract-snapshto.duckdb"
    code, out, err = run(capsys, *command, "--db", str(typo))
    assert code == 2
    assert out == ""
    assert err == f"extract: {typo}: no such database (check --db; `extract ingest` or `extract run` creates one)\n"
    assert not typo.parent.exists()  # nothing created, not even the folder


def test_a_read_while_the_writer_holds_the_store_says_so(ingested: Ingested, tmp_path: Path, capsys) -> None:
    db = tmp_path / "main.duckdb"
    shutil.copyfile(ingested.db, db)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(db)!r}); print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline() == "open\n"
        code, out, err = run(capsys, "sql", "SELECT 1", "--db", str(db))
    finally:
        writer.stdin.close()
        writer.wait(timeout=60)
    assert (code, out) == (2, "")
    assert "Could not set lock" in err and "read the nightly snapshot" in err and err.count("\n") == 1, err


def test_pending_migration_blocks_reads_until_migrate(ingested: Ingested, tmp_path: Path, capsys) -> None:
    db = tmp_path / "old.duckdb"
    shutil.copyfile(ingested.db, db)
    last = MIGRATIONS[-1]
    with duckdb.connect(str(db)) as con:  # as if the store were written by the code before the last migration
        con.execute("DELETE FROM schema_migrations WHERE version = ?", [last.version])
    before = store_state(db)

    for command in (["sql", "SELECT count(*) FROM claims"], ["claims"]):
        code, out, err = run(capsys, *command, "--db", str(db))
        assert (code, out) == (2, "")
        assert err == (
            f"extract: {db}: the store needs migration {last.version} ({last.name}); "
            f"run `extract migrate --db {db}` first\n"
        )
    assert store_state(db) == before

    code, out, err = run(capsys, "migrate", "--db", str(db))
    assert (code, err) == (0, "")
    assert out == f"{db}: applied migration {last.version} ({last.name})\n"
    assert run(capsys, "migrate", "--db", str(db))[:2] == (0, f"{db}: up to date\n")
    code, out, err = run(capsys, "sql", "SELECT count(*) AS n FROM versions", "--format", "csv", "--db", str(db))
    assert (code, out.split(), err) == (0, ["n", "2"], "")


def test_migrate_does_not_create_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "extract.duckbd"
    code, out, err = run(capsys, "migrate", "--db", str(typo))
    assert (code, out) == (2, "")
    assert str(typo) in err and "no such database" in err
    assert not typo.exists()


# -- sql --output: files written by the CLI from the result ---------------------------------------------------


def kinds(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(KINDS_QUERY).fetchall()


def test_sql_output_parquet(snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kinds.parquet"
    code, out, err = run(capsys, "sql", KINDS_QUERY, "--output", str(path), "--db", str(snapshot))
    assert (code, err) == (0, "")
    assert out == f"wrote {path}: 5 rows (parquet)\n"
    table = pq.read_table(path)
    assert table.column_names == ["kind", "n"]
    assert table.schema.field("n").type == pa.int64()  # DuckDB's types, not strings
    assert [tuple(r.values()) for r in table.to_pylist()] == kinds(snapshot)


def test_sql_output_csv_json_and_jsonl(snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = kinds(snapshot)
    for name in ("kinds.csv", "kinds.json", "kinds.jsonl"):
        code, out, err = run(capsys, "sql", KINDS_QUERY, "--output", str(tmp_path / name), "--db", str(snapshot))
        assert (code, err) == (0, ""), name
        assert out == f"wrote {tmp_path / name}: 5 rows ({name.split('.')[1]})\n"
    header, *records = list(csv.reader(io.StringIO((tmp_path / "kinds.csv").read_text(encoding="utf-8"))))
    assert header == ["kind", "n"]
    assert [(kind, int(n)) for kind, n in records] == expected
    assert [(r["kind"], r["n"]) for r in json.loads((tmp_path / "kinds.json").read_text(encoding="utf-8"))] == expected
    lines = (tmp_path / "kinds.jsonl").read_text(encoding="utf-8").splitlines()
    assert [tuple(json.loads(line).values()) for line in lines] == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kinds.csv", "kinds.json", "kinds.jsonl"]  # no partials


def test_sql_output_format_option_wins_over_the_suffix(snapshot: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "kinds.txt"
    assert run(capsys, "sql", KINDS_QUERY, "--format", "jsonl", "--output", str(path), "--db", str(snapshot))[0] == 0
    assert len(path.read_text(encoding="utf-8").splitlines()) == 5
    code, out, err = run(capsys, "sql", KINDS_QUERY, "--output", str(tmp_path / "kinds.xlsx"), "--db", str(snapshot))
    assert (code, out) == (2, "")
    assert "kinds.xlsx" in err and "--format" in err and err.count("\n") == 1
    code, _, err = run(capsys, "sql", KINDS_QUERY, "--format", "parquet", "--db", str(snapshot))
    assert code == 2 and "--output" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kinds.txt"]


def test_sql_output_never_overwrites_the_store_or_writes_a_failed_query(snapshot: Path, capsys) -> None:
    before = store_state(snapshot)
    code, _, err = run(capsys, "sql", "SELECT 1", "--format", "csv", "--output", str(snapshot), "--db", str(snapshot))
    assert code == 2 and "is the database itself" in err
    failed = snapshot.parent / "failed.csv"
    code, _, err = run(capsys, "sql", "SELECT * FROM nowhere", "--output", str(failed), "--db", str(snapshot))
    assert code == 2 and err.startswith("extract: query failed: Catalog Error") and err.count("\n") == 1
    assert store_state(snapshot) == before  # and no failed.csv beside it


# -- start-up (issue 15) -------------------------------------------------------------------------------------

NLP_MODULES = ("spacy", "torch", "thinc", "ginza", "transformers", "trafilatura", "ja_timex", "dateparser")


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated store with no documents, made in another process so this one's imports do not count."""
    db = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    make = f"from extract.store.db import Store\nwith Store.open({str(db)!r}): pass"
    subprocess.run([sys.executable, "-c", make], check=True, timeout=300)
    return db


def imported_by(argv: list[str]) -> tuple[int, list[str]]:
    """(exit code, NLP modules imported) of ``extract ARGV`` run in a fresh interpreter."""
    probe = (
        "import json, sys\nfrom extract.cli import main\n"
        f"try:\n    code = main({argv!r})\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"nlp = sorted({{m.split('.')[0] for m in sys.modules}} & set({NLP_MODULES!r}))\n"
        "print(json.dumps([code, nlp]), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=False)
    code, nlp = json.loads(result.stderr.strip().splitlines()[-1])
    return code, nlp


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["sql", "select 1"],
        ["claims"],
        ["diff", "2026-01-01", "2026-02-01"],  # diff → keys → gazetteer: the alias tables, not spaCy
        ["disagreements"],
        ["schema"],
    ],
    ids=["version", "help", "sql", "claims", "diff", "disagreements", "schema"],
)
def test_reading_commands_import_no_nlp(argv: list[str], empty_store: Path) -> None:
    db_args = ["--db", str(empty_store)] if argv[0][0] != "-" else []
    code, nlp = imported_by([*argv, *db_args])
    assert code == 0
    assert nlp == [], f"extract {' '.join(argv)} imported {nlp}"


def test_import_extract_is_light() -> None:
    probe = "import sys, extract\nprint(sorted(m for m in sys.modules if m.startswith(('duckdb', 'extract.'))))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    # the version string only: extract.open imports the store when it is called
    assert result.stdout.strip() == "['extract.version']"


# -- errors (issue 15) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["", "   ", "-- only a comment", "/* a block */ ;"], ids=["empty", "blank", "comment", "block"]
)
def test_an_empty_query_is_one_line_exit_2(query: str, snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sql", query, "--db", str(snapshot))
    assert (code, out) == (2, "")
    assert err.startswith("extract: empty query") and err.count("\n") == 1


def test_a_date_that_does_not_exist_is_one_line_exit_2(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diff", "2026-02-30", "2026-03-01", "--db", str(snapshot))
    assert (code, out) == (2, "")
    assert err.startswith("extract: 2026-02-30: not a calendar date") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exc_info:
        main(["claims", "--since", "2026-02-30", "--db", str(snapshot)])
    assert exc_info.value.code == 2
    err = capsys.readouterr().err
    assert "--since" in err and "not an ISO date" in err and err.count("\n") == 1  # no usage block


def test_a_closed_pipe_ends_quietly(snapshot: Path) -> None:
    shell = f"{' '.join(map(str, extract_command()))} sql 'SELECT * FROM range(500000)' --db {snapshot} | head -n 3"
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {shell}; echo exit=$? >&2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout.splitlines()[0] == "range"
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == "exit=141\n"  # 128 + SIGPIPE, as `yes | head`; no traceback, no "Exception ignored"


def test_ctrl_c_during_a_query_exits_130(snapshot: Path) -> None:
    # A join: DuckDB looks at Ctrl-C between tasks, and a bare range scan is one long task.
    query = "SELECT count(*) FROM range(100000000000) a, range(10) b WHERE (a.range * b.range) % 7 = 3"
    process = subprocess.Popen(
        [*extract_command(), "sql", query, "--db", str(snapshot)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # started and inside the query
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()  # never left running on a shared machine
    assert (process.returncode, out) == (130, "")
    assert err == "extract: interrupted\n"


@pytest.mark.parametrize("processes", ["1", "2"])
def test_ctrl_c_during_ingest_exits_130(processes: str, tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    command = [*extract_command(), "ingest", str(EN_SAMPLE), str(JA_SAMPLE), "--processes", processes, "--db", str(db)]
    # Its own process group, signalled as a whole: a terminal's Ctrl-C reaches the NLP workers too.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        time.sleep(2.5)  # importing or loading spaCy, or analysing: two languages take far longer
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=300)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err.endswith("extract: interrupted\n") and "Traceback" not in err


TYPES_QUERY = """
SELECT '5b0c3f6e-58d4-4c8e-9d4e-0f1b2c3d4e5f'::UUID AS id, INTERVAL 3 DAY + INTERVAL 72 HOUR AS window,
       INTERVAL 14 MONTH AS span, TIME '12:34:56' AS at, '\\x01ab'::BLOB AS raw,
       {'tier': 3, 'actors': ['force:US']} AS s, MAP {'k': 1} AS m, '{"window": "PT72H"}'::JSON AS j,
       TIMESTAMPTZ '2026-02-04 10:00:00+00' AS ts, 1.50::DECIMAL(10, 2) AS d, 'inf'::DOUBLE AS f
"""


def test_json_has_every_duckdb_type(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sql", TYPES_QUERY, "--format", "json", "--db", str(snapshot))
    assert code == 0, err
    (row,) = json.loads(out)
    assert row == {
        "id": "5b0c3f6e-58d4-4c8e-9d4e-0f1b2c3d4e5f",
        "window": "P3DT72H",  # DuckDB keeps days and hours apart, and so does the ISO duration
        "span": "P1Y2M",
        "at": "12:34:56",
        "raw": "\\x01ab",
        "s": {"tier": 3, "actors": ["force:US"]},
        "m": {"k": 1},
        "j": {"window": "PT72H"},  # a JSON value, not a string of JSON
        "ts": "2026-02-04T10:00:00+00:00",
        "d": 1.5,
        "f": "inf",
    }
    code, out, err = run(capsys, "sql", TYPES_QUERY, "--format", "jsonl", "--db", str(snapshot))
    assert code == 0 and json.loads(out) == row
    code, out, err = run(capsys, "sql", TYPES_QUERY, "--format", "csv", "--db", str(snapshot))
    header, record = list(csv.reader(io.StringIO(out)))
    assert dict(zip(header, record, strict=True))["s"] == '{"tier": 3, "actors": ["force:US"]}'


def test_control_characters_are_escaped_in_tables_and_csv(snapshot: Path, capsys) -> None:
    query = "SELECT 'red ' || chr(27) || '[31mtext' || chr(7) || chr(8238) AS stored, 'a' || chr(10) || 'b' AS lines"
    code, out, _ = run(capsys, "sql", query, "--db", str(snapshot))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "red \\x1b[31mtext\\x07\\u202e" in out
    assert "a b" in out  # a line break inside a cell does not break the table's row
    code, out, _ = run(capsys, "sql", query, "--format", "csv", "--db", str(snapshot))
    assert "\x1b" not in out and "red \\x1b[31mtext" in out
    assert list(csv.reader(io.StringIO(out)))[1][1] == "a\nb"  # CSV quotes line breaks: they stay
    code, out, _ = run(capsys, "sql", query, "--format", "json", "--db", str(snapshot))
    assert json.loads(out)[0]["stored"] == "red \x1b[31mtext\x07\u202e"  # JSON escapes them itself


def test_diff_exit_code_says_whether_anything_changed(snapshot: Path, capsys) -> None:
    en, ja = (
        "https://example-news.test/world/ukraine-security-guarantees-72-hours",
        "https://example-news.test/ja/coalition-update",
    )
    code, out, err = run(capsys, "diff", en, ja, "--exit-code", "--db", str(snapshot))
    assert code == 1, err
    assert " added" in out
    assert run(capsys, "diff", en, en, "--exit-code", "--db", str(snapshot))[0] == 0
    assert run(capsys, "diff", en, ja, "--db", str(snapshot))[0] == 0  # without --exit-code: 0


# -- output (issue 15) ---------------------------------------------------------------------------------------


def claims_json(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    code, out, err = run(capsys, "claims", "--format", "json", *args, "--db", str(db))
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("columns", [80, 200])
def test_claims_table_fits_the_terminal(
    columns: int, snapshot: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    claims = claims_json(snapshot, capsys)
    code, out, err = run(capsys, "claims", "--db", str(snapshot))
    assert code == 0, err
    lines = out.rstrip("\n").split("\n")
    assert max(len(display_cells(line)) for line in lines) <= columns
    assert max(len(display_cells(line)) for line in lines) > columns * 0.8  # and it uses the width it has
    values = {c[field] for c in claims for field in ("time_iso", "window_duration", "published")} - {None}
    assert {"PT72H", "PT24H", "2026-02-04/2026-02-05", "2026-02-02"} <= values
    for value in values:
        # a range may break after its "/" on a narrow terminal, never inside a date or a window
        for whole in value.split("/") if columns < 100 else [value]:
            assert any(whole in line for line in lines), f"{whole} is not whole on any line at {columns} columns"
    for column in ("published", "site", "kind", "subject_id", "predicate", "time_iso"):
        assert column in lines[0]
    footer = out[out.rindex("\n(") :]
    if columns == 200:
        assert "version" in lines[0] and "not shown" not in footer
    else:
        assert "not shown: " in footer and "--wide" in footer
    # every evidence sentence is printed whole (wrapped), under its claim
    text = re.sub(r"\s+", "", out)
    for claim in claims:
        assert re.sub(r"\s+", "", claim["evidence_text"]) in text


def test_claims_wide_is_one_line_per_claim(snapshot: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    n = len(claims_json(snapshot, capsys))
    code, out, _ = run(capsys, "claims", "--wide", "--db", str(snapshot))
    assert code == 0
    header, dashes, *rows, footer = out.rstrip("\n").split("\n")
    assert header.split() == CLAIM_COLUMNS
    assert len(rows) == n and footer == f"({n} rows)"


def test_claims_have_version_date_and_site_and_filter(snapshot: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claims = claims_json(snapshot, capsys)
    assert {(c["site"], c["version"], c["published"]) for c in claims} == {
        ("Example News", 1, "2026-02-02"),
        ("Example News 日本語版", 1, "2026-02-03"),
    }
    assert [c["published"] for c in claims] == sorted((c["published"] for c in claims), reverse=True)
    by_site = claims_json(snapshot, capsys, "--site", "Example News")
    assert by_site and {c["lang"] for c in by_site} == {"en"}
    assert {c["lang"] for c in claims_json(snapshot, capsys, "--since", "2026-02-03")} == {"ja"}
    assert {c["lang"] for c in claims_json(snapshot, capsys, "--until", "2026-02-02")} == {"en"}
    assert claims_json(snapshot, capsys, "--since", "2026-02-04") == []
    us = claims_json(snapshot, capsys, "--subject", "country:US")
    assert {"force:US", "country:US"} <= {c["subject_id"] for c in us}  # US forces belong to the US
    with duckdb.connect(str(snapshot), read_only=True) as con:
        parents = dict(con.execute("SELECT entity_id, parent_id FROM entities").fetchall())
    assert all("country:US" in (c["subject_id"], parents.get(c["subject_id"])) for c in us)  # or its officials
    by_name = claims_json(snapshot, capsys, "--subject", "United States")
    assert by_name and {c["subject_id"] for c in by_name} == {"country:US"}  # the entity's English name
    assert len(claims_json(snapshot, capsys, "--limit", "3")) == 3
    assert [c["claim_id"] for c in claims_json(snapshot, capsys, "--limit", "3")] == [c["claim_id"] for c in claims[:3]]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_claims_in_every_format(fmt: str, snapshot: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / f"claims.{fmt}"
    code, out, err = run(capsys, "claims", "--kind", "tier", "--output", str(path), "--db", str(snapshot))
    assert (code, err) == (0, "")
    assert out == f"wrote {path}: 6 rows ({fmt})\n"
    if fmt == "parquet":
        table = pq.read_table(path)
        assert table.schema.field("published").type == pa.date32()
        assert sorted(table.column("window_duration").to_pylist(), key=str).count("PT72H") == 2
        assert table.column("claim_value").type == pa.string()  # JSON: its text, as DuckDB writes JSON to Parquet
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))) == 6
    else:
        assert len(path.read_text(encoding="utf-8").splitlines()) == 6


# -- the Python API (issue 15) -------------------------------------------------------------------------------


def test_python_api_opens_the_store_read_only(snapshot: Path) -> None:
    import extract

    with extract.open(snapshot) as db:
        try:
            import pandas  # noqa: F401 - .df() needs it (installed with the ray extra; not a dependency)
        except ImportError:
            pass
        else:
            pledges = db.sql("FROM pledges").df()
            assert len(pledges) > 0 and "window_interval" in pledges.columns
        table = db.sql("SELECT kind, count(*) AS n FROM claims GROUP BY kind ORDER BY kind").to_arrow_table()
        assert table.column("kind").to_pylist() == ["event", "pledge", "position", "quantity", "tier"]
        n_claims = sum(table.column("n").to_pylist())
        assert db.sql("FROM claim_history").arrow().read_all().num_rows == n_claims  # DuckDB 2: a batch reader
        with pytest.raises(duckdb.Error, match="read-only"):
            db.sql("DELETE FROM claims")
        with pytest.raises(duckdb.Error):
            db.sql(f"SELECT * FROM read_csv('{snapshot.parent}/x.csv')")
    from extract.store.db import StoreError

    with pytest.raises(StoreError, match="no such database"):
        extract.open(snapshot.parent / "missing.duckdb")


# -- the README's examples (issue 15) ------------------------------------------------------------------------


def readme_examples() -> list[list[str]]:
    """Every ``.venv/bin/extract sql|claims|diff|schema …`` command in the README's ``sh`` blocks, as argv
    (a quoted query may span lines; ``# …`` comments are dropped)."""
    import shlex

    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)
    commands: list[list[str]] = []
    for block in blocks:
        pending = ""
        for line in block.splitlines():
            pending = f"{pending}\n{line}" if pending else line
            try:
                words = shlex.split(pending, comments=True)
            except ValueError:  # an open quote: the query goes on on the next line
                continue
            pending = ""
            parts: list[list[str]] = [[]]
            for word in words:  # `a && b`: each command on its own
                if word == "&&":
                    parts.append([])
                else:
                    parts[-1].append(word)
            for part in parts:
                if part[:1] == [".venv/bin/extract"] and part[1:2] and part[1] in ("sql", "claims", "diff", "schema"):
                    commands.append(part[1:])
    return commands


UPDATED_SAMPLE = ROOT / "corpus" / "samples-update" / "en-security-guarantees.html"
EN_URL = "https://example-news.test/world/ukraine-security-guarantees-72-hours"


@pytest.fixture(scope="module")
def updated(snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample after ``pipelines/sample-update.toml``: the English report's second version."""
    db = tmp_path_factory.mktemp("updated") / "sample.duckdb"
    shutil.copyfile(snapshot, db)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["ingest", str(UPDATED_SAMPLE), "--db", str(db)]) == 0
    return db


def test_the_sample_update_is_a_second_version_whose_window_changed(updated: Path, capsys) -> None:
    pipeline = (ROOT / "pipelines" / "sample-update.toml").read_text(encoding="utf-8")
    assert 'folder = "../corpus/samples-update"' in pipeline and 'db = "../sample.duckdb"' in pipeline
    query = "SELECT version_no, change, old_value, new_value FROM claim_changes WHERE claim_key = 'tier|3|respond'"
    code, out, err = run(capsys, "sql", query, "--format", "json", "--db", str(updated))
    assert code == 0, err
    (change,) = json.loads(out)
    assert (change["version_no"], change["change"]) == (2, "changed")
    code, out, err = run(capsys, "diff", f"{EN_URL}@1", EN_URL, "--wide", "--exit-code", "--db", str(updated))
    assert code == 1 and re.search(r"tier 3 respond +window PT72H → PT48H", out)


def test_the_readme_examples_run_on_the_bundled_sample(
    updated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = readme_examples()
    assert sum(e[0] == "sql" for e in examples) >= 10 and sum(e[0] == "diff" for e in examples) >= 3
    assert any(e[0] == "claims" for e in examples)
    monkeypatch.chdir(tmp_path)  # --output files land here
    for argv in examples:
        assert "--db" in argv and argv[argv.index("--db") + 1] == "sample.duckdb", argv
        argv = [str(updated) if a == "sample.duckdb" else a for a in argv]
        code, out, err = run(capsys, *argv)
        assert code in (0, 1) if "--exit-code" in argv else code == 0, f"{argv}: {err}"
        assert err == "", f"{argv}: {err}"
        assert out.strip(), argv


def test_the_readme_python_example_runs(snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas", reason="the example's .df() needs pandas")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = [b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "extract.open(" in b]
    shutil.copyfile(snapshot, tmp_path / "sample.duckdb")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(example, "README.md", "exec"), names)  # the README's own example, as a reader would paste it
    assert len(names["pledges"]) > 0 and names["tiers"].num_rows > 0 and names["as_of"]


# -- the schema for SQL users (issue 15) ---------------------------------------------------------------------


def test_schema_prints_what_every_column_means(snapshot: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run(capsys, "schema", "--db", str(snapshot))
    assert code == 0, err
    assert "claim_history" in out and "Every claim with its key, value" in out and "corpus_as_of" in out
    code, out, err = run(capsys, "schema", "claims", "--format", "json", "--db", str(snapshot))
    columns = {c["column"]: c for c in json.loads(out)}
    assert columns["claim_value"]["type"] == "JSON" and "JSON" in columns["claim_value"]["comment"]
    assert all(c["comment"] for c in columns.values())
    code, out, err = run(capsys, "schema", "versions", "--db", str(snapshot))
    assert "fetched_at" in out and "(UTC)" in out
    assert max(len(display_cells(line)) for line in out.splitlines()) <= 100
    code, out, err = run(capsys, "schema", "nowhere", "--db", str(snapshot))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "no table or view named 'nowhere'" in err


def test_json_values_are_json_not_strings_of_it(snapshot: Path, tmp_path: Path, capsys) -> None:
    query = "SELECT claim_value, window_interval, window_duration FROM current_claims WHERE kind = 'tier' AND tier = 3"
    code, out, err = run(capsys, "sql", query, "--format", "json", "--db", str(snapshot))
    assert code == 0, err
    rows = json.loads(out)
    assert {(r["window_interval"], r["window_duration"]) for r in rows} == {("PT72H", "PT72H")}
    assert all(isinstance(r["claim_value"], dict) and r["claim_value"]["window"] == "PT72H" for r in rows)
    # and interval arithmetic works on the window
    query = "SELECT DISTINCT window_interval > INTERVAL 2 DAY AS long FROM tiers WHERE tier = 3"
    code, out, _ = run(capsys, "sql", query, "--format", "csv", "--db", str(snapshot))
    assert out.split() == ["long", "true"]
    parquet = tmp_path / "tiers.parquet"
    query = "SELECT tier, window_interval FROM tiers ORDER BY tier"
    assert run(capsys, "sql", query, "--output", str(parquet), "--db", str(snapshot))[0] == 0
    assert pq.read_table(parquet).column("window_interval").to_pylist()[-1] == "PT72H"  # Parquet has no INTERVAL writer


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_diff_and_disagreements_as_records(fmt: str, snapshot: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / f"diff.{fmt}"
    code, out, err = run(capsys, "diff", "2026-02-02", "2026-02-03", "--output", str(path), "--db", str(snapshot))
    assert (code, err) == (0, "")
    if fmt == "parquet":
        records = pq.read_table(path).to_pylist()
    elif fmt == "csv":
        records = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    else:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert out == f"wrote {path}: {len(records)} rows ({fmt})\n" and records
    assert {r["change"] for r in records} == {"added"} and {r["new_lang"] for r in records} == {"ja"}
    tier3 = next(r for r in records if r["claim_key"] == "tier|3|respond")
    value = tier3["new_value"] if fmt == "jsonl" else json.loads(tier3["new_value"])
    assert value["window"] == "PT72H"
    code, out, err = run(
        capsys, "disagreements", "--format", fmt, "--output", str(tmp_path / f"d.{fmt}"), "--db", str(snapshot)
    )
    assert (code, err) == (0, "")  # none in the sample; the file has the columns all the same
    if fmt == "csv":
        assert (tmp_path / "d.csv").read_text(encoding="utf-8").startswith("claim_key,claim,family,fields,reading")


def test_ctrl_c_inside_a_finaliser_is_raised_again_outside_it() -> None:
    import gc

    from extract import cli

    with pytest.raises(KeyboardInterrupt):
        cli._interrupt(signal.SIGINT, sys._getframe())  # anywhere else: at once, as Python's own handler
    received = []
    previous = signal.signal(signal.SIGINT, lambda *_: received.append(True))
    try:

        class Finalised:
            def __del__(self) -> None:
                cli._interrupt(signal.SIGINT, sys._getframe())  # raised here, it would be printed and dropped

        Finalised()
        gc.collect()
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert received == [True]
