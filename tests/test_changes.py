"""Change tracking on real-looking reports: keys from meaning, per-source date diffs, value-level changes and
their outputs (the pages are in ``reports.py``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import reports

from extract.claims.keys import describe
from extract.cli import main
from extract.compare.diff import TargetError, diff
from extract.compare.diffreport import render_diff, what_changed
from extract.run.ingest import ingest
from extract.store.db import Store


def changes(d, source: str | None = None) -> list[tuple]:
    """(change, key, old reading, new reading) — the exact content of a diff (of one source)."""
    return sorted(
        (c.change, c.key, describe(c.old.value) if c.old else None, describe(c.new.value) if c.new else None)
        for c in d.changes
        if source is None or c.source == source
    )


FIRST = (
    "EXCHANGE_EN",
    "EXCHANGE_JA",
    "SPAIN_JA_V1",
    "SPAIN_EN_V1",
    "PLAN_EN",
    "PLAN_JA",
    "TIERS_V1",
    "TIERS_JA",
    "DENMARK_V1",
)
UPDATES = {
    "SPAIN_JA_V1": "SPAIN_JA_V2",
    "SPAIN_EN_V1": "SPAIN_EN_V2",
    "TIERS_V1": "TIERS_V2",
    "DENMARK_V1": "DENMARK_V2",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Two outlets' reports of a prisoner swap, an English and a Japanese report of the same facts, two versions
    of three reports, and an outlet that reverses itself in a later article."""
    root = tmp_path_factory.mktemp("reports")
    with Store.open(root / "changes.duckdb") as s:
        for name in FIRST:
            reports.page(root / f"{name}.html", **getattr(reports, name))
        ingest(s, [str(root)], processes=1)
        # The same URLs, updated later: saved over the same files (same document, new content).
        for old, new in UPDATES.items():
            reports.page(root / f"{old}.html", **getattr(reports, new))
        ingest(s, [str(root)], processes=1)
        # Adriatic Times: "will not send troops" (3 Feb), edited to drop it (5 Feb), "will send 30" (6 Feb).
        croatia = root / "croatia"
        croatia.mkdir()
        for name in ("CROATIA_NO", "CROATIA_NO_EDITED", "CROATIA_YES"):
            target = croatia / ("CROATIA_YES.html" if name == "CROATIA_YES" else "CROATIA_NO.html")
            reports.page(target, **getattr(reports, name))
            ingest(s, [str(target)], processes=1)
        yield s


JA_URL = reports.SPAIN_JA_V1["url"]
EN_URL = reports.SPAIN_EN_V1["url"]
TIERS_URL = reports.TIERS_V1["url"]


def keys_of(store, url: str, field: str | None = None) -> dict[str, set[str]]:
    """Key → readings (or the values of one field) of a document's current claims."""
    _, rows = store.query("SELECT claim_key, claim_value FROM current_claims WHERE doc_key = ?", [url])
    out: dict[str, set[str]] = {}
    for key, value in rows:
        value = json.loads(value)
        out.setdefault(key, set()).add(value.get(field) if field else describe(value))
    return out


# --- keys from meaning -----------------------------------------------------------------------------------


def test_an_english_and_a_japanese_report_of_the_same_facts_share_keys(store):
    en = keys_of(store, reports.PLAN_EN["url"], "stance")
    ja = keys_of(store, reports.PLAN_JA["url"], "stance")
    shared = {
        "position|country:UA|accept|plan": {"supports"},  # accepted the U.S.-drafted peace plan / 和平計画を受け入れた
        "position|country:UA|accept|cession": {"opposes"},  # rejected any cession / 割譲については拒否した
        "pledge|country:ES|deploy_forces": {"will"},  # Sánchez speaks for Spain
    }
    for key, readings in shared.items():
        assert key in en and key in ja, key
        assert readings <= en[key] and readings <= ja[key], key
    d = diff(store, reports.PLAN_EN["url"], reports.PLAN_JA["url"])
    assert not set(shared) & {c.key for c in d.changes}


def test_rejecting_a_cession_and_accepting_the_plan_are_two_claims(store):
    en = keys_of(store, reports.PLAN_EN["url"])
    assert en["position|country:UA|accept|plan"] == {"supports, on 2026-02-05"}
    assert en["position|country:UA|accept|cession"] == {"opposes"}


