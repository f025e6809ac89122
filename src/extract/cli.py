"""Command line: a thin layer over ``pipeline`` and ``store``.

    extract ingest TARGET... [--published YYYY-MM-DD]   URLs, HTML/text files or folders
    extract claims [--kind K] [--lang L] [--doc D] [--format table|json]
    extract sql "SELECT ..." [--format table|csv|json|jsonl] [--output FILE.csv|.json|.jsonl|.parquet]
    extract diff A B [--kind K] [--format table|json|markdown|html] [--output FILE]
    extract disagreements [--kind K] [--since DATE] [--format table|json|markdown|html] [--output FILE]
    extract migrate                                       apply pending schema migrations to the store
    extract run PIPELINE.toml                             the nightly job: feeds, sitemaps, URL lists, folders
    extract eval [--stage S] [--check] [--update-baseline]  P/R/F1 per stage against gold data
    extract export --format plover-json TARGETS…  PLOVER event records of files or URLs

Every store command takes ``--db PATH`` (default: $EXTRACT_DB or ./extract.duckdb). Only ``ingest``, ``run``
and ``migrate`` write; every other command opens an existing store read-only, without file or network
access (``Store.open_readonly``), so analysts' SQL cannot change it or reach the machine's files.
Exit codes: 0 ok, 1 some sources failed, 2 all failed, bad usage, or a refused or failed query.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from extract import EXTRACTOR_VERSION, keys
from extract.diff import TargetError, diff
from extract.diffreport import DIFF_FORMATS, render_diff
from extract.disagreements import FORMATS as DISAGREEMENT_FORMATS
from extract.disagreements import disagreements
from extract.disagreements import render as render_disagreements
from extract.evaluation.harness import SHARED, STAGES
from extract.model import CLAIM_KINDS
from extract.pipeline import SourceResult, ingest
from extract.render import FILE_FORMATS, SUFFIX_FORMATS, render
from extract.store import DEFAULT_DB, Store, StoreError

# The table view; ``--format json`` gives every column.
CLAIM_COLUMNS = [
    "kind",
    "tier",
    "subject_id",
    "predicate",
    "polarity",
    "modality",
    "object_text",
    "time_iso",
    "window_duration",
    "window_anchor",
    "quantity_text",
    "location_id",
    "lang",
    "evidence_text",
]


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extract", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=EXTRACTOR_VERSION)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", default=DEFAULT_DB, help="DuckDB file (default: %(default)s)")
        return p

    p = with_db(sub.add_parser("ingest", help="ingest URLs, files or folders"))
    p.add_argument("targets", nargs="+", help="URL, .html/.txt file, or folder")
    p.add_argument("--published", type=_date, help="publication date to anchor relative dates (YYYY-MM-DD)")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")
    p.add_argument("--processes", type=int, help="NLP worker processes (default: one per core, $EXTRACT_PROCESSES)")
    p.add_argument("--engine", choices=("local", "ray"), default="local", help="where the NLP runs (default: local)")
    p.add_argument("--ray-address", help="with --engine ray: the Ray cluster (default: start a local one)")
    p.add_argument("--out", help="with --engine ray: the Parquet folder (default: DB.ray next to the database)")

    p = with_db(sub.add_parser("claims", help="list extracted claims"))
    p.add_argument("--kind", choices=CLAIM_KINDS)
    p.add_argument("--lang")
    p.add_argument("--doc", help="doc_id, document key (URL or file:PATH) or source as ingested")
    p.add_argument("--format", choices=("table", "json"), default="table")

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
    p.add_argument(
        "--format",
        choices=FILE_FORMATS,
        help="output format (default: table; with --output, from the file suffix; parquet needs --output)",
    )
    p.add_argument("--output", help="write the result to this file (.csv, .json, .jsonl or .parquet)")

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
    p.add_argument("--format", choices=DIFF_FORMATS, default="table")
    p.add_argument("--output", help="write to this file instead of standard output")

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
    p.add_argument("--format", choices=DISAGREEMENT_FORMATS, default="table")
    p.add_argument("--output", help="write to this file instead of standard output")

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
    return parser


def main(argv: list[str] | None = None) -> int:
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
            return command.run(store, args)
    except StoreError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        locked = not command.writes and "Could not set lock" in str(exc)
        hint = " (a writer holds it: read the nightly snapshot)" if locked else ""
        print(f"extract: database error: {_first_line(exc)}{hint}", file=sys.stderr)
        return 2


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
        processes=args.processes,
    )
    print(
        f"run {summary.run_id}: {summary.count('new')} new, {summary.count('unchanged')} unchanged, "
        f"{summary.count('error')} failed ({summary.status})"
    )
    return summary.exit_code


def cmd_ingest_ray(store: Store, args: argparse.Namespace, report: Callable[[SourceResult], None]) -> int:
    """``ingest --engine ray``: extract on Ray into Parquet, then import it into the store."""
    from extract.engine_ray import import_into, ingest_ray, stored_versions
    from extract.pipeline import expand_targets

    sources, failures = expand_targets(args.targets)
    sources += [target for target, _ in failures]  # missing paths fail again on the workers: one errors table
    out = Path(args.out or f"{args.db}.ray")
    result = ingest_ray(
        sources,
        out,
        published=args.published,
        address=args.ray_address,
        num_cpus=args.processes,
        known_versions=stored_versions(store),
        command=" ".join(sys.argv),
    )
    for source_result in result.summary.results:
        report(source_result)
    imported = import_into(store, out)
    store.fingerprint_missing()  # syndication fingerprints of the imported versions
    print(
        f"run {result.run_id}: {result.documents} new, {result.unchanged} unchanged, {result.errors} failed "
        f"({result.status}); {imported} versions imported from {out}"
    )
    return result.exit_code


def cmd_claims(store: Store, args: argparse.Namespace) -> int:
    rows = store.claims(kind=args.kind, lang=args.lang, doc=args.doc)
    if args.format == "json":
        print(json.dumps([_jsonable(r) for r in rows], ensure_ascii=False, indent=2))
    else:
        print(render(CLAIM_COLUMNS, [[r.get(c) for c in CLAIM_COLUMNS] for r in rows], "table"))
    return 0


def _jsonable(row: dict) -> dict:
    return json.loads(render(list(row), [list(row.values())], "json"))[0]


def cmd_sql(store: Store, args: argparse.Namespace) -> int:
    fmt = _sql_format(args)
    if fmt is None:
        return 2
    if args.output and _is_store_file(Path(args.output), Path(args.db)):
        print(f"extract: --output {args.output} is the database itself", file=sys.stderr)
        return 2
    try:
        if fmt == "parquet":
            result = store.query_arrow(args.query)
            n_rows = result.num_rows
        else:
            columns, rows = store.query(args.query)
            result, n_rows = render(columns, rows, fmt), len(rows)
    except duckdb.Error as exc:
        reason = "query refused (read-only, no file or network access)" if _refusal(exc) else "query failed"
        print(f"extract: {reason}: {_first_line(exc)}", file=sys.stderr)
        return 2
    if not args.output:
        print(result, end="" if result.endswith("\n") else "\n")  # CSV already ends its last record
        return 0
    try:
        _write_output(Path(args.output), result)
    except OSError as exc:
        print(f"extract: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}: {n_rows} row{'s' if n_rows != 1 else ''} ({fmt})")
    return 0


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
    try:
        result = diff(store, args.a, args.b, kind=args.kind)
    except TargetError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return 2
    out = render_diff(result, args.format)
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
        print(
            f"wrote {args.output}: {result.count('changed')} changed, {result.count('added')} added, "
            f"{result.count('removed')} removed"
        )
    else:
        print(out, end="" if out.endswith("\n") else "\n")
    return 0


def cmd_disagreements(store: Store, args: argparse.Namespace) -> int:
    found = disagreements(store, kind=args.kind, since=args.since)
    out = render_disagreements(found, args.format)
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
    from extract.errors import ExtractError
    from extract.plover import export_sources, export_store

    if bool(args.targets) == bool(args.db):
        print("extract: export needs either targets or --db", file=sys.stderr)
        return 2
    try:
        if args.db:
            with Store.open_readonly(args.db) as store:
                found = list(export_store(store))
        else:
            found = list(export_sources(args.targets, args.published))
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
        print(json.dumps({s.key: harness._record(s) for s in scores}, indent=2))
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
    from extract.nightly import ConfigError, load_config, run_nightly, summary_text

    try:
        config = load_config(args.pipeline)
    except ConfigError as exc:
        print(f"extract: {exc}", file=sys.stderr)
        return 2

    def report(result: SourceResult) -> None:
        if not args.quiet and result.status == "error":
            print(f"error      {result.error}", file=sys.stderr)

    try:
        summary = run_nightly(config, progress=report, processes=args.processes)
    except duckdb.Error as exc:
        print(f"extract: database error: {exc}", file=sys.stderr)
        return 2
    print(summary_text(summary))
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
}

if __name__ == "__main__":
    sys.exit(main())
