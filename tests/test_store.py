"""DuckDB store: migrations, versions with provenance, idempotent re-ingestion, errors and atomic saves."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from extract.acquire.read import load
from extract.errors import InputError
from extract.ids import claim_id_for, doc_id_for, document_key
from extract.model import (
    Claim,
    Document,
    EntityRef,
    Evidence,
    Mention,
    Quantity,
    Sentence,
    TimeValue,
    Window,
)
from extract.store.db import Store, StoreError
from extract.version import EXTRACTOR_VERSION

JA_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "ft-derived-ja-security-guarantees.txt"
DATA_TABLES = ("documents", "versions", "sentences", "mentions", "claims")

S0 = "The United States will intervene within 72 hours of the first violation."
S1 = "About 30 countries joined the coalition in February 2026."
TEXT = f"{S0}\n{S1}"


def _document(text: str = TEXT) -> Document:
    return Document(
        source="https://news.example.com/a?utm=x",
        url="https://news.example.com/a",
        raw_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        title="Security guarantees",
        published=date(2026, 2, 3),
        site="Example News",
        lang="en",
        lang_score=0.99,
        content_type="text/html",
    )


SENTENCES = [
    Sentence(idx=0, paragraph=0, start=0, end=len(S0), text=S0),
    Sentence(idx=1, paragraph=1, start=len(S0) + 1, end=len(TEXT), text=S1),
]
MENTIONS = [
    Mention(0, 4, 17, "United States", "GPE", "country:US", "ner"),
    Mention(1, len(S0) + 7, len(S0) + 16, "countries", "NORP", None, "gazetteer"),
]
US = EntityRef(text="The United States", entity_id="country:US")
CLAIMS = [
    Claim(
        kind="pledge",
        predicate="intervene",
        evidence=Evidence(sentence_idx=0, sentence=S0, start=23, end=32),
        subject=US,
        modality="planned",
        window=Window(duration="PT72H", bound="within", anchor="the first violation", text="within 72 hours"),
        participants=(US, EntityRef(text="coalition", entity_id=None)),
        confidence=0.8,
        extractor="rules/pledge",
    ),
    Claim(
        kind="quantity",
        predicate="join",
        evidence=Evidence(sentence_idx=1, sentence=S1, start=len(S0) + 1, end=len(TEXT)),
        object=EntityRef(text="the coalition", entity_id=None),
        time=TimeValue(start=date(2026, 2, 1), end=date(2026, 2, 28), granularity="month", text="February 2026"),
        quantity=Quantity(value=30, unit="country", text="About 30 countries", approximate=True),
        confidence=0.7,
        extractor="rules/quantity",
    ),
]


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "db" / "test.duckdb") as opened:
        yield opened


def _counts(store: Store) -> dict[str, int]:
    return {table: store.query(f"SELECT count(*) FROM {table}")[1][0][0] for table in DATA_TABLES}


def test_open_creates_the_folder_and_migrations_are_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "x.duckdb"
    with Store.open(path) as first:
        applied = first.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")[1]
    assert path.exists()
    assert [(version, name) for version, name, _ in applied] == [
        (1, "initial schema"),
        (2, "claim keys, history and analyst views"),
        (3, "fetch state and error reasons for the nightly job"),
        (4, "faster claim_changes"),
        (5, "no stored views that read files"),
        (6, "claim keys from meaning (key versions), new claim fields, syndication fingerprints, disagreements"),
        (7, "versions compared with the latest one; credentials stripped from stored URLs and keys"),
        (8, "error fingerprints: a permanent failure of unchanged content is recorded once"),
        (9, "for SQL users: JSON columns, windows as intervals, comments on every table, view and column"),
        (10, "PLOVER codes on claims"),
    ]

    with Store.open(path) as second:
        assert second.migrate() == []
        assert second.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")[1] == applied
        tables = {row[0] for row in second.query("SELECT table_name FROM information_schema.tables")[1]}
    assert {
        "runs",
        "documents",
        "versions",
        "sentences",
        "entities",
        "mentions",
        "claims",
        "errors",
    } <= tables


def test_saved_version_has_rows_with_provenance(store: Store) -> None:
    run_id = store.start_run("extract run https://news.example.com/a")
    doc = _document()

    version_id = store.save_version(run_id, doc, SENTENCES, MENTIONS, CLAIMS)

    assert version_id
    assert store.is_latest_version(document_key(doc), doc.raw_sha256)
    columns, rows = store.query("SELECT doc_id, doc_key, url, site, first_seen_run FROM documents")
    assert columns == ["doc_id", "doc_key", "url", "site", "first_seen_run"]
    assert rows == [(doc_id_for(doc.url), doc.url, doc.url, "Example News", run_id)]
    assert store.query(
        "SELECT run_id, raw_sha256, text_sha256, published, lang, source, text FROM versions WHERE version_id = ?",
        [version_id],
    )[1] == [(run_id, doc.raw_sha256, doc.text_sha256, date(2026, 2, 3), "en", doc.source, TEXT)]
    assert store.query("SELECT version_id, idx, start_char, end_char, text FROM sentences ORDER BY idx")[1] == [
        (version_id, 0, 0, len(S0), S0),
        (version_id, 1, len(S0) + 1, len(TEXT), S1),
    ]
    assert store.query("SELECT sentence_idx, start_char, end_char, text, entity_id FROM mentions ORDER BY 1")[1] == [
        (0, 4, 17, "United States", "country:US"),
        (1, len(S0) + 7, len(S0) + 16, "countries", None),
    ]


def test_claim_rows_carry_evidence_and_extractor_version(store: Store) -> None:
    run_id = store.start_run("extract run")
    version_id = store.save_version(run_id, _document(), SENTENCES, MENTIONS, CLAIMS)

    pledge, quantity = store.claims()

    assert pledge["claim_id"] == claim_id_for(version_id, CLAIMS[0])
    assert pledge["version_id"] == version_id
    assert pledge["run_id"] == run_id
    assert (pledge["kind"], pledge["predicate"], pledge["subject_id"]) == (
        "pledge",
        "intervene",
        "country:US",
    )
    assert (pledge["sentence_idx"], pledge["evidence_start"], pledge["evidence_end"]) == (0, 23, 32)
    assert pledge["evidence_text"] == S0
    assert (pledge["window_duration"], pledge["window_anchor"]) == ("PT72H", "the first violation")
    assert "coalition" in pledge["participants"]
    assert pledge["extractor_version"] == EXTRACTOR_VERSION
    assert pledge["extractor"] == "rules/pledge"
    assert (pledge["title"], pledge["lang"], pledge["published"]) == (
        "Security guarantees",
        "en",
        date(2026, 2, 3),
    )
    assert (quantity["time_start"], quantity["time_end"], quantity["time_iso"]) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
        "2026-02",
    )
    assert (quantity["quantity_value"], quantity["quantity_unit"], quantity["quantity_approximate"]) == (
        30.0,
        "country",
        True,
    )
    assert [c["kind"] for c in store.claims(kind="quantity")] == ["quantity"]
    assert store.claims(lang="ja") == []
    assert len(store.claims(doc="https://news.example.com/a")) == 2


def test_claim_ids_are_stable_across_databases(tmp_path: Path) -> None:
    ids = []
    for name in ("one.duckdb", "two.duckdb"):
        with Store.open(tmp_path / name) as store:
            store.save_version(store.start_run("run"), _document(), SENTENCES, MENTIONS, CLAIMS)
            ids.append(store.query("SELECT claim_id FROM claims ORDER BY claim_id")[1])
    assert ids[0] == ids[1]
    assert len(ids[0]) == 2


def test_identical_content_is_saved_once(store: Store) -> None:
    first = store.save_version(store.start_run("run 1"), _document(), SENTENCES, MENTIONS, CLAIMS)
    counts = _counts(store)

    again = store.save_version(store.start_run("run 2"), _document(), SENTENCES, MENTIONS, CLAIMS)

    assert first is not None
    assert again is None
    assert _counts(store) == counts == {"documents": 1, "versions": 1, "sentences": 2, "mentions": 2, "claims": 2}


def test_changed_content_is_a_new_version_of_the_same_document(store: Store) -> None:
    first = store.save_version(store.start_run("run 1"), _document(), SENTENCES, MENTIONS, CLAIMS)
    changed = _document(TEXT + "\nOfficials confirmed the plan on Friday.")

    second = store.save_version(store.start_run("run 2"), changed, SENTENCES, [], CLAIMS[:1])

    assert second not in (None, first)
    rows = store.query("SELECT version_id, doc_id FROM versions ORDER BY fetched_at, version_id")[1]
    assert {version for version, _ in rows} == {first, second}
    assert {doc for _, doc in rows} == {doc_id_for("https://news.example.com/a")}
    assert _counts(store) == {"documents": 1, "versions": 2, "sentences": 4, "mentions": 2, "claims": 3}


def test_a_failure_mid_save_leaves_no_partial_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = store.start_run("run")

    insert = Store._insert_rows

    def fail(self: Store, table: str, *args: object) -> None:
        if table == "sentences":
            raise RuntimeError("simulated failure after the version row was inserted")
        insert(self, table, *args)

    with monkeypatch.context() as patch:
        patch.setattr(Store, "_insert_rows", fail)
        with pytest.raises(RuntimeError, match="simulated failure"):
            store.save_version(run_id, _document(), SENTENCES, MENTIONS, CLAIMS)

    assert _counts(store) == dict.fromkeys(DATA_TABLES, 0)
    assert store.save_version(run_id, _document(), SENTENCES, MENTIONS, CLAIMS) is not None
    assert _counts(store)["claims"] == 2


def test_runs_and_errors_are_recorded(store: Store) -> None:
    run_id = store.start_run("extract run corpus/")
    store.record_error(run_id, "corpus/empty.html", InputError("corpus/empty.html", "empty file (0 bytes)"))
    store.finish_run(run_id, "partial", n_sources=3, n_new_versions=1, n_skipped=1, n_errors=1)

    columns, rows = store.query("SELECT run_id, source, error_type, message FROM errors")
    assert columns == ["run_id", "source", "error_type", "message"]
    assert rows == [(run_id, "corpus/empty.html", "InputError", "corpus/empty.html: empty file (0 bytes)")]
    run = store.query(
        "SELECT command, status, extractor_version, n_sources, n_new_versions, n_skipped, n_errors, "
        "finished_at >= started_at FROM runs WHERE run_id = ?",
        [run_id],
    )[1]
    assert run == [("extract run corpus/", "partial", EXTRACTOR_VERSION, 3, 1, 1, 1, True)]


def test_entities_are_upserted(store: Store) -> None:
    cities = [(f"city:{i}", "GPE", f"City {i}", None, "country:US") for i in range(1200)]  # several statements
    us = ("country:US", "GPE", "United States", "米国", None)
    assert store.upsert_entities([us, ("org:NATO", "ORG", "NATO", None, None), *cities]) == 1202
    nato_ja = ("org:NATO", "ORG", "NATO", "北大西洋条約機構", None)
    assert store.upsert_entities([("org:NATO", "ORG", "NATO", "NATO", None), nato_ja]) == 1  # last wins

    rows = store.query("SELECT entity_id, name_ja FROM entities WHERE entity_id NOT LIKE 'city:%' ORDER BY 1")[1]
    assert rows == [("country:US", "米国"), ("org:NATO", "北大西洋条約機構")]
    assert store.query("SELECT count(*) FROM entities WHERE parent_id = ?", ["country:US"])[1] == [(1200,)]


def test_query_binds_parameters(store: Store) -> None:
    columns, rows = store.query("SELECT ? AS quoted, ? + 1 AS n", ["it's; DROP TABLE runs", 41])
    assert columns == ["quoted", "n"]
    assert rows == [("it's; DROP TABLE runs", 42)]


def test_real_japanese_seed_round_trip(store: Store) -> None:
    doc = load(str(JA_SEED))
    run_id = store.start_run(f"extract run {JA_SEED}")

    version_id = store.save_version(run_id, doc, [], [], [])

    doc_key, text, lang = store.query(
        "SELECT d.doc_key, v.text, v.lang FROM versions v JOIN documents d USING (doc_id) WHERE version_id = ?",
        [version_id],
    )[1][0]
    assert doc_key == "file:" + str(JA_SEED.resolve())
    assert "第1段階" in text
    assert lang == "ja"
    assert store.save_version(run_id, load(str(JA_SEED)), [], [], []) is None


def test_upgrading_an_old_database_backfills_claim_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extract.store.db as store_module
    from extract.claims import keys
    from extract.store import rows

    path = tmp_path / "old.duckdb"
    first_columns = {
        line.split()[0]
        for line in store_module.MIGRATIONS[0].sql.split("CREATE TABLE claims (")[1].split(");")[0].splitlines()
        if line.strip()
    }

    def old_records(version_id, run_id, claims):  # rows of the first schema, without keys
        return [
            {k: v for k, v in rows.claim_record(version_id, run_id, c).items() if k in first_columns} for c in claims
        ]

    with monkeypatch.context() as old_code:  # the code as it was before claim keys existed
        old_code.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:1])
        old_code.setattr(rows, "claim_records", old_records)
        old_code.setattr(store_module, "_fingerprint", lambda *args: None)
        with Store.open(path) as old:
            old.save_version(old.start_run("old run"), _document(), SENTENCES, MENTIONS, CLAIMS)

    with Store.open(path) as upgraded:
        columns, rows = upgraded.query("SELECT * FROM claims ORDER BY kind")
        versions = [r[0] for r in upgraded.query("SELECT version FROM schema_migrations ORDER BY version")[1]]
    assert versions == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    records = [dict(zip(columns, r, strict=True)) for r in rows]
    assert [r["claim_key"] for r in records] == ["pledge|coalition+country:US|intervene", "quantity||country"]
    assert [r["claim_value"] for r in records] == [
        keys.value_json(
            {
                "stance": "will",
                "certainty": "committed",
                "window": "PT72H",
                "bound": "within",
                "anchor": "first_violation",
            }
        ),
        keys.value_json({"value": "30"}),
    ]
    assert {r["key_version"] for r in records} == {keys.KEY_VERSION}


# -- read-only opening (issue 9) ----------------------------------------------------------------------------


def _saved(path: Path) -> Path:
    with Store.open(path) as store:
        store.save_version(store.start_run("run"), _document(), SENTENCES, MENTIONS, CLAIMS)
    return path


def test_read_only_store_reads_but_cannot_write_or_reach_files(tmp_path: Path) -> None:
    path = _saved(tmp_path / "db.duckdb")
    beside = tmp_path / "beside.csv"
    beside.write_text("a,b\n1,2\n", encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with Store.open_readonly(path) as store, Store.open_readonly(path) as second:
        assert [c["kind"] for c in store.claims()] == ["pledge", "quantity"]
        assert second.query("SELECT count(*) FROM current_claims")[1] == [(2,)]
        settings = store.query(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', "
            "'autoinstall_known_extensions', 'autoload_known_extensions', 'lock_configuration') ORDER BY name"
        )[1]
        assert settings == [
            ("autoinstall_known_extensions", "false"),
            ("autoload_known_extensions", "false"),
            ("enable_external_access", "false"),
            ("lock_configuration", "true"),
        ]
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            store.query("DELETE FROM claims")
        with pytest.raises(duckdb.PermissionException):
            store.query("SELECT * FROM read_csv(?)", [str(beside)])
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            store.query("SET enable_external_access = true")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_read_only_open_of_a_missing_file_names_it_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "extract.duckdb"
    with pytest.raises(StoreError, match=re.escape(f"{missing}: no such database")):
        Store.open_readonly(missing)
    with pytest.raises(StoreError, match=re.escape(f"{missing}: no such database")):
        Store.open(missing, create=False)
    assert not missing.parent.exists()
    with pytest.raises(StoreError, match="not a database file"):
        Store.open_readonly(tmp_path)


def test_read_only_open_names_pending_migrations(tmp_path: Path) -> None:
    path = _saved(tmp_path / "db.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM schema_migrations WHERE version >= 4")
    with pytest.raises(StoreError) as raised:
        Store.open_readonly(path)
    message = str(raised.value)
    assert "\n" not in message
    assert "migration 4 (faster claim_changes), 5 (no stored views that read files), 6 (" in message
    assert f"extract migrate --db {path}" in message

    with Store.open(path, create=False, migrate=False) as store:
        assert [m.version for m in store.pending_migrations()] == [4, 5, 6, 7, 8, 9, 10]
        assert store.migrate() == [4, 5, 6, 7, 8, 9, 10]  # all safe to run again (CREATE OR REPLACE, IF [NOT] EXISTS)
    with Store.open_readonly(path) as store:
        assert store.pending_migrations() == []


def test_an_empty_database_file_is_not_a_store_yet(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(StoreError, match=r"needs migration 1 \(initial schema\), 2 "):
        Store.open_readonly(path)


def test_migration_drops_stored_views_that_read_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extract.store.db as store_module

    parquet = tmp_path / "claims.parquet"
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT 1 AS a) TO '{parquet}' (FORMAT parquet)")
    path = tmp_path / "old.duckdb"
    with monkeypatch.context() as old_code:  # a store from before migration 5, with a Ray import's views
        old_code.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:4])
        with Store.open(path) as old:
            old.con.execute(f"CREATE VIEW ray_claims AS SELECT * FROM read_parquet('{parquet}')")
    with Store.open(path) as upgraded:
        views = upgraded.query("SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'ray_%'")[1]
    assert views == []


def test_content_that_returns_to_an_earlier_version_is_the_current_version_again(store: Store) -> None:
    a, b = _document(), _document(TEXT + "\nOfficials confirmed the plan on Friday.")
    first = store.save_version(store.start_run("run 1"), a, SENTENCES, MENTIONS, CLAIMS)
    store.save_version(store.start_run("run 2"), b, SENTENCES, [], CLAIMS[:1])
    assert not store.is_latest_version(document_key(a), a.raw_sha256)

    back = store.save_version(store.start_run("run 3"), a, SENTENCES, MENTIONS, CLAIMS)

    assert back not in (None, first)
    assert store.is_latest_version(document_key(a), a.raw_sha256)
    assert store.save_version(store.start_run("run 4"), a, SENTENCES, MENTIONS, CLAIMS) is None
    history = store.query("SELECT version_id, version_no, valid_to FROM version_history ORDER BY version_no")[1]
    assert [(v, n) for v, n, _ in history][-1] == (back, 3) and history[-1][2] is None
    current = store.query("SELECT DISTINCT version_id FROM current_claims")[1]
    assert current == [(back,)]


SECRET_URL = "https://reader:s3cret@news.example.com/a"


def _secrets(store: Store) -> list[tuple]:
    rows = []
    for table in ("documents", "versions", "errors", "fetch_state"):
        columns = [c for c in store.query(f"SELECT * FROM {table} LIMIT 0")[0] if c not in ("text", "signature")]
        quoted = ", ".join(f'"{c}"' for c in columns)
        found = store.query(f"SELECT {quoted} FROM {table}")[1]
        rows += [(table, row) for row in found if "s3cret" in repr(row)]
    return rows


def test_credentials_are_stripped_from_stored_urls_keys_and_errors(store: Store) -> None:
    run_id = store.start_run("run")
    with_secret = replace(_document(), source=SECRET_URL, url=SECRET_URL)
    store.save_version(run_id, with_secret, SENTENCES, MENTIONS, CLAIMS)
    store.save_fetch_state(SECRET_URL, run_id, status=200, raw_sha256="x", doc_key=SECRET_URL)
    store.record_error(run_id, SECRET_URL, InputError(SECRET_URL, f"HTTP error 404 at {SECRET_URL}/b"))

    assert _secrets(store) == []
    assert store.query("SELECT doc_key FROM documents")[1] == [("https://news.example.com/a",)]
    assert store.is_latest_version("https://news.example.com/a", with_secret.raw_sha256)  # one document, not two
    message = store.query("SELECT message FROM errors")[1][0][0]
    assert message == "https://news.example.com/a: HTTP error 404 at https://news.example.com/a/b"


def test_migration_strips_credentials_stored_before_and_merges_the_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extract.store.db as store_module

    path = tmp_path / "old.duckdb"
    with monkeypatch.context() as old_code:  # stored by the code before migration 7, which kept credentials
        old_code.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:6])
        old_code.setattr(store_module, "without_credentials", lambda text: text)
        old_code.setattr("extract.store.rows.without_credentials", lambda text: text)
        old_code.setattr(store_module, "document_key", lambda doc: doc.url)
        with Store.open(path) as old:
            run_id = old.start_run("run")
            old.save_version(run_id, _document(), SENTENCES, MENTIONS, CLAIMS)
            changed = _document(TEXT + "\nOfficials confirmed the plan on Friday.")
            old.save_version(run_id, replace(changed, source=SECRET_URL, url=SECRET_URL), SENTENCES, [], CLAIMS)
            old.save_fetch_state(SECRET_URL, run_id, status=200, doc_key=SECRET_URL)
            old.record_error(run_id, SECRET_URL, InputError(SECRET_URL, "HTTP error 500"))
            assert len(_secrets(old)) == 4  # a row in each table
    with Store.open(path) as upgraded:
        assert _secrets(upgraded) == []
        assert upgraded.query("SELECT doc_key FROM documents")[1] == [("https://news.example.com/a",)]
        versions = upgraded.query("SELECT doc_key, version_no FROM version_history ORDER BY version_no")[1]
        assert versions == [("https://news.example.com/a", 1), ("https://news.example.com/a", 2)]
        assert upgraded.fetch_state("https://news.example.com/a")["doc_key"] == "https://news.example.com/a"


def test_a_version_keeps_the_warnings_of_its_decoding(store: Store) -> None:
    warned = replace(_document(), warnings=("1 undecodable byte sequence(s) replaced with U+FFFD (decoded as UTF-8)",))
    store.save_version(store.start_run("run"), warned, SENTENCES, MENTIONS, CLAIMS)
    assert store.query("SELECT warnings FROM versions")[1] == [warned.warnings]


# -- the schema for SQL users (issue 15) ---------------------------------------------------------------------


def test_upgrade_makes_json_columns_and_window_intervals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extract.store.db as store_module

    path = tmp_path / "old.duckdb"
    with monkeypatch.context() as old_code:  # a store written by the code before migration 7
        old_code.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:6])
        with Store.open(path) as old:
            run_id = old.start_run("test")
            old.save_version(run_id, _document(), SENTENCES, MENTIONS, CLAIMS)
            before = old.query("SELECT claim_id, claim_value, participants FROM claims ORDER BY claim_id")[1]
            assert old.query("SELECT DISTINCT typeof(claim_value) FROM claims")[1] == [("VARCHAR",)]
    with Store.open(path) as upgraded:
        assert upgraded.query("SELECT claim_id, claim_value, participants FROM claims ORDER BY claim_id")[1] == before
        _, types = upgraded.query("SELECT DISTINCT typeof(claim_value), typeof(participants) FROM claims")
        assert types == [("JSON", "JSON")]
        _, rows = upgraded.query(
            "SELECT window_duration, window_interval, claim_value->>'$.window' FROM current_claims "
            "WHERE kind = 'pledge'"
        )
        assert rows == [("PT72H", timedelta(hours=72), "PT72H")]  # JSON operators work on the stored value
        n_indexes = upgraded.query("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'claims'")[1]
        assert n_indexes == [(4,)]  # dropped for the type change, and back


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("PT72H", timedelta(hours=72)),
        ("PT24H", timedelta(hours=24)),
        ("P1W", timedelta(weeks=1)),
        ("P2D", timedelta(days=2)),
        ("PT90M", timedelta(minutes=90)),
        ("PT1.5S", timedelta(seconds=1.5)),
        ("P1DT12H", timedelta(days=1, hours=12)),
        ("P", None),
        ("72 hours", None),
        (None, None),
    ],
)
def test_iso_interval_reads_iso_durations(store: Store, text: str | None, interval: timedelta | None) -> None:
    assert store.query("SELECT iso_interval(?)", [text])[1] == [(interval,)]


def test_every_table_view_and_column_has_a_comment(store: Store) -> None:
    run_id = store.start_run("test")
    store.save_version(run_id, _document(), SENTENCES, MENTIONS, CLAIMS)
    _, objects = store.query(
        "SELECT table_name, comment FROM duckdb_tables() WHERE NOT internal "
        "UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE NOT internal "
        "UNION ALL SELECT function_name, comment FROM duckdb_functions() WHERE function_type LIKE '%macro' "
        "AND NOT internal"
    )
    assert {"claims", "pledges", "claim_history", "disagreements", "corpus_as_of", "iso_interval"} <= {
        name for name, _ in objects
    }
    assert [name for name, comment in objects if not comment] == []
    _, columns = store.query(
        "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() WHERE NOT internal"
    )
    assert [(t, c) for t, c, _, comment in columns if not comment] == []
    timestamps = [(t, c, comment) for t, c, data_type, comment in columns if data_type.startswith("TIMESTAMP")]
    assert timestamps and all("UTC" in comment for _, _, comment in timestamps), timestamps


def test_schema_lists_objects_and_their_columns(store: Store) -> None:
    listing = store.schema()
    assert listing.columns == ["name", "kind", "comment"]
    kinds = dict(zip(listing.table.column("name").to_pylist(), listing.table.column("kind").to_pylist(), strict=True))
    assert (kinds["claims"], kinds["pledges"], kinds["corpus_as_of"]) == ("table", "view", "table macro")
    tiers = store.schema("tiers")
    assert tiers.columns == ["column", "type", "comment"]
    types = dict(zip(tiers.table.column("column").to_pylist(), tiers.table.column("type").to_pylist(), strict=True))
    assert (types["window_duration"], types["window_interval"]) == ("VARCHAR", "INTERVAL")
    with pytest.raises(StoreError, match="no table or view named 'tier'"):
        store.schema("tier")
