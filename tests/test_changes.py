"""Change tracking on pairs of real-looking reports: claim keys, history, diffs and their outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import reports

from extract.cli import main
from extract.diff import TargetError, diff
from extract.diffreport import render_diff
from extract.pipeline import ingest
from extract.store import Store


def changes(d) -> list[tuple]:
    """(change, key, old reading, new reading) — the exact content of a diff."""
    from extract.keys import describe

    return sorted(
        (c.change, c.key, describe(c.old.value) if c.old else None, describe(c.new.value) if c.new else None)
        for c in d.changes
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One store with two outlets' reports of a prisoner swap and two versions of two coalition reports."""
    root = tmp_path_factory.mktemp("reports")
    with Store.open(root / "changes.duckdb") as s:
        for name in ("EXCHANGE_EN", "EXCHANGE_JA", "SPAIN_JA_V1", "SPAIN_EN_V1"):
            reports.page(root / f"{name}.html", **getattr(reports, name))
        ingest(s, [str(root)])
        # The same URLs, updated three days later: saved over the same files (same document, new content).
        reports.page(root / "SPAIN_JA_V1.html", **reports.SPAIN_JA_V2)
        reports.page(root / "SPAIN_EN_V1.html", **reports.SPAIN_EN_V2)
        ingest(s, [str(root)])
        yield s


JA_URL = reports.SPAIN_JA_V1["url"]
EN_URL = reports.SPAIN_EN_V1["url"]


def test_two_outlets_disagree_on_the_prisoner_count(store):
    d = diff(store, "site:Outlet A", "site:Outlet B")
    assert changes(d) == [
        ("changed", "quantity|country:RU|person", "157", "314"),
        ("changed", "quantity|country:UA|person", "157", "314"),
    ]
    change = d.changes[0]
    assert (change.old.lang, change.new.lang) == ("en", "ja")
    assert "157 prisoners" in change.old.evidence and "314人" in change.new.evidence
    start, end = change.new.highlight
    assert change.new.evidence[start:end] == "314人"


def test_a_later_version_moves_spain_and_the_talks(store):
    d = diff(store, f"{JA_URL}@1", f"{JA_URL}@2")
    assert changes(d) == [
        ("changed", "event|meeting|place:abu-dhabi|2", "2026-02-04/2026-02-05", "2026-02-11/2026-02-12"),
        ("changed", "pledge|country:ES|deploy_forces", "will (tentative)", "will (committed)"),
        ("removed", "pledge|country:ES|consult", "will (committed)", None),
    ]
    assert d.unchanged == 2  # Croatia and Czechia still refuse
    moved = next(c for c in d.changes if c.key.startswith("event"))
    assert "2026年2月4日から5日" in moved.old.evidence and "2月11日から12日" in moved.new.evidence


def test_english_versions_show_spain_moving_from_consulting_to_sending_troops(store):
    d = diff(store, EN_URL + "@1", EN_URL)  # no suffix = latest version
    assert changes(d) == [
        ("added", "pledge|country:ES|deploy_forces", None, "will (committed), on 2026-02-05"),
        ("removed", "pledge|country:ES|consult", "will (committed)", None),
    ]


def test_a_japanese_and_an_english_report_of_the_same_facts_have_the_same_keys(store):
    d = diff(store, JA_URL + "@1", EN_URL + "@1")
    unchanged_keys = {"pledge|country:HR|deploy_forces", "pledge|country:CZ|deploy_forces", "pledge|country:ES|consult"}
    assert not unchanged_keys & {c.key for c in d.changes}
    assert d.unchanged == 3
    # The Japanese report states two things the English one does not.
    assert changes(d) == [
        ("removed", "event|meeting|place:abu-dhabi|2", "2026-02-04/2026-02-05", None),
        ("removed", "pledge|country:ES|deploy_forces", "will (tentative)", None),
    ]


def test_dates_ask_what_the_corpus_said_then(store):
    before = {r[0] for r in store.query("SELECT claim_key FROM corpus_as_of(DATE '2026-02-04')")[1]}
    after = {r[0] for r in store.query("SELECT claim_key FROM corpus_as_of(DATE '2026-02-07')")[1]}
    assert "pledge|country:ES|consult" in before and "pledge|country:ES|consult" not in after
    assert "quantity|country:RU|person" not in before and "quantity|country:RU|person" in after
    d = diff(store, "2026-02-04", "2026-02-06")
    assert ("removed", "pledge|country:ES|consult", "will (committed)", None) in changes(d)
    assert ("changed", "event|meeting|place:abu-dhabi|2", "2026-02-04/2026-02-05", "2026-02-11/2026-02-12") in (
        changes(d)
    )


