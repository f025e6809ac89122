"""Command line: a thin layer over ``pipeline`` and ``store``.

    extract ingest TARGET... [--published YYYY-MM-DD]   URLs, HTML/text files or folders
    extract claims [--kind K] [--lang L] [--doc D] [--subject S] [--site S] [--since D] [--until D] [--limit N]
    extract sql "SELECT ..." [--format table|csv|json|jsonl|parquet] [--output FILE] [--wide]
    extract diff A B [--kind K] [--format table|json|markdown|html|csv|jsonl|parquet] [--output FILE] [--exit-code]
    extract disagreements [--kind K] [--since DATE] [--format table|json|markdown|html|csv|jsonl|parquet]
    extract schema [NAME]                                 tables, views and columns, with their comments
    extract migrate                                       apply pending schema migrations to the store
    extract run PIPELINE.toml                             the nightly job: feeds, sitemaps, URL lists, folders
    extract eval [--stage S] [--check] [--update-baseline]  P/R/F1 per stage against gold data
    extract export --format plover-json TARGETS…  PLOVER event records of files or URLs

Every store command takes ``--db PATH`` (default: $EXTRACT_DB or ./extract.duckdb). Only ``ingest``, ``run``
and ``migrate`` write; every other command opens an existing store read-only, without file or network
access (``Store.open_readonly``), so analysts' SQL cannot change it or reach the machine's files.
Exit codes: 0 ok, 1 some sources failed (``diff --exit-code``: there are changes), 2 all failed, bad usage, or a
refused or failed query, 130 interrupted (Ctrl-C), 141 standard output closed (``| head``), quietly.

Start-up stays near DuckDB's own: the NLP (spaCy, and torch with it) is imported only by the commands that run
it (``ingest``, ``run``, ``eval``), inside them; tests check that ``--version`` and ``sql`` import none of it.
Rows are printed by ``render`` from the Arrow result of ``Store.run`` / ``Store.claim_rows`` / ``Store.schema``
(every --format, tables fitted to the terminal); the queries themselves live in ``store``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from extract.claims import keys
from extract.compare.diffreport import DIFF_FORMATS
from extract.compare.disagreements import FORMATS as DISAGREEMENT_FORMATS
from extract.compare.render import FILE_FORMATS, SUFFIX_FORMATS, Rows, parquet_ready, render, render_rows
from extract.errors import StoreError
from extract.evaluation.harness import SHARED, STAGES
from extract.model import CLAIM_KINDS, SourceResult
from extract.store.db import DEFAULT_DB, Store
from extract.store.reads import CLAIM_VIEW_COLUMNS, ClaimFilter, QueryResult
from extract.version import EXTRACTOR_VERSION

if TYPE_CHECKING:
    from extract.run.executors import Limits
    from extract.run.runner import Executor

# ``extract claims`` as a table: the columns shown, which to hide first when the terminal is narrow, and the
# evidence printed under each claim; the files (csv, json, jsonl, parquet) have every column.
CLAIM_COLUMNS = list(CLAIM_VIEW_COLUMNS)
CLAIM_HIDE_FIRST = ("lang", "location_id", "quantity_text", "object_text", "window_anchor", "modality", "polarity")
CLAIM_HIDE_FIRST += ("tier", "version")
CLAIM_DETAILS = ("evidence_text",)
ROW_FORMATS = ("csv", "jsonl", "parquet")  # diff and disagreements as flat records, like sql and claims
REPORT_SUFFIXES = {**SUFFIX_FORMATS, ".md": "markdown", ".html": "html", ".htm": "html"}
SIGPIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for ``yes | head``


class Parser(argparse.ArgumentParser):
    """Usage errors are one line (``extract claims: argument --since: not an ISO date …``), exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="extract", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=EXTRACTOR_VERSION)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", default=default_db(), help="DuckDB file (default: %(default)s)")
        return p

    p = with_db(sub.add_parser("ingest", help="ingest URLs, files or folders"))
    p.add_argument("targets", nargs="+", help="URL, .html/.txt file, or folder")
    p.add_argument("--published", type=_date, help="publication date to anchor relative dates (YYYY-MM-DD)")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")
    p.add_argument("--processes", type=int, help="NLP worker processes (default: one per core, $EXTRACT_PROCESSES)")
    p.add_argument("--engine", choices=("local", "ray"), default="local", help="where the NLP runs (default: local)")
    p.add_argument("--ray-address", help="with --engine ray: the Ray cluster (default: start a local one)")
    p.add_argument("--out", help="with --engine ray: the Parquet folder (default: DB.ray next to the database)")

    def with_output(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--format",
            choices=FILE_FORMATS,
            help="output format (default: table; with --output, from the file suffix; parquet needs --output)",
        )
        p.add_argument("--output", help="write the result to this file (.csv, .json, .jsonl or .parquet)")
        p.add_argument("--wide", action="store_true", help="tables: every cell whole, one line per row")
        return p

    p = with_output(
        with_db(
            sub.add_parser(
                "claims",
                help="list extracted claims (latest version of each document)",
                description="Claims with their document's publication date, site and version, newest first. "
                "A table fits the terminal (the evidence under each claim; columns that do not fit are named "
                "under it); --format csv/json/jsonl/parquet give every column.",
            )
        )
    )
    p.add_argument("--kind", choices=CLAIM_KINDS)
    p.add_argument("--lang")
    p.add_argument("--doc", help="doc_id, document key (URL or file:PATH) or source as ingested")
    p.add_argument("--subject", help="entity id (country:US; also inside joint actors and as parent) or name")
    p.add_argument("--site", help="the site as stored (documents.site)")
    p.add_argument("--since", type=_date, help="published on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", type=_date, help="published on or before this date (YYYY-MM-DD)")
    p.add_argument("--limit", type=_count, help="at most N claims")
    p.add_argument("--all-versions", action="store_true", help="claims of every version, not only the latest")

    p = with_db(
        sub.add_parser(
            "sql",
            help="run a read-only SQL query against the store",
            description="The store is opened read-only, without access to files, other databases or the "
            "network: statements that write, read files (read_csv, read_parquet, COPY), ATTACH, INSTALL, LOAD "
            "or change the configuration are refused. Use --output to save the result as a file.",
        )
    )
    p.add_argument("query")
    with_output(p)

    p = with_output(
        with_db(
            sub.add_parser(
                "schema",
                help="the store's tables, views and columns, with what each one means",
                description="Without NAME: every table, view and macro with its comment. With NAME: its "
                "columns, their DuckDB types and comments (also in DuckDB's duckdb_columns()).",
            )
        )
    )
    p.add_argument("name", nargs="?", help="a table or view (claims, pledges, claim_history, …)")

    p = with_db(
        sub.add_parser(
            "diff",
            help="what changed between two documents, versions, sources or dates",
            description="Targets: DOC (URL, file, doc_key, doc_id; latest version), DOC@N (version N, "
            "-1 = latest), version:ID, site:HOST, or a date YYYY-MM-DD (what the corpus said then).",
        )
    )
    p.add_argument("a", help="the old side")
    p.add_argument("b", help="the new side")
    p.add_argument("--kind", choices=CLAIM_KINDS, help="only this claim family")
    p.add_argument(
        "--format",
        choices=(*DIFF_FORMATS, *ROW_FORMATS),
        help="default: table; with --output, from the file suffix (csv, jsonl, parquet: one record per change)",
    )
    p.add_argument("--output", help="write to this file instead of standard output")
    p.add_argument("--wide", action="store_true", help="table: one line per change, evidence in columns")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are changes, 0 when none (as git)")

    p = with_db(
        sub.add_parser(
            "disagreements",
            help="keys whose current values differ between sources, with every reading",
            description="Every claim key whose sources now say different things, with each reading, the "
            "sources and languages stating it, how many independent sources those are (copies of one wire "
            "story count once) and the evidence.",
        )
    )
    p.add_argument("--kind", choices=CLAIM_KINDS, help="only this claim family")
    p.add_argument("--since", type=_date, help="only keys with a reading stated on or after this date")
    p.add_argument(
        "--format",
        choices=(*DISAGREEMENT_FORMATS, *ROW_FORMATS),
        help="default: table; with --output, from the file suffix (csv, jsonl, parquet: one record per reading)",
    )
    p.add_argument("--output", help="write to this file instead of standard output")
    p.add_argument("--wide", action="store_true", help="table: one line per reading, evidence in a column")

    with_db(sub.add_parser("migrate", help="apply pending schema migrations to an existing store"))

    p = sub.add_parser("eval", help="score each stage against gold data; hold scores to the baseline floors")
    p.add_argument("--stage", action="append", choices=STAGES, help="stage to run (repeatable; default all)")
    p.add_argument("--shared", default=str(SHARED), help="folder with the evaluation data (default: %(default)s)")
    p.add_argument("--limit", type=int, help="cap documents/sentences per dataset (quick runs)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--check", action="store_true", help="exit 1 when a score is below its floor")
    p.add_argument("--update-baseline", action="store_true", help="record scores; raise (never lower) floors")
    p.add_argument("--note", help="note for the baseline history")
    p.add_argument("--lower", metavar="KEY=F1", help="lower one floor on purpose (needs --reason)")
    p.add_argument("--reason", default="", help="why a floor is lowered")

    p = sub.add_parser("export", help="export events of files, folders or URLs in a standard format (PLOVER JSON)")
    p.add_argument("targets", nargs="*", help="URL, .html/.txt file, or folder (none: every claim of --db)")
    p.add_argument("--db", help="export the claims stored in this DuckDB file instead of reading targets")
    p.add_argument("--format", choices=("plover-json",), default="plover-json", help="one JSON record a line")
    p.add_argument("--output", help="write to this file instead of standard output")
    p.add_argument("--published", type=_date, help="publication date to anchor relative dates (YYYY-MM-DD)")

    p = sub.add_parser("run", help="run a pipeline file (the nightly job)")
    p.add_argument("pipeline", help="pipeline TOML file, e.g. pipelines/nightly.toml")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument("--processes", type=int, help="NLP worker processes (default: one per core, $EXTRACT_PROCESSES)")
    p.add_argument("--engine", choices=("local", "ray"), default="local", help="where the NLP runs (default: local)")
    p.add_argument("--ray-address", help="with --engine ray: the Ray cluster (default: start a local one)")
    return parser


