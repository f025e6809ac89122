"""Where outlets disagree: three readings of one prisoner swap, one of them a wire story copied by three sites."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
import reports

from extract.claims import keys
from extract.cli import main
from extract.compare.disagreements import disagreements, render
from extract.run.ingest import ingest
from extract.store.db import Store

PAGES = ("SWAP_EACH_EN", "SWAP_EACH_JA", "SWAP_WIRE_C", "SWAP_WIRE_D", "SWAP_WIRE_E", "SWAP_UNCLEAR")
SWAP = "pledge|country:RU+country:UA|exchange"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("swap")
    with Store.open(root / "swap.duckdb") as s:
        for name in PAGES:
            reports.page(root / f"{name}.html", **getattr(reports, name))
        ingest(s, [str(root)], processes=1)
        yield s


def test_the_swap_is_one_key_with_three_readings(store):
    (swap,) = [d for d in disagreements(store) if d.key == SWAP]
    assert {"quantity", "scope"} <= set(swap.fields)
    readings = {(r.value["quantity"], r.value.get("scope")): r for r in swap.readings}
    assert set(readings) == {("157 person", "each"), ("314 person", "total"), ("157 person", None)}

    each = readings[("157 person", "each")]  # "157 prisoners each" / 「157人ずつ」
    assert (each.sources, each.langs, each.n_sources, each.n_independent) == (
        ["Northern Herald", "東都新聞"],
        ["en", "ja"],
        2,
        2,
    )
    assert each.value["total"] == "314"  # 157 each between two sides is 314 in total

    wire = readings[("314 person", "total")]  # one wire story on three sites
    assert wire.sources == ["Evening Gazette", "Global Courier", "Metro Daily"]
    assert (wire.n_sources, wire.n_independent) == (3, 1)
    assert wire.syndicated == [["Evening Gazette", "Global Courier", "Metro Daily"]]
    assert all("a total of 314 prisoners" in e["evidence"] for e in wire.evidence)

    unclear = readings[("157 person", None)]  # "exchanged 157 prisoners": each or in total?
    assert (unclear.sources, unclear.n_independent, unclear.syndicated) == (["Kyiv Ledger"], 1, [])


def test_readings_stated_by_the_same_sources_are_not_a_disagreement(store):
    # The wire story says the talks "ended" and that negotiators "agreed to meet again": two readings of one
    # meeting key, but every source stating one states the other, so no source contradicts another.
    assert [d.key for d in disagreements(store)] == [SWAP]


def test_kind_and_since_filter(store):
    assert [d.key for d in disagreements(store, kind="pledge")] == [SWAP]
    assert disagreements(store, kind="tier") == []
    assert [d.key for d in disagreements(store, since=date(2026, 2, 5))] == [SWAP]
    assert disagreements(store, since=date(2026, 2, 7)) == []


def test_the_view_is_plain_sql(store):
    _, rows = store.query(
        "SELECT reading, n_sources, n_independent, syndicated FROM disagreements WHERE claim_key = ? "
        "ORDER BY n_sources DESC",
        [SWAP],
    )
    assert [(json.loads(r[0])["quantity"], r[1], r[2]) for r in rows] == [
        ("314 person", 3, 1),
        ("157 person", 2, 2),
        ("157 person", 1, 1),
    ]
    assert rows[0][3] == [["Evening Gazette", "Global Courier", "Metro Daily"]]
    _, groups = store.query("SELECT members, n_sources FROM wire_groups")
    assert groups == [(["Evening Gazette", "Global Courier", "Metro Daily"], 3)]


def test_outputs_name_the_syndicated_copies(store):
    found = disagreements(store)
    table = render(found, "table")
    assert "3 sources, 1 independent" in table and "one wire story: Evening Gazette" in table
    md = render(found, "markdown")
    assert "## pledge: Russia + Ukraine exchange" in md
    assert "3 sources, 1 independent" in md and "one wire story: Evening Gazette, Global Courier, Metro Daily" in md
    data = json.loads(render(found, "json"))
    assert data[0]["key"] == SWAP
    assert [r["n_independent"] for r in data[0]["readings"]] == [2, 1, 1]  # most independent support first
    assert data[0]["readings"][1]["syndicated"] == [["Evening Gazette", "Global Courier", "Metro Daily"]]
    html = render(found, "html")
    assert 'class="field conflict" data-field="scope"' in html and "ロシアとウクライナは5日" in html


def test_cli_reads_the_store_read_only(store, tmp_path, capsys):
    db = tmp_path / "copy.duckdb"
    store.con.execute("CHECKPOINT")
    shutil.copy(store.con.execute("PRAGMA database_list").fetchall()[0][2], db)
    assert main(["disagreements", "--db", str(db), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["key"] for d in data] == [SWAP]
    out = tmp_path / "disagreements.md"
    assert (
        main(["disagreements", "--db", str(db), "--kind", "pledge", "--format", "markdown", "--output", str(out)]) == 0
    )
    assert "wrote" in capsys.readouterr().out and "314 person" in out.read_text(encoding="utf-8")
    assert main(["disagreements", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "no such database" in capsys.readouterr().err


# --- the view compares fields as keys.value_diff does ----------------------------------------------------

PAIRS = [
    ("time", "2026-02", "2026-02-04"),
    ("time", "2026-02-04/2026-02-05", "2026-02-04"),
    ("time", "2026-W06", "2026-02-04/2026-02-05"),
    ("time", "2026-W06", "2026-02-09"),
    ("time", "../2026-02-01", "2026-02-01"),
    ("time", "../2026-02-01", "2026-01-31"),
    ("time", "2025-12/2026-01", "2026-01-06"),
    ("time", "2026", "2026-02-04/2026-02-05"),
    ("place", "place:abu-dhabi", "country:AE"),
    ("place", "place:paris", "country:AE"),
    ("participants", "country:RU,country:UA", "country:RU,country:UA,country:US"),
    ("participants", "country:RU,country:US", "country:RU,country:UA"),
    ("anchor", "first_violation", "“the signing”"),
    ("anchor", "“最初の攻撃”", "“the first attack”"),
    ("anchor", "“the first attack”", "“the signing”"),
    ("anchor", "first_violation", "signing"),
    ("action", "respond", "intervene"),
    ("bound", "within", "after"),
    ("scope", "each", "total"),
]


def _conflicts(tmp_path, statements: list[tuple[str, str, dict]], key: str = "event|meet|country:AE|2") -> list:
    """The conflicting fields the view finds among (site, published, value) statements of one key (one
    article per site)."""
    from extract.nlp.gazetteer import load_gazetteer

    with Store.open(tmp_path / "view.duckdb") as s:
        s.upsert_entities(load_gazetteer().rows())
        sites = list(dict.fromkeys(site for site, _, _ in statements))
        for n, site in enumerate(sites):
            published = next(p for s_, p, _ in statements if s_ == site)
            s.con.execute("INSERT INTO documents VALUES (?, ?, NULL, ?, NULL, now())", [f"d{n}", f"doc{n}", site])
            s.con.execute(
                "INSERT INTO versions (version_id, doc_id, raw_sha256, text_sha256, published, lang, fetched_at, text) "
                "VALUES (?, ?, '', '', ?::DATE, 'en', now(), '')",
                [f"v{n}", f"d{n}", published],
            )
        for i, (site, _, value) in enumerate(statements):
            s.con.execute(
                "INSERT INTO claims (claim_id, version_id, kind, predicate, claim_key, claim_value, evidence_text, "
                "extractor_version, key_version) VALUES (?, ?, 'event', 'meeting', ?, ?, '', '', ?)",
                [f"c{i}", f"v{sites.index(site)}", key, keys.value_json(value), keys.KEY_VERSION],
            )
        return [r[0] for r in s.query("SELECT DISTINCT fields FROM disagreements")[1]]


@pytest.mark.parametrize(("field", "a", "b"), PAIRS)
def test_the_view_and_value_diff_agree_on_fields(tmp_path, field, a, b):
    python_conflict = bool(keys.value_diff({field: a}, {field: b}))
    rows = _conflicts(tmp_path, [("site0", "2026-02-06", {field: a}), ("site1", "2026-02-06", {field: b})])
    assert bool(rows) == python_conflict, (field, a, b, python_conflict)


def test_a_plan_reported_before_the_event_does_not_contradict_its_report_after(tmp_path):
    planned = {"stance": "will", "time": "2026-02-04/2026-02-05"}
    held = {"stance": "did", "time": "2026-02-04/2026-02-05"}
    assert _conflicts(tmp_path, [("early", "2026-02-03", planned), ("late", "2026-02-06", held)]) == []


def test_a_plan_reported_after_the_event_contradicts_its_report_as_done(tmp_path):
    agreed, done = {"stance": "will"}, {"stance": "did"}  # "agreed to exchange" / "have exchanged", same day
    assert _conflicts(tmp_path, [("a", "2026-02-06", agreed), ("b", "2026-02-06", done)], SWAP) == [["stance"]]


def test_a_source_that_states_both_values_contradicts_no_one(tmp_path):
    # One site names the coalition and Britain for tier 2, another only the coalition: no conflict on actor.
    key = "tier|2|respond"
    statements = [
        ("full", "2026-02-03", {"actor": "org:coalition-of-the-willing", "condition": "“if fighting goes on”"}),
        ("full", "2026-02-03", {"actor": "country:GB", "condition": "“if fighting goes on”"}),
        ("short", "2026-02-03", {"actor": "org:coalition-of-the-willing", "condition": "“should it continue”"}),
    ]
    assert _conflicts(tmp_path, statements, key) == []
    statements.append(("other", "2026-02-03", {"actor": "region:europe"}))
    assert _conflicts(tmp_path / "x", statements, key) == [["actor"]]


def test_records_are_one_flat_row_per_reading(store):
    from extract.compare.disagreements import RECORD_FIELDS, records

    found = disagreements(store)
    rows = records(found)
    assert len(rows) == sum(len(d.readings) for d in found) > 0
    assert all(tuple(r) == RECORD_FIELDS for r in rows)
    assert json.loads(rows[0]["value"]) == found[0].readings[0].value
    assert rows[0]["n_independent"] == found[0].readings[0].n_independent
