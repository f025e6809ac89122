"""The nightly job against local servers that misbehave: incremental, polite, crash-safe, with a snapshot."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
import reports
from faultserver import FaultServer

from extract.cli import main
from extract.run.nightly import ConfigError, load_config, run_nightly, summary_text


class Site:
    """A small news site on 127.0.0.1: pages with ETags, an RSS feed, a sitemap; pages can change or be slow."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.delay = 0.0
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                site.hits.append(self.path)
                time.sleep(site.delay)
                if self.path == "/robots.txt":
                    return self._send(200, "User-agent: *\nDisallow:\n", "text/plain")
                if self.path == "/feed.xml":
                    return self._send(200, site.feed(), "application/rss+xml")
                body = site.pages.get(self.path)
                if body is None:
                    return self._send(404, "not found", "text/plain")
                etag = f'"{abs(hash(body))}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return None
                return self._send(200, body, "text/html; charset=utf-8", etag=etag)

            def _send(self, status: int, body: str, ctype: str, etag: str | None = None) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):  # the killed job went away mid-response
                    self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def feed(self) -> str:
        items = "".join(f"<item><title>{p}</title><link>{self.url(p)}</link></item>" for p in sorted(self.pages))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>{items}</channel></rss>'

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def html_of(spec: dict, tmp_path: Path) -> str:
    return reports.page(tmp_path / "page.html", **spec).read_text(encoding="utf-8")


