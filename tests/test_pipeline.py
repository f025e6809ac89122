"""End to end: ``pipeline.ingest`` on real files (good and bad) into a real DuckDB file, with real NLP.

The expensive part (spaCy models + two articles) runs once per module: ``first_run`` ingests a folder with
the two bundled samples and four bad inputs, closes the database and keeps a pristine copy of it. Tests that
only read use ``store`` (opened on the first-run database); tests that write start from a copy of the pristine
database, so the order in which tests run does not matter.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from extract.ids import doc_id_for
from extract.model import RunSummary
from extract.run.ingest import ingest
from extract.store.db import Store
from extract.version import EXTRACTOR_VERSION

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
EN_SAMPLE = SAMPLES / "en-security-guarantees.html"
JA_SAMPLE = SAMPLES / "ja-coalition-update.html"
EN_URL = "https://example-news.test/world/ukraine-security-guarantees-72-hours"
JA_URL = "https://example-news.test/ja/coalition-update"

DATA_TABLES = ("documents", "versions", "sentences", "mentions", "claims")
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(64)
SCRIPT_ONLY_HTML = (
    "<!DOCTYPE html>\n<html><head><title></title>"
    "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>"
    "</head><body><script>document.write('Loading the latest news for you, please wait a moment');</script>"
    "</body></html>\n"
)
POLISH = (
    "Rząd w Warszawie zdecydował w środę o znacznym zwiększeniu wydatków na obronność w najbliższych latach. "
    "Premier powiedział, że Europa musi wziąć większą odpowiedzialność za własne bezpieczeństwo i nie może "
    "polegać wyłącznie na Stanach Zjednoczonych. Opozycja skrytykowała plan jako zbyt kosztowny.\n"
)
# bad file name -> words its error message must contain (lower-cased)
BAD_INPUTS = {
    "empty.html": ("empty",),
    "binary.html": ("binary", "png"),
    "script-only.html": ("no extractable main text",),
    "polish.txt": ("language", "'pl'"),
}


@dataclass(frozen=True)
class FirstRun:
    folder: Path
    db: Path
    pristine: Path  # copy of ``db`` taken right after the first run, never opened by tests
    summary: RunSummary


def _make_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(EN_SAMPLE, folder / EN_SAMPLE.name)
    shutil.copy(JA_SAMPLE, folder / JA_SAMPLE.name)
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(PNG_BYTES)
    (folder / "script-only.html").write_text(SCRIPT_ONLY_HTML, encoding="utf-8")
    (folder / "polish.txt").write_text(POLISH, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    base = tmp_path_factory.mktemp("pipeline")
    folder = _make_folder(base / "inbox")
    db = base / "first.duckdb"
    with Store.open(db) as store:
        summary = ingest(store, [str(folder)])
    pristine = base / "pristine.duckdb"
    shutil.copy(db, pristine)
    return FirstRun(folder, db, pristine, summary)


@pytest.fixture(scope="module")
def store(first_run: FirstRun) -> Iterator[Store]:
    """The first-run database, for tests that only read."""
    with Store.open(first_run.db) as opened:
        yield opened


@pytest.fixture
def fresh_copy(first_run: FirstRun, tmp_path: Path) -> Iterator[Store]:
    """A writable copy of the database as it was after the first run."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(first_run.pristine, db)
    with Store.open(db) as opened:
        yield opened


def _scalar(store: Store, sql: str, params: list | None = None):
    _, rows = store.query(sql, params)
    return rows[0][0]


def _counts(store: Store) -> dict[str, int]:
    return {table: _scalar(store, f"SELECT count(*) FROM {table}") for table in DATA_TABLES}


# -- first run: good and bad inputs in one folder ------------------------------------------------------------


def test_first_run_is_partial_with_two_new_documents_and_four_errors(first_run: FirstRun) -> None:
    summary = first_run.summary
    assert summary.status == "partial"
    assert summary.exit_code == 1
    by_name = {Path(r.source).name: r for r in summary.results}
    assert set(by_name) == {EN_SAMPLE.name, JA_SAMPLE.name, *BAD_INPUTS}
    assert by_name[EN_SAMPLE.name].status == "new"
    assert by_name[EN_SAMPLE.name].lang == "en"
    assert by_name[JA_SAMPLE.name].status == "new"
    assert by_name[JA_SAMPLE.name].lang == "ja"
    assert {name for name, r in by_name.items() if r.status == "error"} == set(BAD_INPUTS)