# Configuration is read here, at the edge, and passed in: nothing deeper reads the environment.


def default_db() -> str:
    """``$EXTRACT_DB``, else ./extract.duckdb."""
    return os.environ.get("EXTRACT_DB") or DEFAULT_DB


def processes(args: argparse.Namespace) -> int | None:
    """``--processes``, else ``$EXTRACT_PROCESSES``, else None (one per core)."""
    if args.processes is not None:
        return args.processes
    configured = os.environ.get("EXTRACT_PROCESSES")
    return max(1, int(configured)) if configured else None


def executor(args: argparse.Namespace, limits: Limits | None = None) -> Executor:
    """Where the NLP of ``ingest`` and ``run`` runs: worker processes, this process, or Ray actors."""
    from extract.run.executors import DEFAULT_LIMITS, local_executor

    limits = limits or DEFAULT_LIMITS
    if args.engine == "ray":
        from extract.run.ray import RayActors

        return RayActors(processes(args), limits, args.ray_address)
    return local_executor(processes(args), limits)


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"not a count (0, 1, 2, …): {value!r}")
    return int(value)


def _interrupt(signum: int, frame) -> None:
    """Ctrl-C as Python's own handler, except inside an import or a finaliser: there the KeyboardInterrupt
    can land in a clean-up callback and be printed and dropped ("Exception ignored in _get_module_lock", "in
    __del__"), and the command would run on; it is raised again 50 ms later, out of them."""
    f = frame
    while f is not None:
        if f.f_code.co_filename.startswith("<frozen importlib") or f.f_code.co_name == "__del__":
            threading.Timer(0.05, signal.raise_signal, (signal.SIGINT,)).start()
            return
        f = f.f_back
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run one command; Ctrl-C and a closed standard output end it with one line (or none), no traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)
    try:
        return _main(argv)
    except (KeyboardInterrupt, duckdb.InterruptException):
        print("extract: interrupted", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        if "Query interrupted" not in str(exc):  # how DuckDB reports Ctrl-C it noticed inside ``execute``
            raise
        print("extract: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (``| head``) has all it wants. Point stdout at /dev/null so the interpreter's last
        # flush at exit does not fail again and print "Exception ignored".
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return SIGPIPE_EXIT


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return cmd_run(args)
    if args.command == "eval":
        return cmd_eval(args)
    if args.command == "migrate":
        return cmd_migrate(args)
    if args.command == "export":
        return cmd_export(args)
    command = COMMANDS[args.command]
    try:
        opened = Store.open(args.db) if command.writes else Store.open_readonly(args.db)
        with opened as store:
            if command.writes:
                return command.run(store, args)
            return interruptible(lambda: command.run(store, args))
    except StoreError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        locked = not command.writes and "Could not set lock" in str(exc)
        hint = " (a writer holds it: read the nightly snapshot)" if locked else ""
        print(f"extract: database error: {_first_line(exc)}{hint}", file=sys.stderr)
        return 2


def interruptible(work: Callable[[], int]) -> int:
    """Run a read-only command in a thread, so that Ctrl-C reaches this one even inside a long query: DuckDB
    looks at Python's signals only now and then, and its ``interrupt()`` refuses a busy connection. Nothing
    is written by a reader, so on Ctrl-C the process ends at once (``os._exit``), without waiting for DuckDB."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread below
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="extract-read", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        print("extract: interrupted", file=sys.stderr, flush=True)
        os._exit(130)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _first_line(exc: BaseException) -> str:
    """The first line of an error message: DuckDB adds the query text, a caret and hints on further lines."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _refusal(exc: duckdb.Error) -> bool:
    """True when DuckDB refused the statement because of the read-only settings (not a mistake in it)."""
    message = str(exc)
    return isinstance(exc, duckdb.PermissionException) or any(
        marker in message for marker in ("read-only mode", "configuration has been locked")
    )


def cmd_ingest(store: Store, args: argparse.Namespace) -> int:
    from extract.run.ingest import ingest  # the NLP: only the commands that run it import it

    def report(result: SourceResult) -> None:
        if args.quiet:
            return
        if result.status == "error":
            print(f"error      {result.error}", file=sys.stderr)
        else:
            print(f"{result.status:<10} {result.lang or '':<3} {result.n_claims:>4} claims  {result.source}")

    if args.engine == "ray":
        return cmd_ingest_ray(store, args, report)
    summary = ingest(
        store,
        args.targets,
        published=args.published,
        command=" ".join(sys.argv),
        progress=report,
        executor=executor(args),
    )
    print(
        f"run {summary.run_id}: {summary.count('new')} new, {summary.count('unchanged')} unchanged, "
        f"{summary.count('error')} failed ({summary.status})"
    )
    return summary.exit_code


def cmd_ingest_ray(store: Store, args: argparse.Namespace, report: Callable[[SourceResult], None]) -> int:
    """``ingest --engine ray``: extract on Ray into Parquet (``sinks.ParquetSink``), then import it into the
    store."""
    from extract.nlp.gazetteer import load_gazetteer
    from extract.run.ray import ingest_ray

    out = Path(args.out or f"{args.db}.ray")
    result = ingest_ray(
        args.targets,
        out,
        published=args.published,
        address=args.ray_address,
        num_cpus=processes(args),
        known_versions=store.version_ids(),
        command=" ".join(sys.argv),
        progress=report,
    )
    store.upsert_entities(load_gazetteer().rows())
    imported = store.import_parquet(out)
    print(
        f"run {result.run_id}: {result.documents} new, {result.unchanged} unchanged, {result.errors} failed "
        f"({result.status}); {imported} versions imported from {out}"
    )
    return result.exit_code


def cmd_claims(store: Store, args: argparse.Namespace) -> int:
    where = ClaimFilter(
        kind=args.kind,
        lang=args.lang,
        doc=args.doc,
        subject=args.subject,
        site=args.site,
        since=args.since,
        until=args.until,
        limit=args.limit,
        all_versions=args.all_versions,
    )
    try:
        result = store.claim_rows(where)
    except duckdb.Error as exc:
        print(f"extract: database error: {_first_line(exc)}", file=sys.stderr)
        return 2
    return emit(args, result, hide=CLAIM_HIDE_FIRST, details=CLAIM_DETAILS, shown=CLAIM_COLUMNS)


def cmd_sql(store: Store, args: argparse.Namespace) -> int:
    try:
        result = store.run(args.query)
    except duckdb.Error as exc:
        reason = "query refused (read-only, no file or network access)" if _refusal(exc) else "query failed"
        print(f"extract: {reason}: {_first_line(exc)}", file=sys.stderr)
        return 2
    return emit(args, result)


def cmd_schema(store: Store, args: argparse.Namespace) -> int:
    return emit(args, store.schema(args.name), details=("comment",))


def terminal_width() -> int:
    """The terminal's width ($COLUMNS first; 80 when standard output is no terminal)."""
    return shutil.get_terminal_size().columns


def emit(
    args: argparse.Namespace,
    result: QueryResult,
    *,
    hide: Sequence[str] = (),
    details: Sequence[str] = (),
    shown: Sequence[str] | None = None,
) -> int:
    """Print or write a query's result as ``--format`` (or the ``--output`` suffix) says. A table prints
    ``shown`` columns (default all) fitted to the terminal unless ``--wide``; files get every column."""
    fmt = _sql_format(args)
    if fmt is None:
        return 2
    if args.output and _is_store_file(Path(args.output), Path(args.db)):
        print(f"extract: --output {args.output} is the database itself", file=sys.stderr)
        return 2
    if fmt == "parquet":
        out: object = parquet_ready(result.table)
    else:
        table = result.table.select(list(shown)) if fmt == "table" and shown else result.table
        types = [result.types[result.columns.index(c)] for c in table.column_names]
        width = None if args.wide or args.output else terminal_width()
        out = render_rows(Rows.from_arrow(table, types), fmt, width=width, hide=hide, details=details)
    if not args.output:
        print(out, end="" if str(out).endswith("\n") else "\n")  # CSV already ends its last record
        return 0
    try:
        _write_output(Path(args.output), out)
    except OSError as exc:
        print(f"extract: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    n_rows = result.num_rows
    print(f"wrote {args.output}: {n_rows} row{'s' if n_rows != 1 else ''} ({fmt})")
    return 0


def _report_format(args: argparse.Namespace) -> str:
    """``diff`` and ``disagreements``: ``--format``, else the suffix of ``--output``, else a table."""
    if args.format:
        return args.format
    return REPORT_SUFFIXES.get(Path(args.output).suffix.lower(), "table") if args.output else "table"


def records_result(rows: list[dict], columns: Sequence[str], json_columns: Sequence[str] = ()) -> QueryResult:
    """Flat records (a diff's changes, the readings of disagreements) as a result to print like a query's."""
    import pyarrow as pa

    table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):  # no record states it: text, so readers see a string column
            table = table.set_column(i, pa.field(field.name, pa.string()), table.column(i).cast(pa.string()))
    names = table.column_names
    return QueryResult(names, ["JSON" if c in json_columns else "" for c in names], table)


def _sql_format(args: argparse.Namespace) -> str | None:
    """The output format of ``extract sql``: ``--format``, else the suffix of ``--output``, else a table."""
    if args.format:
        if args.format == "parquet" and not args.output:
            print("extract: --format parquet needs --output FILE", file=sys.stderr)
            return None
        return args.format
    if not args.output:
        return "table"
    fmt = SUFFIX_FORMATS.get(Path(args.output).suffix.lower())
    if fmt is None:
        choices = ", ".join(sorted(SUFFIX_FORMATS))
        print(f"extract: {args.output}: unknown file type; use one of {choices} or --format", file=sys.stderr)
    return fmt


def _is_store_file(output: Path, db: Path) -> bool:
    """True when ``output`` would overwrite the database (or its write-ahead log)."""
    target = output.resolve()
    return target in (db.resolve(), db.resolve().with_name(db.name + ".wal"))


def _write_output(path: Path, result: object) -> None:
    """Write ``result`` (text, or a pyarrow Table as Parquet) to ``path`` atomically: all of it or nothing."""
    partial = path.with_name(path.name + ".partial")
    try:
        if isinstance(result, str):
            partial.write_text(result, encoding="utf-8")
        else:
            import pyarrow.parquet as pq

            pq.write_table(result, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def cmd_diff(store: Store, args: argparse.Namespace) -> int:
    from extract.compare.diff import RECORD_FIELDS, TargetError, diff
    from extract.compare.diffreport import render_diff

    try:
        result = diff(store, args.a, args.b, kind=args.kind)
    except TargetError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return 2
    args.format = _report_format(args)
    if args.format in ROW_FORMATS:
        code = emit(args, records_result(result.records(), RECORD_FIELDS, json_columns=("old_value", "new_value")))
        return 1 if code == 0 and args.exit_code and result.changes else code
    width = None if args.wide or args.output else terminal_width()
    out = render_diff(result, args.format, width)
    if args.output:
        try:
            _write_output(Path(args.output), out)
        except OSError as exc:
            print(f"extract: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(
            f"wrote {args.output}: {result.count('changed')} changed, {result.count('added')} added, "
            f"{result.count('removed')} removed"
        )
    else:
        print(out, end="" if out.endswith("\n") else "\n")
    return 1 if args.exit_code and result.changes else 0


def cmd_disagreements(store: Store, args: argparse.Namespace) -> int:
    from extract.compare.disagreements import RECORD_FIELDS, disagreements, records
    from extract.compare.disagreements import render as render_disagreements

    found = disagreements(store, kind=args.kind, since=args.since)
    args.format = _report_format(args)
    if args.format in ROW_FORMATS:
        return emit(args, records_result(records(found), RECORD_FIELDS, json_columns=("value",)))
    width = None if args.wide or args.output else terminal_width()
    out = render_disagreements(found, args.format, width)
    if args.output:
        try:
            _write_output(Path(args.output), out)
        except OSError as exc:
            print(f"extract: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"wrote {args.output}: {len(found)} disagreement{'s' if len(found) != 1 else ''}")
    else:
        print(out, end="" if out.endswith("\n") else "\n")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply the pending migrations to an existing store (``ingest`` and ``run`` create and migrate stores)."""
    try:
        with Store.open(args.db, create=False, migrate=False) as store:
            pending = store.pending_migrations()
            stale = store.stale_keys()
            store.migrate()
            rekeyed = store.rekeyed
    except StoreError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"extract: database error: {_first_line(exc)}", file=sys.stderr)
        return 2
    if not pending and not stale:
        print(f"{args.db}: up to date")
    for migration in pending:
        print(f"{args.db}: applied migration {migration.version} ({migration.name})")
    if rekeyed:
        print(f"{args.db}: re-keyed {rekeyed} claims with key version {keys.KEY_VERSION}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from extract.claims.plover import export_store
    from extract.errors import ExtractError
    from extract.run.ingest import plover_records

    if bool(args.targets) == bool(args.db):
        print("extract: export needs either targets or --db", file=sys.stderr)
        return 2
    try:
        if args.db:
            with Store.open_readonly(args.db) as store:
                found = list(export_store(store))
        else:
            found = list(plover_records(args.targets, args.published))
    except (ExtractError, StoreError, duckdb.Error) as exc:
        print(f"extract: {_first_line(exc)}", file=sys.stderr)
        return 2
    lines = [json.dumps(r, ensure_ascii=False, default=str) for r in found]
    text = "".join(line + "\n" for line in lines)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from extract.evaluation import harness

    baseline = harness.load_baseline()
    if args.lower:
        key, _, value = args.lower.partition("=")
        try:
            harness.save_baseline(harness.lower(baseline, key, float(value), args.reason))
        except ValueError as exc:
            print(f"extract: {exc}", file=sys.stderr)
            return 2
        print(f"lowered floor {key} to {value}: {args.reason}")
        return 0
    if args.limit and args.update_baseline:
        print("extract: --update-baseline needs a full run (no --limit)", file=sys.stderr)
        return 2
    scores = harness.run(args.stage or harness.STAGES, Path(args.shared), args.limit, log=_stderr)
    if args.format == "json":
        print(json.dumps({s.key: harness.score_record(s) for s in scores}, indent=2))
    else:
        print(render(harness.TABLE_COLUMNS, harness.table_rows(scores, baseline), "table"))
    failures = harness.check(scores, baseline)
    for f in failures:
        print(f"below floor: {f.key} F1 {f.f1:.3f} < {f.floor:.3f}", file=sys.stderr)
    if args.update_baseline:
        harness.save_baseline(harness.update(baseline, scores, args.note))
        print(f"baseline updated: {harness.BASELINE}")
    return 1 if failures and (args.check or args.update_baseline) else 0


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    from extract.run.nightly import ConfigError, load_config, run_nightly, summary_text

    try:
        config = load_config(args.pipeline)
    except ConfigError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return 2

    def report(result: SourceResult) -> None:
        if not args.quiet and result.status == "error":
            print(f"error      {result.error}", file=sys.stderr)

    try:
        summary = run_nightly(config, progress=report, executor=executor(args, config.limits))
    except (duckdb.Error, StoreError) as exc:
        print(f"extract: database error: {exc}", file=sys.stderr)
        return 2
    print(summary_text(summary, item_errors=args.quiet))  # without --quiet, report() printed them already
    return summary.exit_code


@dataclass(frozen=True)
class Command:
    """A command that works on the store ``--db`` names."""

    run: Callable[[Store, argparse.Namespace], int]
    # Read-only unless it says otherwise: the store is opened with ``Store.open_readonly`` (must exist, no
    # pending migrations, no file or network access). Only commands that ingest may write.
    writes: bool = False


COMMANDS = {
    "ingest": Command(cmd_ingest, writes=True),
    "claims": Command(cmd_claims),
    "sql": Command(cmd_sql),
    "diff": Command(cmd_diff),
    "disagreements": Command(cmd_disagreements),
    "schema": Command(cmd_schema),
}

if __name__ == "__main__":
    sys.exit(main())
