"""Re-keying: a store written by the previous version (schema migrations 1-5, the old key rules) is opened by this
code, and its claims get keys from meaning, recorded with their key version; a later key rule change re-keys
through ``extract migrate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import reports

import extract.store.db as store_module
from extract.claims import keys
from extract.cli import main
from extract.ids import doc_id_for, version_id_for
from extract.lang import predicates
from extract.run.extraction import extract_file
from extract.store.db import MIGRATIONS, Store, StoreError
from extract.store.rows import claim_record

PAGES = ("PLAN_EN", "PLAN_JA", "SWAP_EACH_EN", "SWAP_EACH_JA")


# --- the previous version's key rules (src/extract/claims/keys.py before issue 11), verbatim in substance ----------


def _old_family(row):
    known = predicates().get(row["predicate"])
    commitment = known is not None and known.family in ("commitment", "event")
    if commitment and (row["kind"] == "pledge" or (row["kind"] == "position" and row["polarity"] == "negative")):
        return "pledge"
    return row["kind"]


def _old_key(row):
    fam, actor = _old_family(row), keys.actor(row["subject_id"]) or row["subject_text"] or ""
    if fam == "pledge":
        return "|".join([fam, actor, row["predicate"]])
    if fam == "position":
        predicate = "accept" if row["predicate"] == "reject" else row["predicate"]
        return "|".join([fam, actor, predicate, row["object_id"] or ""])
    if fam == "tier":
        return f"tier|{row['tier']}"
    if fam == "event":
        return "|".join([fam, row["predicate"], row["location_id"] or "", keys.event_round(row["object_text"])])
    return "|".join([fam, actor, row["quantity_unit"] or ""])


def _old_value(row):
    fam = _old_family(row)
    if fam == "pledge":
        value = {"stance": "will not" if row["polarity"] == "negative" else "will", "window": row["window_duration"]}
    elif fam == "event":
        value = {"time": row["time_iso"]}
    else:
        value = {"value": str(row["quantity_value"])} if row["quantity_value"] is not None else {}
    return json.dumps(dict(sorted((k, v) for k, v in value.items() if v)), ensure_ascii=False)


def old_store(path: Path, pages_dir: Path) -> int:
    """A store as the previous version wrote it: schema migrations 1-5, claims keyed by the old rules, no key
    version, no fingerprints. Returns the number of claims."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    for m in MIGRATIONS[:5]:
        con.execute(m.sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [m.version, m.name])
    old_columns = {r[0] for r in con.execute("DESCRIBE claims").fetchall()}
    n = 0
    for name in PAGES:
        page = reports.page(pages_dir / f"{name}.html", **getattr(reports, name))
        extraction = extract_file(str(page))
        doc = extraction.document
        doc_key = doc.url
        doc_id = doc_id_for(doc_key)
        version_id = version_id_for(doc_id, doc.raw_sha256)
        con.execute("INSERT INTO documents VALUES (?, ?, ?, ?, 'old-run', now())", [doc_id, doc_key, doc.url, doc.site])
        con.execute(
            "INSERT INTO versions VALUES (?, ?, 'old-run', ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)",
            [version_id, doc_id, doc.raw_sha256, doc.text_sha256, doc.title, doc.published, doc.lang,
             doc.lang_score, doc.content_type, doc.source, doc.text],
        )  # fmt: skip
        for claim in extraction.claims:
            row = {k: v for k, v in claim_record(version_id, "old-run", claim).items() if k in old_columns}
            row |= {"claim_key": _old_key(row), "claim_value": _old_value(row)}
            con.execute(
                f"INSERT INTO claims ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)}) ON CONFLICT DO NOTHING",
                list(row.values()),
            )
            n += 1
    con.close()
    return n


@pytest.fixture
def old(tmp_path):
    path = tmp_path / "old.duckdb"
    old_store(path, tmp_path)
    return path


def _claims(path: Path) -> list[dict]:
    with Store.open_readonly(path) as s:
        columns, rows = s.query("SELECT * FROM claims ORDER BY claim_id")
    return [dict(zip(columns, r, strict=True)) for r in rows]