def test_good_documents_are_stored_once_each(store: Store) -> None:
    _, rows = store.query(
        "SELECT d.doc_key, v.lang, v.published, v.content_type FROM versions v JOIN documents d USING (doc_id) "
        "ORDER BY v.lang"
    )
    assert [(key, lang, content_type) for key, lang, _, content_type in rows] == [
        (EN_URL, "en", "text/html"),
        (JA_URL, "ja", "text/html"),
    ]
    en_published = rows[0][2]
    assert en_published.isoformat() == "2026-02-02"
    counts = _counts(store)
    assert counts["documents"] == 2
    assert counts["versions"] == 2
    assert all(counts[table] > 0 for table in ("sentences", "mentions", "claims")), counts


def test_each_bad_file_has_one_error_row_naming_file_and_problem(first_run: FirstRun, store: Store) -> None:
    _, rows = store.query("SELECT source, error_type, message, run_id FROM errors ORDER BY source")
    assert len(rows) == len(BAD_INPUTS)
    by_name = {Path(source).name: (error_type, message, run_id) for source, error_type, message, run_id in rows}
    assert set(by_name) == set(BAD_INPUTS)
    for name, words in BAD_INPUTS.items():
        error_type, message, run_id = by_name[name]
        assert run_id == first_run.summary.run_id
        assert str(first_run.folder / name) in message, message
        for word in words:
            assert word in message.lower(), f"{name}: {message!r} should mention {word!r}"
    assert by_name["polish.txt"][0] == "LanguageError"
    assert {by_name[name][0] for name in ("empty.html", "binary.html", "script-only.html")} == {"InputError"}


def test_run_row_records_status_and_counts(first_run: FirstRun, store: Store) -> None:
    _, rows = store.query(
        "SELECT run_id, status, n_sources, n_new_versions, n_skipped, n_errors, extractor_version, finished_at "
        "FROM runs"
    )
    assert len(rows) == 1
    run_id, status, n_sources, n_new, n_skipped, n_errors, version, finished_at = rows[0]
    assert run_id == first_run.summary.run_id
    assert (status, n_sources, n_new, n_skipped, n_errors) == ("partial", 6, 2, 0, 4)
    assert version == EXTRACTOR_VERSION
    assert finished_at is not None


# -- provenance and entity linking ---------------------------------------------------------------------------


def test_every_claim_points_at_its_evidence_in_the_stored_text(store: Store) -> None:
    _, rows = store.query(
        """
        SELECT c.claim_id, c.kind, c.evidence_text,
               substr(v.text, c.evidence_start + 1, c.evidence_end - c.evidence_start) AS span,
               s.idx, s.start_char, s.end_char, c.evidence_start, c.evidence_end, c.extractor_version
        FROM claims c
        JOIN versions v USING (version_id)
        LEFT JOIN sentences s ON s.version_id = c.version_id AND s.idx = c.sentence_idx
        """
    )
    assert len(rows) >= 20  # both articles yield many claims
    for claim_id, kind, evidence_text, span, idx, start, end, ev_start, ev_end, version in rows:
        where = f"{kind} claim {claim_id}"
        assert ev_end > ev_start, where
        assert span and span in evidence_text, f"{where}: {span!r} not in {evidence_text!r}"
        assert idx is not None, f"{where}: no sentence row for its sentence_idx"
        assert start <= ev_start and end >= ev_end, f"{where}: [{ev_start}, {ev_end}) outside [{start}, {end})"
        assert version == EXTRACTOR_VERSION, where


def test_sentence_and_mention_offsets_match_the_stored_text(store: Store) -> None:
    _, bad_sentences = store.query(
        "SELECT s.version_id, s.idx, s.text FROM sentences s JOIN versions v USING (version_id) "
        "WHERE s.text <> substr(v.text, s.start_char + 1, s.end_char - s.start_char)"
    )
    _, bad_mentions = store.query(
        "SELECT m.version_id, m.start_char, m.text FROM mentions m JOIN versions v USING (version_id) "
        "WHERE m.text <> substr(v.text, m.start_char + 1, m.end_char - m.start_char)"
    )
    assert bad_sentences == []
    assert bad_mentions == []


