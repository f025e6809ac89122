"""Command line: a thin layer over ``pipeline`` and ``store``.

    extract ingest TARGET... [--published YYYY-MM-DD]   URLs, HTML/text files or folders
    extract claims [--kind K] [--lang L] [--doc D] [--format table|json]
    extract sql "SELECT ..." [--format table|csv|json]
    extract diff A B [--kind K] [--format table|json|markdown|html] [--output FILE]
    extract run PIPELINE.toml                             the nightly job: feeds, sitemaps, URL lists, folders
    extract eval [--stage S] [--check] [--update-baseline]  P/R/F1 per stage against gold data

Every command takes ``--db PATH`` (default: $EXTRACT_DB or ./extract.duckdb).
Exit codes: 0 ok, 1 some sources failed, 2 all failed or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from extract import EXTRACTOR_VERSION
from extract.diff import TargetError, diff
from extract.diffreport import DIFF_FORMATS, render_diff
from extract.evaluation.harness import SHARED, STAGES
from extract.model import CLAIM_KINDS
from extract.pipeline import SourceResult, ingest
from extract.render import FORMATS, render
from extract.store import DEFAULT_DB, Store

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

    p = with_db(sub.add_parser("sql", help="run a SQL query against the store"))
    p.add_argument("query")
    p.add_argument("--format", choices=FORMATS, default="table")

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
    try:
        with Store.open(args.db) as store:
            return COMMANDS[args.command](store, args)
    except duckdb.Error as exc:
        print(f"extract: database error: {exc}", file=sys.stderr)
        return 2


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
    try:
        columns, rows = store.query(args.query)
    except duckdb.Error as exc:
        print(f"extract: query failed: {exc}", file=sys.stderr)
        return 2
    out = render(columns, rows, args.format)
    print(out, end="" if out.endswith("\n") else "\n")  # CSV already ends its last record
    return 0


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


COMMANDS = {"ingest": cmd_ingest, "claims": cmd_claims, "sql": cmd_sql, "diff": cmd_diff}

if __name__ == "__main__":
    sys.exit(main())