def test_history_records_validity_per_version(store):
    columns, rows = store.query(
        "SELECT version_no, valid_from, valid_to FROM version_history WHERE doc_key = ? ORDER BY version_no",
        [JA_URL],
    )
    assert [(n, str(f), str(t) if t else None) for n, f, t in rows] == [
        (1, "2026-02-03", "2026-02-06"),
        (2, "2026-02-06", None),
    ]


def test_claim_changes_view_lists_version_to_version_changes(store):
    _, rows = store.query("SELECT change, claim_key FROM claim_changes WHERE doc_key = ? ORDER BY claim_key", [JA_URL])
    assert rows == [
        ("changed", "event|meeting|place:abu-dhabi|2"),
        ("removed", "pledge|country:ES|consult"),
        ("changed", "pledge|country:ES|deploy_forces"),
    ]


def test_analyst_views_show_current_claims(store):
    _, tiers = store.query("SELECT count(*) FROM tiers")
    assert tiers == [(0,)]
    _, refusals = store.query(
        "SELECT DISTINCT subject FROM positions WHERE predicate = 'deploy_forces' AND polarity = 'negative' "
        "ORDER BY subject"
    )
    assert refusals == [("Croatia",), ("Czechia",)]
    _, events = store.query("SELECT time_iso, location FROM events WHERE doc_key = ?", [JA_URL])
    assert events == [("2026-02-11/2026-02-12", "Abu Dhabi")]
    _, pledges = store.query("SELECT subject, modality FROM pledges WHERE doc_key = ?", [JA_URL])
    assert pledges == [("Spain", "planned")]


def test_bad_targets_are_clear_errors(store):
    with pytest.raises(TargetError, match="no stored document"):
        diff(store, "https://nowhere.test/x", JA_URL)
    with pytest.raises(TargetError, match="there is no version 3"):
        diff(store, JA_URL + "@3", JA_URL)
    with pytest.raises(TargetError, match="no documents from site"):
        diff(store, "site:nowhere.test", JA_URL)


def test_json_and_markdown_outputs(store):
    d = diff(store, f"{JA_URL}@1", f"{JA_URL}@2")
    data = json.loads(render_diff(d, "json"))
    assert data["summary"] == {"added": 0, "removed": 1, "changed": 2, "unchanged": 2}
    event = next(c for c in data["changes"] if c["key"].startswith("event"))
    assert (event["old"]["value"], event["new"]["value"]) == (
        {"time": "2026-02-04/2026-02-05"},
        {"time": "2026-02-11/2026-02-12"},
    )
    md = render_diff(d, "markdown")
    assert "| changed | event: meeting Abu Dhabi round 2 | 2026-02-04/2026-02-05 | 2026-02-11/2026-02-12 |" in md
    assert "**協議**" in md or "**第2回の3者協議**" in md  # the trigger is bold in both evidence sentences


def test_cli_diff_table_and_errors(store, tmp_path, capsys):
    db = tmp_path / "copy.duckdb"
    store.con.execute("CHECKPOINT")
    shutil.copy(store.con.execute("PRAGMA database_list").fetchall()[0][2], db)
    assert main(["diff", "site:Outlet A", "site:Outlet B", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "2 changed, 0 added, 0 removed" in out and "quantity: Russia person" in out
    assert main(["diff", "site:Outlet A", "https://nowhere.test/x", "--db", str(db)]) == 2
    assert "no stored document" in capsys.readouterr().err


# --- the HTML report, checked in a real headless browser ------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=2000",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by scripts/setup.sh when run as root")
def test_html_report_renders_in_a_browser_with_evidence_highlighted(store, tmp_path):
    d = diff(store, f"{JA_URL}@1", f"{JA_URL}@2")
    report = tmp_path / "diff.html"
    report.write_text(render_diff(d, "html"), encoding="utf-8")

    dom = headless(tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert 'data-ready="yes"' in html  # the page's script ran
    assert '<span id="count-changed">2</span>' in html
    assert '<span id="count-removed">1</span>' in html
    assert '<span id="count-shown">3</span>' in html
    assert "<mark>派遣</mark>" in html  # evidence highlighted in both versions' sentences
    assert html.count("<mark>") == 5  # 2 changed rows × 2 sides + 1 removed row

    png = tmp_path / "diff.png"
    shot = headless(tmp_path, f"--screenshot={png}", "--window-size=1400,900", report.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
