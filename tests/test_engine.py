"""The NLP engine: worker processes give exactly the in-process results, and a failing document stays alone."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import replace

import pytest
from conftest import EN_SAMPLE, JA_SAMPLE

from extract.acquire.read import load
from extract.model import Document, Extraction
from extract.run import executors as engine
from extract.run.executors import DEFAULT_LIMITS, DocumentFailure, Limits, extract_many


def test_workers_give_the_same_claims_in_input_order():
    docs = [load(str(EN_SAMPLE)), load(str(JA_SAMPLE))]
    broken = replace(docs[0], lang="xx")  # no pipeline for this language: fails in the worker
    items = [("en", docs[0]), ("broken", broken), ("ja", docs[1])]
    local = list(extract_many(items, processes=1))
    pooled = list(extract_many(items, processes=2))
    assert [key for key, _ in pooled] == ["en", "broken", "ja"]
    assert isinstance(pooled[1][1], ValueError) and "no NLP pipeline" in str(pooled[1][1])
    for (_, a), (_, b) in zip(local, pooled, strict=True):
        if isinstance(a, Extraction):
            assert a.claims == b.claims and a.sentences == b.sentences and a.mentions == b.mentions
    tiers = sorted(c.tier for c in pooled[2][1].claims if c.kind == "tier")
    assert tiers == [1, 2, 3]


# -- bounds: one bad document, one dead worker ------------------------------------------------------

TEXT = "The harbour bridge reopened on Monday after two years of repairs, officials said."


def _doc(source: str, text: str = TEXT) -> Document:
    return Document(source, None, source, text, None, None, None, "en", 1.0, "text/plain")


def _fake_nlp(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """Stands in for the NLP in the (forked) workers: misbehaves as the document's name says."""
    if doc.source == "crash":
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer does
    if doc.source == "slow":
        time.sleep(30)
    if doc.source == "dies-when-idle":  # killed half a second after it has answered, as the OOM killer may
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGKILL)).start()
    if doc.source == "hungry":
        hoard = [bytearray(10 * 2**20) for _ in range(100)]  # 1 GB, touched
        time.sleep(30)
        del hoard
    return Extraction(doc, [], [], [])


@pytest.fixture
def fake_nlp(monkeypatch):
    monkeypatch.setattr(engine, "extract_one", _fake_nlp)


def _reasons(results) -> dict[str, str | None]:
    return {key: getattr(r, "reason", None) if isinstance(r, Exception) else "ok" for key, r in results}


def test_a_worker_killed_with_sigkill_fails_its_document_only_and_the_pool_is_rebuilt(fake_nlp):
    items = [(name, _doc(name)) for name in ["a", "crash", "b", "c", "crash", "d", "e"]]
    results = list(extract_many(items, processes=2))
    assert [key for key, _ in results] == [key for key, _ in items]
    assert _reasons(results) == {"a": "ok", "crash": "worker_crashed", "b": "ok", "c": "ok", "d": "ok", "e": "ok"}
    crashed = results[1][1]
    assert isinstance(crashed, DocumentFailure) and crashed.transient
    assert "killed by signal 9" in str(crashed)


def test_a_document_over_the_time_or_memory_limit_is_stopped_and_the_rest_goes_on(fake_nlp):
    # one limit at a time: on a loaded machine touching 1 GB can take longer than a short time limit
    slow = list(extract_many([(n, _doc(n)) for n in ["slow", "a"]], processes=2, limits=Limits(seconds=1.0)))
    assert _reasons(slow) == {"slow": "time_limit", "a": "ok"} and "time limit" in str(slow[0][1])
    memory = Limits(seconds=25.0, memory_bytes=700 * 2**20)
    hungry = list(extract_many([(n, _doc(n)) for n in ["hungry", "b"]], processes=2, limits=memory))
    assert _reasons(hungry) == {"hungry": "memory_limit", "b": "ok"} and "memory limit" in str(hungry[0][1])


def test_a_text_over_the_character_limit_is_refused_before_the_nlp(fake_nlp):
    limits = Limits(max_chars=len(TEXT) - 1)
    for processes in (1, 2):
        results = list(extract_many([("long", _doc("crash")), ("short", _doc("a", TEXT[:40]))], processes, limits))
        assert _reasons(results) == {"long": "too_long", "short": "ok"}
        assert f"{len(TEXT)} characters, limit {len(TEXT) - 1}" in str(results[0][1])
        assert results[0][1].raw_sha256 == "crash"  # the same content is refused again: reported once