def test_gazetteer_entities_are_stored(store: Store) -> None:
    _, rows = store.query(
        "SELECT entity_id, type, name_en, name_ja FROM entities WHERE entity_id IN (?, ?, ?) ORDER BY entity_id",
        ["country:US", "force:US", "org:coalition-of-the-willing"],
    )
    by_id = {row[0]: row[1:] for row in rows}
    assert set(by_id) == {"country:US", "force:US", "org:coalition-of-the-willing"}
    assert by_id["country:US"][2] == "アメリカ合衆国"
    assert by_id["country:US"][1] == "United States"
    assert by_id["org:coalition-of-the-willing"][2] == "有志連合"


def test_japanese_mentions_are_linked_to_entities(store: Store) -> None:
    _, rows = store.query(
        "SELECT DISTINCT m.text, m.entity_id FROM mentions m JOIN versions v USING (version_id) WHERE v.lang = 'ja'"
    )
    links = set(rows)
    assert ("米軍", "force:US") in links
    assert ("有志連合", "org:coalition-of-the-willing") in links
    assert ("アブダビ", "place:abu-dhabi") in links
    _, dangling = store.query(
        "SELECT DISTINCT m.entity_id FROM mentions m LEFT JOIN entities e USING (entity_id) "
        "WHERE m.entity_id IS NOT NULL AND e.entity_id IS NULL"
    )
    assert dangling == [], "mentions link to ids missing from the entities table"


# -- re-ingestion and new versions ---------------------------------------------------------------------------


def test_reingesting_the_same_folder_adds_nothing(first_run: FirstRun, fresh_copy: Store) -> None:
    before = _counts(fresh_copy)
    summary = ingest(fresh_copy, [str(first_run.folder)])
    assert _counts(fresh_copy) == before
    by_name = {Path(r.source).name: r.status for r in summary.results}
    assert by_name[EN_SAMPLE.name] == "unchanged"
    assert by_name[JA_SAMPLE.name] == "unchanged"
    assert summary.count("new") == 0
    # bad inputs are still bad, and were reported the first time: they are no failure of this run
    assert summary.count("failed before") == len(BAD_INPUTS) and summary.exit_code == 0
    _, runs = fresh_copy.query(
        "SELECT n_new_versions, n_skipped, n_errors FROM runs WHERE run_id = ?", [summary.run_id]
    )
    assert runs == [(0, 2 + len(BAD_INPUTS), 0)]


def test_changed_copy_becomes_second_version_of_same_document(fresh_copy: Store, tmp_path: Path) -> None:
    html = EN_SAMPLE.read_text(encoding="utf-8")
    assert html.count("34 countries") == 1
    changed = tmp_path / "edited" / EN_SAMPLE.name
    changed.parent.mkdir()
    changed.write_text(html.replace("34 countries", "35 countries"), encoding="utf-8")
    before = _counts(fresh_copy)

    summary = ingest(fresh_copy, [str(changed)])

    assert summary.status == "ok"
    [result] = summary.results
    assert result.status == "new"
    doc_id = doc_id_for(EN_URL)
    assert _counts(fresh_copy)["documents"] == before["documents"]
    _, versions = fresh_copy.query("SELECT version_id FROM versions WHERE doc_id = ?", [doc_id])
    assert len(versions) == 2
    assert result.version_id in {v for (v,) in versions}
    _, quantities = fresh_copy.query(
        "SELECT c.version_id, c.quantity_value, c.quantity_unit FROM claims c JOIN versions v USING (version_id) "
        "WHERE v.doc_id = ? AND c.kind = 'quantity' AND c.quantity_unit = 'country'",
        [doc_id],
    )
    assert (result.version_id, 35.0, "country") in quantities
    assert any(value == 34.0 and version != result.version_id for version, value, _ in quantities)


# -- failures that must not stop (or must fail) the run -------------------------------------------------------