def write_pipeline(tmp_path: Path, site: Site, extra_urls: list[str], *, timeout: float = 1.0) -> Path:
    (tmp_path / "watchlist.txt").write_text("# analyst watch list\n" + "\n".join(extra_urls) + "\n")
    path = tmp_path / "nightly.toml"
    path.write_text(
        f"""
[store]
db = "data/extract.duckdb"
snapshot = "data/snapshot.duckdb"

[fetch]
timeout = {timeout}
retries = 1
backoff = 0.05
per_host_delay = 0.0
allow_hosts = ["127.0.0.1"]

[[sources]]
name = "site feed"
feed = "{site.url("/feed.xml")}"

[[sources]]
name = "watch list"
urls = "watchlist.txt"
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def site(tmp_path):
    with Site() as s:
        s.pages["/coalition"] = html_of(reports.SPAIN_EN_V1, tmp_path)
        s.pages["/ja/coalition"] = html_of(reports.SPAIN_JA_V1, tmp_path)
        yield s


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = ("documents", "versions", "sentences", "mentions", "claims")
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_faults_are_recorded_and_the_rest_is_ingested_then_runs_are_incremental(site, tmp_path):
    with FaultServer() as faults:
        extra = [
            faults.url("/flaky?fail=1&key=n1"),  # recovers on retry
            faults.url("/status/500"),  # fails after a retry
            faults.url("/redirect-loop"),
            faults.url("/gzip-bomb"),
            faults.url("/truncated"),
            faults.url("/slow?delay=3"),  # longer than the 1 s timeout
            faults.url("/private/page"),  # disallowed by robots.txt
            faults.url("/wrong-charset"),  # Shift_JIS labelled utf-8: still readable Japanese
            "http://169.254.169.254/latest/meta-data",  # never fetched (SSRF)
        ]
        config = load_config(write_pipeline(tmp_path, site, extra))
        first = run_nightly(config)
        statuses = {r.source: r.status for r in first.results}
        assert statuses[site.url("/coalition")] == "new"
        assert statuses[site.url("/ja/coalition")] == "new"
        assert statuses[faults.url("/flaky?fail=1&key=n1")] == "new"
        assert statuses[faults.url("/wrong-charset")] == "new"
        errors = {r.source: r.error for r in first.results if r.status == "error"}
        assert len(errors) == 7 and first.exit_code == 1 and first.status == "partial"
        reasons = dict(
            duckdb.connect(str(config.db), read_only=True).execute("SELECT source, reason FROM errors").fetchall()
        )
        assert reasons[faults.url("/status/500")] == "http"
        assert reasons[faults.url("/redirect-loop")] == "redirect_loop"
        assert reasons[faults.url("/gzip-bomb")] == "decompression"
        assert reasons[faults.url("/truncated")] == "network"
        assert reasons[faults.url("/slow?delay=3")] == "timeout"
        assert reasons[faults.url("/private/page")] == "robots"
        assert reasons["http://169.254.169.254/latest/meta-data"] == "ssrf"
        assert faults.hits("/status/500") == 2  # one retry
        after_first = counts(config.db)

        second = run_nightly(config)
        statuses = {r.source: r.status for r in second.results}
        assert statuses[site.url("/coalition")] == "not modified"  # conditional GET with the stored ETag
        assert statuses[faults.url("/wrong-charset")] == "unchanged"  # no validator: same content hash
        assert counts(config.db) == after_first

    # A changed page becomes a new version, and the summary says what changed tonight.
    site.pages["/coalition"] = html_of(reports.SPAIN_EN_V2, tmp_path)
    site.pages["/new"] = html_of(reports.EXCHANGE_EN, tmp_path)
    config = load_config(write_pipeline(tmp_path, site, []))
    third = run_nightly(config)
    assert (third.count("new"), third.count("not modified"), third.exit_code) == (2, 1, 0)
    assert ("removed", "pledge|country:ES|consult") in {(c.change, c.claim_key) for c in third.changes}
    text = summary_text(third)
    assert "2 new or changed" in text and "pledge|country:ES|deploy_forces" in text


def test_snapshot_is_readable_while_the_job_holds_the_database(site, tmp_path, capsys):
    config = load_config(write_pipeline(tmp_path, site, []))
    summary = run_nightly(config)
    assert summary.snapshot == config.snapshot
    writer = duckdb.connect(str(config.db))  # the job (or another writer) holds the main file
    try:
        reader = duckdb.connect(str(config.snapshot), read_only=True)
        tiers = reader.execute("SELECT count(*) FROM claims").fetchone()[0]
        keys = reader.execute("SELECT count(DISTINCT claim_key) FROM current_claims").fetchone()[0]
        reader.close()
        capsys.readouterr()
        code = main(["sql", "SELECT count(*) AS n FROM claims", "--format", "csv", "--db", str(config.snapshot)])
        analyst = capsys.readouterr()
    finally:
        writer.close()
    assert tiers > 0 and keys > 0
    assert (code, analyst.out.split(), analyst.err) == (0, ["n", str(tiers)], "")  # `extract sql` on the snapshot


def test_a_killed_run_loses_nothing_and_duplicates_nothing(site, tmp_path):
    for n in range(6):
        spec = dict(reports.SPAIN_EN_V1, url=f"https://example-news.test/world/page-{n}")
        spec["paragraphs"] = [*spec["paragraphs"], f"Page {n} of the coalition series was updated on Friday."]
        site.pages[f"/page-{n}"] = html_of(spec, tmp_path)
    site.delay = 0.6
    pipeline = write_pipeline(tmp_path, site, [], timeout=5.0)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    job = subprocess.Popen(
        [sys.executable, "-m", "extract.cli", "run", str(pipeline), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while sum(p.startswith("/page-") for p in site.hits) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    job.send_signal(signal.SIGKILL)
    job.wait(timeout=30)
    assert job.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while _workers_of(pipeline) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _workers_of(pipeline), "NLP workers outlived the killed job"

    site.delay = 0.0
    config = load_config(pipeline)
    summary = run_nightly(config)
    assert summary.exit_code == 0
    con = duckdb.connect(str(config.db), read_only=True)
    try:
        per_doc = con.execute("SELECT doc_id, count(*) FROM versions GROUP BY doc_id").fetchall()
        runs = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()]
        orphans = con.execute(
            "SELECT count(*) FROM claims WHERE version_id NOT IN (SELECT version_id FROM versions)"
        ).fetchone()[0]
    finally:
        con.close()
    assert len(per_doc) == len(site.pages) == 8 and all(n == 1 for _, n in per_doc)  # once each, none twice
    assert runs == ["interrupted", "ok"]
    assert orphans == 0


def _workers_of(pipeline: Path) -> list[int]:
    """Processes still running the killed job's command line (its NLP workers, if they leaked)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(pipeline) in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_bad_pipeline_files_are_clear_errors(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[store]\ndb = "x.duckdb"\n[[sources]]\nname = "two kinds"\nfeed = "a"\nfolder = "b"\n')
    with pytest.raises(ConfigError, match="two kinds"):
        load_config(bad)
    bad.write_text('[store]\ndb = "x.duckdb"\n[fetch]\nspeed = 3\n[[sources]]\nfolder = "."\n')
    with pytest.raises(ConfigError, match="unknown \\[fetch\\] settings: speed"):
        load_config(bad)
    assert main(["run", str(tmp_path / "missing.toml")]) == 2
    assert "cannot read pipeline file" in capsys.readouterr().err


