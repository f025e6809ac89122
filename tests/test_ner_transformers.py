"""Transformers NER backend: label decoding, errors, and a tiny BERT trained here and run through spaCy.

The model is built and trained inside the test (a hand-written WordPiece vocabulary, 2 layers of width 32,
64 positions) so nothing is downloaded; it learns the toy sentences below by heart in a few seconds.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
import spacy

from extract.nlp.ner_transformers import (
    FACTORY,
    SPAN_KEY,
    CharEntity,
    ModelDirectoryError,
    TokenClassifier,
    TokenPrediction,
    add_to_pipeline,
    backend_from_env,
    check_model_dir,
    decode_entities,
    default_coarse_label,
    label_mapper,
    load_classifier,
    require_backend,
    split_label,
)

ID2LABEL = {0: "O", 1: "B-PER", 2: "I-PER", 3: "B-LOC", 4: "I-LOC"}
# (sentence, its entities as (surface, coarse label)); "Paris", "Tokyo", "Madrid" are split into word pieces.
SENTENCES = [
    ("Alice lives in Paris.", [("Alice", "PERSON"), ("Paris", "LOC")]),
    ("Bob visited London.", [("Bob", "PERSON"), ("London", "LOC")]),
    ("Carol Smith flew to Tokyo.", [("Carol Smith", "PERSON"), ("Tokyo", "LOC")]),
    ("Dave met Alice in Berlin.", [("Dave", "PERSON"), ("Alice", "PERSON"), ("Berlin", "LOC")]),
    ("The weather in Oslo is cold today.", [("Oslo", "LOC")]),
    ("Eve Jones works in Rome with Bob.", [("Eve Jones", "PERSON"), ("Rome", "LOC"), ("Bob", "PERSON")]),
    ("Frank and Grace moved to Madrid.", [("Frank", "PERSON"), ("Grace", "PERSON"), ("Madrid", "LOC")]),
    ("They said the old city was big.", []),
]
WORD_LINES = (
    "alice bob carol smith dave eve jones frank grace henry lives visited flew met works moved said in to near",
    "with from and the a of is was were cold today old city big weather they he she it london berlin oslo rome",
    "par tok mad vienna house river street new small . ,",
)
WORDS = [word for line in WORD_LINES for word in line.split()]
PIECES = ["##is", "##yo", "##rid"]
MAX_POSITIONS = 64


# --- pure functions (no torch needed) -------------------------------------------------------------------


def test_labels_are_split_into_prefix_and_type():
    assert split_label("B-PER") == ("B", "PER")
    assert split_label("I_LOC") == ("I", "LOC")
    assert split_label("E-Country") == ("E", "Country")
    assert split_label("O") == ("O", "")
    assert split_label("PER") == ("I", "PER")  # IO scheme
    assert split_label("Person") == ("I", "Person")


def test_default_labels_map_conll_and_ene_names_to_coarse_types():
    assert [default_coarse_label(t) for t in ("PER", "ORG", "LOC", "GPE", "MISC", "per")] == [
        "PERSON",
        "ORG",
        "LOC",
        "GPE",
        "MISC",
        "PERSON",
    ]
    assert default_coarse_label("City") == "GPE"  # ENE via GiNZA's mapping
    assert default_coarse_label("Military") == "ORG"
    assert default_coarse_label("WEAPON") == "WEAPON"  # unknown types pass through
    coarse = label_mapper({"MISC": "", "LABEL_3": "ORG", "B-Country": "LOC"})
    assert (coarse("MISC"), coarse("LABEL_3"), coarse("PER"), coarse("Country")) == ("", "ORG", "PERSON", "LOC")


def _tokens(text: str, labels: list[str]) -> list[TokenPrediction]:
    """Whitespace tokens of ``text``, each ``a|b`` piece group split at ``|`` into word pieces."""
    tokens, position = [], 0
    for word, chunk in enumerate(text.split(" ")):
        for piece in chunk.split("|"):
            tokens.append((position, position + len(piece), word))
            position += len(piece)
        position += 1
    assert len(tokens) == len(labels)
    return [TokenPrediction(s, e, label, 0.9, w) for (s, e, w), label in zip(tokens, labels, strict=True)]


def _decoded(text: str, labels: list[str]) -> list[tuple[str, str]]:
    plain = text.replace("|", "")
    return [(plain[e.start : e.end], e.type) for e in decode_entities(_tokens(text, labels), plain)]


def test_bio_decoding_merges_inside_tokens_and_splits_at_begin():
    labels = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O"]
    assert _decoded("Carol Smith in Oslo Rome now", labels) == [
        ("Carol Smith", "PER"),
        ("Oslo", "LOC"),
        ("Rome", "LOC"),
    ]


def test_io_and_iob1_labels_start_entities_on_inside_tags():
    assert _decoded("Carol Smith in Oslo", ["PER", "PER", "O", "LOC"]) == [("Carol Smith", "PER"), ("Oslo", "LOC")]
    assert _decoded("to Oslo Bob", ["O", "I-LOC", "I-PER"]) == [("Oslo", "LOC"), ("Bob", "PER")]


def test_bioes_decoding_closes_on_end_and_single():
    labels = ["B-PER", "E-PER", "S-PER", "S-LOC", "U-LOC"]
    assert _decoded("Carol Smith Bob Oslo Rome", labels) == [
        ("Carol Smith", "PER"),
        ("Bob", "PER"),
        ("Oslo", "LOC"),
        ("Rome", "LOC"),
    ]


def test_word_pieces_tagged_begin_stay_in_one_entity():
    assert _decoded("in Par|is now", ["O", "B-LOC", "B-LOC", "O"]) == [("Paris", "LOC")]
    assert _decoded("in Par|is now", ["O", "B-LOC", "I-LOC", "O"]) == [("Paris", "LOC")]


def test_entities_are_trimmed_of_whitespace():
    tokens = [TokenPrediction(2, 9, "B-LOC", 0.5), TokenPrediction(9, 11, "O", 0.5)]
    assert decode_entities(tokens, "in  Paris  ") == [CharEntity(4, 9, "LOC", 0.5)]


def test_missing_model_directory_is_named(tmp_path):
    missing = tmp_path / "models" / "nope"
    with pytest.raises(ModelDirectoryError, match="not found.*nope"):
        check_model_dir(missing)
    with pytest.raises(ModelDirectoryError, match="nope"):
        add_to_pipeline(spacy.blank("en"), missing)
    with pytest.raises(ModelDirectoryError, match="dslim/bert-base-NER"):  # a hub id is not a directory
        spacy.blank("en").add_pipe(FACTORY, config={"model": "dslim/bert-base-NER"})


def test_directory_without_tokenizer_or_config_is_named(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelDirectoryError, match=rf"{tmp_path.name}.*lacks its config and tokenizer"):
        check_model_dir(tmp_path)
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelDirectoryError, match="lacks its tokenizer"):
        check_model_dir(tmp_path)


def test_backend_from_env(tmp_path, monkeypatch):
    monkeypatch.delenv("EXTRACT_NER_MODEL", raising=False)
    monkeypatch.delenv("EXTRACT_NER_MODEL_JA", raising=False)
    assert backend_from_env("en") is None
    monkeypatch.setenv("EXTRACT_NER_MODEL", str(tmp_path / "absent"))
    with pytest.raises(ModelDirectoryError, match=r"\$EXTRACT_NER_MODEL: .*absent"):
        backend_from_env("en")
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (tmp_path / name).write_text("{}")
    monkeypatch.setenv("EXTRACT_NER_MODEL_JA", str(tmp_path))
    assert backend_from_env("ja") == {"model_dir": str(tmp_path.resolve())}


def test_missing_backend_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(RuntimeError, match=r"pip install -e '\.\[hf\]'"):
        require_backend()


# --- a tiny trained model -------------------------------------------------------------------------------


def _word_labels(sentence: str, entities: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Character ranges of the entities with their BIO type (PERSON → PER)."""
    spans, position = [], 0
    for surface, label in entities:
        start = sentence.index(surface, position)
        spans.append((start, start + len(surface), "PER" if label == "PERSON" else label))
        position = start + len(surface)
    return spans