def test_a_japanese_and_an_english_tier_plan_agree_in_every_field(store):
    ja, en = keys_of(store, reports.TIERS_JA["url"]), keys_of(store, f"{TIERS_URL}")
    assert ja["tier|1|respond"] == {"committed, force:UA, respond, window PT24H within of violation"}
    d = diff(store, reports.TIERS_JA["url"], f"{TIERS_URL}@1")
    assert d.changes == [] and d.unchanged == 2  # 24 h within for Ukrainian forces; 72 h within for the US
    assert en["tier|3|respond"] == {"committed, force:US, intervene, window PT48H after of first_violation"}


def test_venues_resolve_up_the_place_hierarchy(store):
    _, rows = store.query(
        "SELECT DISTINCT claim_key FROM current_claims WHERE claim_key LIKE 'event|meet|%' ORDER BY 1"
    )
    assert ("event|meet|country:AE|2",) in rows  # アブダビ (a city) is keyed at country level
    assert all("place:abu-dhabi" not in key for (key,) in rows)


# --- diffs -----------------------------------------------------------------------------------------------


def test_a_later_version_says_what_changed_inside_the_window(store):
    d = diff(store, f"{TIERS_URL}@1", f"{TIERS_URL}@2")
    assert [(c.change, c.key, c.fields) for c in d.changes] == [
        ("changed", "tier|3|respond", {"window": ("PT72H", "PT48H"), "bound": ("within", "after")})
    ]
    assert d.unchanged == 1
    change = d.changes[0]
    assert "within 72 hours" in change.old.evidence and "48 hours after" in change.new.evidence
    assert what_changed(change) == "window PT72H → PT48H; bound within → after"


def test_a_version_that_states_a_new_detail_refines_the_claim(store):
    url = reports.DENMARK_V1["url"]
    d = diff(store, f"{url}@1", f"{url}@2")
    refined = [c for c in d.changes if c.key == "pledge|country:DK|deploy_forces"]
    assert [(c.change, c.fields) for c in refined] == [("refined", {"quantity": ("—", "40 person")})]
    assert what_changed(refined[0]) == "quantity — → 40 person"
    # Between two outlets, what one leaves out is not a change: Denmark's troops against Spain's report.
    assert "refined" not in {c.change for c in diff(store, reports.PLAN_EN["url"], reports.PLAN_JA["url"]).changes}


def test_a_later_version_moves_spain_and_the_talks(store):
    d = diff(store, f"{JA_URL}@1", f"{JA_URL}@2")
    assert [(c.change, c.key, c.fields) for c in d.changes] == [
        ("changed", "event|meet|country:AE|2", {"time": ("2026-02-04/2026-02-05", "2026-02-11/2026-02-12")}),
        ("changed", "pledge|country:ES|deploy_forces", {"certainty": ("tentative", "committed")}),
        ("removed", "pledge|country:ES|consult", {}),
    ]
    assert d.unchanged == 2  # Croatia and Czechia still refuse
    moved = d.changes[0]
    assert "2026年2月4日から5日" in moved.old.evidence and "2月11日から12日" in moved.new.evidence


def test_english_versions_show_spain_moving_from_consulting_to_sending_troops(store):
    d = diff(store, EN_URL + "@1", EN_URL)  # no suffix = latest version
    assert changes(d) == [
        ("added", "pledge|country:ES|deploy_forces", None, "will (committed)"),
        ("added", "pledge|country:ES|oversee", None, "will (committed)"),
        ("removed", "pledge|country:ES|consult", "will (committed)", None),
    ]


def test_an_outlets_reversal_in_a_later_article_is_a_change_between_dates(store):
    d = diff(store, "2026-02-04", "2026-02-07", kind="pledge")
    assert d.per_source
    reversal = [c for c in d.changes if c.source == "Adriatic Times" and c.key == "pledge|country:HR|deploy_forces"]
    assert [(c.change, c.fields) for c in reversal] == [("changed", {"stance": ("will not", "will")})]
    assert "will not send troops" in reversal[0].old.evidence
    assert "will send 30 troops" in reversal[0].new.evidence
    assert reversal[0].new.value["quantity"] == "30 person"


def test_a_claim_dropped_and_stated_again_is_not_added(store):
    # On 5 February the edited article no longer mentions troops; the 6 February article does again.
    d = diff(store, "2026-02-05", "2026-02-07", kind="pledge")
    croatia = [(c.change, c.key, c.fields) for c in d.changes if c.source == "Adriatic Times"]
    assert ("changed", "pledge|country:HR|deploy_forces", {"stance": ("will not", "will")}) in croatia
    assert not [c for c in croatia if c[0] == "added" and c[1] == "pledge|country:HR|deploy_forces"]