def test_bundled_sample_pipeline_runs(tmp_path, monkeypatch, capsys):
    root = Path(__file__).resolve().parents[1]
    pipeline = tmp_path / "sample.toml"
    pipeline.write_text(
        (root / "pipelines" / "sample.toml")
        .read_text(encoding="utf-8")
        .replace("../corpus/samples", str(root / "corpus" / "samples"))
        .replace("../sample", str(tmp_path / "sample")),
        encoding="utf-8",
    )
    assert main(["run", str(pipeline)]) == 0
    out = capsys.readouterr().out
    assert "2 new or changed" in out and "snapshot for analysts" in out
    assert main(["run", str(pipeline), "--quiet"]) == 0
    assert "0 new or changed, 2 unchanged" in capsys.readouterr().out


# -- every run finished or marked; the database shared with readers ---------------------------------------


def _hold_database(db: Path, seconds: float) -> subprocess.Popen:
    """Another process (an analyst's reader) holding ``db`` for ``seconds``; returns once it holds it."""
    script = (
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(db)!r}, read_only=True)\n"
        "print('holding', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    reader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None and reader.stdout.readline().strip() == "holding"
    return reader


def _with_lock_wait(pipeline: Path, seconds: float) -> Path:
    text = "".join(line for line in pipeline.read_text().splitlines(True) if not line.startswith("lock_wait"))
    pipeline.write_text(text.replace("[store]\n", f"[store]\nlock_wait = {seconds}\n", 1))
    return pipeline


def test_a_reader_holding_the_database_is_waited_for_then_named_in_one_clear_line(site, tmp_path, capsys):
    pipeline = write_pipeline(tmp_path, site, [])
    config = load_config(pipeline)
    run_nightly(config)
    reader = _hold_database(config.db, 20)
    try:
        capsys.readouterr()
        code = main(["run", str(_with_lock_wait(pipeline, 0.3)), "--quiet"])
        err = capsys.readouterr().err
    finally:
        reader.kill()
        reader.wait()
    assert code == 2
    assert err.count("\n") == 1 and "in use by another process" in err and f"(PID {reader.pid})" in err
    assert "waited 0.3 s" in err

    reader = _hold_database(config.db, 1)  # lets go while the job waits
    try:
        summary = run_nightly(load_config(_with_lock_wait(pipeline, 60)))
    finally:
        reader.kill()
        reader.wait()
    assert summary.exit_code == 0


def test_a_snapshot_that_cannot_be_written_is_cleaned_up_and_the_run_says_so(site, tmp_path, monkeypatch):
    import extract.run.nightly as nightly

    def disk_full(source, destination):
        Path(destination).write_bytes(b"half a database")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nightly.shutil, "copyfile", disk_full)
    config = load_config(write_pipeline(tmp_path, site, []))
    summary = run_nightly(config)
    assert summary.exit_code == 1 and summary.snapshot is None
    assert "No space left on device" in summary_text(summary)
    assert not config.snapshot.exists() and list(config.snapshot.parent.glob("*.partial")) == []
    con = duckdb.connect(str(config.db), read_only=True)
    try:
        errors = con.execute("SELECT source, reason, transient FROM errors").fetchall()
        runs = con.execute("SELECT status, n_errors FROM runs").fetchall()
    finally:
        con.close()
    assert errors == [(f"snapshot {config.snapshot}", "snapshot", True)]
    assert runs == [("partial", 1)]


def test_a_run_that_stops_on_an_exception_is_marked_interrupted_not_left_running(site, tmp_path, monkeypatch):
    from extract.store.db import Store

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    config = load_config(write_pipeline(tmp_path, site, []))
    with monkeypatch.context() as patch:
        patch.setattr(Store, "save_version", interrupted)
        with pytest.raises(KeyboardInterrupt):
            run_nightly(config, processes=1)
    con = duckdb.connect(str(config.db), read_only=True)
    try:
        assert con.execute("SELECT status, finished_at IS NOT NULL FROM runs").fetchall() == [("interrupted", True)]
    finally:
        con.close()