def test_missing_target_is_an_error_but_other_targets_are_ingested(tmp_path: Path) -> None:
    missing = tmp_path / "does-not-exist"
    good = tmp_path / JA_SAMPLE.name
    shutil.copy(JA_SAMPLE, good)
    with Store.open(tmp_path / "missing.duckdb") as store:
        summary = ingest(store, [str(missing), str(good)])
        _, errors = store.query("SELECT source, message FROM errors")
        _, versions = store.query("SELECT source, lang FROM versions")
    assert summary.status == "partial"
    assert summary.exit_code == 1
    assert [r.status for r in summary.results] == ["error", "new"]
    assert errors == [(str(missing), f"{missing}: no such file or directory")]
    assert versions == [(str(good), "ja")]


def test_run_where_every_source_fails_is_failed(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(PNG_BYTES)
    with Store.open(tmp_path / "bad.duckdb") as store:
        summary = ingest(store, [str(tmp_path / "empty.html"), str(tmp_path / "binary.html"), str(tmp_path / "nope")])
        counts = _counts(store)
        _, runs = store.query("SELECT status, n_errors, n_new_versions FROM runs")
    assert summary.status == "failed"
    assert summary.exit_code == 2
    assert runs == [("failed", 3, 0)]
    assert counts == dict.fromkeys(DATA_TABLES, 0)


def test_an_ingest_killed_or_stopped_midway_is_marked_interrupted_by_itself_or_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("The harbour bridge reopened on Monday after two years of repairs, officials said.")
    db = tmp_path / "db.duckdb"
    with Store.open(db) as store:  # an `extract ingest` killed with SIGKILL: its run stays "running"
        killed = store.start_run("extract ingest corpus/")

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with Store.open(db) as store:
        with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
            patch.setattr(Store, "save_version", stopped)
            ingest(store, [str(tmp_path / "a.txt")], processes=1)
        ingest(store, [str(tmp_path / "a.txt")], processes=1)
        runs = store.query("SELECT run_id, status, finished_at IS NOT NULL FROM runs ORDER BY started_at")[1]
    assert runs[0] == (killed, "interrupted", False)
    assert [status for _, status, _ in runs[1:]] == ["interrupted", "ok"]
    assert runs[1][2]  # the stopped run says when it stopped


def test_errors_have_a_reason_and_a_permanent_failure_of_unchanged_content_is_reported_once(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "zh.txt").write_text("北京市政府星期一宣布，新的地铁线路将于明年年底开通，预计每天运送乘客超过五十万人。")
    (folder / "good.txt").write_text("The harbour bridge reopened on Monday after two years of repairs, they said.")
    with Store.open(tmp_path / "db.duckdb") as store:
        first = ingest(store, [str(folder)], processes=1)
        second = ingest(store, [str(folder)], processes=1)
        (folder / "empty.txt").write_bytes(b"\x00\x01binary now")  # other content: a new failure, reported
        third = ingest(store, [str(folder)], processes=1)
        errors = store.query('SELECT source, reason, transient FROM errors ORDER BY "at"')[1]
    names = {str(folder / n): n for n in ("empty.txt", "zh.txt", "good.txt")}
    assert [(names[r.source], r.status) for r in first.results] == [
        ("empty.txt", "error"),
        ("good.txt", "new"),
        ("zh.txt", "error"),
    ]
    assert first.exit_code == 1
    assert [r.status for r in second.results] == ["failed before", "unchanged", "failed before"]
    assert second.exit_code == 0
    assert [r.status for r in third.results] == ["error", "unchanged", "failed before"]
    assert [(names[s], reason, transient) for s, reason, transient in errors] == [
        ("empty.txt", "empty", False),
        ("zh.txt", "unsupported_language", False),
        ("empty.txt", "binary", False),
    ]


def test_a_text_over_the_limit_is_refused_with_too_long_once(tmp_path: Path) -> None:
    from extract.run.executors import Limits

    (tmp_path / "long.txt").write_text("The harbour bridge reopened on Monday after two years of repairs, they said.")
    limits = Limits(max_chars=40)
    with Store.open(tmp_path / "db.duckdb") as store:
        first = ingest(store, [str(tmp_path / "long.txt")], processes=1, limits=limits)
        second = ingest(store, [str(tmp_path / "long.txt")], processes=1, limits=limits)
        errors = store.query("SELECT reason, transient, message FROM errors")[1]
    assert (first.results[0].status, second.results[0].status) == ("error", "failed before")
    assert errors == [("too_long", False, f"{tmp_path / 'long.txt'}: too long for the NLP: 76 characters, limit 40")]