def test_a_long_text_is_analysed_in_batches_of_paragraphs_with_offsets_in_the_document():
    from extract.run.extraction import extract_document

    doc = load(str(EN_SAMPLE))
    whole = extract_document(doc)
    batched = extract_document(doc, batch_chars=400)
    assert len(doc.text) > 3 * 400  # several batches
    sentences = batched.sentences
    assert [s.idx for s in sentences] == list(range(len(sentences)))
    assert all(doc.text[s.start : s.end] == s.text for s in sentences)
    assert all(doc.text[m.start : m.end] == m.text for m in batched.mentions)
    for claim in batched.claims:
        sentence = sentences[claim.evidence.sentence_idx]
        assert sentence.text == claim.evidence.sentence
        assert sentence.start <= claim.evidence.start < claim.evidence.end <= sentence.end
    assert [s.text for s in sentences] == [s.text for s in whole.sentences]
    assert batched.claims  # the rules still find claims inside each batch


def test_ingest_records_a_crashed_worker_and_stores_the_other_documents(tmp_path, monkeypatch):
    from extract.run.ingest import ingest
    from extract.store.db import Store

    real = engine.extract_one

    def crash_on_bad(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Extraction:
        if "bad" in doc.source:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(doc, limits)

    monkeypatch.setattr(engine, "extract_one", crash_on_bad)
    for name in ["a-first", "b-bad", "c-last"]:
        (tmp_path / f"{name}.txt").write_text(f"{name}: " + TEXT + " " + TEXT.replace("Monday", "Friday"))
    with Store.open(tmp_path / "db.duckdb") as store:
        run = ingest(store, [str(tmp_path)], processes=2)
        assert [r.status for r in run.results] == ["new", "error", "new"]
        rows = store.query("SELECT source, reason, transient FROM errors")[1]
        assert rows == [(str(tmp_path / "b-bad.txt"), "worker_crashed", True)]
        assert store.query("SELECT status FROM runs")[1] == [("partial",)]


def test_a_worker_killed_while_idle_is_replaced_before_it_gets_a_document(fake_nlp):
    def items():
        yield "a", _doc("dies-when-idle")  # each of the two workers gets one of these two
        yield "b", _doc("dies-when-idle")
        time.sleep(1.5)  # both are killed while they wait for the next document
        yield "c", _doc("c")
        yield "d", _doc("d")

    assert _reasons(extract_many(items(), processes=2)) == {"a": "ok", "b": "ok", "c": "ok", "d": "ok"}


def test_a_text_on_one_line_is_cut_into_batches_at_sentence_ends():
    from extract.run.extraction import extract_document, paragraph_batches

    doc = load(str(JA_SAMPLE))
    one_line = replace(doc, text=doc.text.replace("\n", ""))
    batches = list(paragraph_batches(one_line.text, 120))
    assert len(batches) > 3 and all(len(piece) <= 120 for _, piece in batches)
    assert "".join(piece for _, piece in batches) == one_line.text
    assert all(piece.endswith(("。", "」", " ", "．")) for _, piece in batches[:-1])
    batched = extract_document(one_line, batch_chars=120)
    assert all(one_line.text[s.start : s.end] == s.text for s in batched.sentences)


# -- workers start as documents need them; the parent loads the pipelines they share -------------------


def _pipelines_loaded(doc: Document, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """Stands in for the NLP in a worker: reports, as its failure, which pipelines the worker holds before
    it analyses anything, and its process id."""
    from extract.nlp.analyse import load_pipeline

    raise RuntimeError(f"{os.getpid()} {load_pipeline.cache_info().currsize}")


@pytest.fixture
def started(monkeypatch):
    """The workers started (counted in the parent) and whether the parent preloaded pipelines."""
    seen = {"workers": 0, "preloaded": []}
    real_worker, real_preload = engine._Worker.__init__, engine.preload

    def counting(self, limits):
        seen["workers"] += 1
        real_worker(self, limits)

    def preload(langs):
        langs = list(langs)
        seen["preloaded"].append(sorted(set(langs)))
        real_preload(langs)

    monkeypatch.setattr(engine._Worker, "__init__", counting)
    monkeypatch.setattr(engine, "preload", preload)
    monkeypatch.setattr(engine, "extract_one", _pipelines_loaded)
    return seen


def test_one_document_gets_one_worker_and_the_parent_loads_no_pipeline(started):
    from extract.nlp.analyse import load_pipeline

    load_pipeline.cache_clear()
    ((_, result),) = extract_many([("one", _doc("one"))], processes=2)
    assert started == {"workers": 1, "preloaded": []}
    assert str(result).split()[1] == "0"  # the worker loads its own pipeline when it needs it
    assert load_pipeline.cache_info().currsize == 0


def test_workers_are_forked_after_the_parent_loaded_the_pipelines_they_need(started):
    from extract.nlp.analyse import load_pipeline

    load_pipeline.cache_clear()
    items = [(n, _doc(n)) for n in ["a", "b", "c"]]
    results = list(extract_many(items, processes=2))
    assert started["preloaded"] == [["en"]] and started["workers"] == 2
    holders = {str(r).split()[0] for _, r in results}
    assert len(holders) == 2 and all(str(r).split()[1] == "1" for _, r in results)  # en, loaded before fork
