"""The Ray engine on a local two-CPU cluster: the bundled samples plus an empty file, through real NLP.

The expensive parts run once per module: one Ray run into Parquet (``ray_run``) and, for comparison, the local
engine on the same files (``local_db``). Tests then check the Parquet tables, the temporary ``ray_*`` views, and
that importing them gives a store whose rows are those of the local engine (run ids and timestamps aside) and
that reads no files; and that ``extract run`` (the nightly job) on Ray actors stores what it stores locally.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

ray = pytest.importorskip("ray")
pq = pytest.importorskip("pyarrow.parquet")

from conftest import EN_SAMPLE, JA_SAMPLE  # noqa: E402

from extract.cli import main  # noqa: E402
from extract.nlp.gazetteer import load_gazetteer  # noqa: E402
from extract.run import ray as engine_ray  # noqa: E402
from extract.run.ingest import ingest  # noqa: E402
from extract.run.nightly import load_config, run_nightly  # noqa: E402
from extract.run.ray import RayRunResult, ingest_ray  # noqa: E402
from extract.store.db import MIGRATIONS, PARQUET_TABLES, Store  # noqa: E402
from extract.store.sinks import table_schemas  # noqa: E402

# Keep Ray local and quiet: no usage reporting, no log deduplication noise.
RAY_ENV = {"RAY_DISABLE_USAGE_STATS": "1", "RAY_USAGE_STATS_ENABLED": "0", "RAY_DEDUP_LOGS": "0"}
CLAIM_SIGNATURE = "claim_key, claim_value, evidence_start, evidence_end"
# Columns that legitimately differ between two runs of the same input: run ids and wall-clock times.
RUN_COLUMNS = {
    "documents": ("first_seen_run", "first_seen_at"),
    "versions": ("run_id", "fetched_at"),
    "sentences": (),
    "mentions": (),
    "claims": ("run_id",),
}
ALL_TIERS = {(lang, tier) for lang in ("en", "ja") for tier in (1, 2, 3)}

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")  # Ray's own deprecated settings


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        for name, value in RAY_ENV.items():
            env.setenv(name, value)
        engine_ray.init_ray(num_cpus=2)
        try:
            yield
        finally:
            ray.shutdown()


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copy(EN_SAMPLE, inbox / EN_SAMPLE.name)
    shutil.copy(JA_SAMPLE, inbox / JA_SAMPLE.name)
    (inbox / "empty.html").write_bytes(b"")
    return [str(inbox / EN_SAMPLE.name), str(inbox / JA_SAMPLE.name), str(inbox / "empty.html")]


@pytest.fixture(scope="module")
def ray_run(ray_cluster: None, sources: list[str], tmp_path_factory: pytest.TempPathFactory) -> RayRunResult:
    out = tmp_path_factory.mktemp("ray") / "parquet"
    return ingest_ray(sources, out, num_cpus=2)


@pytest.fixture(scope="module")
def local_db(sources: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    with Store.open(db) as store:
        ingest(store, sources, processes=1)
    return db


@pytest.fixture
def local(local_db: Path) -> Iterator[Store]:
    with Store.open(local_db) as store:
        yield store


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "fresh.duckdb") as store:
        yield store


def import_into(store: Store, out_dir: Path) -> int:
    """What ``extract ingest --engine ray`` does after the Ray run."""
    store.upsert_entities(load_gazetteer().rows())
    return store.import_parquet(out_dir)


def _rows(store: Store, sql: str, params: list | None = None) -> list[tuple]:
    return store.query(sql, params)[1]


def _without_run(row: dict) -> dict:
    return {column: value for column, value in row.items() if column != "run_id"}


def test_run_reports_every_source(ray_run: RayRunResult, sources: list[str]):
    # as the local engine reports them: a source that cannot be read at once, the others as the NLP ends
    assert [(r.source, r.status) for r in ray_run.summary.results] == [
        (sources[2], "error"),
        (sources[0], "new"),
        (sources[1], "new"),
    ]
    assert (ray_run.documents, ray_run.unchanged, ray_run.errors) == (2, 0, 1)
    assert ray_run.claims == sum(r.n_claims for r in ray_run.summary.results) > 0
    assert (ray_run.status, ray_run.exit_code) == ("partial", 1)
    assert "empty" in ray_run.summary.results[0].error


def test_every_table_is_written_as_parquet(ray_run: RayRunResult):
    for table in PARQUET_TABLES:
        files = sorted(ray_run.table_dir(table).glob("*.parquet"))
        assert files, f"no Parquet files for {table}"
        assert pq.read_schema(files[0]).remove_metadata() == table_schemas()[table]


def test_views_have_the_store_columns(ray_run: RayRunResult, fresh: Store):
    fresh.attach_parquet(ray_run.out_dir)
    for table in PARQUET_TABLES:
        view = [row[:2] for row in _rows(fresh, f"DESCRIBE ray_{table}")]
        assert view == [row[:2] for row in _rows(fresh, f"DESCRIBE {table}")], table


def test_errors_table_has_the_bad_file(ray_run: RayRunResult, sources: list[str], fresh: Store, local: Store):
    fresh.attach_parquet(ray_run.out_dir)
    errors = _rows(fresh, "SELECT source, error_type, message, run_id FROM ray_errors")
    assert errors == [(sources[2], "InputError", f"{sources[2]}: empty file (0 bytes)", ray_run.run_id)]
    assert [e[:3] for e in errors] == _rows(local, "SELECT source, error_type, message FROM errors")


def test_attached_claims_equal_the_local_engine_claims(ray_run: RayRunResult, fresh: Store, local: Store):
    fresh.attach_parquet(ray_run.out_dir)
    ray_claims = Counter(_rows(fresh, f"SELECT {CLAIM_SIGNATURE} FROM ray_claims"))
    local_claims = Counter(_rows(local, f"SELECT {CLAIM_SIGNATURE} FROM claims"))
    assert ray_claims == local_claims
    assert sum(ray_claims.values()) == ray_run.claims


def test_attached_rows_equal_the_local_engine_rows(ray_run: RayRunResult, fresh: Store, local: Store):
    fresh.attach_parquet(ray_run.out_dir)
    for table, varying in RUN_COLUMNS.items():
        exclude = f" EXCLUDE ({', '.join(varying)})" if varying else ""
        ray_rows = _rows(fresh, f"SELECT *{exclude} FROM ray_{table} ORDER BY ALL")
        assert ray_rows == _rows(local, f"SELECT *{exclude} FROM {table} ORDER BY ALL"), table


def test_import_gives_the_local_store_claims(ray_run: RayRunResult, fresh: Store, local: Store):
    assert import_into(fresh, ray_run.out_dir) == 2
    claims = fresh.claims()
    assert [_without_run(c) for c in claims] == [_without_run(c) for c in local.claims()]
    assert {c["run_id"] for c in claims} == {ray_run.run_id}
    assert {(c["lang"], c["tier"]) for c in fresh.claims(kind="tier")} == ALL_TIERS
    assert _rows(fresh, "SELECT tier, lang FROM tiers ORDER BY ALL") == _rows(
        local, "SELECT tier, lang FROM tiers ORDER BY ALL"
    )
    run = _rows(fresh, "SELECT status, n_sources, n_new_versions, n_skipped, n_errors FROM runs")
    assert run == [("partial", 3, 2, 0, 1)]


def test_import_twice_adds_nothing(ray_run: RayRunResult, fresh: Store):
    import_into(fresh, ray_run.out_dir)
    counts = "SELECT (SELECT count(*) FROM versions), (SELECT count(*) FROM claims), (SELECT count(*) FROM errors)"
    before = _rows(fresh, counts)
    assert import_into(fresh, ray_run.out_dir) == 0
    assert _rows(fresh, counts) == before


def test_import_skips_versions_already_stored(ray_run: RayRunResult, local_db: Path, tmp_path: Path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(local_db, db)
    with Store.open(db) as store:
        n_claims = len(store.claims())
        assert import_into(store, ray_run.out_dir) == 0
        assert len(store.claims()) == n_claims
        run = _rows(store, "SELECT n_new_versions, n_skipped, n_errors FROM runs WHERE run_id = ?", [ray_run.run_id])
        assert run == [(0, 2, 1)]


def test_known_and_repeated_versions_are_skipped(ray_cluster: None, sources: list[str], local: Store, tmp_path: Path):
    en_versions = {row[0] for row in _rows(local, "SELECT version_id FROM versions WHERE lang = 'en'")}
    known = local.version_ids() - en_versions  # the Japanese sample is "already stored"
    en, ja = sources[0], sources[1]
    result = ingest_ray([en, ja, en], tmp_path / "out", num_cpus=2, known_versions=known)
    # the stored one is reported as soon as it is read, the others once their NLP is done
    assert [(r.source, r.status) for r in result.summary.results] == [(ja, "unchanged"), (en, "new"), (en, "unchanged")]
    with Store.open(tmp_path / "db.duckdb") as store:
        store.attach_parquet(result.out_dir)
        assert _rows(store, "SELECT source, lang FROM ray_versions") == [(en, "en")]
        assert _rows(store, "SELECT count(DISTINCT version_id), count(*) FROM ray_claims") == [(1, result.claims)]


def test_no_sources_still_writes_every_table(tmp_path: Path):
    result = ingest_ray([], tmp_path / "out")
    assert (result.documents, result.errors, result.claims) == (0, 0, 0)
    with Store.open(tmp_path / "db.duckdb") as store:
        assert import_into(store, result.out_dir) == 0
        assert _rows(store, "SELECT count(*) FROM ray_claims") == [(0,)]
        assert _rows(store, "SELECT status, n_sources FROM runs") == [("ok", 0)]


def test_attach_refuses_a_folder_without_parquet(tmp_path: Path, fresh: Store):
    with pytest.raises(FileNotFoundError, match="no Parquet files"):
        fresh.attach_parquet(tmp_path)


def test_views_are_temporary_and_the_stored_database_reads_no_files(
    ray_run: RayRunResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "imported.duckdb"
    with Store.open(db) as store:
        assert import_into(store, ray_run.out_dir) == 2
        views = _rows(store, "SELECT view_name, temporary FROM duckdb_views() WHERE view_name LIKE 'ray_%'")
        assert sorted(views) == sorted((f"ray_{table}", True) for table in PARQUET_TABLES)
    with Store.open_readonly(db) as store:  # what analysts open: no trace of the Parquet files
        assert _rows(store, "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'ray_%'") == [(0,)]
        assert _rows(store, "SELECT count(*) FROM versions") == [(2,)]
        with pytest.raises(duckdb.PermissionException):
            store.attach_parquet(ray_run.out_dir)  # a read-only connection cannot read them either
    assert main(["sql", "SELECT count(*) AS n FROM claims", "--format", "csv", "--db", str(db)]) == 0
    assert capsys.readouterr().out.split() == ["n", str(ray_run.claims)]


def test_migration_drops_the_views_of_every_ray_table() -> None:
    dropped = MIGRATIONS[4].sql
    assert MIGRATIONS[4].name == "no stored views that read files"
    assert all(f"DROP VIEW IF EXISTS ray_{table};" in dropped for table in PARQUET_TABLES)


def test_run_on_ray_stores_what_the_local_run_stores(ray_cluster: None, sources: list[str], tmp_path: Path):
    inbox = Path(sources[0]).parent
    stored = {}
    for engine in ("local", "ray"):
        pipeline = tmp_path / f"{engine}.toml"
        pipeline.write_text(f'[store]\ndb = "{engine}.duckdb"\n\n[[sources]]\nname = "inbox"\nfolder = "{inbox}"\n')
        if engine == "ray":  # the command line: ``extract run --engine ray``
            assert main(["run", str(pipeline), "--engine", "ray", "--processes", "2", "--quiet"]) == 1
        else:
            summary = run_nightly(load_config(pipeline), processes=1)
            statuses = sorted((r.source, r.status) for r in summary.results)
            assert statuses == sorted(zip(sources, ["new", "new", "error"], strict=True))
        with Store.open(tmp_path / f"{engine}.duckdb") as store:
            tables = {}
            for table, varying in RUN_COLUMNS.items():
                exclude = f" EXCLUDE ({', '.join(varying)})" if varying else ""
                tables[table] = _rows(store, f"SELECT *{exclude} FROM {table} ORDER BY ALL")
            tables["errors"] = _rows(store, "SELECT source, error_type, message, reason FROM errors")
            tables["runs"] = _rows(store, "SELECT status, n_sources, n_new_versions, n_skipped, n_errors FROM runs")
            stored[engine] = tables
    assert stored["ray"] == stored["local"]
    assert stored["ray"]["runs"] == [("partial", 3, 2, 0, 1)]


def test_ingest_on_ray_from_the_command_line_stores_what_the_local_engine_stores(
    ray_cluster: None, sources: list[str], local: Store, tmp_path: Path
) -> None:
    db = tmp_path / "cli.duckdb"
    assert main(["ingest", *sources, "--engine", "ray", "--processes", "2", "--db", str(db), "--quiet"]) == 1
    with Store.open(db) as store:
        assert [_without_run(c) for c in store.claims()] == [_without_run(c) for c in local.claims()]
        assert _rows(store, "SELECT count(*) FROM fingerprints") == [(2,)]  # imported versions are fingerprinted
