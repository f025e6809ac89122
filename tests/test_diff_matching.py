"""Issue 16: ``extract diff`` settles in SQL the keys whose one value is the same on both sides and compares
only the rest in Python (and compatible keys through an index). Its changes must be those of the matching
before it (``diff_reference``: every value against every value, every key against every key), in every field
every output format is rendered from."""

from __future__ import annotations

import importlib.util
import sys

import diff_reference
import duckdb
import pytest
from conftest import ROOT

from extract.claims import keys
from extract.compare.diff import _candidates, diff
from extract.store.db import Store


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A store of about 40,000 claims generated as ``benchmarks/queries.py`` does (sites, versions, changed
    values, every family), opened read-only as the CLI opens it."""
    spec = importlib.util.spec_from_file_location("bench_queries", ROOT / "benchmarks" / "queries.py")
    queries = importlib.util.module_from_spec(spec)
    sys.modules["bench_queries"] = queries
    spec.loader.exec_module(queries)
    path = tmp_path_factory.mktemp("generated") / "bench.duckdb"
    queries.generate(path, 40_000)
    con = duckdb.connect(str(path), read_only=True)
    sample = queries.samples(con)
    yield Store(con), sample
    con.close()


def test_sql_matching_gives_the_changes_of_the_pairwise_matching(generated):
    store, sample = generated
    cases = [
        (f"site:{sample.site}", f"site:{sample.other_site}", None),
        (f"site:{sample.site}", f"site:{sample.other_site}", "event"),
        (f"site:{sample.site}", f"site:{sample.site}", None),
        (f"{sample.doc}@1", sample.doc, None),
        ("2026-02-04", "2026-02-07", "pledge"),
        ("2025-06-01", "2026-02-07", None),
    ]
    for a, b, kind in cases:
        new, old = diff(store, a, b, kind), diff_reference.diff(store, a, b, kind)
        assert new.changes or a == b, (a, b, kind)
        assert new == old, (a, b, kind)
        assert new.records() == old.records()


def test_a_diff_on_a_read_only_store_leaves_no_table_behind(generated):
    store, sample = generated
    diff(store, "2026-02-04", "2026-02-07")
    _, rows = store.query("SELECT table_name FROM duckdb_tables() WHERE temporary")
    assert rows == []


def test_the_key_index_finds_every_compatible_pair(generated):
    """``_candidates`` must propose every pair ``keys.compatible`` accepts: keys of the generated store and
    the same keys stated less specifically (no venue, no round or date, the next round, a city's country)."""
    store, _ = generated
    _, rows = store.query(
        "SELECT DISTINCT claim_key FROM claims "
        "WHERE claim_key LIKE 'event|%' OR claim_key LIKE 'position|country:US|%' ORDER BY claim_key LIMIT 300"
    )
    found = [r[0] for r in rows]
    softer = set()
    for key in found:
        fam, *parts = key.split("|")
        if fam == "event":
            cls, venue, when = (parts + ["", "", ""])[:3]
            softer |= {f"event|{cls}||{when}", f"event|{cls}|{venue}|", f"event|{cls}|{venue}|next"}
            softer.add(f"event|{cls}|{keys.country_of(venue)}|{when}")
        else:
            softer.add("|".join([fam, *parts[:2]]))
    old, new = sorted(set(found)), sorted(softer | set(found[::2]))
    expected = {(o, n) for o in old for n in new if keys.compatible(o, n, {"time": n.rsplit("|", 1)[-1]}, {})}
    expected |= {(o, n) for o in old for n in new if keys.compatible(o, n)}
    assert len(expected) > 100
    assert expected <= set(_candidates(old, new))