def test_a_store_of_the_previous_version_is_re_keyed(old):
    import duckdb

    with duckdb.connect(str(old), read_only=True) as con:
        before = dict(con.execute("SELECT claim_id, claim_key FROM claims").fetchall())
    assert "position|country:UA|accept|country:US" in before.values()  # "the U.S.-drafted peace plan"
    with pytest.raises(StoreError, match="needs migration 6"):
        Store.open_readonly(old)

    with Store.open(old, create=False) as store:
        applied = [r[0] for r in store.query("SELECT version FROM schema_migrations ORDER BY 1")[1]]
        assert applied == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        _, recorded = store.query("SELECT key_version, n_claims FROM key_versions")
        _, fingerprinted = store.query("SELECT count(*) FROM fingerprints")
    assert recorded == [(keys.KEY_VERSION, len(before))]
    assert fingerprinted == [(len(PAGES),)]

    after = _claims(old)
    assert {r["key_version"] for r in after} == {keys.KEY_VERSION}
    by_id = {r["claim_id"]: r for r in after}
    assert set(by_id) == set(before)  # the same claims, re-keyed in place
    new_keys = {r["claim_key"] for r in after}
    assert "position|country:UA|accept|plan" in new_keys  # the plan, not the country that drafted it
    assert "pledge|country:RU+country:UA|exchange" in new_keys  # "exchanged 157 prisoners each", joint actor
    # Every stored claim has the key and value this code computes for it.
    with Store.open_readonly(old) as store:
        _, rows = store.query("SELECT * FROM claims")
        columns = [d[0] for d in store.con.description]
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        assert row["claim_key"] and json.loads(row["claim_value"]) is not None
    swap = [json.loads(r["claim_value"]) for r in after if r["claim_key"] == "pledge|country:RU+country:UA|exchange"]
    # The old schema had no column for the scope ("each"): a re-keyed claim cannot know it, so it states none.
    assert {(v["quantity"], v.get("scope")) for v in swap} == {("157 person", None)}


def test_new_key_rules_re_key_through_migrate(old, monkeypatch, capsys):
    with Store.open(old, create=False):
        pass
    monkeypatch.setattr(keys, "KEY_VERSION", keys.KEY_VERSION + 1)
    with pytest.raises(StoreError, match=rf"claims have keys of other key rules than key version {keys.KEY_VERSION}"):
        Store.open_readonly(old)
    assert main(["claims", "--db", str(old)]) == 2
    assert "extract migrate" in capsys.readouterr().err

    assert main(["migrate", "--db", str(old)]) == 0
    out = capsys.readouterr().out
    assert f"re-keyed {len(_raw(old))} claims with key version {keys.KEY_VERSION}" in out
    assert {r["key_version"] for r in _claims(old)} == {keys.KEY_VERSION}
    with Store.open_readonly(old) as store:
        _, versions = store.query("SELECT key_version FROM key_versions ORDER BY applied_at")
    assert [v for (v,) in versions] == [keys.KEY_VERSION - 1, keys.KEY_VERSION]
    assert main(["migrate", "--db", str(old)]) == 0
    assert "up to date" in capsys.readouterr().out


def _raw(path: Path) -> list:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT claim_id FROM claims").fetchall()


def test_rekey_only_touches_stale_claims(tmp_path):
    path = tmp_path / "fresh.duckdb"
    with Store.open(path) as store:
        page = reports.page(tmp_path / "p.html", **reports.TIERS_V1)
        from extract.run.ingest import ingest

        ingest(store, [str(page)], processes=1)
        assert store.stale_keys() == 0
        assert store_module.rekey(store.con) == 0
        store.con.execute("UPDATE claims SET claim_key = 'tier|3', key_version = 1 WHERE tier = 3")
        assert store.stale_keys() == 1
        store.migrate()
        assert store.rekeyed == 2  # the claims of a version are keyed together (joint acts span claims)
        assert store.query("SELECT claim_key FROM claims WHERE tier = 3")[1] == [("tier|3|respond",)]