def _token_labels(offsets: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[int]:
    """BIO label ids per token (every word piece labelled; -100 for special tokens)."""
    label2id = {label: i for i, label in ID2LABEL.items()}
    ids = []
    for start, end in offsets:
        if end == start:
            ids.append(-100)
            continue
        entity = next(((s, t) for s, e, t in spans if s <= start and end <= e), None)
        ids.append(0 if entity is None else label2id[("B-" if entity[0] == start else "I-") + entity[1]])
    return ids


def _training_windows(tokenizer, rng: random.Random, count: int) -> list[tuple[list[int], list[int]]]:
    """Random slices (up to the position limit) of a shuffled stream of the toy sentences."""
    order = [s for _ in range(6) for s in rng.sample(SENTENCES, len(SENTENCES))]
    text = " ".join(sentence for sentence, _ in order)
    spans = [span for span in _word_labels(text, [e for _, ents in order for e in ents])]
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, labels = encoded["input_ids"], _token_labels(encoded["offset_mapping"], spans)
    windows = []
    for _ in range(count):
        length = rng.randint(4, MAX_POSITIONS - 2)
        start = rng.randint(0, len(ids) - length)
        cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
        windows.append(([cls, *ids[start : start + length], sep], [-100, *labels[start : start + length], -100]))
    return windows


def _train(model, tokenizer, torch, steps: int = 150, batch: int = 16) -> None:
    rng = random.Random(0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        windows = _training_windows(tokenizer, rng, batch)
        width = max(len(ids) for ids, _ in windows)
        ids = torch.zeros((batch, width), dtype=torch.long)
        labels = torch.full((batch, width), -100, dtype=torch.long)
        mask = torch.zeros((batch, width), dtype=torch.long)
        for i, (row, row_labels) in enumerate(windows):
            ids[i, : len(row)] = torch.tensor(row)
            labels[i, : len(row)] = torch.tensor(row_labels)
            mask[i, : len(row)] = 1
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()


@pytest.fixture(scope="module")
def torch():
    """torch, on one thread for this module (two threads on two busy cores are many times slower)."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield torch
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, torch) -> Path:
    """A BERT token classifier (PER/LOC, BIO) trained on the toy sentences and saved with save_pretrained."""
    import transformers

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("models") / "tiny-bert-ner"
    path.mkdir()
    vocab = path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, *PIECES]) + "\n")
    tokenizer = transformers.BertTokenizerFast(str(vocab), do_lower_case=True, model_max_length=MAX_POSITIONS)
    config = transformers.BertConfig(
        vocab_size=len(vocab.read_text().split()),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=MAX_POSITIONS,
        num_labels=len(ID2LABEL),
        id2label=ID2LABEL,
        label2id={label: i for i, label in ID2LABEL.items()},
    )
    model = transformers.BertForTokenClassification(config)
    _train(model, tokenizer, torch)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def _expected(text: str, sentences: list[tuple[str, list[tuple[str, str]]]]) -> list[tuple[str, str, int, int]]:
    found, position = [], 0
    for sentence, entities in sentences:
        base = text.index(sentence, position)
        for start, end, _ in _word_labels(sentence, entities):
            label = next(lab for surf, lab in entities if surf == sentence[start:end])
            found.append((sentence[start:end], label, base + start, base + end))
        position = base + len(sentence)
    return found


def _ents(doc) -> list[tuple[str, str, int, int]]:
    for ent in doc.ents:
        assert doc.text[ent.start_char : ent.end_char] == ent.text
    return [(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


def test_word_pieces_are_split_in_the_tiny_vocabulary(model_dir):
    classifier = load_classifier(str(model_dir))
    pieces = classifier.tokenizer.tokenize("Paris Tokyo Madrid")
    assert pieces == ["par", "##is", "tok", "##yo", "mad", "##rid"]
    assert classifier.max_length() == MAX_POSITIONS


def test_loading_and_running_never_touch_the_network(model_dir, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    classifier = TokenClassifier(check_model_dir(model_dir))  # not the cached one: really load from disk
    [tokens] = classifier.predict(["Bob visited London."])
    assert [(t.start, t.end, t.label) for t in tokens if t.label != "O"] == [(0, 3, "B-PER"), (12, 18, "B-LOC")]


def test_blank_pipeline_gets_exact_entities(model_dir):
    nlp = spacy.blank("en")
    add_to_pipeline(nlp, model_dir)
    assert nlp.pipe_names == [FACTORY]
    for sentence, entities in SENTENCES:
        doc = nlp(sentence)
        assert _ents(doc) == _expected(sentence, [(sentence, entities)]), sentence
    doc = nlp("Carol Smith flew to Tokyo.")
    tokyo = [e for e in doc.ents if e.label_ == "LOC"]
    assert [(e.text, e.start_char, e.end_char, len(e)) for e in tokyo] == [("Tokyo", 20, 25, 1)]  # 2 pieces, 1 span
    assert [s.text for s in doc.spans[SPAN_KEY]] == ["Carol Smith", "Tokyo"]


def test_real_english_pipeline_runs_it_before_the_gazetteer(model_dir):
    from extract.nlp.analyse import load_pipeline

    nlp = load_pipeline.__wrapped__("en")  # a fresh pipeline, not the process-wide cached one
    add_to_pipeline(nlp, model_dir, batch_size=2)
    assert nlp.pipe_names[-2:] == [FACTORY, "extract_gazetteer"]
    texts = [s for s, _ in SENTENCES]
    for doc, (sentence, entities) in zip(nlp.pipe(texts, batch_size=3), SENTENCES, strict=True):
        assert _ents(doc) == _expected(sentence, [(sentence, entities)]), sentence
    doc = nlp("Eve Jones works in Rome with Bob.")
    assert "gazetteer" in doc.spans  # the gazetteer still runs, after it
    assert doc.has_annotation("DEP")


def test_without_overwrite_only_gaps_are_filled(model_dir):
    nlp = spacy.blank("en")
    add_to_pipeline(nlp, model_dir, overwrite=False)
    doc = nlp.make_doc("Alice lives in Paris.")
    doc.ents = [doc.char_span(15, 20, label="GPE"), doc.char_span(6, 11, label="EVENT")]
    doc = nlp.get_pipe(FACTORY)(doc)
    assert _ents(doc) == [("Alice", "PERSON", 0, 5), ("lives", "EVENT", 6, 11), ("Paris", "GPE", 15, 20)]


def test_label_mapping_config_renames_and_drops(model_dir):
    nlp = spacy.blank("en")
    add_to_pipeline(nlp, model_dir, labels={"LOC": "GPE", "B-PER": ""})
    assert _ents(nlp("Carol Smith flew to Tokyo.")) == [("Tokyo", "GPE", 20, 25)]


@pytest.mark.parametrize("window", [{}, {"max_length": 16, "stride": 6}], ids=["model-length", "short-windows"])
def test_long_text_is_read_in_sliding_windows(model_dir, window):
    nlp = spacy.blank("en")
    add_to_pipeline(nlp, model_dir, **window)
    repeated = SENTENCES * 4
    text = " ".join(sentence for sentence, _ in repeated)
    classifier = load_classifier(str(model_dir))
    assert len(classifier.tokenizer(text)["input_ids"]) > 3 * MAX_POSITIONS
    doc = nlp(text)
    assert _ents(doc) == _expected(text, repeated)