def test_dates_ask_what_each_source_said_then(store):
    before = {r[0] for r in store.query("SELECT claim_key FROM corpus_as_of(DATE '2026-02-04')")[1]}
    after = {r[0] for r in store.query("SELECT claim_key FROM corpus_as_of(DATE '2026-02-07')")[1]}
    assert "pledge|country:ES|consult" in before and "pledge|country:ES|consult" not in after
    d = diff(store, "2026-02-04", "2026-02-06")
    found = {(c.change, c.source, c.key) for c in d.changes}
    assert ("removed", "Example News", "pledge|country:ES|consult") in found
    assert ("changed", "Example News 日本語版", "event|meet|country:AE|2") in found


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
        ("changed", "event|meet|country:AE|2"),
        ("removed", "pledge|country:ES|consult"),
        ("changed", "pledge|country:ES|deploy_forces"),
    ]


def test_analyst_views_show_current_claims(store):
    _, refusals = store.query(
        "SELECT DISTINCT subject FROM positions WHERE predicate = 'deploy_forces' AND polarity = 'negative' "
        "ORDER BY subject"
    )
    assert refusals == [("Croatia",), ("Czechia",)]
    _, events = store.query("SELECT time_iso, location FROM events WHERE doc_key = ?", [JA_URL])
    assert events == [("2026-02-11/2026-02-12", "Abu Dhabi")]
    _, tiers = store.query(
        "SELECT tier, subject_id, window_duration FROM tiers WHERE doc_key = ? ORDER BY tier", [TIERS_URL]
    )
    assert tiers == [(1, "force:UA", "PT24H"), (3, "force:US", "PT48H")]


def test_bad_targets_are_clear_errors(store):
    with pytest.raises(TargetError, match="no stored document"):
        diff(store, "https://nowhere.test/x", JA_URL)
    with pytest.raises(TargetError, match="there is no version 3"):
        diff(store, JA_URL + "@3", JA_URL)
    with pytest.raises(TargetError, match="no documents from site"):
        diff(store, "site:nowhere.test", JA_URL)


def test_json_and_markdown_outputs_say_what_changed(store):
    d = diff(store, f"{TIERS_URL}@1", f"{TIERS_URL}@2")
    data = json.loads(render_diff(d, "json"))
    assert data["summary"] == {"added": 0, "removed": 0, "changed": 1, "refined": 0, "unchanged": 1}
    (change,) = data["changes"]
    assert change["fields"] == {"window": {"old": "PT72H", "new": "PT48H"}, "bound": {"old": "within", "new": "after"}}
    assert (change["old"]["value"]["bound"], change["new"]["value"]["bound"]) == ("within", "after")
    md = render_diff(d, "markdown")
    assert "| changed | tier 3 respond | window PT72H → **PT48H**; bound within → **after** |" in md
    assert "**intervene**" in md  # the trigger is bold in both evidence sentences
    assert "window PT72H → PT48H; bound within → after" in render_diff(d, "table")


def test_cli_diff_table_and_errors(store, tmp_path, capsys):
    db = tmp_path / "copy.duckdb"
    store.con.execute("CHECKPOINT")
    shutil.copy(store.con.execute("PRAGMA database_list").fetchall()[0][2], db)
    assert main(["diff", f"{TIERS_URL}@1", TIERS_URL, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "1 changed, 0 added, 0 removed, 1 unchanged" in out and "tier 3 respond" in out
    assert main(["diff", "2026-02-04", "2026-02-07", "--kind", "pledge", "--wide", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "(per source)" in out and "Adriatic Times" in out and "stance will not → will" in out
    assert main(["diff", "2026-02-04", "2026-02-07", "--kind", "pledge", "--exit-code", "--db", str(db)]) == 1
    fitted = capsys.readouterr().out  # fitted to the terminal (80 columns here): the same changes, wrapped
    assert max(len(line) for line in fitted.splitlines()) <= 80 and "Adriatic" in fitted
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
def test_html_report_renders_in_a_browser_with_evidence_and_changed_fields_highlighted(store, tmp_path):
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
    assert '<span id="count-fields">2</span>' in html  # time of the talks, certainty of Spain
    assert "<mark>派遣</mark>" in html  # evidence highlighted in both versions' sentences
    assert html.count("<mark>") == 5  # 2 changed rows × 2 sides + 1 removed row
    # The changed fields are marked in both readings and listed old → new.
    assert html.count('class="field changed" data-field="time"') == 2
    assert html.count('class="field changed" data-field="certainty"') == 2
    assert "<del>tentative</del> → <ins>committed</ins>" in html

    png = tmp_path / "diff.png"
    shot = headless(tmp_path, f"--screenshot={png}", "--window-size=1400,900", report.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