def test_a_refused_source_is_recorded_with_its_reason(site, tmp_path):
    pipeline = write_pipeline(tmp_path, site, [])
    with pipeline.open("a") as file:  # localhost is not in allow_hosts: refused before any connection
        file.write('\n[[sources]]\nname = "internal feed"\nfeed = "http://localhost:9/feed.xml"\n')
    config = load_config(pipeline)
    summary = run_nightly(config)
    assert summary.exit_code == 1
    con = duckdb.connect(str(config.db), read_only=True)
    try:
        errors = con.execute("SELECT source, reason, transient FROM errors").fetchall()
    finally:
        con.close()
    assert errors == [("source internal feed: http://localhost:9/feed.xml", "ssrf", False)]


def test_proxies_come_from_the_environment_unless_the_pipeline_file_names_them(site, tmp_path, monkeypatch):
    pipeline = write_pipeline(tmp_path, site, [])
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.example")
    policy = load_config(pipeline).policy
    assert (policy.https_proxy, policy.no_proxy) == ("http://proxy.corp:3128", ("intranet.example",))
    pipeline.write_text(pipeline.read_text().replace("[fetch]\n", '[fetch]\nhttps_proxy = "http://other:8080"\n'))
    assert load_config(pipeline).policy.https_proxy == "http://other:8080"


def test_a_failed_final_checkpoint_is_a_snapshot_error_not_a_traceback(tmp_path):
    import extract.run.nightly as nightly

    class StoreWithAFullDisk:
        def checkpoint(self):
            raise duckdb.IOException("Could not write to file: No space left on device\nLINE 1: CHECKPOINT")

    store = StoreWithAFullDisk()
    snapshot = tmp_path / "snapshot.duckdb"
    with pytest.raises(nightly.SnapshotError) as info:
        nightly.publish_snapshot(store, tmp_path / "db.duckdb", snapshot)
    assert str(info.value) == f"snapshot {snapshot}: not published: Could not write to file: No space left on device"
    assert (info.value.reason, info.value.transient) == ("snapshot", True)
    assert list(tmp_path.iterdir()) == []


def test_a_job_stopped_with_sigterm_marks_its_run_interrupted_itself(site, tmp_path):
    for n in range(4):
        spec = dict(reports.SPAIN_EN_V1, url=f"https://example-news.test/world/page-{n}")
        site.pages[f"/page-{n}"] = html_of(spec, tmp_path)
    site.delay = 0.6
    pipeline = write_pipeline(tmp_path, site, [], timeout=5.0)
    job = subprocess.Popen(
        [sys.executable, "-m", "extract.cli", "run", str(pipeline), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while sum(p.startswith("/page-") for p in site.hits) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    job.send_signal(signal.SIGTERM)  # `kill`, `systemctl stop`
    job.wait(timeout=60)
    assert job.returncode == 128 + signal.SIGTERM
    con = duckdb.connect(str(load_config(pipeline).db), read_only=True)
    try:
        runs = con.execute("SELECT status, finished_at IS NOT NULL FROM runs").fetchall()
    finally:
        con.close()
    assert runs == [("interrupted", True)]  # marked by the job itself, not left for the next run


def test_lines_printed_while_the_progress_bar_runs_get_lines_of_their_own(site, tmp_path, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    config = load_config(write_pipeline(tmp_path, site, [site.url("/missing-1"), site.url("/missing-2")]))
    run_nightly(config, processes=1, progress=lambda r: print(f"error      {r.error}", file=sys.stderr))
    printed = [line.rsplit("\r", 1)[-1] for line in terminal.getvalue().split("\n") if "error " in line]
    assert len(printed) == 4 and all(line.startswith("error      ") for line in printed)  # never after the bar


@pytest.mark.parametrize("quiet", [False, True])
def test_each_failed_item_is_printed_once(site, tmp_path, capsys, quiet):
    pipeline = write_pipeline(tmp_path, site, [site.url("/missing")])
    capsys.readouterr()
    code = main(["run", str(pipeline), *(["--quiet"] if quiet else [])])
    printed = capsys.readouterr()
    assert code == 1
    assert (printed.out + printed.err).count(f"{site.url('/missing')}: HTTP error 404") == 1
